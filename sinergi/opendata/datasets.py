"""The open datasets: aggregates without personal data, with metadata in the Satu Data Indonesia
form (Perpres 39/2019: title, producer, period, unit of measure, definition, frequency, last
updated, licence).

Each dataset is one function building rows of counts from aggregate queries; no row names a person,
and a count of persons (participants, residents, reporters) below ``min_cell()`` is suppressed
(published as empty) where it could point at someone. Early-warning reports are never published:
no dataset reads them (FKDM reports go to government only, Permendagri 2/2018).

Built datasets are kept in the shared cache for ``SINERGI_OPEN_DATA_CACHE_SECONDS``; the periodic
task ``refresh_open_data`` builds them again ahead of visitors.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Avg, Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sinergi.registry.spreadsheets import safe_cell
from sinergi.territory.models import Region

LICENCE = "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"
KECAMATAN_CODE_LENGTH = 8  # "31.71.01"


def min_cell() -> int:
    """Counts of persons below this are suppressed."""
    return int(getattr(settings, "SINERGI_OPEN_DATA_MIN_CELL", 3))


def producer() -> str:
    return str(
        getattr(settings, "SINERGI_OPEN_DATA_PRODUCER", "Badan Kesatuan Bangsa dan Politik Provinsi DKI Jakarta")
    )


def cache_seconds() -> int:
    return int(getattr(settings, "SINERGI_OPEN_DATA_CACHE_SECONDS", 3600))


@dataclass(frozen=True)
class Column:
    name: str
    description: Promise
    personal_count: bool = False  # a count of persons: suppressed when small


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: Promise
    definition: Promise
    unit: Promise
    frequency: Promise
    columns: tuple[Column, ...]
    build: Callable[[], list[dict[str, Any]]]
    period_column: str = "month"


@dataclass
class Built:
    dataset: Dataset
    rows: list[dict[str, Any]]
    updated_at: datetime.datetime

    def metadata(self) -> dict[str, Any]:
        periods = sorted({str(r[self.dataset.period_column]) for r in self.rows if r.get(self.dataset.period_column)})
        return {
            "slug": self.dataset.slug,
            "title": str(self.dataset.title),
            "producer": producer(),
            "period": {"from": periods[0], "to": periods[-1]} if periods else None,
            "unit": str(self.dataset.unit),
            "definition": str(self.dataset.definition),
            "frequency": str(self.dataset.frequency),
            "last_updated": self.updated_at.isoformat(),
            "licence": LICENCE,
            "rows": len(self.rows),
            "columns": [{"name": c.name, "description": str(c.description)} for c in self.dataset.columns],
            "suppression": str(
                _("Counts of persons below %(n)s are left empty so that nobody can be recognised.") % {"n": min_cell()}
            ),
        }

    def as_json(self) -> bytes:
        return json.dumps(
            {"metadata": self.metadata(), "data": self.rows}, cls=DjangoJSONEncoder, ensure_ascii=False
        ).encode()

    def as_csv(self) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out)
        names = [c.name for c in self.dataset.columns]
        writer.writerow(names)
        for row in self.rows:
            writer.writerow([safe_cell("" if row.get(n) is None else row[n]) for n in names])
        return ("\ufeff" + out.getvalue()).encode()


def suppress(value: int | None) -> int | None:
    """A count of persons, or None when it is small enough to point at someone."""
    if value is None:
        return None
    return value if value == 0 or value >= min_cell() else None


def _names() -> dict[str, str]:
    return {
        code: Region.display_name_of(code, name, level)
        for code, name, level in Region.objects.values_list("code", "name", "level")
    }


def _month(value: datetime.date | datetime.datetime | None) -> str:
    return value.strftime("%Y-%m") if value else ""


# Organisations ---------------------------------------------------------------------------------------


def organisations_rows() -> list[dict[str, Any]]:
    from sinergi.registry.models import Organisation

    names = _names()
    rows = (
        Organisation.objects.filter(status=Organisation.Status.ACTIVE)
        .values_list("region__code", "region__level", "kind__code", "kind__name")
        .annotate(n=Count("pk"))
        .order_by("region__code", "kind__sort_order", "kind__code")
    )
    return [
        {
            "region_code": code,
            "region": names.get(code, ""),
            "level": level,
            "kind": kind,
            "kind_name": kind_name,
            "organisations": n,
            "month": timezone.localdate().strftime("%Y-%m"),
        }
        for code, level, kind, kind_name, n in rows
    ]


ORGANISATIONS = Dataset(
    slug="organisations",
    title=_("Community organisations by kind and region"),
    definition=_(
        "Active Ormas and lembaga kemasyarakatan (RT, RW, LMK, FKDM, PKK, Karang Taruna ...) in the "
        "register, counted by the region they sit in (the kelurahan of an RT or RW) and by kind."
    ),
    unit=_("organisations"),
    frequency=_("daily"),
    columns=(
        Column("month", _("Month of the count (YYYY-MM)")),
        Column("region_code", _("Kemendagri region code")),
        Column("region", _("Region name")),
        Column("level", _("Level of the region")),
        Column("kind", _("Kind of organisation (code)")),
        Column("kind_name", _("Kind of organisation")),
        Column("organisations", _("Number of active organisations")),
    ),
    build=organisations_rows,
)


# Events ------------------------------------------------------------------------------------------------


def events_rows() -> list[dict[str, Any]]:
    from sinergi.events.models import CheckIn, Event, EventDay, Invitation

    names = _names()
    today = timezone.localdate()
    first_day = EventDay.objects.filter(event=OuterRef("pk")).order_by("date").values("date")[:1]
    held = (
        Event.objects.filter(status__in=[Event.Status.RUNNING, Event.Status.FINISHED])
        .annotate(first_day=first_day)
        .filter(first_day__lte=today)
    )
    by_event = {
        pk: (month, code, kind)
        for pk, month, code, kind in held.annotate(month=TruncMonth("first_day")).values_list(
            "pk", "month", "region__code", "kind"
        )
    }
    invited = dict(
        Invitation.objects.filter(event_id__in=by_event, organisation__isnull=False)
        .values_list("event_id")
        .annotate(n=Count("pk"))
        .values_list("event_id", "n")
    )
    present_org = CheckIn.objects.filter(
        participant__event=OuterRef("event"), participant__organisation=OuterRef("organisation")
    )
    attended = dict(
        Invitation.objects.filter(event_id__in=by_event, organisation__isnull=False)
        .filter(Exists(present_org))
        .values_list("event_id")
        .annotate(n=Count("pk"))
        .values_list("event_id", "n")
    )
    people = dict(
        CheckIn.objects.filter(participant__event_id__in=by_event)
        .values_list("participant__event_id")
        .annotate(n=Count("participant", distinct=True))
        .values_list("participant__event_id", "n")
    )
    groups: dict[tuple[str, str, str], list[int]] = {}
    for pk, (month, code, kind) in by_event.items():
        key = (_month(month), code, kind)
        totals = groups.setdefault(key, [0, 0, 0, 0])
        totals[0] += 1
        totals[1] += invited.get(pk, 0)
        totals[2] += attended.get(pk, 0)
        totals[3] += people.get(pk, 0)
    kinds = dict(Event.Kind.choices)
    return [
        {
            "month": month,
            "region_code": code,
            "region": names.get(code, ""),
            "kind": kind,
            "kind_name": str(kinds.get(kind, kind)),
            "events": n,
            "organisations_invited": inv,
            "organisations_present": att,
            "participants_present": suppress(ppl),
        }
        for (month, code, kind), (n, inv, att, ppl) in sorted(groups.items())
    ]


EVENTS = Dataset(
    slug="events",
    title=_("Events held and attendance"),
    definition=_(
        "Meetings, trainings, briefings and other events held by government units for community "
        "organisations, by month of their first day, the territory they were for and their kind; with "
        "the organisations invited, those that had at least one delegate checked in, and the number of "
        "persons checked in."
    ),
    unit=_("events, organisations, persons"),
    frequency=_("monthly"),
    columns=(
        Column("month", _("Month of the first day (YYYY-MM)")),
        Column("region_code", _("Kemendagri code of the territory the event was for")),
        Column("region", _("Territory name")),
        Column("kind", _("Kind of event (code)")),
        Column("kind_name", _("Kind of event")),
        Column("events", _("Events held")),
        Column("organisations_invited", _("Organisations invited")),
        Column("organisations_present", _("Invited organisations with a delegate present")),
        Column("participants_present", _("Persons checked in (empty when fewer than the threshold)"), True),
    ),
    build=events_rows,
)


# Cases -------------------------------------------------------------------------------------------------


def cases_rows() -> list[dict[str, Any]]:
    from sinergi.cases.models import Case

    names = _names()
    closed_statuses = [Case.Status.DONE, Case.Status.REJECTED]
    rows = (
        Case.objects.exclude(status=Case.Status.MERGED)
        .annotate(month=TruncMonth("created_at"), kecamatan=Substr("region_code", 1, KECAMATAN_CODE_LENGTH))
        .values_list("month", "kecamatan", "category__name")
        .annotate(
            received=Count("pk"),
            closed=Count("pk", filter=Q(status__in=closed_statuses)),
            within=Count("pk", filter=Q(status__in=closed_statuses, closed_at__date__lte=F("due_on"))),
            rated=Count("rating"),
            rating=Avg("rating"),
        )
        .order_by("month", "kecamatan", "category__name")
    )
    out = []
    for month, kecamatan, category, received, closed, within, rated, rating in rows:
        shown = suppress(received)
        out.append(
            {
                "month": _month(month),
                "kecamatan_code": kecamatan,
                "kecamatan": names.get(kecamatan, ""),
                "category": category,
                "received": shown,
                "closed": closed if shown is not None else None,
                "closed_within_sla": within if shown is not None else None,
                "sla_percent": round(100 * within / closed, 1) if shown is not None and closed else None,
                "ratings": suppress(rated) if shown is not None else None,
                "average_rating": round(float(rating), 2)
                if rating is not None and suppress(rated) and shown is not None
                else None,
            }
        )
    return out


CASES = Dataset(
    slug="cases",
    title=_("Aspirations and complaints by category and service level"),
    definition=_(
        "Aspirations, complaints and information requests received, by month received, kecamatan "
        "where they happened and category; how many were closed, how many within the service level "
        "(closed by their due date), and the residents' average rating from 1 to 5. A row with fewer "
        "cases than the threshold is left empty."
    ),
    unit=_("cases"),
    frequency=_("monthly"),
    columns=(
        Column("month", _("Month received (YYYY-MM)")),
        Column("kecamatan_code", _("Kemendagri kecamatan code")),
        Column("kecamatan", _("Kecamatan name")),
        Column("category", _("Category")),
        Column("received", _("Cases received"), True),
        Column("closed", _("Cases closed")),
        Column("closed_within_sla", _("Cases closed by their due date")),
        Column("sla_percent", _("Share closed within the service level (%)")),
        Column("ratings", _("Cases rated by the resident"), True),
        Column("average_rating", _("Average rating (1-5)")),
    ),
    build=cases_rows,
)


# Announcements -----------------------------------------------------------------------------------------


def announcements_rows() -> list[dict[str, Any]]:
    from sinergi.announcements.models import Announcement, Delivery

    names = _names()
    categories = dict(Announcement.Category.choices)
    rows = (
        Delivery.objects.filter(announcement__status=Announcement.Status.SENT, announcement__sent_at__isnull=False)
        .annotate(month=TruncMonth("announcement__sent_at"), city=Substr("area_code", 1, 5))
        .values_list("month", "city", "announcement__category")
        .annotate(
            announcements=Count("announcement", distinct=True),
            delivered=Count("pk"),
            acknowledged=Count("acknowledged_at"),
            relayed=Count("relayed_at"),
            residents=Sum("residents_reached"),
        )
        .order_by("month", "city", "announcement__category")
    )
    return [
        {
            "month": _month(month),
            "city_code": city,
            "city": names.get(city, ""),
            "category": category,
            "category_name": str(categories.get(category, category)),
            "announcements": n,
            "organisations_reached": delivered,
            "organisations_acknowledged": acknowledged,
            "organisations_relayed": relayed,
            "residents_reached": suppress(int(residents or 0)),
        }
        for month, city, category, n, delivered, acknowledged, relayed, residents in rows
    ]


ANNOUNCEMENTS = Dataset(
    slug="announcements",
    title=_("Reach of government announcements"),
    definition=_(
        "Announcements sent down to community organisations, by month sent, city and category: the "
        "organisations they reached, those that acknowledged them, those that reported passing them "
        "on, and the residents those organisations reported reaching."
    ),
    unit=_("announcements, organisations, residents"),
    frequency=_("monthly"),
    columns=(
        Column("month", _("Month sent (YYYY-MM)")),
        Column("city_code", _("Kemendagri city code")),
        Column("city", _("City name")),
        Column("category", _("Category (code)")),
        Column("category_name", _("Category")),
        Column("announcements", _("Announcements sent")),
        Column("organisations_reached", _("Organisations that received them")),
        Column("organisations_acknowledged", _("Organisations that acknowledged them")),
        Column("organisations_relayed", _("Organisations that reported passing them on")),
        Column("residents_reached", _("Residents reached, as reported"), True),
    ),
    build=announcements_rows,
)


DATASETS: dict[str, Dataset] = {d.slug: d for d in (ORGANISATIONS, EVENTS, CASES, ANNOUNCEMENTS)}


def get(slug: str, *, fresh: bool = False) -> Built | None:
    """A dataset with its rows, from the cache unless ``fresh``; None for an unknown slug."""
    dataset = DATASETS.get(slug)
    if dataset is None:
        return None
    key = f"opendata:{slug}"
    cached = None if fresh else cache.get(key)
    if cached is not None:
        rows, updated = cached
        return Built(dataset, rows, updated)
    built = Built(dataset, dataset.build(), timezone.now())
    cache.set(key, (built.rows, built.updated_at), cache_seconds())
    return built
