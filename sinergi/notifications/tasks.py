"""Background delivery of e-mails and gateway messages."""

from __future__ import annotations

from django.tasks import task

from sinergi.core.context import acting_as
from sinergi.notifications import services


@task
def deliver_messages(message_ids: list[int]) -> None:
    """Hand a batch of queued messages to their channels; safe to run twice (each message is claimed once)."""
    with acting_as(None, channel="task"):
        services.messages_deliver(message_ids=message_ids)


@task
def requeue_stale_messages() -> int:
    """Periodic: deliver messages whose delivery task was lost."""
    with acting_as(None, channel="task"):
        return services.messages_requeue_stale()


@task
def deliver_queued() -> int:
    """Deliver every message still queued (``services.deliver_soon`` queues this); safe to run twice."""
    with acting_as(None, channel="task"):
        return services.messages_requeue_stale(older_than_seconds=0)
