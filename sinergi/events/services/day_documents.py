"""The day's documents: the attendance list (daftar hadir) of each day, signed on the screen or
blank for wet signatures, and the signed commitments (each text with every signature under it).

A small event's PDF is made while the page waits; a large one (more than
``SINERGI_EVENTS_DIRECT_PDF_MAX`` registered participants) becomes a ``GeneratedDocument`` that a
task makes (``tasks_day.make_day_document``) while the page shows its progress. A generated
attendance list holds every day of the event, each day on its own pages. The activity report's
annex uses the same templates (``attendance_context``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit.services import record
from sinergi.core.pdf import render_pdf
from sinergi.events import permissions
from sinergi.events.models import CheckIn, Event, EventDay, GeneratedDocument, Participant
from sinergi.events.selectors import day as day_selectors
from sinergi.events.services.day_commitments import text_digest

if TYPE_CHECKING:
    from sinergi.accounts.models import User

DAY_KINDS = (
    GeneratedDocument.Kind.ATTENDANCE_SIGNED,
    GeneratedDocument.Kind.ATTENDANCE_BLANK,
    GeneratedDocument.Kind.COMMITMENTS,
)


def direct_limit() -> int:
    """Up to this many registered participants a day document is made while the page waits."""
    return int(getattr(settings, "SINERGI_EVENTS_DIRECT_PDF_MAX", 300))


def is_large(event: Event) -> bool:
    return day_selectors.registered(event).count() > direct_limit()


@dataclass(frozen=True)
class AttendanceDay:
    day: EventDay
    rows: list[tuple[int, Participant, CheckIn | None]]
    present: int
    registered: int


def attendance_days(event: Event, days: list[EventDay], *, blank: bool) -> list[AttendanceDay]:
    sections = []
    for day in days:
        rows = day_selectors.attendance_rows(day)
        present = sum(1 for _p, c in rows if c is not None)
        sections.append(
            AttendanceDay(
                day=day,
                rows=[(n, p, None if blank else c) for n, (p, c) in enumerate(rows, start=1)],
                present=present,
                registered=len(rows),
            )
        )
    return sections


def attendance_context(event: Event, *, day: EventDay | None = None, blank: bool = False) -> dict[str, Any]:
    """What ``events/pdf/day_attendance.html`` needs: one section per day (``day`` alone if given)."""
    days = [day] if day is not None else list(event.days.order_by("date"))
    return {
        "event": event,
        "unit": event.unit,
        "blank": blank,
        "sections": attendance_days(event, days, blank=blank),
        "printed_at": timezone.now(),
    }


def attendance_pdf(*, event: Event, day: EventDay | None = None, blank: bool = False) -> bytes:
    """The daftar hadir of ``day`` (of every day if None): signed, or blank for wet signatures."""
    return render_pdf("events/pdf/day_attendance.html", attendance_context(event, day=day, blank=blank))


def commitments_context(event: Event) -> dict[str, Any]:
    """What ``events/pdf/day_commitments.html`` needs: each text, its digest and its signatures."""
    items = day_selectors.commitments_with_signatures(event)
    return {
        "event": event,
        "unit": event.unit,
        "registered": day_selectors.registered(event).count(),
        "items": [(c, text_digest(c.text), list(c.signatures.all())) for c in items],
        "printed_at": timezone.now(),
    }


def commitments_pdf(*, event: Event) -> bytes:
    """Every commitment text of the event with every signature under it."""
    return render_pdf("events/pdf/day_commitments.html", commitments_context(event))


def file_name(event: Event, kind: str, day: EventDay | None = None) -> str:
    stems: dict[str, str] = {
        GeneratedDocument.Kind.ATTENDANCE_SIGNED.value: "daftar-hadir",
        GeneratedDocument.Kind.ATTENDANCE_BLANK.value: "daftar-hadir-kosong",
        GeneratedDocument.Kind.COMMITMENTS.value: "pakta-dan-ikrar",
    }
    stem = stems[kind]
    when = day.date.isoformat() if day is not None else "semua-hari"
    if kind == GeneratedDocument.Kind.COMMITMENTS:
        return f"{stem}-kegiatan-{event.pk}.pdf"
    return f"{stem}-kegiatan-{event.pk}-{when}.pdf"


def render(event: Event, kind: str, day: EventDay | None = None) -> bytes:
    if kind == GeneratedDocument.Kind.COMMITMENTS:
        return commitments_pdf(event=event)
    return attendance_pdf(event=event, day=day, blank=kind == GeneratedDocument.Kind.ATTENDANCE_BLANK)


@transaction.atomic
def day_document_request(*, by: User, event: Event, kind: str) -> GeneratedDocument:
    """Queue the making of a day document of the whole event (every day); the page polls it."""
    permissions.require_edit(by, event)
    if kind not in DAY_KINDS:
        raise ValidationError(_("This document is not made here."))
    running = event.documents.filter(
        kind=kind, status__in=[GeneratedDocument.Status.PENDING, GeneratedDocument.Status.RUNNING]
    ).first()
    if running is not None:
        return running
    document = GeneratedDocument.objects.create(event=event, kind=kind, requested_by=by)
    record(
        action="events.document.request",
        obj=document,
        actor=by,
        region_code=event.region.code,
        changes={"kind": [None, kind]},
    )
    from sinergi.events.tasks_day import make_day_document

    transaction.on_commit(lambda: make_day_document.enqueue(document_id=document.pk))
    return document


def day_document_make(*, document_id: int) -> GeneratedDocument | None:
    """Make the document (safe to run twice: a finished one is left as it is)."""
    document = GeneratedDocument.objects.select_related("event__unit", "event__region").filter(pk=document_id).first()
    if document is None or document.status == GeneratedDocument.Status.DONE:
        return document
    GeneratedDocument.objects.filter(pk=document.pk).update(status=GeneratedDocument.Status.RUNNING, progress=10)
    try:
        content = render(document.event, document.kind)
    except Exception as exc:
        GeneratedDocument.objects.filter(pk=document.pk).update(
            status=GeneratedDocument.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        document.file.save(file_name(document.event, document.kind), ContentFile(content), save=False)
        document.status, document.progress, document.finished_at = GeneratedDocument.Status.DONE, 100, timezone.now()
        document.error = ""
        document.save(update_fields=["file", "status", "progress", "finished_at", "error"])
    return document
