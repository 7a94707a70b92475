"""Background work of announcements: the fan-out batches, and three periodic tasks (scheduled
publication, resuming a fan-out a killed worker left behind, reminders). Each takes ids or nothing
and is safe to run twice."""

from __future__ import annotations

from django.conf import settings
from django.tasks import task
from django.utils import translation

from sinergi.announcements import fanout, services
from sinergi.core.context import acting_as


@task
def deliver_batch(batch_id: int) -> int:
    """Deliver one batch of an announcement's recipients; a second run tells nobody twice."""
    with acting_as(None, channel="task"), translation.override(settings.LANGUAGE_CODE):
        return fanout.fanout_batch_run(batch_id=batch_id)


@task
def publish_due() -> int:
    """Periodic: start scheduled announcements whose publish time has come."""
    with acting_as(None, channel="task"), translation.override(settings.LANGUAGE_CODE):
        return services.publish_due()


@task
def resume_fanout() -> int:
    """Periodic: enqueue again the batches whose task was lost (a worker killed midway)."""
    with acting_as(None, channel="task"):
        return services.fanout_resume()


@task
def send_reminders() -> int:
    """Periodic: remind organisations that have not acknowledged (at most once per N days each)."""
    with acting_as(None, channel="task"), translation.override(settings.LANGUAGE_CODE):
        return services.reminders_send()
