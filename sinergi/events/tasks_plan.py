"""Background work of the plan stage: sending invitations in batches and making the invitation
letters and the participants' spreadsheet. Tasks take ids and are safe to run twice."""

from __future__ import annotations

from django.conf import settings
from django.tasks import task
from django.utils import translation

from sinergi.core.context import acting_as
from sinergi.events.models import Event


@task
def send_invitations(event_id: int, invitation_ids: list[int]) -> int:
    """Send one batch of an event's invitations (those not sent yet); returns how many went out."""
    from sinergi.events.services.plan_notify import invitation_send_batch

    event = Event.objects.select_related("region", "unit").filter(pk=event_id).first()
    if event is None:
        return 0
    with acting_as(None, channel="task"), translation.override(settings.LANGUAGE_CODE):
        return invitation_send_batch(event=event, invitation_ids=invitation_ids)


@task
def make_plan_document(document_id: int) -> None:
    """Make an invitation-letters PDF or a participants' spreadsheet requested on the event page."""
    from sinergi.events.services.plan_documents import document_make

    with acting_as(None, channel="task"), translation.override(settings.LANGUAGE_CODE):
        document_make(document_id=document_id)
