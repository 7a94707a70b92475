from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.evaluation import indicators
from sinergi.evaluation.models import Round
from sinergi.evaluation.services import ManualIndicator
from sinergi.registry.models import OrganisationKind
from sinergi.territory.models import Region

DEFAULT_WEIGHTS = {
    "event_attendance": 25,
    "officers_present": 15,
    "terms_current": 15,
    "documents_valid": 10,
    "activity_reports": 15,
}


class DateInput(forms.DateInput):
    input_type = "date"


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    region = forms.ModelChoiceField(
        label=_("Territory"), queryset=Region.objects.none(), to_field_name="code", empty_label=None
    )
    subject_kind = forms.ChoiceField(label=_("Evaluate"), choices=Round.SubjectKind.choices)
    organisation_kind = forms.ModelChoiceField(
        label=_("Kind of organisation"),
        queryset=OrganisationKind.objects.all(),
        required=False,
        help_text=_("Only when organisations are evaluated."),
    )
    period_start = forms.DateField(label=_("Period from"), widget=DateInput)
    period_end = forms.DateField(label=_("Period to"), widget=DateInput)
    manual = forms.CharField(
        label=_("Indicators scored by an evaluator"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line: name; weight. E.g. “Cleanliness of the kelurahan office; 10”."),
    )

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ModelChoiceField)
        region_field.queryset = regions
        for code, indicator in indicators.REGISTRY.items():
            self.fields[f"weight_{code}"] = forms.DecimalField(
                label=str(indicator.name),
                help_text=str(indicator.definition),
                required=False,
                min_value=Decimal(0),
                max_value=Decimal(1000),
                decimal_places=2,
                initial=DEFAULT_WEIGHTS.get(code, 10),
            )

    def weight_fields(self) -> list[forms.BoundField]:
        return [self[f"weight_{code}"] for code in indicators.REGISTRY]

    def main_fields(self) -> list[forms.BoundField]:
        return [
            self[name]
            for name in ("title", "region", "subject_kind", "organisation_kind", "period_start", "period_end")
        ]

    def computed(self) -> dict[str, Decimal]:
        """Indicator code -> weight for the indicators given a weight above zero."""
        return {
            code: weight
            for code in indicators.REGISTRY
            if (weight := self.cleaned_data.get(f"weight_{code}")) is not None and weight > 0
        }

    def clean_manual(self) -> list[ManualIndicator]:
        out = []
        for number, line in enumerate(self.cleaned_data["manual"].splitlines(), start=1):
            if not line.strip():
                continue
            name, _sep, weight = line.rpartition(";")
            try:
                value = Decimal(weight.strip())
            except InvalidOperation:
                value = Decimal(0)
            if not name.strip() or value <= 0:
                raise forms.ValidationError(
                    _("Line %(number)s: write a name, a semicolon and a weight above zero."), params={"number": number}
                )
            out.append(ManualIndicator(name.strip()[:200], value))
        return out


class ScoreForm(forms.Form):
    value = forms.DecimalField(label=_("Score (0-100)"), min_value=0, max_value=100, decimal_places=2)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(
        label=_("Evidence"), required=False, help_text=_("PDF, image, Word or Excel, at most 10 MB.")
    )


class RecommendationForm(forms.Form):
    text = forms.CharField(
        label=_("Recommendations"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
