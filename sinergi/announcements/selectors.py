"""Reads of the announcements app: lists through the user's scope, and the progress of an
announcement by area.

Progress is read from ``DeliveryTally``: one row of counts per announcement and region holding
recipients, with the region's kota (``city_code``) and kecamatan (``district_code``) as on
``Delivery``. A level of the page is one GROUP BY over a few hundred tally rows, whatever the size
of the audience; an organisation placed above the level shown (an Ormas of the city seen by
kecamatan) forms its own row under its own region. Only the "late" list reads the deliveries
themselves, a page at a time, through the partial indexes of the organisations still waiting.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import F, Max, Min, Model, Q, QuerySet, Sum
from django.db.models.functions import Length, Substr
from django.utils import timezone

from sinergi.announcements.models import Announcement, Delivery, DeliveryTally, Question, area_q
from sinergi.territory.models import Region

if TYPE_CHECKING:
    from sinergi.accounts.models import User

# Code length of the next level down: province (2) → kota (5) → kecamatan (8) → kelurahan (13).
CHILD_LENGTH = {2: 5, 5: 8, 8: 13}
COLUMN_OF_LENGTH = {5: "city_code", 8: "district_code", 13: "area_code"}
LATE_LIMIT = 50


@dataclass
class Rates:
    """Counts and rates of one area (or of the whole announcement)."""

    code: str
    name: str
    total: int
    read: int
    acknowledged: int
    relayed: int
    reached: int
    can_drill: bool = False

    def _pct(self, n: int) -> int:
        return round(100 * n / self.total) if self.total else 0

    @property
    def read_pct(self) -> int:
        return self._pct(self.read)

    @property
    def acknowledged_pct(self) -> int:
        return self._pct(self.acknowledged)

    @property
    def relayed_pct(self) -> int:
        return self._pct(self.relayed)

    def as_json(self) -> dict[str, int | str]:
        return {
            "name": self.name,
            "total": self.total,
            "read": self.read_pct,
            "acknowledged": self.acknowledged_pct,
            "relayed": self.relayed_pct,
            "reached": self.reached,
        }


COUNTS = ("total", "read", "acknowledged", "relayed", "reached")


def _sums() -> dict[str, Sum]:
    return {name: Sum(name) for name in COUNTS}


def in_area[M: Model](rows: QuerySet[M], code: str) -> QuerySet[M]:
    """The deliveries (or tallies) of organisations at or below region ``code`` (all for an empty code)."""
    return rows.filter(area_q([code])) if code else rows


def _limited_to(user: User, announcement: Announcement) -> list[str] | None:
    """The region codes a staff user's view of ``announcement``'s deliveries is limited to; None for
    every delivery (the sending unit's managers and those above it)."""
    from sinergi.announcements.services import can_manage

    codes = user.scope_codes()
    if (
        codes is None
        or can_manage(user, announcement)
        or any(announcement.unit.region.code == c or announcement.unit.region.code.startswith(f"{c}.") for c in codes)
    ):
        return None
    return codes


def visible_deliveries(user: User, announcement: Announcement) -> QuerySet[Delivery]:
    """The deliveries of ``announcement`` a staff user may see: all of them for the sending unit's
    managers and those above it, else those inside the user's territory."""
    deliveries = Delivery.objects.filter(announcement=announcement)
    codes = _limited_to(user, announcement)
    return deliveries if codes is None else deliveries.filter(area_q(codes))


def visible_tallies(user: User, announcement: Announcement) -> QuerySet[DeliveryTally]:
    """The counts of the areas whose deliveries ``visible_deliveries`` shows: the same filter on the
    same area columns."""
    tallies = DeliveryTally.objects.filter(announcement=announcement)
    codes = _limited_to(user, announcement)
    return tallies if codes is None else tallies.filter(area_q(codes))


def common_area(tallies: QuerySet[DeliveryTally]) -> str:
    """The smallest region holding every delivery: where the progress page starts."""
    bounds = tallies.aggregate(low=Min("area_code"), high=Max("area_code"))
    low, high = bounds["low"] or "", bounds["high"] or ""
    parts = []
    for a, b in zip(low.split("."), high.split("."), strict=False):
        if a != b:
            break
        parts.append(a)
    return ".".join(parts)


def _rates(row: dict[str, Any], code: str, name: str, *, can_drill: bool = False) -> Rates:
    return Rates(
        code=code,
        name=name,
        total=row["total"] or 0,
        read=row["read"] or 0,
        acknowledged=row["acknowledged"] or 0,
        relayed=row["relayed"] or 0,
        reached=row["reached"] or 0,
        can_drill=can_drill,
    )


def totals(tallies: QuerySet[DeliveryTally], *, code: str = "", name: str = "") -> Rates:
    return _rates(tallies.aggregate(**_sums()), code, name)


def summed(rows: list[Rates], *, code: str = "", name: str = "") -> Rates:
    """The totals of an area from the rows of its children: no second pass over the tallies."""
    return Rates(
        code=code,
        name=name,
        total=sum(r.total for r in rows),
        read=sum(r.read for r in rows),
        acknowledged=sum(r.acknowledged for r in rows),
        relayed=sum(r.relayed for r in rows),
        reached=sum(r.reached for r in rows),
    )


def rates_by_area(tallies: QuerySet[DeliveryTally], code: str) -> list[Rates]:
    """One row per child region of ``code`` (and one per region above that level holding
    organisations directly), ordered by code."""
    length = CHILD_LENGTH.get(len(code), 13) if code else 2
    rows: list[Any] = list(
        tallies.annotate(
            area=F(COLUMN_OF_LENGTH[length]) if length in COLUMN_OF_LENGTH else Substr("area_code", 1, length)
        )
        .values("area")
        .annotate(**_sums())
        .order_by("area")
    )
    names = {
        r.code: r.display_name
        for r in Region.objects.filter(code__in=[row["area"] for row in rows]).only("code", "name", "level")
    }
    return [
        _rates(
            row,
            row["area"],
            names.get(row["area"], row["area"]),
            can_drill=len(row["area"]) == length and length < 13,
        )
        for row in rows
    ]


def rates_by_kelurahan(tallies: QuerySet[DeliveryTally]) -> dict[str, dict[str, int | str]]:
    """Rates per kelurahan code, for colouring the map."""
    rows: list[Any] = list(
        tallies.annotate(length=Length("area_code")).filter(length=13).values("area_code", *COUNTS).order_by()
    )
    return {row["area_code"]: _rates(row, row["area_code"], "").as_json() for row in rows}


def _relay_overdue(announcement: Announcement, today: datetime.date) -> bool:
    return bool(announcement.relay_required and announcement.relay_due and announcement.relay_due < today)


def late(
    announcement: Announcement, deliveries: QuerySet[Delivery], *, today: datetime.date | None = None
) -> QuerySet[Delivery]:
    """Organisations behind: not acknowledged (when acknowledgement is asked), or without a relay
    report once it is due. Longest-waiting first, through the partial index of either case."""
    if _relay_overdue(announcement, today or timezone.localdate()):
        # A relayed delivery is always acknowledged (a constraint): "not relayed" holds the unacknowledged.
        behind = Q(relayed_at__isnull=True)
    elif announcement.ack_required:
        behind = Q(acknowledged_at__isnull=True)
    else:
        return deliveries.none()
    return (
        deliveries.filter(behind)
        .select_related("organisation__kind", "organisation__region")
        .only(
            "delivered_at",
            "read_at",
            "acknowledged_at",
            "reminders_sent",
            "organisation__name",
            "organisation__kind__name",
            "organisation__region__code",
            "organisation__region__name",
            "organisation__region__level",
        )
        .order_by("delivered_at", "pk")
    )


def late_count(announcement: Announcement, rates: Rates, *, today: datetime.date | None = None) -> int:
    """How many ``late`` lists, from the tallies of the same deliveries rather than a count of them."""
    if _relay_overdue(announcement, today or timezone.localdate()):
        return rates.total - rates.relayed
    if announcement.ack_required:
        return rates.total - rates.acknowledged
    return 0


class _CountedPaginator(Paginator):
    """A paginator told its count, so it never counts the rows itself."""

    def __init__(self, object_list: QuerySet[Delivery], per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count


def late_page(
    announcement: Announcement, deliveries: QuerySet[Delivery], rates: Rates, number: str | int | None
) -> Page[Delivery]:
    """One page of ``LATE_LIMIT`` late organisations among ``deliveries``, whose tallies are ``rates``."""
    today = timezone.localdate()
    rows = late(announcement, deliveries, today=today)
    count = late_count(announcement, rates, today=today)
    return _CountedPaginator(rows, LATE_LIMIT, count=count).get_page(number)


def inbox(user: User) -> QuerySet[Delivery]:
    """A representative's deliveries, newest first, with what the list shows."""
    return (
        Delivery.objects.of_representative(user)
        .select_related("announcement__unit", "organisation")
        .order_by("-delivered_at", "-pk")
    )


def questions_for(delivery: Delivery) -> QuerySet[Question]:
    """What a recipient sees: every answered question of the announcement, and its own ones."""
    return (
        Question.objects.filter(announcement_id=delivery.announcement_id)
        .filter(Q(answer__isnull=False) | Q(delivery=delivery))
        .select_related("answer", "delivery__organisation")
        .order_by("asked_at", "pk")
    )
