"""Announcements endpoints under /api/v1/announcements.

Agencies' systems publish announcements (a write token of a user who sends for the unit); staff
read them and their progress by area; representatives list their organisations' deliveries and
acknowledge them. Every read goes through the same scope as the pages (404 outside it), and every
write through the same services.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from sinergi.accounts.models import Unit
from sinergi.announcements import selectors, services
from sinergi.announcements.models import Announcement, Delivery
from sinergi.core.api import Pagination
from sinergi.core.http import ApiRequest
from sinergi.registry import targeting

router = Router(tags=["Announcements"])


def _announcement(request: ApiRequest, pk: int) -> Announcement:
    return get_object_or_404(Announcement.objects.visible_to(request.auth).select_related("unit__region"), pk=pk)


class AudienceSchema(Schema):
    kinds: list[str] = Field(default_factory=list, description="Organisation kind codes: rt, rw, lmk, ormas ...")
    region_codes: list[str] = Field(default_factory=list, description="Kemendagri codes of areas, e.g. 31.73.06")
    organisation_ids: list[int] = Field(default_factory=list, description="Organisations named by id")


class AnnouncementOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    source_name: str
    title: str
    body: str = Field(description="Sanitised HTML")
    category: str
    status: str
    publish_at: datetime.datetime | None
    expires_at: datetime.datetime | None
    ack_required: bool
    relay_required: bool
    relay_due: datetime.date | None
    send_gateway: bool
    audience: AudienceSchema
    recipients_total: int
    deliveries_done: int
    sent_at: datetime.datetime | None

    @staticmethod
    def resolve_unit_name(obj: Announcement) -> str:
        return obj.unit.name


class AnnouncementIn(Schema):
    unit_id: int = Field(description="The sending unit; the caller must be its operator or administrator")
    title: str = Field(max_length=200)
    body: str = Field(description="Plain text or simple HTML; sanitised")
    category: str = Announcement.Category.OTHER
    source_name: str = Field("", max_length=200)
    publish_at: datetime.datetime | None = None
    expires_at: datetime.datetime | None = None
    ack_required: bool = True
    relay_required: bool = False
    relay_due: datetime.date | None = None
    send_gateway: bool = False
    audience: AudienceSchema
    send: bool = Field(False, description="Send (or schedule, with a future publish_at) at once")


@router.get("", response=list[AnnouncementOut], summary="Announcements the caller sees")
@paginate(Pagination)
def announcement_list(request: ApiRequest, status: str | None = None) -> QuerySet[Announcement]:
    announcements = Announcement.objects.visible_to(request.auth).select_related("unit").order_by("-created_at", "-pk")
    if status:
        announcements = announcements.filter(status=status)
    return announcements


@router.post("", response={201: AnnouncementOut}, summary="Publish an announcement (as a draft, or sent at once)")
def announcement_create(request: ApiRequest, payload: AnnouncementIn) -> Status[Announcement]:
    unit = Unit.objects.filter(pk=payload.unit_id).first()
    if unit is None or unit not in services.sender_units(request.auth):
        if not services.can_send(request.auth):
            raise PermissionDenied
        raise ValidationError({"unit_id": _("Choose a unit you send announcements for.")})
    data = payload.dict()
    audience = targeting.Audience(
        kinds=tuple(payload.audience.kinds),
        region_codes=tuple(payload.audience.region_codes),
        organisation_ids=tuple(payload.audience.organisation_ids),
    )
    send = data.pop("send")
    for name in ("unit_id", "audience"):
        data.pop(name)
    announcement = services.announcement_create(by=request.auth, unit=unit, audience=audience, **data)
    if send:
        announcement = services.announcement_send(by=request.auth, announcement=announcement)
    return Status(201, _announcement(request, announcement.pk))


class DeliveryOut(Schema):
    id: int
    announcement_id: int
    title: str
    sender: str
    organisation_id: int
    organisation_name: str
    delivered_at: datetime.datetime
    read_at: datetime.datetime | None
    acknowledged_at: datetime.datetime | None
    relayed_at: datetime.datetime | None
    residents_reached: int
    ack_required: bool
    relay_due: datetime.date | None

    @staticmethod
    def resolve_title(obj: Delivery) -> str:
        return obj.announcement.title

    @staticmethod
    def resolve_sender(obj: Delivery) -> str:
        return obj.announcement.sender_label

    @staticmethod
    def resolve_organisation_name(obj: Delivery) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_ack_required(obj: Delivery) -> bool:
        return obj.announcement.ack_required

    @staticmethod
    def resolve_relay_due(obj: Delivery) -> datetime.date | None:
        return obj.announcement.relay_due


@router.get("/deliveries", response=list[DeliveryOut], summary="Deliveries to the organisations the caller represents")
@paginate(Pagination)
def delivery_list(request: ApiRequest) -> QuerySet[Delivery]:
    return selectors.inbox(request.auth)


@router.get("/{pk}", response=AnnouncementOut, summary="One announcement")
def announcement_detail(request: ApiRequest, pk: int) -> Announcement:
    return _announcement(request, pk)


@router.post("/{pk}/send", response=AnnouncementOut, summary="Send a draft (or schedule it)")
def announcement_send(request: ApiRequest, pk: int) -> Announcement:
    announcement = _announcement(request, pk)
    services.announcement_send(by=request.auth, announcement=announcement)
    return _announcement(request, pk)


class RatesOut(Schema):
    code: str
    name: str
    total: int
    read: int
    acknowledged: int
    relayed: int
    reached: int


class ProgressOut(Schema):
    status: str
    recipients_total: int
    deliveries_done: int
    area: str
    totals: RatesOut
    areas: list[RatesOut]


@router.get("/{pk}/progress", response=ProgressOut, summary="Delivery, read, acknowledgement and relay by area")
def announcement_progress(request: ApiRequest, pk: int, area: str = "") -> dict[str, object]:
    announcement = _announcement(request, pk)
    tallies = selectors.visible_tallies(request.auth, announcement)
    top = selectors.common_area(tallies)
    code = area if area and (not top or area == top or area.startswith(f"{top}.")) else top
    scoped = selectors.in_area(tallies, code) if code != top else tallies
    areas = selectors.rates_by_area(scoped, code)
    return {
        "status": announcement.status,
        "recipients_total": announcement.recipients_total,
        "deliveries_done": announcement.deliveries_done,
        "area": code,
        "totals": selectors.summed(areas, code=code),
        "areas": areas,
    }


@router.post("/deliveries/{pk}/acknowledge", response=DeliveryOut, summary="Acknowledge a delivery")
def delivery_acknowledge(request: ApiRequest, pk: int) -> Delivery:
    delivery = get_object_or_404(selectors.inbox(request.auth), pk=pk)
    services.delivery_acknowledge(by=request.auth, delivery=delivery)
    return get_object_or_404(selectors.inbox(request.auth), pk=pk)
