"""Certificates and the generated documents of the after stage (certificates, activity report).

A request makes a ``GeneratedDocument`` row and queues the task ``tasks_after.generate_document``
after commit; the task claims the row, builds the file in steps that update ``progress`` (the page
polls it), and stores the file or the error. Running the task twice does nothing the second time.

Certificates: issuing gives one to every participant who attended (see
``selectors.after.eligible_for_certificate``: every day of a multi-day training, one day of
anything else) and does not have one yet, then prints all valid ones into one PDF. A certificate is
revoked with a reason, never deleted; its public page then says so.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import User
from sinergi.audit.services import record
from sinergi.events.models import Certificate, Event, GeneratedDocument
from sinergi.events.permissions import require_edit
from sinergi.events.selectors import after, after_report
from sinergi.events.services import after_pdf

logger = logging.getLogger(__name__)

# Certificates are printed in batches so the page sees progress and memory stays flat.
CERTIFICATE_BATCH = 50
# A document still "being made" after this long was lost with its worker; a new request may start again.
STALE_AFTER = datetime.timedelta(minutes=30)

CERTIFICATE_TEMPLATE = "events/pdf/after_certificate.html"
AFTER_KINDS = (GeneratedDocument.Kind.REPORT, GeneratedDocument.Kind.CERTIFICATES)


# Requests ----------------------------------------------------------------------------------------


@transaction.atomic
def document_request(*, event: Event, kind: str, by: User) -> GeneratedDocument:
    """Ask for the activity report or the certificates of ``event``; a request of the same kind that
    is still waiting or being made is returned instead of starting a second one."""
    require_edit(by, event)
    if kind not in AFTER_KINDS:
        raise ValidationError({"kind": _("Choose the activity report or the certificates.")})
    if event.status in (Event.Status.DRAFT, Event.Status.CANCELLED):
        raise ValidationError(_("A draft or cancelled event has no report or certificates."))
    if kind == GeneratedDocument.Kind.CERTIFICATES and not (
        after.eligible_for_certificate(event).exists() or after.certificates_of(event).exists()
    ):
        raise ValidationError(_("Nobody has attended yet: certificates go to participants who checked in."))
    Event.objects.select_for_update().filter(pk=event.pk).first()  # one request at a time per event
    running = (
        GeneratedDocument.objects.filter(
            event=event,
            kind=kind,
            status__in=[GeneratedDocument.Status.PENDING, GeneratedDocument.Status.RUNNING],
            created_at__gte=timezone.now() - STALE_AFTER,
        )
        .order_by("-created_at")
        .first()
    )
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
    from sinergi.events.tasks_after import generate_document

    transaction.on_commit(lambda: generate_document.enqueue(document_id=document.pk))
    return document


# Certificates ------------------------------------------------------------------------------------


def certificates_issue(*, event: Event) -> list[Certificate]:
    """Give a certificate to every eligible participant without one; returns the new ones.

    Called by the certificates task (the request checked the permission); safe to run twice."""
    new: list[Certificate] = []
    missing = list(after.eligible_for_certificate(event).filter(certificate__isnull=True).order_by("full_name", "pk"))
    for participant in missing:
        for _attempt in range(5):  # a random code may collide with an existing one, very rarely
            try:
                with transaction.atomic():
                    new.append(Certificate.objects.create(participant=participant))
                break
            except IntegrityError:
                if Certificate.objects.filter(participant=participant).exists():
                    break  # another run issued it meanwhile
    if new:
        record(
            action="events.certificates.issue",
            obj=event,
            region_code=event.region.code,
            changes={"certificates": [None, [c.code for c in new]]},
        )
    return new


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str, by: User) -> Certificate:
    """Revoke a certificate (issued in error, a participant who did not in fact attend); the public
    page then shows it as revoked, with the date."""
    event = certificate.participant.event
    require_edit(by, event)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the certificate is revoked.")})
    if certificate.revoked_at is not None:
        raise ValidationError(_("This certificate was already revoked."))
    certificate.revoked_at = timezone.now()
    certificate.revoke_reason = reason[:255]
    certificate.save(update_fields=["revoked_at", "revoke_reason"])
    record(
        action="events.certificate.revoke",
        obj=certificate,
        actor=by,
        region_code=event.region.code,
        changes={"revoked_at": [None, str(certificate.revoked_at)], "revoke_reason": ["", certificate.revoke_reason]},
    )
    return certificate


def certificate_pdf(certificate: Certificate) -> bytes:
    """One participant's certificate as a PDF (for their own page)."""
    if certificate.revoked_at is not None:
        raise ValidationError(_("This certificate was revoked."))
    event = certificate.participant.event
    return after_pdf.write(
        [after_pdf.render(CERTIFICATE_TEMPLATE, after_report.certificate_pages(event, [certificate]))]
    )


# Building files ----------------------------------------------------------------------------------


def _progress(document: GeneratedDocument, percent: int) -> None:
    document.progress = max(0, min(percent, 99))
    GeneratedDocument.objects.filter(pk=document.pk).update(progress=document.progress)


def _build_certificates(document: GeneratedDocument) -> tuple[str, bytes]:
    event = document.event
    certificates_issue(event=event)
    _progress(document, 10)
    certificates = after_report.certificates_for_print(event)
    if not certificates:
        raise ValidationError(_("Every certificate of this event was revoked."))
    rendered = []
    for start in range(0, len(certificates), CERTIFICATE_BATCH):
        batch = certificates[start : start + CERTIFICATE_BATCH]
        rendered.append(after_pdf.render(CERTIFICATE_TEMPLATE, after_report.certificate_pages(event, batch)))
        _progress(document, 10 + 80 * (start + len(batch)) // len(certificates))
    return f"sertifikat-{event.pk}.pdf", after_pdf.write(rendered)


def _build_report(document: GeneratedDocument) -> tuple[str, bytes]:
    event = document.event
    context = after_report.report_context(event)
    _progress(document, 20)
    body = after_pdf.render("events/pdf/after_report.html", context)
    _progress(document, 60)
    annex = after_pdf.render("events/pdf/after_report_annex.html", context)
    _progress(document, 90)
    return f"laporan-kegiatan-{event.pk}.pdf", after_pdf.write([body, annex])


BUILDERS: dict[str, Callable[[GeneratedDocument], tuple[str, bytes]]] = {
    GeneratedDocument.Kind.CERTIFICATES: _build_certificates,
    GeneratedDocument.Kind.REPORT: _build_report,
}


def document_build(*, document_id: int) -> str:
    """Make the file of a waiting document; returns its status. A document another run claimed,
    or already finished, is left alone."""
    claimed = GeneratedDocument.objects.filter(
        pk=document_id, status=GeneratedDocument.Status.PENDING, kind__in=list(BUILDERS)
    ).update(status=GeneratedDocument.Status.RUNNING, progress=1)
    document = (
        GeneratedDocument.objects.select_related("event__unit__region", "event__region").filter(pk=document_id).first()
    )
    if document is None:
        return "missing"
    if not claimed:
        return document.status
    try:
        name, content = BUILDERS[document.kind](document)
    except ValidationError as exc:
        document.status, document.error = GeneratedDocument.Status.FAILED, " ".join(exc.messages)
    except Exception:
        logger.exception("document %s of event %s failed", document.pk, document.event_id)
        document.status, document.error = GeneratedDocument.Status.FAILED, _("The document could not be made.")
    else:
        document.file.save(name, ContentFile(content), save=False)
        document.status, document.progress = GeneratedDocument.Status.DONE, 100
    document.finished_at = timezone.now()
    document.save(update_fields=["status", "progress", "error", "file", "finished_at"])
    return document.status
