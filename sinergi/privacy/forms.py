from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Unit
from sinergi.privacy.models import Breach, DataSubjectRequest

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class BreachForm(forms.ModelForm):
    class Meta:
        model = Breach
        fields = [
            "unit",
            "title",
            "discovered_at",
            "description",
            "data_affected",
            "persons_affected",
            "measures",
            "notified_at",
            "notified_to",
        ]
        widgets = {
            "discovered_at": DATETIME,
            "notified_at": DATETIME,
            "description": forms.Textarea(attrs={"rows": 4}),
            "data_affected": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 3}),
            "notified_to": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class DataSubjectRequestForm(forms.Form):
    nik = forms.CharField(
        label=_("NIK of the requester"),
        max_length=16,
        min_length=16,
        help_text=_("As on the KTP you checked: the request is recorded for the person with exactly this NIK."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(label=_("The person asks for"), choices=DataSubjectRequest.Kind.choices)
    received_at = forms.DateTimeField(label=_("Received at"), widget=DATETIME)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How the identity was checked, what exactly was asked for."),
    )


class CorrectionForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    nik = forms.CharField(
        label=_("Corrected NIK"), max_length=16, required=False, help_text=_("Leave empty to keep the NIK.")
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)

    def changes(self) -> dict[str, str]:
        """The fields to pass to the register's ``person_update``; an empty NIK keeps the old one."""
        data = dict(self.cleaned_data)
        if not data.get("nik"):
            data.pop("nik", None)
        return data
