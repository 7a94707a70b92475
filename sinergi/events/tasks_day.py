"""Background work of the day stage: making an attendance list or the signed commitments of a large
event as a file (``GeneratedDocument``) while the page shows its progress."""

from __future__ import annotations

from django.conf import settings
from django.tasks import task
from django.utils import translation

from sinergi.core.context import acting_as
from sinergi.events.services.day_documents import day_document_make


@task
def make_day_document(document_id: int) -> str:
    """Make the document ``document_id``; safe to run twice. Returns its status."""
    with acting_as(None, channel="task"), translation.override(settings.LANGUAGE_CODE):
        document = day_document_make(document_id=document_id)
    return document.status if document is not None else "missing"
