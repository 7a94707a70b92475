"""Evaluation endpoints under /api/v1/evaluation: rounds with their ranking, a subject's result with
how each indicator was computed, and starting a computation. Same selectors, services and scope as
the pages: a round or result the caller does not see answers 404."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from sinergi.core.api import Pagination
from sinergi.core.http import ApiRequest
from sinergi.evaluation import selectors, services
from sinergi.evaluation.models import Round, Subject
from sinergi.registry.models import OrganisationKind
from sinergi.territory.models import Region

router = Router(tags=["Evaluation"])


class RoundOut(Schema):
    id: int
    title: str
    region_code: str
    subject_kind: str
    organisation_kind: str | None
    period_start: datetime.date
    period_end: datetime.date
    status: str
    progress_done: int
    progress_total: int


class RankOut(Schema):
    id: int
    name: str
    region_code: str | None
    organisation_id: int | None
    score: Decimal | None
    rank: int | None
    previous_score: Decimal | None


class RoundDetailOut(RoundOut):
    ranking: list[RankOut]


class ScoreOut(Schema):
    indicator: str
    name: str
    kind: str
    weight: Decimal
    value: Decimal | None
    numerator: int | None
    denominator: int | None
    definition: str
    note: str


class ResultOut(RankOut):
    round_id: int
    round_title: str
    recommendation: str
    suggestions: list[str]
    scores: list[ScoreOut]


def _round(round_: Round) -> dict[str, Any]:
    return {
        "id": round_.pk,
        "title": round_.title,
        "region_code": round_.region.code,
        "subject_kind": round_.subject_kind,
        "organisation_kind": round_.organisation_kind.code if round_.organisation_kind else None,
        "period_start": round_.period_start,
        "period_end": round_.period_end,
        "status": round_.status,
        "progress_done": round_.progress_done,
        "progress_total": round_.progress_total,
    }


def _rank(subject: Subject) -> dict[str, Any]:
    return {
        "id": subject.pk,
        "name": subject.name,
        "region_code": subject.region.code if subject.region else None,
        "organisation_id": subject.organisation_id,
        "score": subject.score,
        "rank": subject.rank,
        "previous_score": subject.previous_score,
    }


@router.get("/rounds", response=list[RoundOut], summary="Evaluation rounds the caller may read")
@paginate(Pagination)
def round_list(request: ApiRequest) -> list[dict[str, Any]]:
    return [_round(r) for r in selectors.round_list(user=request.auth)]


class ManualIn(Schema):
    name: str
    weight: Decimal


class RoundIn(Schema):
    title: str
    region: str  # the Kemendagri code of the territory
    subject_kind: str
    organisation_kind: str | None = None  # a kind's code, when organisations are evaluated
    period_start: datetime.date
    period_end: datetime.date
    indicators: dict[str, Decimal] = {}  # computed indicator code -> weight
    manual: list[ManualIn] = []


@router.post("/rounds", response={201: RoundOut}, summary="Create an evaluation round")
def round_create(request: ApiRequest, payload: RoundIn) -> Status[dict[str, Any]]:
    region = get_object_or_404(Region.objects.visible_to(request.auth), code=payload.region)
    kind = None
    if payload.organisation_kind:
        kind = OrganisationKind.objects.filter(code=payload.organisation_kind).first()
        if kind is None:
            raise ValidationError({"organisation_kind": [_("Choose the kind of organisation to evaluate.")]})
    round_ = services.round_create(
        by=request.auth,
        title=payload.title,
        region=region,
        subject_kind=payload.subject_kind,
        organisation_kind=kind,
        period_start=payload.period_start,
        period_end=payload.period_end,
        computed=payload.indicators,
        manual=[services.ManualIndicator(m.name, m.weight) for m in payload.manual],
    )
    return Status(201, _round(selectors.round_get(user=request.auth, pk=round_.pk)))


@router.get("/rounds/{pk}", response=RoundDetailOut, summary="A round with its ranking")
def round_detail(request: ApiRequest, pk: int) -> dict[str, Any]:
    round_ = selectors.round_get(user=request.auth, pk=pk)
    return {**_round(round_), "ranking": [_rank(s) for s in selectors.ranking(round_)]}


@router.post("/rounds/{pk}/compute", response={202: RoundOut}, summary="Start (again) the computation of a round")
def round_compute(request: ApiRequest, pk: int) -> Status[dict[str, Any]]:
    round_ = selectors.round_get(user=request.auth, pk=pk)
    return Status(202, _round(services.round_compute_start(round_=round_, by=request.auth)))


@router.get("/results/{pk}", response=ResultOut, summary="A subject's result and how it was computed")
def result_detail(request: ApiRequest, pk: int) -> dict[str, Any]:
    subject = selectors.subject_get(user=request.auth, pk=pk)
    lines = selectors.score_lines(subject)
    return {
        **_rank(subject),
        "round_id": subject.round_id,
        "round_title": subject.round.title,
        "recommendation": subject.recommendation,
        "suggestions": selectors.suggestions(lines),
        "scores": [
            {
                "indicator": line.indicator.code,
                "name": line.indicator.name,
                "kind": line.indicator.kind,
                "weight": line.indicator.weight,
                "value": line.score.value,
                "numerator": line.score.numerator,
                "denominator": line.score.denominator,
                "definition": line.definition,
                "note": line.score.note,
            }
            for line in lines
        ],
    }
