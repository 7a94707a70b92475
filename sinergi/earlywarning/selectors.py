"""Reads of early warning: lists with filters, reporting compliance, and the situation picture."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from sinergi.accounts.models import Role
from sinergi.earlywarning import permissions
from sinergi.earlywarning.models import Report, Severity, Topic
from sinergi.earlywarning.services import reports_per_days
from sinergi.registry.models import Organisation
from sinergi.territory.models import Region, code_q

if TYPE_CHECKING:
    from sinergi.accounts.models import User


@dataclass
class ReportFilter:
    domain: str = ""
    topic: Topic | None = None
    severity: int | None = None  # at least
    status: str = ""
    area: str = ""  # a region code: the reports at or below it
    days: int | None = None  # the last so many days
    kind: str = Report.Kind.REPORT


def reports(*, user: User, filters: ReportFilter) -> QuerySet[Report]:
    """Reports ``user`` sees, filtered; newest first."""
    qs = Report.objects.visible_to(user)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.domain:
        qs = qs.filter(domain=filters.domain)
    if filters.topic is not None:
        qs = qs.filter(topics=filters.topic)
    if filters.severity:
        qs = qs.filter(severity__gte=filters.severity)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.area:
        qs = qs.filter(code_q([filters.area], "area_code"))
    if filters.days:
        qs = qs.filter(occurred_at__gte=timezone.now() - datetime.timedelta(days=filters.days))
    return qs.select_related("kelurahan", "reporter", "organisation").prefetch_related("topics")


def report_get(*, user: User, pk: int) -> Report | None:
    return (
        Report.objects.visible_to(user)
        .select_related("kelurahan__parent", "rw", "rt__rw", "reporter", "organisation", "verified_by")
        .prefetch_related("topics", "attachments", "follow_ups")
        .filter(pk=pk)
        .first()
    )


def watched_areas(user: User) -> list[Region]:
    """The top regions of the territory ``user`` watches (the province for Kesbangpol)."""
    if user.is_superuser:
        return list(Region.objects.filter(parent__isnull=True).order_by("code"))
    codes = permissions.office_codes(user)
    tops = [c for c in codes if not any(c.startswith(f"{other}.") for other in codes)]
    return list(Region.objects.filter(code__in=tops).order_by("code"))


def area_choices(user: User) -> list[Region]:
    """The areas ``user`` may pick for the map and reports: their top regions and the cities and
    kecamatan below them."""
    tops = watched_areas(user)
    q = Q(pk__in=[r.pk for r in tops])
    for top in tops:
        q |= Q(code__startswith=f"{top.code}.", level__in=[Region.Level.CITY, Region.Level.DISTRICT])
    return list(Region.objects.filter(q).order_by("code"))


# Compliance ----------------------------------------------------------------------------------------


@dataclass
class MemberCompliance:
    """One member's reporting in a window: periods due, periods with enough reports or nihil."""

    user_id: int
    name: str
    organisation: Organisation
    due: int = 0
    met: int = 0
    last_filed: datetime.date | None = None
    filed_now: bool = False  # in the period that holds today

    @property
    def rate(self) -> float | None:
        return None if self.due == 0 else self.met / self.due


@dataclass
class AreaCompliance:
    region_code: str
    name: str
    members: int = 0
    due: int = 0
    met: int = 0
    behind: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return None if self.due == 0 else self.met / self.due


def period_of(day: datetime.date, days: int) -> int:
    """The rhythm's period holding ``day``: periods of ``days`` days counted from a fixed day."""
    return day.toordinal() // days


def memberships(user: User, area: str = "") -> QuerySet[Role]:
    """Active FKDM memberships in the territory ``user`` watches (or in ``area`` inside it)."""
    roles = Role.objects.filter(
        kind=Role.Kind.FKDM_MEMBER,
        is_active=True,
        user__is_active=True,
        organisation__kind__code=permissions.FKDM_KIND,
    ).select_related("user", "organisation__region")
    scope = permissions.area_scope(user, "organisation__region__code")
    if scope is not None:
        roles = roles.filter(scope)
    if area:
        roles = roles.filter(code_q([area], "organisation__region__code"))
    return roles.order_by("organisation__region__code", "user__full_name", "user__username")


def compliance(
    *, user: User, start: datetime.date, end: datetime.date, area: str = "", today: datetime.date | None = None
) -> list[MemberCompliance]:
    """Each member's compliance from ``start`` to ``end`` (whole periods of the rhythm that end in the
    window and begin after the membership did), and whether they filed in the current period."""
    today = today or timezone.localdate()
    needed, days = reports_per_days()
    roles = list(memberships(user, area))
    if not roles:
        return []
    first_period, last_period, now_period = period_of(start, days), period_of(end, days), period_of(today, days)
    counts: dict[tuple[int, int], int] = defaultdict(int)
    last: dict[int, datetime.date] = {}
    lowest = datetime.date.fromordinal(min(first_period, now_period) * days or 1)
    filings = Report.objects.filter(reporter__in=[r.user_id for r in roles], for_date__gte=lowest)
    for reporter_id, for_date in filings.values_list("reporter_id", "for_date"):
        counts[(reporter_id, period_of(for_date, days))] += 1
        if reporter_id not in last or for_date > last[reporter_id]:
            last[reporter_id] = for_date
    result = []
    for role in roles:
        assert role.organisation is not None
        joined = period_of(timezone.localtime(role.created_at).date(), days)
        row = MemberCompliance(
            user_id=role.user_id,
            name=str(role.user),
            organisation=role.organisation,
            last_filed=last.get(role.user_id),
            filed_now=counts[(role.user_id, now_period)] >= needed,
        )
        for period in range(max(first_period, joined), last_period + 1):
            if (period + 1) * days - 1 > end.toordinal():
                break  # the period has not ended inside the window
            row.due += 1
            row.met += counts[(role.user_id, period)] >= needed
        result.append(row)
    return result


def compliance_by_area(rows: list[MemberCompliance]) -> list[AreaCompliance]:
    """The members' compliance summed per FKDM area (kelurahan, kecamatan, city)."""
    areas: dict[str, AreaCompliance] = {}
    for row in rows:
        region = row.organisation.region
        area = areas.setdefault(region.code, AreaCompliance(region_code=region.code, name=region.display_name))
        area.members += 1
        area.due += row.due
        area.met += row.met
        if not row.filed_now:
            area.behind.append(row.name)
    return sorted(areas.values(), key=lambda a: a.region_code)


def not_reported(*, user: User, area: str = "", today: datetime.date | None = None) -> list[MemberCompliance]:
    """Members in the user's territory who have not filed a report or nihil in the current period."""
    today = today or timezone.localdate()
    return [row for row in compliance(user=user, start=today, end=today, area=area, today=today) if not row.filed_now]


# Situation picture ---------------------------------------------------------------------------------


@dataclass
class SituationFilter:
    region: Region
    since: datetime.datetime
    until: datetime.datetime
    domain: str = ""
    topic: Topic | None = None


def _window(filters: SituationFilter) -> QuerySet[Report]:
    qs = Report.objects.filter(
        kind=Report.Kind.REPORT, occurred_at__gte=filters.since, occurred_at__lt=filters.until
    ).exclude(status=Report.Status.FALSE)
    region = filters.region
    if region.level == Region.Level.VILLAGE:
        qs = qs.filter(area_code=region.code)
    elif region.parent_id is not None or Region.objects.filter(parent__isnull=True).exclude(pk=region.pk).exists():
        qs = qs.filter(area_code__startswith=f"{region.code}.")
    # else: the only province holds every report; matching each row's code would only cost time.
    if filters.domain:
        qs = qs.filter(domain=filters.domain)
    if filters.topic is not None:
        qs = qs.filter(topics=filters.topic)
    return qs


def _picture_rows(filters: SituationFilter) -> list[tuple[str | None, datetime.date | None, int, int]]:
    """(kelurahan code, None, severity, n) and (None, day, severity, n) rows of the window.

    PostgreSQL makes both groupings in one pass over the index (``GROUPING SETS``); other databases
    (SQLite in development and tests) run two grouped queries.
    """
    window = _window(filters).annotate(day=TruncDate("occurred_at")).order_by()
    if connection.vendor == "postgresql":
        sql, params = window.values_list("area_code", "day", "severity").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT w.area_code, w.day, w.severity, COUNT(*) FROM ({sql}) AS w (area_code, day, severity) "  # noqa: S608 - Django's own SQL
                "GROUP BY GROUPING SETS ((w.area_code, w.severity), (w.day, w.severity))",
                params,
            )
            return list(cursor.fetchall())
    by_area = window.values_list("area_code", "severity").annotate(n=Count("id"))
    by_day = window.values_list("day", "severity").annotate(n=Count("id"))
    return [(code, None, severity, n) for code, severity, n in by_area] + [
        (None, day, severity, n) for day, severity, n in by_day
    ]


def picture(filters: SituationFilter) -> tuple[dict[str, dict[str, int]], dict[str, Any]]:
    """The map and the trend of the window: per kelurahan code the number of reports, how many are
    high or critical and the worst severity; per day and severity the number of reports. False
    reports are left out."""
    first = timezone.localtime(filters.since).date()
    last = timezone.localtime(filters.until - datetime.timedelta(microseconds=1)).date()
    days = [first + datetime.timedelta(days=i) for i in range((last - first).days + 1)]
    index = {day: i for i, day in enumerate(days)}
    series: dict[int, list[int]] = {severity: [0] * len(days) for severity in (1, 2, 3, 4)}
    areas: dict[str, dict[str, int]] = {}
    for code, day, severity, n in _picture_rows(filters):
        if code is not None:
            area = areas.setdefault(code, {"count": 0, "high": 0, "worst": 0})
            area["count"] += n
            area["high"] += n if severity >= Severity.HIGH else 0
            area["worst"] = max(area["worst"], severity)
        elif day in index and severity in series:
            series[severity][index[day]] += n
    trend = {"days": [d.isoformat() for d in days], "series": {str(k): v for k, v in series.items()}}
    return areas, trend


def weekly_summary(region: Region, week_start: datetime.date) -> dict[str, Any]:
    """What the weekly situation report shows for a city or kecamatan."""
    start = timezone.make_aware(datetime.datetime.combine(week_start, datetime.time()))
    filters = SituationFilter(region=region, since=start, until=start + datetime.timedelta(days=7))
    window = _window(filters)
    previous = _window(SituationFilter(region=region, since=start - datetime.timedelta(days=7), until=start)).count()
    by_domain = dict(window.values_list("domain").annotate(n=Count("id")).order_by())
    by_athg = dict(window.values_list("athg").annotate(n=Count("id")).order_by())
    by_topic = list(
        Topic.objects.filter(reports__in=window)
        .annotate(n=Count("reports"))
        .order_by("-n", "name")
        .values_list("name", "n")
    )
    areas, trend = picture(filters)
    names = dict(Region.objects.filter(code__in=list(areas)).values_list("code", "name"))
    serious = list(
        window.filter(severity__gte=3)
        .select_related("kelurahan")
        .prefetch_related("topics", "follow_ups")
        .order_by("-severity", "occurred_at")[:100]
    )
    return {
        "total": window.count(),
        "previous": previous,
        "by_domain": [(label, by_domain.get(value, 0)) for value, label in Report.Domain.choices],
        "by_athg": [(label, by_athg.get(value, 0)) for value, label in Report.Athg.choices],
        "by_topic": by_topic,
        "areas": sorted(((names.get(code, code), v) for code, v in areas.items()), key=lambda x: -x[1]["count"]),
        "serious": serious,
        "trend": trend,
    }
