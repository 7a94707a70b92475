"""Aspirations and complaints endpoints under /api/v1/cases.

Public, with no token: submitting a case (with an ``Idempotency-Key`` header a retry returns the
case stored the first time: the key is unique in the database), tracking a case by its number (no
personal data), and the categories. With a token: the staff list, a case, and its next step, all
through the same services and scope as the pages (out of scope answers 404).
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from sinergi.accounts.models import Unit
from sinergi.cases import reference, selectors, services, throttle
from sinergi.cases.models import Case, CaseTransition
from sinergi.core.api import Pagination
from sinergi.core.http import ApiRequest
from sinergi.notifications.services import absolute_url
from sinergi.territory.models import RT, RW, Region

router = Router(tags=["Aspirations and complaints"])

IDEMPOTENCY_KEY_MAX = 100


class CaseIn(Schema):
    kind: str = Field(Case.Kind.COMPLAINT, description="aspiration, complaint or information")
    category_id: int
    description: str = Field(..., max_length=5000)
    region_code: str | None = Field(None, description="Kelurahan code; optional when a point is given")
    rw: int | None = None
    rt: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    address: str = Field("", max_length=255)
    reporter_name: str = Field("", max_length=150)
    reporter_phone: str = Field("", max_length=30)
    reporter_email: str = Field("", max_length=254)
    anonymous: bool = False


class Submitted(Schema):
    number: str
    status: str
    kelurahan: str
    tracking_url: str
    reporter_url: str = Field(..., description="The reporter's private link (rating, dispute); give it only to them")


class StepOut(Schema):
    status: str
    status_label: str
    unit: str
    at: datetime.datetime
    note: str
    escalation: bool
    dispute: bool


class PublicCaseOut(Schema):
    number: str
    kind: str
    category: str
    kelurahan: str
    status: str
    status_label: str
    unit: str
    received_at: datetime.datetime
    due_on: datetime.date
    joined_with: str | None
    rating: int | None
    timeline: list[StepOut]


class CaseOut(Schema):
    number: str
    kind: str
    category_id: int
    category: str
    region_code: str
    kelurahan: str
    rw: int | None
    rt: int | None
    latitude: float | None
    longitude: float | None
    description: str
    channel: str
    status: str
    unit_id: int
    unit: str
    received_at: datetime.datetime
    due_on: datetime.date
    sla: str
    escalated_to_id: int | None
    joined_with: str | None
    rating: int | None


class CategoryOut(Schema):
    id: int
    name: str
    parent_id: int | None
    sla_days: int


class InboxQuery(Schema):
    status: str = ""
    category: int | None = None
    area: str = ""
    sla: str = ""
    unit: int | None = None
    q: str = ""


def _steps(case: Case) -> list[StepOut]:
    return [_step(t) for t in selectors.timeline(case)]


def _step(t: CaseTransition) -> StepOut:
    return StepOut(
        status=t.to_status,
        status_label=str(t.get_to_status_display()),
        unit=str(t.unit),
        at=t.created_at,
        note=t.note,
        escalation=t.is_escalation,
        dispute=t.is_dispute,
    )


def _public(case: Case) -> PublicCaseOut:
    return PublicCaseOut(
        number=case.number,
        kind=case.kind,
        category=str(case.category),
        kelurahan=case.region.display_name,
        status=case.status,
        status_label=str(case.get_status_display()),
        unit=str(case.current_unit),
        received_at=case.created_at,
        due_on=case.due_on,
        joined_with=case.duplicate_of.number if case.duplicate_of else None,
        rating=case.rating,
        timeline=_steps(case),
    )


def _staff(case: Case) -> CaseOut:
    return CaseOut(
        number=case.number,
        kind=case.kind,
        category_id=case.category_id,
        category=str(case.category),
        region_code=case.region_code,
        kelurahan=case.region.display_name,
        rw=case.rw.number if case.rw else None,
        rt=case.rt.number if case.rt else None,
        latitude=case.latitude,
        longitude=case.longitude,
        description=case.description,
        channel=case.channel,
        status=case.status,
        unit_id=case.current_unit_id,
        unit=str(case.current_unit),
        received_at=case.created_at,
        due_on=case.due_on,
        sla=selectors.sla_state(case),
        escalated_to_id=case.escalated_to_id,
        joined_with=case.duplicate_of.number if case.duplicate_of else None,
        rating=case.rating,
    )


def _submitted(case: Case) -> Submitted:
    return Submitted(
        number=case.number,
        status=case.status,
        kelurahan=case.region.display_name,
        tracking_url=absolute_url(services.public_url(case)),
        reporter_url=absolute_url(services.reporter_url(case)),
    )


def _place(payload: CaseIn, place: reference.Place | None) -> tuple[Region | None, RW | None, RT | None]:
    region = None
    if payload.region_code:
        if place is None:
            raise ValidationError({"region_code": _("No kelurahan has this code.")})
        region = place.region
    rw = rt = None
    if payload.rw is not None:
        if region is None:
            raise ValidationError({"rw": _("Give the kelurahan with the RW.")})
        rw = RW.objects.filter(kelurahan=region, number=payload.rw).first()
        if rw is None:
            raise ValidationError({"rw": _("This RW is not in %(region)s.") % {"region": region.display_name}})
        if payload.rt is not None:
            rt = RT.objects.filter(rw=rw, number=payload.rt).first()
            if rt is None:
                raise ValidationError({"rt": _("This RT is not in the chosen RW.")})
    return region, rw, rt


@router.post(
    "",
    auth=None,
    response={201: Submitted, 429: dict[str, Any]},
    summary="Submit an aspiration or complaint (public; send an Idempotency-Key header so a retry is stored once)",
)
def submit(request: HttpRequest, payload: CaseIn) -> Any:
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > IDEMPOTENCY_KEY_MAX:
        raise ValidationError({"Idempotency-Key": _("At most %(max)d characters.") % {"max": IDEMPOTENCY_KEY_MAX}})
    if not throttle.hit():
        # A retry counts towards the limit, but one whose case was stored still gets its answer.
        stored = Case.objects.filter(idempotency_key=f"api:{key}").select_related("region").first() if key else None
        if stored is not None:
            return Status(201, _submitted(stored))
        return Status(429, {"detail": _("Too many reports from your address; please try again later.")})
    # The category and kelurahan come from the shared cache (reference.py); a retried key is found by
    # the unique index when case_submit inserts: a new submission costs one transaction.
    looked_up = reference.lookup(category_id=payload.category_id, kelurahan_code=payload.region_code)
    category = looked_up.category
    if category is None:
        raise ValidationError({"category_id": _("Choose a category.")})
    region, rw, rt = _place(payload, looked_up.place)
    submission = services.case_submit(
        kind=payload.kind,
        category=category,
        description=payload.description,
        region=region,
        rw=rw,
        rt=rt,
        latitude=payload.latitude,
        longitude=payload.longitude,
        address=payload.address,
        reporter_name=payload.reporter_name,
        reporter_phone=payload.reporter_phone,
        reporter_email=payload.reporter_email,
        anonymous=payload.anonymous,
        channel=Case.Channel.API,
        idempotency_key=f"api:{key}" if key else None,
        looked_up=looked_up,
    )
    return Status(201, _submitted(submission.case))


@router.get("/categories", auth=None, response=list[CategoryOut], summary="The active categories (public)")
def categories(request: HttpRequest) -> list[CategoryOut]:
    return [
        CategoryOut(id=c.pk, name=label.lstrip("— "), parent_id=c.parent_id, sla_days=c.sla_days)
        for label, c in selectors.category_tree()
    ]


@router.get("/track/{number}", auth=None, response=PublicCaseOut, summary="A case's status and timeline (public)")
def track(request: HttpRequest, number: str) -> PublicCaseOut:
    case = get_object_or_404(
        Case.objects.select_related("category__parent", "region", "current_unit", "duplicate_of"),
        number=number.strip().upper(),
    )
    return _public(case)


def _visible(request: ApiRequest) -> QuerySet[Case]:
    return Case.objects.visible_to(request.auth)


def _case(request: ApiRequest, number: str) -> Case:
    return get_object_or_404(
        _visible(request).select_related("category__parent", "region", "current_unit", "duplicate_of", "rw", "rt"),
        number=number.strip().upper(),
    )


@router.get(
    "/inbox",
    response=list[CaseOut],
    summary="The cases the caller's units handle or oversee (``count`` stops at 10,001: more than 10,000)",
)
@paginate(Pagination)
def inbox(request: ApiRequest, filters: Query[InboxQuery]) -> Any:
    wanted = selectors.InboxFilters(**filters.dict())
    return _Mapped(selectors.inbox(request.auth, wanted).select_related("duplicate_of", "rw", "rt"), wanted)


class _Mapped:
    """A queryset whose sliced rows come out as ``CaseOut`` (the paginator counts, then slices), counted
    at most to ``selectors.COUNT_CAP + 1`` and ordered for that count, as the inbox page does."""

    def __init__(self, queryset: QuerySet[Case], filters: selectors.InboxFilters) -> None:
        self._count = selectors.capped_count(queryset)
        self.queryset = selectors.ordered(queryset, filters, count=self._count)

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list[CaseOut]:
        return [_staff(c) for c in self.queryset[item]]


@router.get("/inbox/{number}", response=CaseOut, summary="One case, with its place and description")
def detail(request: ApiRequest, number: str) -> CaseOut:
    return _staff(_case(request, number))


@router.get("/inbox/{number}/timeline", response=list[StepOut], summary="Every step of one case")
def steps(request: ApiRequest, number: str) -> list[StepOut]:
    return _steps(_case(request, number))


class TransitionIn(Schema):
    to_status: str
    note: str = ""
    unit_id: int | None = None


@router.post(
    "/inbox/{number}/transitions",
    response=CaseOut,
    summary="Move a case to its next step (multipart: proof files are needed to finish)",
)
def transition(
    request: ApiRequest,
    number: str,
    payload: Form[TransitionIn],
    proof: File[list[UploadedFile]] | None = None,
) -> CaseOut:
    case = _case(request, number)
    unit = Unit.objects.filter(pk=payload.unit_id, is_active=True).first() if payload.unit_id else None
    services.case_transition(
        case=case, to_status=payload.to_status, by=request.auth, note=payload.note, unit=unit, proof=proof or []
    )
    case.refresh_from_db()
    if not _visible(request).filter(pk=case.pk).exists():
        return _staff(case)  # passed on out of the caller's view: they still get the result of their step
    return _staff(_case(request, number))
