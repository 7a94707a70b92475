"""Reads of the day stage: who is checked in on which day, the name search at the door, the
commitments and their signatures, and the counts the event hub shows."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from sinergi.events.models import (
    CheckIn,
    CommitmentSignature,
    CommitmentText,
    Event,
    EventCommitment,
    EventDay,
    Participant,
)

SEARCH_LIMIT = 20


def registered(event: Event) -> QuerySet[Participant]:
    """The participants who have a place (not on the waiting list, not cancelled)."""
    return event.participants.filter(status=Participant.Status.REGISTERED)


def day_get(event: Event, day_pk: int | None) -> EventDay:
    """The day ``day_pk`` of the event; without one, today's day, else the first day still to come,
    else the last one. Raises EventDay.DoesNotExist for a day of another event or an event without days."""
    days = event.days.all()
    if day_pk is not None:
        return days.get(pk=day_pk)
    today = timezone.localdate()
    return days.filter(date__gte=today).order_by("date").first() or days.order_by("-date")[:1].get()


@dataclass(frozen=True)
class DayCount:
    day: EventDay
    present: int
    signed: int


def day_counts(event: Event) -> list[DayCount]:
    """For each day: how many registered participants are checked in and how many signed."""
    days = event.days.annotate(
        present=Count("check_ins", filter=Q(check_ins__participant__status=Participant.Status.REGISTERED)),
        signed=Count(
            "check_ins",
            filter=Q(check_ins__participant__status=Participant.Status.REGISTERED) & ~Q(check_ins__signature=""),
        ),
    ).order_by("date")
    return [DayCount(day=d, present=d.present, signed=d.signed) for d in days]


def attendance_rows(day: EventDay) -> list[tuple[Participant, CheckIn | None]]:
    """Every registered participant with their check-in of ``day`` (None when absent), by name."""
    check_ins = {c.participant_id: c for c in CheckIn.objects.filter(day=day)}
    people = (
        registered(day.event).select_related("organisation__kind", "organisation__region").order_by("full_name", "pk")
    )
    return [(p, check_ins.get(p.pk)) for p in people]


def recent_check_ins(day: EventDay, limit: int = 10) -> list[CheckIn]:
    return list(
        CheckIn.objects.filter(day=day).select_related("participant__organisation").order_by("-checked_in_at")[:limit]
    )


def search(event: Event, day: EventDay, query: str) -> list[tuple[Participant, CheckIn | None]]:
    """Registered participants whose name or organisation contains ``query``, with their check-in."""
    query = " ".join((query or "").split())
    if len(query) < 2:
        return []
    people = list(
        registered(event)
        .filter(Q(full_name__icontains=query) | Q(organisation__name__icontains=query))
        .select_related("organisation")
        .order_by("full_name", "pk")[:SEARCH_LIMIT]
    )
    check_ins = {c.participant_id: c for c in CheckIn.objects.filter(day=day, participant__in=people)}
    return [(p, check_ins.get(p.pk)) for p in people]


def commitments(event: Event) -> list[EventCommitment]:
    """The event's commitments with their text and how many signed (``signed``)."""
    return list(event.commitments.select_related("text__unit").annotate(signed=Count("signatures")).order_by("pk"))


def commitments_with_signatures(event: Event) -> list[EventCommitment]:
    """The event's commitments with every signature and its participant (for the PDF)."""
    signatures = CommitmentSignature.objects.select_related("participant__organisation").order_by("signed_at", "pk")
    return list(event.commitments.select_related("text").prefetch_related(Prefetch("signatures", queryset=signatures)))


def texts_for(user: object) -> QuerySet[CommitmentText]:
    return CommitmentText.objects.visible_to(user).select_related("unit", "created_by")  # type: ignore[arg-type]


@dataclass(frozen=True)
class ParticipantState:
    """What a participant's own page shows: their check-ins by day and each commitment, signed or not."""

    days: list[tuple[EventDay, CheckIn | None]]
    commitments: list[tuple[EventCommitment, CommitmentSignature | None]]


def participant_state(participant: Participant) -> ParticipantState:
    event = participant.event
    check_ins = {c.day_id: c for c in participant.check_ins.all()}
    signed = {s.commitment_id: s for s in participant.signatures.all()}
    return ParticipantState(
        days=[(d, check_ins.get(d.pk)) for d in event.days.order_by("date")],
        commitments=[(c, signed.get(c.pk)) for c in event.commitments.select_related("text").order_by("pk")],
    )
