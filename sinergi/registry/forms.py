"""Forms of the register's pages. They parse and check input; the services apply the rules and write."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from sinergi.registry import services
from sinergi.registry.models import (
    ActivityReport,
    CoachingNote,
    Document,
    Officer,
    Organisation,
    OrganisationKind,
    OrmasProfile,
    Sanction,
)
from sinergi.registry.nik import validate_nik
from sinergi.registry.selectors import MISSING_CHOICES
from sinergi.registry.services import CONTACT_FIELDS
from sinergi.territory.models import RT, RW, Region

DATE = {"type": "date"}
# Phones first: the numeric keypad for numbers, the e-mail keyboard for addresses.
NUMERIC = {"inputmode": "numeric", "autocomplete": "off"}


def date_input() -> forms.DateInput:
    """The browser's date picker; its value is always ISO, whatever the page's language."""
    return forms.DateInput(attrs=DATE, format="%Y-%m-%d")


def date_field(label: Any, *, required: bool = True, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=date_input(), **kwargs)


def region_choices(regions: QuerySet[Region]) -> list[tuple[str, str]]:
    """Regions as select options indented by level, so a kota's kecamatan and kelurahan read under it."""
    indent: dict[str, str] = {
        Region.Level.DISTRICT: "\u00a0\u00a0",
        Region.Level.VILLAGE: "\u00a0\u00a0\u00a0\u00a0",
    }
    return [
        (code, f"{indent.get(level, '')}{Region.display_name_of(code, name, level)}")
        for code, name, level in regions.order_by("code").values_list("code", "name", "level")
    ]


class QuickSelect(forms.Select):
    """A ``<select>`` whose options are written in Python rather than through Django's template per
    option: the area filter's ~317 regions took about 20 ms a page that way, this under 1 ms. Options
    are escaped and the current value selected as ``forms.Select`` does (no option groups)."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        chosen = set(self.format_value(value))
        rows = []
        for option_value, label in self.choices:
            key = "" if option_value is None else str(option_value)
            selected = key in chosen
            if selected and not self.allow_multiple_selected:
                chosen = set()  # like forms.Select: only the first matching option is selected
            rows.append((key, mark_safe(" selected") if selected else "", label))
        options = format_html_join("\n  ", '<option value="{}"{}>{}</option>', ((k, s, lab) for k, s, lab in rows))
        return format_html("<select{}>\n  {}\n</select>", flatatt(final_attrs), options)


# --- the list ---------------------------------------------------------------------------------------


class OrganisationFilter(forms.Form):
    """Search and filters of the organisation list. Every field is optional; bad values are dropped."""

    EXPIRING = [("30", _("within 30 days")), ("60", _("within 60 days")), ("90", _("within 90 days"))]

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "placeholder": _("Name, number, officer or full NIK")}
        ),
    )
    kind = forms.ModelChoiceField(
        label=_("Kind"), queryset=OrganisationKind.objects.all(), required=False, to_field_name="code"
    )
    area = forms.ChoiceField(label=_("Area"), required=False, widget=QuickSelect)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Organisation.Status.choices]
    )
    expiring = forms.TypedChoiceField(
        label=_("Expiring"), required=False, coerce=int, empty_value=None, choices=[("", "—"), *EXPIRING]
    )
    missing = forms.ChoiceField(label=_("Missing data"), required=False, choices=[("", "—"), *MISSING_CHOICES])

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].empty_label = _("Every kind")  # type: ignore[attr-defined]
        self.fields["area"].choices = [("", _("Whole territory")), *region_choices(regions)]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for ``selectors.organisation_list``. Call after ``is_valid()``: a field
        with a bad value is left out (and shown with its error), the others still filter."""
        data = getattr(self, "cleaned_data", {})
        return {
            "q": (data.get("q") or "").strip(),
            "kind": data.get("kind"),
            "region_code": data.get("area") or None,
            "status": data.get("status") or None,
            "expiring_days": data.get("expiring"),
            "missing": data.get("missing") or None,
        }


class ExpiringFilter(forms.Form):
    days = forms.TypedChoiceField(
        label=_("Expires within"), coerce=int, choices=OrganisationFilter.EXPIRING, initial=30, required=False
    )


class NotReportedFilter(forms.Form):
    since = date_field(_("No activity report since"), required=False)


# --- organisations ----------------------------------------------------------------------------------


class PlacementMixin(forms.Form):
    """Where an organisation sits: a region in scope, and for RT and RW units their numbers in the kelurahan.

    Numbers rather than a list of units: a city has tens of thousands of RT, and on a phone typing
    "RW 3, RT 7" is quicker than scrolling.
    """

    region = forms.ChoiceField(
        label=_("Territory"), help_text=_("The kelurahan of an RT or RW; otherwise where the organisation sits.")
    )
    rw_number = forms.IntegerField(
        label=_("RW number"), min_value=1, max_value=999, required=False, widget=forms.NumberInput(attrs=NUMERIC)
    )
    rt_number = forms.IntegerField(
        label=_("RT number"), min_value=1, max_value=999, required=False, widget=forms.NumberInput(attrs=NUMERIC)
    )

    def set_regions(self, regions: QuerySet[Region]) -> None:
        self._regions = regions
        self.fields["region"].choices = [("", "—"), *region_choices(regions)]  # type: ignore[attr-defined]

    def clean_placement(self, data: dict[str, Any]) -> None:
        """Turn the region code and numbers into ``region``, ``rw`` and ``rt``."""
        code = data.pop("region", None)
        rw_number, rt_number = data.pop("rw_number", None), data.pop("rt_number", None)
        if not code:
            return
        try:
            data["region"], data["rw"], data["rt"] = resolve_place(self._regions, code, rw_number, rt_number)
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                self.add_error(field, errors)


def resolve_place(
    regions: QuerySet[Region], code: str, rw_number: int | None, rt_number: int | None
) -> tuple[Region, RW | None, RT | None]:
    """A region among ``regions`` by its code, and an RW and RT in it by their numbers; shared by the
    pages and the API. Raises ``ValidationError`` keyed ``region``, ``rw_number`` or ``rt_number``."""
    region = regions.filter(code=code).first()
    if region is None:
        raise ValidationError({"region": _("Choose a territory you work in.")})
    if rt_number and not rw_number:
        raise ValidationError({"rw_number": _("An RT lies in an RW: give the RW number too.")})
    if not rw_number:
        return region, None, None
    rw = RW.objects.filter(kelurahan=region, number=rw_number).first()
    if rw is None:
        raise ValidationError(
            {"rw_number": _("%(region)s has no RW %(number)d.") % {"region": region, "number": rw_number}}
        )
    if not rt_number:
        return region, rw, None
    rt = RT.objects.filter(rw=rw, number=rt_number).select_related("rw__kelurahan").first()
    if rt is None:
        raise ValidationError({"rt_number": _("%(rw)s has no RT %(number)d.") % {"rw": rw, "number": rt_number}})
    return region, rw, rt


DETAIL_FIELDS = ["name", "abbreviation", "founded_on", "member_count", "field_of_activity"]


class OrganisationFieldsForm(forms.ModelForm):
    """The organisation's own fields, shared by the create and edit pages."""

    class Meta:
        model = Organisation
        fields = [*DETAIL_FIELDS, "parent", *CONTACT_FIELDS]
        widgets = {
            "founded_on": date_input(),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "member_count": forms.NumberInput(attrs=NUMERIC),
            "latitude": forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            "longitude": forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        }
        help_texts = {"latitude": _("Optional: the secretariat's map point, e.g. -6.1764.")}

    def __init__(self, *args: Any, parents: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        self.fields["parent"].help_text = _("For an Ormas branch: its central or regional board.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))
        return data

    def _post_clean(self) -> None:
        # The services check and save; the model form only parses.
        pass

    def changed(self) -> dict[str, Any]:
        """The fields the user changed, for ``organisation_update``."""
        return {name: self.cleaned_data[name] for name in self.changed_data if name in self.cleaned_data}


class OrganisationCreateForm(PlacementMixin, OrganisationFieldsForm):
    kind = forms.ModelChoiceField(label=_("Kind"), queryset=OrganisationKind.objects.all())

    field_order = ["kind", "name", "abbreviation", "region", "rw_number", "rt_number", "parent"]

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_regions(regions)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.clean_placement(data)
        return data

    def service_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of ``organisation_create``: what the user filled in."""
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class ContactForm(OrganisationFieldsForm):
    """What a representative keeps up to date themselves: how to reach the organisation."""

    class Meta(OrganisationFieldsForm.Meta):
        fields = CONTACT_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        forms.ModelForm.__init__(self, *args, **kwargs)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Organisation.Status.choices)
    on = date_field(_("Since"), initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason"), max_length=255, widget=forms.Textarea(attrs={"rows": 2}))


class OrmasProfileForm(forms.ModelForm):
    class Meta:
        model = OrmasProfile
        fields = services.ORMAS_FIELDS
        widgets = {
            "registration_issued_on": date_input(),
            "registration_expires_on": date_input(),
            "local_receipt_date": date_input(),
            "npwp": forms.TextInput(attrs=NUMERIC),
        }

    def _post_clean(self) -> None:
        pass


# --- documents, coaching, sanctions, activities ----------------------------------------------------


class DocumentForm(forms.Form):
    type = forms.ChoiceField(label=_("Type"), choices=Document.Type.choices)
    number = forms.CharField(label=_("Number"), max_length=100, required=False)
    issued_on = date_field(_("Issued on"), required=False)
    valid_until = date_field(_("Valid until"), required=False, help_text=_("Leave empty if it does not expire."))
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPG, PNG or DOCX."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("issued_on") and data.get("valid_until") and data["valid_until"] < data["issued_on"]:
            self.add_error("valid_until", _("A document cannot expire before it was issued."))
        return data


class CoachingNoteForm(forms.ModelForm):
    class Meta:
        model = CoachingNote
        fields = ["held_on", "subject", "note", "attachment"]
        widgets = {"held_on": date_input(), "note": forms.Textarea(attrs={"rows": 4})}

    def _post_clean(self) -> None:
        pass


class SanctionForm(forms.Form):
    """The next step of the sanction path; the page decides which step, the user does not choose."""

    issued_on = date_field(_("Date of the letter"), initial=timezone.localdate)
    letter_number = forms.CharField(label=_("Letter number"), max_length=100)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    letter = forms.FileField(label=_("Letter"), help_text=_("PDF, JPG, PNG or DOCX."))
    evidence = forms.FileField(label=_("Evidence"), required=False)


class SanctionResolveForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(Sanction.Outcome.COMPLIED.value, Sanction.Outcome.COMPLIED.label)],
        widget=forms.HiddenInput,
        initial=Sanction.Outcome.COMPLIED,
    )
    on = date_field(_("Complied on"), initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input: activity photos taken on a phone."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ActivityReportForm(forms.ModelForm):
    photos = MultipleFileField(label=_("Photos"), required=False, help_text=_("JPG or PNG; several at once."))

    class Meta:
        model = ActivityReport
        fields = ["held_on", "kind", "title", "place", "participants", "description"]
        widgets = {
            "held_on": date_input(),
            "participants": forms.NumberInput(attrs=NUMERIC),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def _post_clean(self) -> None:
        pass

    def clean_held_on(self) -> datetime.date:
        held_on: datetime.date = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise ValidationError(_("Report activities that have taken place."))
        return held_on


# --- persons and officers ---------------------------------------------------------------------------


class NikField(forms.CharField):
    """A NIK as typed (spaces and dots dropped), checked by ``validate_nik``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 24)
        kwargs.setdefault("widget", forms.TextInput(attrs={**NUMERIC, "pattern": r"[0-9 .]*"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return "".join(ch for ch in super().to_python(value) or "" if ch not in " .-")

    def validate(self, value: str) -> None:
        super().validate(value)
        if value:
            validate_nik(value)


class OfficerForm(forms.Form):
    """Appoint an officer: an existing person found by exact NIK, or a new person entered inline."""

    nik = NikField(label=_("NIK"), help_text=_("16 digits from the KTP. A registered person is found by it."))
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, required=False, help_text=_("Only for a person not registered yet.")
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=30, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    position = forms.ChoiceField(label=_("Position"), choices=Officer.Position.choices)
    position_title = forms.CharField(label=_("Title"), max_length=100, required=False)
    term_start = date_field(_("Term start"))
    term_end = date_field(_("Term end"), required=False, help_text=_("Empty: a full term of this kind."))
    sk_number = forms.CharField(label=_("SK number"), max_length=100, required=False)
    sk_date = date_field(_("SK date"), required=False)
    sk_issuer = forms.CharField(label=_("SK issued by"), max_length=150, required=False)
    is_acting = forms.BooleanField(label=_("Acting (Plt.)"), required=False)
    no_party_statement = forms.BooleanField(label=_("Signed the no-party-membership statement"), required=False)

    PERSON_FIELDS = ("nik", "full_name", "phone", "email")

    def appointment(self) -> dict[str, Any]:
        """The keyword arguments of ``officer_appoint`` other than organisation and person."""
        return {k: v for k, v in self.cleaned_data.items() if k not in self.PERSON_FIELDS and k != "attachment"}

    def new_person(self) -> dict[str, Any]:
        """The keyword arguments of ``person_create`` for a person not registered yet."""
        data = self.cleaned_data
        return {
            "nik": data["nik"],
            "full_name": data["full_name"].strip(),
            "phone": data["phone"],
            "email": data["email"],
        }


class OfficerProposalForm(OfficerForm):
    """A representative proposes a new officer; the SK is the evidence staff decide on."""

    attachment = forms.FileField(label=_("SK (decree)"), help_text=_("A photo or scan of the SK: PDF, JPG or PNG."))


class OfficerEndForm(forms.Form):
    ended_on = date_field(_("Left on"), initial=timezone.localdate)
    reason = forms.ChoiceField(label=_("Reason"), choices=Officer.EndReason.choices)


class OfficerEndProposalForm(OfficerEndForm):
    attachment = forms.FileField(label=_("Evidence"), required=False, help_text=_("E.g. the resignation letter."))


# --- self-service and decisions ---------------------------------------------------------------------


def _is_yes(value: str) -> bool:
    return value == "1"


class DecisionForm(forms.Form):
    """Approve or reject: the two submit buttons carry ``approve`` 1 or 0."""

    approve = forms.TypedChoiceField(coerce=_is_yes, choices=[("1", _("Approve")), ("0", _("Reject"))])
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when rejecting: the representative reads it."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("approve") is False and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the request is rejected."))
        return data


class RepresentativeForm(forms.Form):
    """Give a user access to the organisation: an existing account, or a new one made here."""

    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Use letters, digits and @ . + - _ only.")},
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "off"}),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Only for a new account. Hand it over in person; the user changes it after signing in."),
    )
