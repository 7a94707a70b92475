"""Early warning (FKDM) endpoints under /api/v1/early-warning.

The same services and scope as the pages: a report is seen by its reporter, its FKDM chain and the
territorial offices' staff whose territory holds it; anyone else gets 404. Submitting is idempotent
by ``client_uuid``: a phone that sends a report again gets the stored one (200 instead of 201).
Every read of one report is audited.
"""

import datetime
import uuid
from typing import Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from sinergi.core.api import Pagination
from sinergi.core.http import ApiRequest
from sinergi.earlywarning import selectors, services
from sinergi.earlywarning.models import Report, Topic
from sinergi.territory.models import Region

router = Router(tags=["Early warning (FKDM)"])


class ReportOut(Schema):
    id: int
    client_uuid: uuid.UUID
    kind: str
    for_date: datetime.date
    athg: str
    domain: str
    topics: list[str] = Field(description="Topic codes.")
    severity: int | None
    kelurahan_code: str | None
    area_code: str
    rw_number: int | None
    rt_number: int | None
    latitude: float | None
    longitude: float | None
    occurred_at: datetime.datetime
    description: str
    source: str
    source_link: str
    status: str
    verified_at: datetime.datetime | None
    verification_note: str
    organisation_id: int
    created_at: datetime.datetime

    @staticmethod
    def resolve_topics(obj: Report) -> list[str]:
        return [t.code for t in obj.topics.all()]

    @staticmethod
    def resolve_kelurahan_code(obj: Report) -> str | None:
        return obj.kelurahan.code if obj.kelurahan_id and obj.kelurahan else None

    @staticmethod
    def resolve_rw_number(obj: Report) -> int | None:
        return obj.rw.number if obj.rw_id and obj.rw else None

    @staticmethod
    def resolve_rt_number(obj: Report) -> int | None:
        return obj.rt.number if obj.rt_id and obj.rt else None


class ReportIn(Schema):
    client_uuid: uuid.UUID = Field(description="Made on the phone; sending the same id again stores nothing twice.")
    kind: Literal["report", "nihil"] = "report"
    for_date: datetime.date | None = Field(None, description="The day the report is for; empty: today.")
    athg: Report.Athg | None = None
    domain: Report.Domain | None = None
    topics: list[str] = Field(default_factory=list, description="Topic codes.")
    severity: int | None = Field(None, ge=1, le=4, description="1 low, 2 medium, 3 high, 4 critical.")
    kelurahan_code: str | None = Field(None, description="Empty: the member's own kelurahan.")
    rw_number: int | None = Field(None, ge=1, le=999)
    rt_number: int | None = Field(None, ge=1, le=999)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    occurred_at: datetime.datetime | None = None
    description: str = Field("", max_length=5000)
    source: Report.Source | None = None
    source_link: str = Field("", max_length=500)


class ReportFilterIn(Schema):
    kind: Literal["report", "nihil", ""] = "report"
    domain: Report.Domain | None = None
    topic: str | None = Field(None, description="A topic code.")
    min_severity: int | None = Field(None, ge=1, le=4)
    status: Report.Status | None = None
    area: str | None = Field(None, max_length=13, description="A region code: reports at or below it.")
    days: int | None = Field(None, ge=1, le=3660, description="Only the last so many days.")


class VerifyIn(Schema):
    status: Report.Status
    note: str = Field("", max_length=2000)


def _get(request: ApiRequest, pk: int) -> Report:
    report = selectors.report_get(user=request.auth, pk=pk)
    if report is None:
        raise Http404
    return report


@router.post("/reports", response={200: ReportOut, 201: ReportOut}, summary="File a report or nihil (idempotent)")
def report_submit(request: ApiRequest, payload: ReportIn) -> Status[Report]:
    if payload.kind == "nihil":
        report, created = services.nihil_submit(
            by=request.auth, client_uuid=payload.client_uuid, for_date=payload.for_date
        )
    else:
        topics = list(Topic.objects.filter(code__in=payload.topics, is_active=True))
        if len(topics) != len(set(payload.topics)):
            raise ValidationError({"topics": _("Unknown topic.")})
        kelurahan = None
        if payload.kelurahan_code:
            kelurahan = Region.objects.filter(code=payload.kelurahan_code, level=Region.Level.VILLAGE).first()
            if kelurahan is None:
                raise ValidationError({"kelurahan": _("Choose a kelurahan of your FKDM's area.")})
        if payload.occurred_at is None:
            raise ValidationError({"occurred_at": _("Say when it happened.")})
        report, created = services.report_submit(
            by=request.auth,
            client_uuid=payload.client_uuid,
            for_date=payload.for_date,
            athg=payload.athg or "",
            domain=payload.domain or "",
            topics=topics,
            severity=payload.severity or 0,
            kelurahan=kelurahan,
            rw_number=payload.rw_number,
            rt_number=payload.rt_number,
            latitude=payload.latitude,
            longitude=payload.longitude,
            occurred_at=payload.occurred_at,
            description=payload.description,
            source=payload.source or "",
            source_link=payload.source_link,
        )
    report = _get(request, report.pk)
    return Status(201 if created else 200, report)


@router.get("/reports", response=list[ReportOut], summary="Reports the caller may see")
@paginate(Pagination)
def report_list(request: ApiRequest, filters: Query[ReportFilterIn]) -> QuerySet[Report]:
    topic = Topic.objects.filter(code=filters.topic).first() if filters.topic else None
    if filters.topic and topic is None:
        return Report.objects.none()
    return selectors.reports(
        user=request.auth,
        filters=selectors.ReportFilter(
            kind=filters.kind,
            domain=filters.domain or "",
            topic=topic,
            severity=filters.min_severity,
            status=filters.status or "",
            area=filters.area or "",
            days=filters.days,
        ),
    ).select_related("rw", "rt")


@router.get("/reports/{pk}", response=ReportOut, summary="One report (the reading is audited)")
def report_detail(request: ApiRequest, pk: int) -> Report:
    report = _get(request, pk)
    services.report_viewed(by=request.auth, report=report, how="api")
    return report


@router.post("/reports/{pk}/verify", response=ReportOut, summary="Confirm a report, or mark it unconfirmed or false")
def report_verify(request: ApiRequest, pk: int, payload: VerifyIn) -> Report:
    report = get_object_or_404(Report.objects.visible_to(request.auth), pk=pk)
    services.report_verify(by=request.auth, report=report, status=payload.status, note=payload.note)
    return _get(request, pk)
