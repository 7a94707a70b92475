"""Forms of early warning: the phone report, filters, verification, follow-up, settings."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.earlywarning.models import EscalationRule, Report, Severity, Topic
from sinergi.registry.models import Organisation
from sinergi.territory.models import Region, code_q


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class NihilForm(forms.Form):
    client_uuid = forms.UUIDField(widget=forms.HiddenInput)
    for_date = forms.DateField(required=False, widget=forms.HiddenInput)


class ReportForm(forms.Form):
    """A report on a phone: the big choices first, the place and the story after."""

    client_uuid = forms.UUIDField(widget=forms.HiddenInput)
    for_date = forms.DateField(required=False, widget=forms.HiddenInput)
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("FKDM"), required=False)
    severity = forms.TypedChoiceField(
        label=_("Severity"), choices=Severity.choices, coerce=int, widget=forms.RadioSelect
    )
    athg = forms.ChoiceField(label=_("Type (ATHG)"), choices=Report.Athg.choices)
    domain = forms.ChoiceField(label=_("Domain"), choices=Report.Domain.choices)
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"), queryset=Topic.objects.filter(is_active=True), widget=forms.CheckboxSelectMultiple
    )
    kelurahan = forms.ModelChoiceField(queryset=Region.objects.none(), label=_("Kelurahan"))
    rw = forms.IntegerField(label=_("RW"), required=False, min_value=1, max_value=999)
    rt = forms.IntegerField(label=_("RT"), required=False, min_value=1, max_value=999)
    occurred_at = forms.DateTimeField(
        label=_("When did it happen?"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    description = forms.CharField(label=_("What happened?"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    source = forms.ChoiceField(label=_("How do you know?"), choices=Report.Source.choices)
    source_link = forms.URLField(label=_("Link (social media)"), required=False, max_length=500, assume_scheme="https")
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    attachments = MultipleFileField(label=_("Photos or documents"), required=False)

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])  # type: ignore[attr-defined]
        if organisations:
            self.fields["organisation"].initial = organisations[0].pk
        areas = [o.region.code for o in organisations]
        kelurahan = Region.objects.filter(code_q(areas), level=Region.Level.VILLAGE).order_by("code")
        self.fields["kelurahan"].queryset = kelurahan if areas else Region.objects.none()  # type: ignore[attr-defined]
        villages = [o.region for o in organisations if o.region.level == Region.Level.VILLAGE]
        if villages:
            self.fields["kelurahan"].initial = villages[0].pk
        if not self.is_bound:
            self.fields["occurred_at"].initial = timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)


class FilterForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domain"), choices=[("", _("All")), *Report.Domain.choices], required=False)
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.all(), required=False, empty_label=_("All"))
    severity = forms.TypedChoiceField(
        label=_("Severity at least"), choices=[("", _("All")), *Severity.choices], coerce=int, required=False
    )
    status = forms.ChoiceField(
        label=_("Verification"), choices=[("", _("All")), *Report.Status.choices], required=False
    )
    area = forms.ChoiceField(label=_("Area"), choices=[], required=False)
    days = forms.TypedChoiceField(
        label=_("Window"),
        choices=[
            ("", _("All time")),
            (1, _("Last 24 hours")),
            (7, _("Last 7 days")),
            (30, _("Last 30 days")),
            (90, _("Last 90 days")),
        ],
        coerce=int,
        required=False,
    )

    def __init__(self, *args: Any, areas: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("All"))] + [(r.code, r.display_name) for r in areas]  # type: ignore[attr-defined]


class VerifyForm(forms.Form):
    status = forms.ChoiceField(label=_("Verification"), choices=Report.Status.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class FollowUpForm(forms.Form):
    action = forms.CharField(label=_("Action"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    owner = forms.CharField(label=_("Carried out by"), max_length=150)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class LinkForm(forms.Form):
    link_kind = forms.ChoiceField(label=_("Linked to"), choices=Report.LinkKind.choices, required=False)
    reference = forms.CharField(label=_("Tracking or event number"), required=False, max_length=60)


class TopicForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["code", "name", "sort_order", "is_active"]


class RuleForm(forms.ModelForm):
    class Meta:
        model = EscalationRule
        fields = ["name", "kind", "min_severity", "count", "hours", "topic", "percent", "is_active"]
        help_texts = {
            "count": _("Cluster: reports needed in the window. Trend: reports needed this week."),
            "hours": _("Cluster only."),
            "topic": _("Trend only; empty: all topics."),
            "percent": _("Trend only."),
        }


class MemberGrantForm(forms.Form):
    username = forms.CharField(label=_("Username of the member's account"), max_length=150)


class SituationForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"), choices=[])
    days = forms.TypedChoiceField(
        label=_("Window"),
        choices=[(7, _("Last 7 days")), (30, _("Last 30 days")), (90, _("Last 90 days"))],
        coerce=int,
        initial=30,
    )
    domain = forms.ChoiceField(label=_("Domain"), choices=[("", _("All")), *Report.Domain.choices], required=False)
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.all(), required=False, empty_label=_("All"))

    def __init__(self, *args: Any, areas: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(r.code, r.display_name) for r in areas]  # type: ignore[attr-defined]
        if areas:
            self.fields["area"].initial = areas[0].code


class WeeklyForm(forms.Form):
    area = forms.ChoiceField(label=_("City or kecamatan"), choices=[])
    week_start = forms.DateField(label=_("Week starting"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, areas: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(r.code, r.display_name) for r in areas if r.level != Region.Level.VILLAGE]  # type: ignore[attr-defined]
        today = timezone.localdate()
        self.fields["week_start"].initial = today - datetime.timedelta(days=today.weekday() + 7)


class ComplianceForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"), choices=[], required=False)
    days = forms.TypedChoiceField(
        label=_("Window"),
        choices=[(7, _("Last 7 days")), (30, _("Last 30 days")), (90, _("Last 90 days"))],
        coerce=int,
        initial=30,
        required=False,
    )

    def __init__(self, *args: Any, areas: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("All"))] + [(r.code, r.display_name) for r in areas]  # type: ignore[attr-defined]
