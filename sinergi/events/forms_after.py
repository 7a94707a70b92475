"""Forms of the after stage: question banks, test questions, taking a test, the satisfaction survey,
revoking a certificate."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Unit
from sinergi.events.models import Question, SurveyResponse, Test
from sinergi.events.services.after_tests import MAX_CHOICES

CHOICE_FIELDS = [f"choice_{i}" for i in range(1, MAX_CHOICES + 1)]


class BankForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("The subject, e.g. Pemilu 2024 and JAKI."))

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        if units.count() == 1:
            self.fields["unit"].initial = units.first()


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}))
    correct = forms.TypedChoiceField(
        label=_("Right answer"),
        coerce=int,
        choices=[(i, _("Answer %(number)d") % {"number": i + 1}) for i in range(MAX_CHOICES)],
        initial=0,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i, name in enumerate(CHOICE_FIELDS):
            self.fields[name] = forms.CharField(
                label=_("Answer %(number)d") % {"number": i + 1}, max_length=300, required=i < 2
            )
        self.order_fields(["text", *CHOICE_FIELDS, "correct"])

    def choices(self) -> list[str]:
        return [self.cleaned_data.get(name) or "" for name in CHOICE_FIELDS]


class TestQuestionsForm(forms.Form):
    questions = forms.ModelMultipleChoiceField(
        label=_("Questions"), queryset=Question.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, questions: QuerySet[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["questions"].queryset = questions  # type: ignore[attr-defined]


class TakeTestForm(forms.Form):
    """One radio group per question of the test, named ``q<id>``."""

    def __init__(self, *args: Any, test: Test, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number, question in enumerate(test.questions.all(), start=1):
            self.fields[f"q{question.pk}"] = forms.TypedChoiceField(
                label=f"{number}. {question.text}",
                choices=[(c.pk, c.text) for c in question.choices.all()],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer.")},
            )

    def answers(self) -> dict[int, int | None]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}


# The nine elements of PermenPAN-RB 14/2017, asked of an event's participants; answers 1 (worst) to 4.
SURVEY_QUESTIONS: dict[str, tuple[Any, tuple[Any, Any, Any, Any]]] = {
    "u1": (
        _("How well did the requirements for taking part (invitation, registration) suit the event?"),
        (_("Not suitable"), _("Somewhat suitable"), _("Suitable"), _("Very suitable")),
    ),
    "u2": (
        _("How easy were the procedures (registration, check-in, signing)?"),
        (_("Not easy"), _("Somewhat easy"), _("Easy"), _("Very easy")),
    ),
    "u3": (
        _("Did the event keep to its schedule?"),
        (_("Not on time"), _("Somewhat on time"), _("On time"), _("Right on time")),
    ),
    "u4": (
        _("What did taking part cost you?"),
        (_("Very expensive"), _("Fairly expensive"), _("Cheap"), _("Free")),
    ),
    "u5": (
        _("Did the content match what the invitation announced?"),
        (_("Not at all"), _("Partly"), _("Mostly"), _("Fully")),
    ),
    "u6": (
        _("How competent were the organisers and speakers?"),
        (_("Not competent"), _("Somewhat competent"), _("Competent"), _("Very competent")),
    ),
    "u7": (
        _("How courteous and friendly were the staff?"),
        (_("Not courteous"), _("Somewhat courteous"), _("Courteous"), _("Very courteous")),
    ),
    "u8": (
        _("How were complaints, suggestions and input handled?"),
        (_("Not at all"), _("Heard but not acted on"), _("Acted on in part"), _("Handled well")),
    ),
    "u9": (
        _("How good were the venue and facilities?"),
        (_("Poor"), _("Adequate"), _("Good"), _("Very good")),
    ),
}


class SurveyForm(forms.Form):
    suggestion = forms.CharField(
        label=_("Suggestions (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number, element in enumerate(SurveyResponse.ELEMENTS, start=1):
            question, labels = SURVEY_QUESTIONS[element]
            self.fields[element] = forms.TypedChoiceField(
                label=f"{number}. {question}",
                choices=[(value, label) for value, label in enumerate(labels, start=1)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose one of the four answers.")},
            )
        self.order_fields([*SurveyResponse.ELEMENTS, "suggestion"])

    def answers(self) -> dict[str, int]:
        return {element: self.cleaned_data[element] for element in SurveyResponse.ELEMENTS}


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255)
