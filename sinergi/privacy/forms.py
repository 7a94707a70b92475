from typing import Any

from django import forms
from django.db.models import QuerySet

from sinergi.accounts.models import Unit
from sinergi.privacy.models import Breach

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
