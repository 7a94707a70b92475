"""Reads of cases: the staff inbox with its filters and service-level state, the workload per unit,
open cases like a new one, and what the public tracking page may show."""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Unit
from sinergi.cases.models import Case, CaseTransition, Category
from sinergi.core import workdays
from sinergi.territory.models import Region, code_q

if TYPE_CHECKING:
    from sinergi.accounts.models import User

SIMILAR_SHOWN = 5
SIMILAR_SCANNED = 200
SIMILAR_MIN_SCORE = 0.25
WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)


class Sla:
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    CLOSED = "closed"

    CHOICES = [
        (ON_TIME, _("On time")),
        (DUE_SOON, _("Due soon")),
        (OVERDUE, _("Overdue")),
    ]
    LABELS = dict(CHOICES) | {CLOSED: _("Closed")}


def due_soon_days() -> int:
    return int(getattr(settings, "SINERGI_CASE_DUE_SOON_DAYS", 2))


def soon_limit(today: datetime.date | None = None) -> datetime.date:
    """The last due date that counts as "due soon" today."""
    return workdays.add_working_days(today or timezone.localdate(), due_soon_days())


def sla_state(case: Case, today: datetime.date | None = None, soon: datetime.date | None = None) -> str:
    if not case.is_open:
        return Sla.CLOSED
    today = today or timezone.localdate()
    if case.due_on < today:
        return Sla.OVERDUE
    if case.due_on <= (soon or soon_limit(today)):
        return Sla.DUE_SOON
    return Sla.ON_TIME


def sla_filter(state: str, today: datetime.date | None = None) -> Q:
    today = today or timezone.localdate()
    open_ = Q(status__in=Case.OPEN_STATUSES)
    if state == Sla.OVERDUE:
        return open_ & Q(due_on__lt=today)
    if state == Sla.DUE_SOON:
        return open_ & Q(due_on__gte=today, due_on__lte=soon_limit(today))
    if state == Sla.ON_TIME:
        return open_ & Q(due_on__gt=soon_limit(today))
    return Q()


@dataclass(frozen=True)
class InboxFilters:
    status: str = ""
    category: int | None = None
    area: str = ""
    sla: str = ""
    unit: int | None = None
    q: str = ""


COUNT_CAP = 10_000  # the inbox counts at most this many ("more than 10,000"): counting a million is slow


SLA_WALK_FROM = 3_000  # see ``ordered``


def capped_count(cases: QuerySet[Case]) -> int:
    """How many ``cases`` there are, counting at most ``COUNT_CAP + 1``."""
    return int(cases.order_by()[: COUNT_CAP + 1].count())


def ordered(cases: QuerySet[Case], filters: InboxFilters, *, count: int) -> QuerySet[Case]:
    """``cases`` in inbox order: the most overdue first under an SLA filter, else the newest first.

    ``count`` (from ``capped_count``) chooses the plan. Many rows (more than ``COUNT_CAP``, at least
    1% of a million cases) are best read by walking the index in that order until a page is full.
    Few rows spread over a large table are not: the walk would read tens of thousands of rows to
    find 25, yet PostgreSQL's planner picks it for any ``ORDER BY ... LIMIT``. Ordering by
    ``COALESCE(column, column)``, which no index provides, makes it fetch the few rows through the
    scope's own indexes and sort them instead: 3 ms instead of 150 for a kelurahan's inbox among a
    million cases. The order itself is the same.
    """
    column, descending = ("due_on", False) if filters.sla else ("created_at", True)
    # An SLA filter walks the index of open cases only (about a third of them), so it pays off sooner.
    walk_from = SLA_WALK_FROM if filters.sla else COUNT_CAP
    first: Any = F(column) if count > walk_from else Coalesce(column, column)
    keys = [first.desc() if descending else first.asc(), F("id").desc() if descending else F("id").asc()]
    return cases.order_by(*keys)


def inbox(user: User, filters: InboxFilters) -> QuerySet[Case]:
    """The cases the user sees, filtered, newest first (``ordered`` chooses the order for a page)."""
    cases = Case.objects.visible_to(user)
    if filters.status == "open":
        cases = cases.filter(status__in=Case.OPEN_STATUSES)
    elif filters.status:
        cases = cases.filter(status=filters.status)
    if filters.category:
        cases = cases.filter(Q(category_id=filters.category) | Q(category__parent_id=filters.category))
    if filters.area:
        cases = cases.filter(code_q([filters.area], "region_code"))
    if filters.sla:
        cases = cases.filter(sla_filter(filters.sla))
    if filters.unit:
        cases = cases.filter(current_unit_id=filters.unit)
    if filters.q:
        cases = (
            cases.filter(number__iexact=filters.q.strip().upper())
            if "-" in filters.q
            else cases.filter(description__icontains=filters.q.strip())
        )
    return cases.select_related("category__parent", "region", "current_unit").order_by("-created_at", "-id")


@dataclass(frozen=True)
class Workload:
    unit: Unit
    open: int
    overdue: int


@dataclass(frozen=True)
class CachedWorkload:
    rows: list[Workload]
    computed_at: datetime.datetime


def workload_cached(user: User) -> CachedWorkload:
    """``workload`` kept in the shared cache for ``SINERGI_DASHBOARD_CACHE_SECONDS`` per user and set of
    roles: a province's workload groups some 300,000 open cases, too much to redo on every view."""
    roles = ",".join(f"{r.pk}:{r.unit_id}" for r in sorted(user.active_roles(), key=lambda r: r.pk))
    key = f"cases:workload:{user.pk}:{hashlib.sha256(roles.encode()).hexdigest()[:16]}:{timezone.localdate()}"
    found: CachedWorkload | None = cache.get(key)
    if found is None:
        found = CachedWorkload(rows=workload(user), computed_at=timezone.now())
        cache.set(key, found, int(getattr(settings, "SINERGI_DASHBOARD_CACHE_SECONDS", 60)))
    return found


def workload(user: User, limit: int = 20) -> list[Workload]:
    """Open and overdue cases per unit holding them, among the cases the user sees (most loaded first)."""
    today = timezone.localdate()
    grouped = (
        Case.objects.visible_to(user)
        .filter(status__in=Case.OPEN_STATUSES)
        .values("current_unit")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today)))
        .order_by("-open")[:limit]
    )
    rows = list(grouped)
    units = Unit.objects.in_bulk([r["current_unit"] for r in rows])
    return [
        Workload(unit=units[r["current_unit"]], open=r["open"], overdue=r["overdue"])
        for r in rows
        if r["current_unit"] in units
    ]


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


@dataclass(frozen=True)
class Similar:
    case: Case
    score: float
    shared: tuple[str, ...] = ()  # the words both texts use: shown instead of the other reporter's text


def similar_open(region: Region, category: Category, text: str, exclude: int | None = None) -> list[Similar]:
    """Open cases of the same kelurahan and category whose words overlap ``text`` (Jaccard), best first."""
    words = _words(text)
    if not words:
        return []
    candidates = (
        Case.objects.filter(region=region, category=category, status__in=Case.OPEN_STATUSES)
        .exclude(pk=exclude or 0)
        .only("id", "number", "description", "status", "created_at", "kind")
        .order_by("-created_at")[:SIMILAR_SCANNED]
    )
    found = []
    for case in candidates:
        other = _words(case.description)
        if not other:
            continue
        score = len(words & other) / len(words | other)
        if score >= SIMILAR_MIN_SCORE:
            found.append(Similar(case=case, score=score, shared=tuple(sorted(words & other))))
    found.sort(key=lambda s: -s.score)
    return found[:SIMILAR_SHOWN]


def timeline(case: Case) -> list[CaseTransition]:
    return list(case.transitions.select_related("unit", "actor").prefetch_related("files"))


def category_tree(*, active_only: bool = True) -> list[tuple[str, Category]]:
    """``("— Child", category)`` in tree order: each parent, then its children."""
    rows = Category.objects.select_related("parent", "unit")
    if active_only:
        rows = rows.filter(is_active=True)
    by_parent: dict[int | None, list[Category]] = {}
    for c in rows:
        by_parent.setdefault(c.parent_id, []).append(c)
    out: list[tuple[str, Category]] = []

    def walk(parent: int | None, depth: int) -> None:
        for c in sorted(by_parent.get(parent, []), key=lambda x: x.name):
            out.append((("— " * depth) + c.name, c))
            walk(c.pk, depth + 1)

    walk(None, 0)
    return out


def category_choices() -> list[tuple[int, str]]:
    """``(pk, "— Child")`` of the active categories, for selects."""
    return [(c.pk, label) for label, c in category_tree()]


def kelurahan_choices() -> list[tuple[str, str]]:
    """Every kelurahan, "Kelurahan Gambir (Gambir, Jakarta Pusat)", for the select fallback of the map."""
    rows = (
        Region.objects.filter(level=Region.Level.VILLAGE)
        .select_related("parent")
        .only("id", "code", "name", "level", "parent__name")
        .order_by("name")
    )
    return [(r.code, f"{r.display_name} ({r.parent.name if r.parent else ''})") for r in rows]
