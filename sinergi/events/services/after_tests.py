"""Writes of the question bank and of an event's pre- and post-tests.

Staff keep banks of multiple-choice questions per unit, pick questions for the event's pre-test
and post-test (usually the same ones, so the gain is measured on equal ground), and open and close
each test. A participant answers through their token page, once per test; the attempt is scored
when submitted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import Unit, User
from sinergi.audit.services import record
from sinergi.events.models import Answer, Choice, Event, Participant, Question, QuestionBank, Test, TestAttempt
from sinergi.events.permissions import require_edit
from sinergi.events.selectors import after_scoring

MAX_CHOICES = 6
CHOICE_MAX = 300  # Choice.text


def _require_bank_write(by: User, bank: QuestionBank) -> None:
    if not by.can_write(bank.unit.region):
        raise PermissionDenied(_("You may use this question bank but not change it."))


@transaction.atomic
def bank_create(*, unit: Unit, name: str, by: User) -> QuestionBank:
    """A new, empty question bank of ``unit``."""
    if not by.can_write(unit.region):
        raise PermissionDenied(_("You do not work for %(unit)s.") % {"unit": unit})
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the bank a name.")})
    bank = QuestionBank.objects.create(unit=unit, name=name, created_by=by)
    record(
        action="events.question_bank.create",
        obj=bank,
        actor=by,
        region_code=unit.region.code,
        changes={"name": [None, name]},
    )
    return bank


def _clean_choices(choices: Sequence[str], correct: int) -> list[str]:
    texts = [c.strip() for c in choices]
    filled = [t for t in texts if t]
    errors: dict[str, str] = {}
    if len(filled) < 2:
        errors["choices"] = _("Give at least two answers.")
    elif len(filled) > MAX_CHOICES:
        errors["choices"] = _("Give at most %(count)d answers.") % {"count": MAX_CHOICES}
    elif any(len(t) > CHOICE_MAX for t in filled):
        errors["choices"] = _("Keep each answer under %(count)d characters.") % {"count": CHOICE_MAX}
    elif len({t.casefold() for t in filled}) != len(filled):
        errors["choices"] = _("Two answers are the same.")
    if not 0 <= correct < len(texts) or not texts[correct]:
        errors["correct"] = _("Mark which answer is right.")
    if errors:
        raise ValidationError(errors)
    return texts


@transaction.atomic
def question_add(*, bank: QuestionBank, text: str, choices: Sequence[str], correct: int, by: User) -> Question:
    """A multiple-choice question with its answers; ``correct`` is the index of the right one in
    ``choices`` (empty entries are skipped, so a form's blank fields do no harm)."""
    _require_bank_write(by, bank)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the question.")})
    texts = _clean_choices(choices, correct)
    order = (bank.questions.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    question = Question.objects.create(bank=bank, text=text, order=order)
    Choice.objects.bulk_create(
        [Choice(question=question, text=t, is_correct=i == correct) for i, t in enumerate(texts) if t]
    )
    record(
        action="events.question.create",
        obj=question,
        actor=by,
        region_code=bank.unit.region.code,
        changes={"text": [None, text], "choices": [None, [t for t in texts if t]]},
    )
    return question


@transaction.atomic
def question_delete(*, question: Question, by: User) -> None:
    """Remove a question no test uses; one a test uses stays, so past results keep their meaning."""
    _require_bank_write(by, question.bank)
    if question.tests.exists():
        raise ValidationError(_("This question is part of an event's test and cannot be removed."))
    record(
        action="events.question.delete",
        obj=question,
        actor=by,
        region_code=question.bank.unit.region.code,
        changes={"text": [question.text, None]},
    )
    question.delete()


@transaction.atomic
def test_set_questions(*, event: Event, kind: str, questions: Sequence[Question], by: User) -> Test:
    """Set the questions of the event's pre- or post-test; refused once anyone has answered it."""
    require_edit(by, event)
    if kind not in Test.Kind.values:
        raise ValidationError({"kind": _("Choose the pre-test or the post-test.")})
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("The event was cancelled."))
    if not questions:
        raise ValidationError({"questions": _("Choose at least one question.")})
    test, _created = Test.objects.select_for_update().get_or_create(event=event, kind=kind)
    if test.attempts.exists():
        raise ValidationError(_("Participants have already answered this test; its questions cannot change."))
    before = sorted(test.questions.values_list("pk", flat=True))
    test.questions.set(questions)
    after = sorted(q.pk for q in questions)
    record(
        action="events.test.questions",
        obj=test,
        actor=by,
        region_code=event.region.code,
        changes={"questions": [before, after]},
    )
    return test


@transaction.atomic
def test_set_open(*, test: Test, is_open: bool, by: User) -> Test:
    """Open a test for answers (it needs questions) or close it."""
    require_edit(by, test.event)
    if is_open and not test.questions.exists():
        raise ValidationError(_("Choose the test's questions before opening it."))
    if is_open and test.event.status in (Event.Status.DRAFT, Event.Status.CANCELLED):
        raise ValidationError(_("Publish the event before opening its tests."))
    if test.is_open != is_open:
        test.is_open = is_open
        test.save(update_fields=["is_open"])
        record(
            action="events.test.open" if is_open else "events.test.close",
            obj=test,
            actor=by,
            region_code=test.event.region.code,
            changes={"is_open": [not is_open, is_open]},
        )
    return test


@transaction.atomic
def attempt_submit(*, test: Test, participant: Participant, answers: Mapping[int, int | None]) -> TestAttempt:
    """A participant's answers (question id -> choice id), scored; one attempt per test.

    Every question must be answered with one of its own choices; a second attempt is refused."""
    if participant.event_id != test.event_id:
        raise PermissionDenied(_("This test belongs to another event."))
    if participant.status != Participant.Status.REGISTERED:
        raise ValidationError(_("Only registered participants take the tests."))
    if not test.is_open:
        raise ValidationError(_("This test is closed."))
    if TestAttempt.objects.filter(test=test, participant=participant).exists():
        raise ValidationError(_("You have already taken this test."))
    questions = list(test.questions.prefetch_related("choices"))
    chosen: dict[int, Choice] = {}
    for question in questions:
        choice_id = answers.get(question.pk)
        choice = next((c for c in question.choices.all() if c.pk == choice_id), None)
        if choice is None:
            raise ValidationError(_("Answer every question."))
        chosen[question.pk] = choice
    correct = sum(1 for c in chosen.values() if c.is_correct)
    try:
        with transaction.atomic():
            attempt = TestAttempt.objects.create(
                test=test,
                participant=participant,
                submitted_at=timezone.now(),
                correct=correct,
                total=len(questions),
                score=after_scoring.score(correct, len(questions)),
            )
    except IntegrityError:  # a double tap racing itself
        raise ValidationError(_("You have already taken this test.")) from None
    Answer.objects.bulk_create([Answer(attempt=attempt, question_id=q, choice=c) for q, c in chosen.items()])
    record(
        action="events.test.attempt",
        obj=attempt,
        actor=None,
        region_code=test.event.region.code,
        changes={"score": [None, str(attempt.score)], "kind": [None, test.kind]},
    )
    return attempt
