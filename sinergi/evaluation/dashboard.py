"""The home page per role: what needs action in the user's scope, with a map and charts per area.

Staff see one area of their territory at a time (their top region, or a region below it chosen by
drilling down): counters of what needs action, and per child area (city, kecamatan, kelurahan) the
organisations, open and overdue cases, unacknowledged announcements, the latest evaluation score
and, for those who watch early warning, its alerts. Each figure is one aggregate query over an
indexed column for the whole area, grouped by region code and added up to the children; the result
is kept in the shared cache per area for a short time (``SINERGI_DASHBOARD_CACHE_SECONDS``), so
the page stays fast at Jakarta scale however many users open it: once the time is up, the figures
are computed again by a task while the page still shows the previous ones.

A representative (Ketua RT, an Ormas secretary) sees their organisations' to-dos instead:
invitations to answer, announcements to acknowledge, their cases.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from sinergi.announcements.models import Announcement, Delivery
from sinergi.cases.models import Case
from sinergi.core.http import AuthedRequest
from sinergi.earlywarning import permissions as ew_permissions
from sinergi.earlywarning.models import Alert
from sinergi.evaluation.models import Round, Subject
from sinergi.events.models import Event, EventDay, Invitation
from sinergi.registry.models import Document, Officer, Organisation
from sinergi.territory.models import Region, code_q

if TYPE_CHECKING:
    from sinergi.accounts.models import User

EXPIRY_DAYS = 60
ALERT_DAYS = 7
LIST_LENGTH = 5
LIVE_EVENT_STATUSES = (Event.Status.PUBLISHED, Event.Status.RUNNING)
STALE_FACTOR = 10  # stale figures are shown at most this many times the cache time


def cache_seconds() -> int:
    return int(getattr(settings, "SINERGI_DASHBOARD_CACHE_SECONDS", 60))


@dataclass
class AreaRow:
    """One child area (or the area itself) with its figures."""

    code: str
    name: str
    organisations: int = 0
    cases_open: int = 0
    cases_overdue: int = 0
    unacknowledged: int = 0
    alerts: int | None = None
    score: float | None = None


@dataclass
class AreaStats:
    totals: AreaRow
    children: list[AreaRow] = field(default_factory=list)
    documents_expiring: int = 0
    terms_ending: int = 0
    not_reported: int = 0
    score_round: str = ""
    village_scores: dict[str, float] = field(default_factory=dict)  # for the map


def _group(rows: Any, children: dict[str, AreaRow], total: AreaRow, attribute: str) -> None:
    """Add ``(region_code, n)`` rows to the child area holding each code and to the total."""
    for code, n in rows:
        if not code or not n:
            continue
        setattr(total, attribute, (getattr(total, attribute) or 0) + n)
        for child_code, row in children.items():
            if code == child_code or code.startswith(f"{child_code}."):
                setattr(row, attribute, (getattr(row, attribute) or 0) + n)
                break


def area_stats(area: Region, *, watcher: bool, today: datetime.date | None = None) -> AreaStats:
    """The area's figures, from the shared cache.

    Figures older than ``cache_seconds()`` are still shown while one task computes them again (the
    first request to notice queues it), so no visitor waits for a province's aggregates over a
    million cases; only an area nobody opened for ``STALE_FACTOR`` times that is computed in the request.
    """
    today = today or timezone.localdate()
    key = _key(area.code, watcher, today)
    cached: dict[str, Any] | None = cache.get(key)
    if cached is None:
        return store_area_stats(area, watcher=watcher, today=today)
    if cached["fresh_until"] < time.time() and cache.add(f"{key}:refreshing", 1, cache_seconds()):
        from sinergi.evaluation.tasks import refresh_dashboard

        refresh_dashboard.enqueue(area_code=area.code, watcher=watcher, day=today.isoformat())
    return AreaStats(
        totals=AreaRow(**cached["totals"]),
        children=[AreaRow(**row) for row in cached["children"]],
        **{k: v for k, v in cached.items() if k not in ("totals", "children", "fresh_until")},
    )


def _key(code: str, watcher: bool, today: datetime.date) -> str:
    return f"evaluation:dashboard:{code}:{int(watcher)}:{today.isoformat()}"


def store_area_stats(area: Region, *, watcher: bool, today: datetime.date) -> AreaStats:
    """Compute the area's figures and keep them in the shared cache."""
    stats = _compute(area, watcher=watcher, today=today)
    value = {**asdict(stats), "fresh_until": time.time() + cache_seconds()}
    cache.set(_key(area.code, watcher, today), value, cache_seconds() * STALE_FACTOR)
    cache.delete(f"{_key(area.code, watcher, today)}:refreshing")
    return stats


def _compute(area: Region, *, watcher: bool, today: datetime.date) -> AreaStats:
    inside = [area.code]
    total = AreaRow(area.code, area.display_name, alerts=0 if watcher else None)
    children = {
        code: AreaRow(code, Region.display_name_of(code, name, level), alerts=0 if watcher else None)
        for code, name, level in area.children.order_by("code").values_list("code", "name", "level")
    }
    active = Organisation.objects.filter(code_q(inside, "region__code"), status=Organisation.Status.ACTIVE)
    _group(active.values_list("region__code").annotate(n=Count("pk")), children, total, "organisations")
    cases = Case.objects.filter(code_q(inside, "region_code"), status__in=Case.OPEN_STATUSES)
    _group(cases.values_list("region_code").annotate(n=Count("pk")), children, total, "cases_open")
    _group(
        cases.filter(due_on__lt=today).values_list("region_code").annotate(n=Count("pk")),
        children,
        total,
        "cases_overdue",
    )
    waiting = Delivery.objects.filter(
        code_q(inside, "area_code"),
        acknowledged_at__isnull=True,
        announcement__ack_required=True,
        announcement__status=Announcement.Status.SENT,
    )
    _group(waiting.values_list("area_code").annotate(n=Count("pk")), children, total, "unacknowledged")
    if watcher:
        since = timezone.now() - datetime.timedelta(days=ALERT_DAYS)
        alerts = Alert.objects.filter(code_q(inside, "area_code"), raised_at__gte=since)
        _group(alerts.values_list("area_code").annotate(n=Count("pk")), children, total, "alerts")
    stats = AreaStats(totals=total, children=list(children.values()))
    _scores(area, stats)
    until = today + datetime.timedelta(days=EXPIRY_DAYS)
    in_area = code_q(inside, "organisation__region__code") & Q(organisation__status=Organisation.Status.ACTIVE)
    newer = Document.objects.filter(
        organisation=OuterRef("organisation"), type=OuterRef("type"), valid_until__gt=OuterRef("valid_until")
    )
    stats.documents_expiring = (
        Document.objects.filter(in_area, valid_until__range=(today, until)).filter(~Exists(newer)).count()
    )
    stats.terms_ending = Officer.objects.filter(in_area, ended_on__isnull=True, term_end__range=(today, until)).count()
    stats.not_reported = _not_reported(inside, today)
    return stats


def _not_reported(inside: list[str], today: datetime.date) -> int:
    from sinergi.registry.models import ActivityReport, OrganisationKind

    late = Q(pk__in=[])
    for kind_id, days in OrganisationKind.objects.filter(activity_report_days__isnull=False).values_list(
        "pk", "activity_report_days"
    ):
        recent = ActivityReport.objects.filter(
            organisation=OuterRef("pk"), held_on__gte=today - datetime.timedelta(days=days or 0)
        )
        late |= Q(Q(kind_id=kind_id), ~Exists(recent))
    return (
        Organisation.objects.filter(code_q(inside, "region__code"), status=Organisation.Status.ACTIVE)
        .filter(late)
        .count()
    )


def _latest_round(area: Region, level: str) -> Round | None:
    """The latest finished round of subjects of ``level`` over the area or a territory above it."""
    return (
        Round.objects.filter(subject_kind=level, status=Round.Status.FINISHED)
        .filter(Q(region__code__in=_ancestors(area.code)) | code_q([area.code], "region__code"))
        .order_by("-period_end", "-pk")
        .first()
    )


def _scores(area: Region, stats: AreaStats) -> None:
    """Each child's score in the latest finished round of its level, and every kelurahan's for the map."""
    villages = _latest_round(area, Round.SubjectKind.KELURAHAN)
    if villages is not None:
        stats.village_scores = {
            code: float(score or 0)
            for code, score in Subject.objects.filter(
                code_q([area.code], "region__code"), round=villages, score__isnull=False
            ).values_list("region__code", "score")
        }
    if not stats.children:
        return
    level = Region.objects.filter(code=stats.children[0].code).values_list("level", flat=True).first()
    if level not in (Round.SubjectKind.KELURAHAN, Round.SubjectKind.KECAMATAN):
        return
    latest = villages if level == Round.SubjectKind.KELURAHAN else _latest_round(area, level)
    if latest is None:
        return
    scores = dict(
        Subject.objects.filter(round=latest, region__code__in=[c.code for c in stats.children]).values_list(
            "region__code", "score"
        )
    )
    for row in stats.children:
        value = scores.get(row.code)
        row.score = float(value) if value is not None else None
    stats.score_round = latest.title


def _ancestors(code: str) -> list[str]:
    return [code[:i] for i in range(1, len(code) + 1) if i == len(code) or code[i] == "."]


# Lists for the page ---------------------------------------------------------------------------------


def upcoming_events(user: User, area: Region | None, today: datetime.date) -> list[Event]:
    """The next events the user sees (in the area when one is chosen), soonest first."""
    first_day = EventDay.objects.filter(event=OuterRef("pk"), date__gte=today).order_by("date").values("date")[:1]
    events = (
        Event.objects.visible_to(user)
        .filter(status__in=LIVE_EVENT_STATUSES)
        .filter(Exists(EventDay.objects.filter(event=OuterRef("pk"), date__gte=today)))
    )
    if area is not None:
        events = events.filter(code_q([area.code], "region__code") | Q(region__code__in=_ancestors(area.code)))
    return list(events.annotate(next_day=first_day).select_related("region").order_by("next_day", "pk")[:LIST_LENGTH])


def recent_alerts(user: User, area: Region) -> list[Alert]:
    scope = ew_permissions.area_scope(user) or Q()
    return list(Alert.objects.filter(scope, code_q([area.code], "area_code")).order_by("-raised_at")[:LIST_LENGTH])


@dataclass
class RepresentativeTodo:
    invitations: list[Invitation]
    deliveries: list[Delivery]
    cases: list[Case]


def representative_todo(user: User) -> RepresentativeTodo:
    """What a representative's organisations must do: answer, acknowledge, follow their cases."""
    orgs = user.represented_organisation_ids()
    invitations = (
        Invitation.objects.filter(
            organisation_id__in=orgs, answer=Invitation.Answer.PENDING, event__status__in=LIVE_EVENT_STATUSES
        )
        .select_related("event", "organisation")
        .order_by("event__created_at")[: LIST_LENGTH * 2]
    )
    deliveries = (
        Delivery.objects.of_representative(user)
        .filter(acknowledged_at__isnull=True, announcement__ack_required=True, announcement__status="sent")
        .select_related("announcement", "organisation")
        .order_by("-delivered_at")[: LIST_LENGTH * 2]
    )
    cases = (
        Case.objects.filter(Q(organisation_id__in=orgs) | Q(submitted_by=user))
        .select_related("category")
        .order_by("-created_at")[: LIST_LENGTH * 2]
    )
    return RepresentativeTodo(list(invitations), list(deliveries), list(cases))


def chosen_area(user: User, code: str | None) -> Region | None:
    """The area the staff member looks at: the one asked for if they see it, else their top region."""
    from sinergi.territory import selectors as territory_selectors

    if code:
        region = Region.objects.visible_to(user).filter(code=code).first()
        if region is not None:
            return region
    roots = territory_selectors.scope_roots(user)
    return roots[0] if roots else None


def home_context(user: User, area_code: str | None) -> dict[str, Any]:
    """Everything the home page shows for ``user``."""
    today = timezone.localdate()
    context: dict[str, Any] = {"today": today}
    if user.represented_organisation_ids():
        context["todo"] = representative_todo(user)
    if not user.is_government_staff:
        return context
    area = chosen_area(user, area_code)
    if area is None:
        return context
    watcher = ew_permissions.is_watcher(user)
    from sinergi.territory import selectors as territory_selectors

    roots = {r.code for r in territory_selectors.scope_roots(user)}
    context.update(
        {
            "area": area,
            "area_up": area.parent if area.parent_id and area.code not in roots else None,
            "stats": area_stats(area, watcher=watcher, today=today),
            "watcher": watcher,
            "events": upcoming_events(user, area, today),
            "alerts": recent_alerts(user, area) if watcher else [],
        }
    )
    return context


@login_required
def area_data_view(request: AuthedRequest, code: str) -> JsonResponse:
    """The figures of an area's children for the map and the charts (JSON)."""
    area = get_object_or_404(Region.objects.visible_to(request.user), code=code)
    stats = area_stats(area, watcher=ew_permissions.is_watcher(request.user))
    home = reverse("core:home")
    children = [{**asdict(row), "url": f"{home}?area={row.code}"} for row in stats.children]
    response = JsonResponse(
        {
            "area": asdict(stats.totals),
            "children": children,
            "score_round": stats.score_round,
            "village_scores": stats.village_scores,
            "geojson": reverse("territory:geojson", args=[area.code]),
        }
    )
    response["Cache-Control"] = "private, max-age=60"
    return response
