"""Forms of the announcements pages: writing and targeting an announcement (staff), and the
organisation's relay report, question and the unit's answer (representatives and staff)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Unit, User
from sinergi.announcements.models import Announcement, RelayReport
from sinergi.registry import targeting
from sinergi.registry.forms import MultipleFileField, MultipleFileInput, date_input
from sinergi.registry.models import OrganisationKind
from sinergi.territory.models import Region

DATETIME = {"type": "datetime-local"}


class AudienceForm(forms.Form):
    """Who receives it: kinds of organisation in areas, and/or organisations named by number."""

    kinds = forms.MultipleChoiceField(
        label=_("Kinds of organisation"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every kind in the chosen areas."),
    )
    region_codes = forms.MultipleChoiceField(
        label=_("Areas"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("A kota, kecamatan or kelurahan; hold Ctrl to choose several. None: your whole territory."),
    )
    organisation_ids = forms.CharField(
        label=_("Named organisations"),
        required=False,
        help_text=_("Register numbers of organisations, separated by commas."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        kinds = self.fields["kinds"]
        assert isinstance(kinds, forms.MultipleChoiceField)
        kinds.choices = list(OrganisationKind.objects.values_list("code", "name"))
        regions = (
            Region.objects.visible_to(user)
            .exclude(level=Region.Level.PROVINCE)
            .only("code", "name", "level")
            .order_by("code")
        )
        areas = self.fields["region_codes"]
        assert isinstance(areas, forms.MultipleChoiceField)
        areas.choices = [(r.code, f"{r.code} {r.display_name}") for r in regions]

    def clean_organisation_ids(self) -> list[int]:
        raw = self.cleaned_data.get("organisation_ids") or ""
        ids = []
        for part in raw.replace(";", ",").replace(" ", ",").split(","):
            if part.strip():
                if not part.strip().isdigit():
                    raise forms.ValidationError(_("Give organisation numbers only, separated by commas."))
                ids.append(int(part))
        return ids

    def audience(self) -> targeting.Audience:
        return targeting.Audience(
            kinds=tuple(self.cleaned_data.get("kinds") or ()),
            region_codes=tuple(self.cleaned_data.get("region_codes") or ()),
            organisation_ids=tuple(self.cleaned_data.get("organisation_ids") or ()),
        )


class AnnouncementForm(AudienceForm):
    unit = forms.ModelChoiceField(label=_("Sent by"), queryset=Unit.objects.none(), empty_label=None)
    source_name = forms.CharField(
        label=_("On behalf of"),
        required=False,
        max_length=200,
        help_text=_("The agency the message comes from, when it is not the sending unit (e.g. BPS)."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=Announcement.Category.choices)
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text, or simple formatting (paragraphs, bold, lists, links)."),
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png,.docx"}),
        help_text=_("PDF, JPG, PNG or DOCX; at most 5."),
    )
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        widget=forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M"),
        help_text=_("Empty: as soon as it is sent."),
    )
    expires_at = forms.DateTimeField(
        label=_("Valid until"), required=False, widget=forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M")
    )
    ack_required = forms.BooleanField(label=_("Organisations must acknowledge it"), required=False, initial=True)
    relay_required = forms.BooleanField(label=_("Organisations must report how they passed it on"), required=False)
    relay_due = forms.DateField(label=_("Relay report due"), required=False, widget=date_input())
    send_gateway = forms.BooleanField(
        label=_("Also by WhatsApp"),
        required=False,
        help_text=_("A short WhatsApp message to each organisation's phone, through the message gateway."),
    )

    field_order = [
        "unit", "source_name", "title", "category", "body", "attachments", "kinds", "region_codes", "organisation_ids",
        "publish_at", "expires_at", "ack_required", "relay_required", "relay_due", "send_gateway",
    ]  # fmt: skip

    def __init__(self, *args: Any, user: User, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = Unit.objects.filter(pk__in=[u.pk for u in units])

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "body": data["body"],
            "category": data["category"],
            "source_name": data["source_name"],
            "publish_at": data["publish_at"],
            "expires_at": data["expires_at"],
            "ack_required": data["ack_required"],
            "relay_required": data["relay_required"],
            "relay_due": data["relay_due"],
            "send_gateway": data["send_gateway"],
        }

    @classmethod
    def initial_of(cls, announcement: Announcement) -> dict[str, Any]:
        audience = targeting.Audience.from_json(announcement.audience)
        tz = timezone.get_current_timezone()
        return {
            "unit": announcement.unit_id,
            "source_name": announcement.source_name,
            "title": announcement.title,
            "category": announcement.category,
            "body": announcement.body,
            "publish_at": announcement.publish_at.astimezone(tz) if announcement.publish_at else None,
            "expires_at": announcement.expires_at.astimezone(tz) if announcement.expires_at else None,
            "ack_required": announcement.ack_required,
            "relay_required": announcement.relay_required,
            "relay_due": announcement.relay_due,
            "send_gateway": announcement.send_gateway,
            "kinds": list(audience.kinds),
            "region_codes": list(audience.region_codes),
            "organisation_ids": ", ".join(map(str, audience.organisation_ids)),
        }


class RelayReportForm(forms.Form):
    method = forms.ChoiceField(label=_("How did you pass it on?"), choices=RelayReport.Method.choices)
    held_on = forms.DateField(label=_("When"), widget=date_input(), initial=timezone.localdate)
    residents_reached = forms.IntegerField(
        label=_("Residents reached (about)"),
        min_value=0,
        max_value=1_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    photos = MultipleFileField(label=_("Photos"), required=False, help_text=_("JPG or PNG; several at once."))


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Your question"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
