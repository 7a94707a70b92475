"""Reads of evaluation: rounds and results the user may see, how a result was computed, reports."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.evaluation import indicators
from sinergi.evaluation.models import Round, RoundIndicator, Score, Subject
from sinergi.territory.models import code_q

if TYPE_CHECKING:
    from sinergi.accounts.models import User


def attention_below() -> Decimal:
    """Indicator values under this get a recommendation."""
    return Decimal(str(getattr(settings, "SINERGI_EVALUATION_ATTENTION_BELOW", 60)))


def round_list(*, user: User) -> QuerySet[Round]:
    return Round.objects.visible_to(user).select_related("region", "organisation_kind")


def round_get(*, user: User, pk: int) -> Round:
    round_ = round_list(user=user).filter(pk=pk).first()
    if round_ is None:
        raise Http404(_("No such evaluation round."))
    return round_


def my_results(*, user: User, limit: int = 20) -> list[Subject]:
    """Results of finished rounds for the user's own area or organisation, newest first."""
    codes = user.scope_codes()
    if codes is None:
        return []
    q = code_q(codes, "region__code") | code_q(codes, "organisation__region__code")
    if orgs := user.represented_organisation_ids():
        q |= Q(organisation_id__in=orgs)
    finished = Subject.objects.filter(q, round__status=Round.Status.FINISHED)
    return list(
        finished.select_related("round", "region", "organisation").order_by("-round__period_end", "-round_id")[:limit]
    )


def ranking(round_: Round) -> list[Subject]:
    """The round's subjects, best first; those without a score last."""
    return list(
        round_.subjects.select_related("region", "organisation").order_by(
            F("rank").asc(nulls_last=True), "region__code", "organisation__name"
        )
    )


def subject_get(*, user: User, pk: int) -> Subject:
    subject = (
        Subject.objects.visible_to(user)
        .select_related("round__region", "round__organisation_kind", "region", "organisation")
        .filter(pk=pk)
        .first()
    )
    if subject is None:
        raise Http404(_("No such result."))
    return subject


@dataclass(frozen=True)
class ScoreLine:
    """One indicator of a subject's result and how it was reached."""

    score: Score
    indicator: RoundIndicator
    definition: str
    contribution: Decimal | None  # points of the total this indicator gave


def score_lines(subject: Subject) -> list[ScoreLine]:
    scores = list(subject.scores.select_related("indicator", "scored_by").order_by("indicator__order", "indicator_id"))
    counted = sum((s.indicator.weight for s in scores if s.value is not None), Decimal(0))
    lines = []
    for score in scores:
        indicator = score.indicator
        known = indicators.REGISTRY.get(indicator.code)
        if indicator.kind == RoundIndicator.Kind.MANUAL:
            definition = _("Scored by an evaluator from 0 to 100, with evidence.")
        else:
            definition = str(known.definition) if known else ""
        contribution = (
            (score.value * indicator.weight / counted).quantize(Decimal("0.01"))
            if score.value is not None and counted
            else None
        )
        lines.append(ScoreLine(score, indicator, definition, contribution))
    return lines


def suggestions(lines: list[ScoreLine]) -> list[str]:
    """Recommendations from the indicators whose value is low, lowest first."""
    low = sorted(
        (line for line in lines if line.score.value is not None and line.score.value < attention_below()),
        key=lambda line: line.score.value or 0,
    )
    out = []
    for line in low:
        known = indicators.REGISTRY.get(line.indicator.code)
        advice = str(known.advice) if known else _("Discuss with the evaluator how to improve this.")
        out.append(
            _("%(indicator)s: %(value)s of 100. %(advice)s")
            % {"indicator": line.indicator.name, "value": line.score.value, "advice": advice}
        )
    return out


def scores_by_subject(round_: Round) -> dict[int, dict[int, Score]]:
    table: dict[int, dict[int, Score]] = {}
    for score in Score.objects.filter(subject__round=round_):
        table.setdefault(score.subject_id, {})[score.indicator_id] = score
    return table


def report_context(round_: Round) -> dict[str, Any]:
    subjects = ranking(round_)
    table = scores_by_subject(round_)
    columns = list(round_.indicators.all())
    rows = [(s, [table.get(s.pk, {}).get(i.pk) for i in columns]) for s in subjects]
    return {
        "round": round_,
        "indicators": columns,
        "rows": rows,
        "generated_at": timezone.now(),
        "definitions": [
            (i, str(indicators.REGISTRY[i.code].definition) if i.code in indicators.REGISTRY else "") for i in columns
        ],
    }


def report_xlsx(round_: Round) -> bytes:
    """The ranking with every indicator as an Excel workbook (cells guarded against formulas)."""
    from openpyxl import Workbook

    from sinergi.registry.spreadsheets import HEADER_FILL, HEADER_FONT, safe_cell

    context = report_context(round_)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Ranking")[:31]
    columns: list[RoundIndicator] = context["indicators"]
    header = [_("Rank"), _("Code"), _("Subject"), _("Score"), _("Previous score"), _("Change")]
    header += [f"{i.name} ({i.weight})" for i in columns]
    sheet.append([safe_cell(h) for h in header])
    for cell in sheet[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    for subject, scores in context["rows"]:
        code = subject.region.code if subject.region_id else str(subject.organisation_id)
        change = subject.change
        sheet.append(
            [
                safe_cell(v)
                for v in [
                    subject.rank,
                    code,
                    subject.name,
                    subject.score,
                    subject.previous_score,
                    change,
                    *[s.value if s is not None else None for s in scores],
                ]
            ]
        )
    sheet.freeze_panes = "D2"
    detail = workbook.create_sheet(_("How it was computed")[:31])
    detail.append([safe_cell(h) for h in [_("Subject"), _("Indicator"), _("Value"), _("Counted"), _("Out of")]])
    for subject, scores in context["rows"]:
        for indicator, score in zip(columns, scores, strict=True):
            if score is not None:
                detail.append(
                    [
                        safe_cell(v)
                        for v in [subject.name, indicator.name, score.value, score.numerator, score.denominator]
                    ]
                )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
