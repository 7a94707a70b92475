"""The invitation letter (Tata Naskah Dinas: kop, Nomor, Sifat, Lampiran, Perihal, Kepada Yth., the
date, time, place and agenda table, the signatory with name, position and NIP), one per invitation
or all of an event's in one PDF, and the participants' spreadsheet.

Long work (all letters of a large audience, the spreadsheet) runs as a task that fills a
``GeneratedDocument`` and reports its progress; one letter is rendered on request.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit.services import record
from sinergi.core.pdf import html_document, qr_data_uri, render_pdf
from sinergi.events import permissions
from sinergi.events.models import Event, GeneratedDocument, Invitation, Participant
from sinergi.events.services.plan_notify import participant_page_url
from sinergi.registry.spreadsheets import HEADER_FILL, HEADER_FONT, safe_cell
from sinergi.territory.models import Region

# Rendered through the day stage's WeasyPrint fetcher: core's ``render_pdf`` cannot load images
# (the QR codes) with the installed WeasyPrint.
LETTER_TEMPLATE = "events/pdf/plan_invitation.html"
LETTERS_PER_STEP = 50


def _government(event: Event) -> list[str]:
    """The kop's government lines: the province, then the city when the unit sits in one."""
    code = event.unit.region.code
    parts = code.split(".")
    codes = [".".join(parts[:i]) for i in range(1, min(len(parts), 2) + 1)]
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    lines = [_("Government of the Province of %(name)s") % {"name": names.get(codes[0], "")}]
    if len(codes) > 1 and codes[1] in names:
        lines.append(names[codes[1]])
    return lines


def letter_context(event: Event, invitations: Sequence[Invitation]) -> dict[str, Any]:
    """What the letter template needs: the event, its days and programme, and one page per invitation
    (with each registered delegate's QR code to their own page)."""
    days = list(event.days.all())
    sessions = list(event.sessions.select_related("day").prefetch_related("speakers"))
    pages = []
    for invitation in invitations:
        delegates = [
            {"participant": p, "qr": qr_data_uri(participant_page_url(p), scale=3)}
            for p in invitation.participants.exclude(status=Participant.Status.CANCELLED)
        ]
        pages.append({"invitation": invitation, "delegates": delegates})
    return {
        "event": event,
        "days": days,
        "sessions": sessions,
        "pages": pages,
        "government": _government(event),
        "attachment": "-" if not sessions else _("1 (one) sheet"),
    }


def invitation_letter_pdf(invitation: Invitation) -> bytes:
    """The letter to one addressee."""
    event = invitation.event
    return render_pdf(LETTER_TEMPLATE, letter_context(event, [invitation]))


def invitation_letters_pdf(event: Event, progress: Callable[[int], None] | None = None) -> bytes:
    """Every invitation's letter in one PDF, laid out in steps (so the page can show progress) and
    joined page by page."""
    invitations = list(event.invitations.select_related("organisation", "event").order_by("pk"))
    if not invitations:
        return render_pdf(LETTER_TEMPLATE, letter_context(event, []))
    documents = []
    for start in range(0, len(invitations), LETTERS_PER_STEP):
        documents.append(
            html_document(LETTER_TEMPLATE, letter_context(event, invitations[start : start + LETTERS_PER_STEP]))
        )
        if progress:
            progress(min(95, (start + LETTERS_PER_STEP) * 95 // len(invitations)))
    pages = [page for document in documents for page in document.pages]
    return bytes(documents[0].copy(pages).write_pdf())


PARTICIPANT_COLUMNS = [
    "number",
    "full_name",
    "position",
    "organisation",
    "kind",
    "area",
    "phone",
    "email",
    "substitute_for",
    "source",
    "status",
    "registered_at",
]


def participants_xlsx(event: Event, progress: Callable[[int], None] | None = None) -> bytes:
    """The event's participants (the cancelled left out) as an Excel workbook, every text cell
    guarded against formula injection."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    headers = {
        "number": _("No."),
        "full_name": _("Full name"),
        "position": _("Position"),
        "organisation": _("Organisation"),
        "kind": _("Kind of organisation"),
        "area": _("Area"),
        "phone": _("Phone"),
        "email": _("E-mail"),
        "substitute_for": _("Stands in for"),
        "source": _("Registered through"),
        "status": _("Status"),
        "registered_at": _("Registered at"),
    }
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Participants")[:31])
    header_row = []
    for key in PARTICIPANT_COLUMNS:
        cell = WriteOnlyCell(sheet, value=headers[key])
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        header_row.append(cell)
    sheet.append(header_row)
    rows = (
        event.participants.exclude(status=Participant.Status.CANCELLED)
        .select_related("organisation__kind", "organisation__region")
        .order_by("status", "registered_at", "pk")
    )
    total = rows.count() or 1
    tz = timezone.get_current_timezone()
    for number, p in enumerate(rows.iterator(chunk_size=1000), start=1):
        org = p.organisation
        sheet.append(
            [
                number,
                safe_cell(p.full_name),
                safe_cell(p.position),
                safe_cell(org.name if org else ""),
                safe_cell(org.kind.name if org else ""),
                safe_cell(org.region.name if org else ""),
                safe_cell(p.phone),
                safe_cell(p.email),
                safe_cell(p.substitute_for),
                str(p.get_source_display()),
                str(p.get_status_display()),
                p.registered_at.astimezone(tz).replace(tzinfo=None),
            ]
        )
        if progress and number % 1000 == 0:
            progress(min(99, number * 100 // total))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@transaction.atomic
def document_request(*, by: Any, event: Event, kind: str) -> GeneratedDocument:
    """Ask for the event's invitation letters or participants' spreadsheet; a task makes it. A
    request while the same document is still being made returns that one."""
    if kind not in (GeneratedDocument.Kind.INVITATION_LETTERS, GeneratedDocument.Kind.PARTICIPANTS_XLSX):
        raise ValueError(kind)
    if kind == GeneratedDocument.Kind.INVITATION_LETTERS:
        permissions.require_edit(by, event)
    running = GeneratedDocument.objects.filter(
        event=event,
        kind=kind,
        status__in=[GeneratedDocument.Status.PENDING, GeneratedDocument.Status.RUNNING],
        requested_by=by,
    ).first()
    if running is not None:
        return running
    document = GeneratedDocument.objects.create(event=event, kind=kind, requested_by=by)
    record(
        action="events.document.request", obj=document, actor=by, region_code=event.region.code, changes={"kind": kind}
    )
    from sinergi.events.tasks_plan import make_plan_document

    transaction.on_commit(lambda: make_plan_document.enqueue(document_id=document.pk))
    return document


def document_make(*, document_id: int) -> None:
    """Make the document (the task's body); safe to run twice: a finished document is left alone."""
    claimed = GeneratedDocument.objects.filter(pk=document_id, status=GeneratedDocument.Status.PENDING).update(
        status=GeneratedDocument.Status.RUNNING
    )
    if not claimed:
        return
    document = GeneratedDocument.objects.select_related("event__unit__region", "event__region").get(pk=document_id)
    event = document.event

    def progress(percent: int) -> None:
        GeneratedDocument.objects.filter(pk=document_id).update(progress=percent)

    try:
        if document.kind == GeneratedDocument.Kind.INVITATION_LETTERS:
            content, ext = invitation_letters_pdf(event, progress), "pdf"
        else:
            content, ext = participants_xlsx(event, progress), "xlsx"
    except Exception as exc:
        GeneratedDocument.objects.filter(pk=document_id).update(
            status=GeneratedDocument.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    document.file.save(f"{uuid.uuid4().hex}.{ext}", ContentFile(content), save=False)
    document.status = GeneratedDocument.Status.DONE
    document.progress = 100
    document.finished_at = timezone.now()
    document.save(update_fields=["file", "status", "progress", "finished_at"])
