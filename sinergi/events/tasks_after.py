"""Background work of the events' after stage: certificates and the activity report."""

from __future__ import annotations

from django.conf import settings
from django.tasks import task
from django.utils import translation

from sinergi.accounts.models import User
from sinergi.core.context import acting_as
from sinergi.events.models import GeneratedDocument
from sinergi.events.services.after_documents import document_build


@task
def generate_document(document_id: int) -> str:
    """Build a requested document (certificates, activity report) as its requester; safe to run twice."""
    requester = GeneratedDocument.objects.filter(pk=document_id).values_list("requested_by", flat=True).first()
    user = User.objects.filter(pk=requester).first() if requester else None
    # Documents are official papers: in the installation's language, whoever asked.
    with acting_as(user, channel="task"), translation.override(settings.LANGUAGE_CODE):
        return document_build(document_id=document_id)
