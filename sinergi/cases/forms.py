"""Forms of the intake (public, organisation portal, staff), of each workflow step, of the reporter's
rating and dispute, and of the category tree. They only parse; the services decide."""

from __future__ import annotations

import time
import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Unit
from sinergi.cases import selectors, workflow
from sinergi.cases.models import Case, Category
from sinergi.territory.models import RT, RW, Region

TOKEN_SALT = "sinergi.cases.intake"  # noqa: S105 - a signing salt, not a password
TOKEN_MAX_AGE = 24 * 3600


def min_fill_seconds() -> int:
    return int(getattr(settings, "SINERGI_CASE_FORM_MIN_SECONDS", 3))


def new_form_token() -> str:
    """A signed token with the time the form was shown and a nonce (the submission's idempotency key)."""
    return signing.dumps({"t": int(time.time()), "n": uuid.uuid4().hex}, salt=TOKEN_SALT)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class CaseForm(forms.Form):
    """The intake. ``public`` adds the spam traps; ``organisations`` (a representative's) the sender."""

    kind = forms.ChoiceField(label=_("What is it?"), choices=Case.Kind.choices, initial=Case.Kind.COMPLAINT)
    category = forms.TypedChoiceField(label=_("Category"), coerce=int, choices=())
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_("What happened, since when, and what you ask for. Do not write other people's personal data."),
    )
    region = forms.ChoiceField(
        label=_("Kelurahan"),
        choices=(),
        required=False,
        help_text=_("Tap the map to mark the place, or choose the kelurahan."),
    )
    latitude = forms.FloatField(widget=forms.HiddenInput, required=False)
    longitude = forms.FloatField(widget=forms.HiddenInput, required=False)
    rw = forms.IntegerField(label=_("RW (optional)"), required=False, min_value=1, max_value=999)
    rt = forms.IntegerField(label=_("RT (optional)"), required=False, min_value=1, max_value=999)
    address = forms.CharField(label=_("Street or landmark (optional)"), max_length=255, required=False)
    photos = MultipleFileField(label=_("Photos (optional)"), help_text=_("JPG or PNG, up to 5 photos."))
    reporter_name = forms.CharField(label=_("Your name (optional)"), max_length=150, required=False)
    reporter_phone = forms.CharField(
        label=_("Your phone (optional)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    reporter_email = forms.EmailField(label=_("Your e-mail (optional)"), required=False)
    anonymous = forms.BooleanField(
        label=_("Keep my name hidden from the officials (my contact is only used to tell me of progress)"),
        required=False,
    )
    link_to = forms.CharField(
        label=_("Same problem as an open case (tracking number, optional)"), max_length=20, required=False
    )

    def __init__(self, *args: Any, public: bool = False, organisations: list[Any] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.public = public
        self._choices("category", [("", "—"), *selectors.category_choices()])
        self._choices("region", [("", "—"), *selectors.kelurahan_choices()])
        if organisations:
            self.fields["organisation"] = forms.TypedChoiceField(
                label=_("Sent on behalf of"), coerce=int, choices=[(o.pk, str(o)) for o in organisations]
            )
        if public:
            # A field people never see (bots fill it) and a signed token with the time the form was shown.
            self.fields["website"] = forms.CharField(
                required=False,
                label=_("Leave this empty"),
                widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
            )
            self.fields["form_token"] = forms.CharField(widget=forms.HiddenInput)
            if not self.is_bound:
                self.initial["form_token"] = new_form_token()

    def _choices(self, name: str, choices: list[tuple[Any, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean_link_to(self) -> Case | None:
        number = (self.cleaned_data.get("link_to") or "").strip().upper()
        if not number:
            return None
        case = Case.objects.filter(number=number).first()
        if case is None:
            raise ValidationError(_("No case has this number."))
        return case

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.public:
            if data.get("website"):
                raise ValidationError(_("The form could not be accepted. Please try again."), code="spam")
            try:
                token = signing.loads(data.get("form_token") or "", salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
            except signing.BadSignature:
                raise ValidationError(_("The form has expired; please send it again."), code="token") from None
            if time.time() - token["t"] < min_fill_seconds():
                raise ValidationError(_("That was too fast; please check the form and send it again."), code="spam")
            data["idempotency_key"] = f"form:{token['n']}"
        category_id = data.get("category")
        data["category_obj"] = Category.objects.filter(pk=category_id, is_active=True).first() if category_id else None
        if category_id and data["category_obj"] is None:
            self.add_error("category", _("Choose a category."))
        code = data.get("region")
        region = Region.objects.filter(code=code, level=Region.Level.VILLAGE).first() if code else None
        data["region_obj"] = region
        rw = rt = None
        if region is not None and data.get("rw"):
            rw = RW.objects.filter(kelurahan=region, number=data["rw"]).first()
            if rw is None:
                self.add_error("rw", _("This RW is not in %(region)s.") % {"region": region.display_name})
            elif data.get("rt"):
                rt = RT.objects.filter(rw=rw, number=data["rt"]).first()
                if rt is None:
                    self.add_error("rt", _("This RT is not in the chosen RW."))
        data["rw_obj"], data["rt_obj"] = rw, rt
        return data


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Step"), choices=())
    unit = forms.TypedChoiceField(label=_("Pass on to"), coerce=int, required=False, choices=())
    note = forms.CharField(
        label=_("Note (the reporter reads it)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    proof = MultipleFileField(
        label=_("Proof of the result"),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
        help_text=_("Needed to finish: a photo (JPG, PNG) or a document (PDF)."),
    )

    def __init__(self, *args: Any, case: Case, targets: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        steps = self.fields["to_status"]
        units = self.fields["unit"]
        assert isinstance(steps, forms.ChoiceField)
        assert isinstance(units, forms.ChoiceField)
        steps.choices = [
            (s, workflow.ACTION_LABELS[s]) for s in workflow.ACTION_LABELS if s in workflow.allowed(case.status)
        ]
        units.choices = [("", "—"), *[(u.pk, str(u)) for u in targets]]
        self.targets = {u.pk: u for u in targets}

    def unit_obj(self) -> Unit | None:
        pk = self.cleaned_data.get("unit")
        return self.targets.get(pk) if pk else None


class MergeForm(forms.Form):
    into = forms.CharField(label=_("Tracking number of the case it duplicates"), max_length=20)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class BulkDispositionForm(forms.Form):
    cases = forms.CharField(widget=forms.MultipleHiddenInput)
    unit = forms.ModelChoiceField(label=_("Pass on to"), queryset=Unit.objects.filter(is_active=True))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        coerce=int,
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )


class DisputeForm(forms.Form):
    reason = forms.CharField(label=_("What is still wrong?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class CategoryForm(forms.ModelForm[Category]):
    class Meta:
        model = Category
        fields = ["name", "parent", "unit", "unit_kind", "sla_days", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            is_active=True, kind__in=[Unit.Kind.AGENCY, Unit.Kind.SUB_AGENCY]
        ).order_by("name")
        parents = Category.objects.all()
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
