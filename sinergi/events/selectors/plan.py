"""Reads of the plan stage. Everything starts from ``Event.objects.visible_to(user)``."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from sinergi.events.models import Event, EventDay, Invitation, Participant

if TYPE_CHECKING:
    from sinergi.accounts.models import User


def events_visible(user: User) -> QuerySet[Event]:
    return Event.objects.visible_to(user)


def event_list(user: User, *, q: str = "", status: str = "", upcoming: bool = False) -> QuerySet[Event]:
    """The events the user sees, soonest first, with their first day and counts."""
    events = (
        Event.objects.filter(pk__in=events_visible(user).values("pk"))
        .select_related("unit", "region")
        .annotate(first_date=Min("days__date"))
    )
    if q:
        events = events.filter(Q(title__icontains=q) | Q(venue__icontains=q) | Q(theme__icontains=q))
    if status in Event.Status.values:
        events = events.filter(status=status)
    if upcoming:
        events = events.filter(days__date__gte=datetime.date.today()).distinct()
    return events.order_by("-first_date", "-pk")


@dataclass
class CalendarDay:
    date: datetime.date
    in_month: bool
    entries: list[tuple[Event, EventDay]] = field(default_factory=list)


def calendar_month(user: User, year: int, month: int) -> list[list[CalendarDay]]:
    """The month as weeks (Monday first) with the days of the events the user sees."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    start, end = weeks[0][0], weeks[-1][-1]
    days = (
        EventDay.objects.filter(date__range=(start, end), event__in=events_visible(user).values("pk"))
        .select_related("event")
        .order_by("date", "starts_at")
    )
    by_date: dict[datetime.date, list[tuple[Event, EventDay]]] = {}
    for day in days:
        by_date.setdefault(day.date, []).append((day.event, day))
    return [[CalendarDay(d, d.month == month, by_date.get(d, [])) for d in week] for week in weeks]


def event_counts(event: Event) -> dict[str, int]:
    """How many invitations (answered, attending) and participants (registered, waiting)."""
    inv = event.invitations.aggregate(
        total=Count("pk"),
        attending=Count("pk", filter=Q(answer=Invitation.Answer.ATTENDING)),
        declined=Count("pk", filter=Q(answer=Invitation.Answer.DECLINED)),
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
    )
    part = event.participants.aggregate(
        registered=Count("pk", filter=Q(status=Participant.Status.REGISTERED)),
        waitlisted=Count("pk", filter=Q(status=Participant.Status.WAITLISTED)),
    )
    return {f"invitations_{k}": v for k, v in inv.items()} | part


def participants(event: Event, *, status: str = "", q: str = "") -> QuerySet[Participant]:
    rows = event.participants.select_related("organisation__kind", "organisation__region")
    if status in Participant.Status.values:
        rows = rows.filter(status=status)
    else:
        rows = rows.exclude(status=Participant.Status.CANCELLED)
    if q:
        rows = rows.filter(Q(full_name__icontains=q) | Q(organisation__name__icontains=q))
    return rows.order_by("status", "registered_at", "pk")


def invitations(event: Event, *, answer: str = "") -> QuerySet[Invitation]:
    rows = event.invitations.select_related("organisation__kind", "organisation__region").annotate(
        delegates=Count("participants", filter=~Q(participants__status=Participant.Status.CANCELLED))
    )
    if answer in Invitation.Answer.values:
        rows = rows.filter(answer=answer)
    return rows.order_by("pk")


def my_invitations(user: User) -> QuerySet[Invitation]:
    """The invitations of the organisations the user represents, of events that are not drafts."""
    return (
        Invitation.objects.filter(organisation_id__in=user.represented_organisation_ids())
        .exclude(event__status=Event.Status.DRAFT)
        .select_related("event", "organisation")
        .annotate(first_date=Min("event__days__date"))
        .order_by("-first_date", "-pk")
    )


def invitation_for(user: User, pk: int) -> Invitation:
    """An invitation the user sees: through its event (staff in scope) or as its organisation's
    representative; 404 otherwise (a draft's invitations only for staff)."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("event__unit__region", "event__region", "organisation__region"), pk=pk
    )
    if not Event.objects.visible_to(user).filter(pk=invitation.event_id).exists():
        raise Http404
    represented = invitation.organisation_id in user.represented_organisation_ids()
    if not (represented or user.is_government_staff):
        raise Http404
    return invitation
