"""Forms of the plan stage's pages. They parse and check input; the services apply the rules."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Role, Unit, User
from sinergi.events.models import Event, EventDay, LetterNumbering
from sinergi.events.services.plan import DayInput, Delegate
from sinergi.registry.forms import QuickSelect, date_field, region_choices
from sinergi.registry.models import Organisation, OrganisationKind
from sinergi.territory.models import Region, code_q

TIME = {"type": "time"}


def time_field(label: Any, *, initial: datetime.time | None = None) -> forms.TimeField:
    return forms.TimeField(label=label, initial=initial, widget=forms.TimeInput(attrs=TIME, format="%H:%M"))


def write_codes(user: User) -> list[str] | None:
    """The territories where ``user`` writes (None: everywhere)."""
    if user.is_superuser:
        return None
    return sorted({r.unit.region.code for r in user.active_roles() if r.kind in Role.WRITE_KINDS and r.unit})


def writable_units(user: User) -> Any:
    if user.is_superuser:
        return Unit.objects.filter(is_active=True).select_related("region")
    ids = [r.unit_id for r in user.active_roles() if r.kind in Role.WRITE_KINDS and r.unit_id]
    return Unit.objects.filter(pk__in=ids, is_active=True).select_related("region")


def writable_regions(user: User) -> Any:
    codes = write_codes(user)
    regions = (
        Region.objects.exclude(level=Region.Level.VILLAGE) if codes is None else Region.objects.filter(code_q(codes))
    )
    return regions


class EventForm(forms.Form):
    """The event's details; on creation also its unit, territory and days."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Event.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    theme = forms.CharField(label=_("Theme"), max_length=300, required=False)
    basis = forms.CharField(
        label=_("Basis"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The programme, regulation or letter it rests on."),
    )
    purpose = forms.CharField(label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    venue = forms.CharField(label=_("Venue"), max_length=200)
    venue_address = forms.CharField(label=_("Venue address"), max_length=255, required=False)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, required=False, help_text=_("Empty: no limit."))
    delegates_per_organisation = forms.IntegerField(
        label=_("Delegates per organisation"), min_value=1, max_value=50, initial=2
    )
    open_registration = forms.BooleanField(label=_("Open registration by link"), required=False)
    budget_line = forms.CharField(label=_("Budget line"), max_length=200, required=False)
    letter_number = forms.CharField(
        label=_("Letter number"),
        max_length=120,
        required=False,
        help_text=_("Empty: the unit's next number is given when the event is published."),
    )
    letter_date = date_field(_("Letter date"), required=False)
    signatory_name = forms.CharField(label=_("Signatory's name"), max_length=150, required=False)
    signatory_position = forms.CharField(label=_("Signatory's position"), max_length=150, required=False)
    signatory_nip = forms.CharField(label=_("Signatory's NIP"), max_length=21, required=False)

    def __init__(self, *args: Any, user: User, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.creating = creating
        if creating:
            units = writable_units(user)
            self.fields["unit"] = forms.ModelChoiceField(label=_("Organising unit"), queryset=units, empty_label=None)
            self.fields["region"] = forms.ChoiceField(
                label=_("Territory"),
                choices=region_choices(writable_regions(user)),
                widget=QuickSelect,
                help_text=_("The territory the event is for; it decides who sees it."),
            )
            self.fields["first_date"] = date_field(_("First day"))
            self.fields["day_count"] = forms.IntegerField(
                label=_("Number of days"), min_value=1, max_value=14, initial=1
            )
            self.fields["starts_at"] = time_field(_("Starts at"), initial=datetime.time(9, 0))
            self.fields["ends_at"] = time_field(_("Ends at"), initial=datetime.time(15, 0))
            order = ["kind", "unit", "region", "title", "theme", "first_date", "day_count", "starts_at", "ends_at"]
            self.order_fields(order)

    def clean_region(self) -> Region:
        code = self.cleaned_data["region"]
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(_("Choose a territory."))
        return region

    def days(self) -> list[DayInput]:
        data = self.cleaned_data
        return [
            DayInput(data["first_date"] + datetime.timedelta(days=i), data["starts_at"], data["ends_at"])
            for i in range(data["day_count"])
        ]

    def event_fields(self) -> dict[str, Any]:
        skip = {"unit", "region", "kind", "title", "venue", "first_date", "day_count", "starts_at", "ends_at"}
        return {k: v for k, v in self.cleaned_data.items() if k not in skip}


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=255)


class DayForm(forms.Form):
    date = date_field(_("Date"))
    starts_at = time_field(_("Starts at"), initial=datetime.time(9, 0))
    ends_at = time_field(_("Ends at"), initial=datetime.time(15, 0))


class SessionForm(forms.Form):
    day = forms.ModelChoiceField(label=_("Day"), queryset=EventDay.objects.none(), empty_label=None)
    starts_at = time_field(_("Starts at"))
    ends_at = time_field(_("Ends at"))
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        day_field = self.fields["day"]
        assert isinstance(day_field, forms.ModelChoiceField)
        day_field.queryset = event.days.all()


class SpeakerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    position = forms.CharField(label=_("Position"), max_length=150, required=False)
    institution = forms.CharField(
        label=_("Institution"), max_length=150, required=False, help_text=_("E.g. KPUD, Bawaslu, BPS.")
    )


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"), help_text=_("PDF, Word document or picture."))


class MultiQuickSelect(QuickSelect):
    allow_multiple_selected = True

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        getter = getattr(data, "getlist", None)
        return getter(name) if getter else data.get(name)


class AudienceForm(forms.Form):
    """By rule (kinds of organisation in areas) and/or by hand (named organisations)."""

    kinds = forms.MultipleChoiceField(
        label=_("Kinds of organisation"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    region_codes = forms.MultipleChoiceField(
        label=_("In these areas"),
        required=False,
        widget=MultiQuickSelect(attrs={"multiple": True, "size": 8}),
        help_text=_("Empty: everywhere in your territory."),
    )
    organisation_ids = forms.MultipleChoiceField(
        label=_("Named organisations"),
        required=False,
        widget=MultiQuickSelect(attrs={"multiple": True, "size": 8}),
        help_text=_("Ormas and kelurahan-level organisations, by name."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = list(OrganisationKind.objects.values_list("code", "name"))  # type: ignore[attr-defined]
        self.fields["region_codes"].choices = region_choices(Region.objects.visible_to(user))  # type: ignore[attr-defined]
        named = (
            Organisation.objects.visible_to(user)
            .filter(status=Organisation.Status.ACTIVE, rt__isnull=True, rw__isnull=True)
            .select_related("kind")
            .order_by("kind__sort_order", "name")[:2000]
        )
        self.fields["organisation_ids"].choices = [(str(o.pk), f"{o.name} ({o.kind.name})") for o in named]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("kinds") or data.get("region_codes") or data.get("organisation_ids")):
            raise forms.ValidationError(_("Choose kinds of organisation and areas, or name organisations."))
        return data


class IndividualForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    position = forms.CharField(label=_("Position"), max_length=150, required=False)
    addressee = forms.CharField(
        label=_("Addressee on the letter"), max_length=255, required=False, help_text=_("Empty: name and position.")
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(
        label=_("Phone"), max_length=30, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )


class AnswerForm(forms.Form):
    """The representative's answer, made for a phone: attending or not, and the delegates."""

    attending = forms.TypedChoiceField(
        label=_("Will your organisation attend?"),
        choices=[("yes", _("Yes, we attend")), ("no", _("No, we cannot attend"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    reason = forms.CharField(label=_("Reason (if not attending)"), max_length=255, required=False)

    def __init__(self, *args: Any, slots: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.slots = slots
        for i in range(1, slots + 1):
            self.fields[f"name_{i}"] = forms.CharField(label=_("Full name"), max_length=150, required=False)
            self.fields[f"position_{i}"] = forms.CharField(label=_("Position"), max_length=150, required=False)
            self.fields[f"phone_{i}"] = forms.CharField(
                label=_("Phone"),
                max_length=30,
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            )
            self.fields[f"substitute_for_{i}"] = forms.CharField(
                label=_("Stands in for (if a substitute)"), max_length=150, required=False
            )

    def delegate_rows(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"name_{i}"], self[f"position_{i}"], self[f"phone_{i}"], self[f"substitute_for_{i}"]]
            for i in range(1, self.slots + 1)
        ]

    def delegates(self) -> list[Delegate]:
        data = self.cleaned_data
        return [
            Delegate(
                full_name=data[f"name_{i}"].strip(),
                position=data[f"position_{i}"].strip(),
                phone=data[f"phone_{i}"].strip(),
                substitute_for=data[f"substitute_for_{i}"].strip(),
            )
            for i in range(1, self.slots + 1)
            if data.get(f"name_{i}", "").strip()
        ]


class ParticipantForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    position = forms.CharField(label=_("Position or organisation"), max_length=150, required=False)
    phone = forms.CharField(
        label=_("Phone"), max_length=30, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    substitute_for = forms.CharField(label=_("Stands in for"), max_length=150, required=False)


class OpenRegistrationForm(ParticipantForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["substitute_for"]


class NumberingForm(forms.ModelForm[LetterNumbering]):
    class Meta:
        model = LetterNumbering
        fields = ["pattern", "unit_code", "classification"]


def unit_filter(user: User) -> Q:
    """Units whose letter numbering ``user`` administers: those in an administrator's territory."""
    if user.is_superuser:
        return Q()
    codes = sorted({r.unit.region.code for r in user.active_roles() if r.kind == Role.Kind.ADMIN and r.unit})
    return code_q(codes, "region__code") if codes else Q(pk__in=[])
