"""Scheduled work of aspirations and complaints: the service-level clock.

``check_sla`` runs every few minutes (``SINERGI_PERIODIC_TASKS``): each open case past its due date
is escalated once to the unit above the one holding it, whose staff are told, as are the holder's.
A case is claimed by a conditional update, so a second run, or two workers at once, escalate it
once; the batch is bounded and the task enqueues itself again while more are waiting.
"""

from __future__ import annotations

from django.conf import settings
from django.tasks import task
from django.utils import translation

from sinergi.cases import services
from sinergi.core.context import acting_as

BATCH = 500


@task
def check_sla() -> int:
    """Escalate overdue cases (at most ``BATCH`` per run, then again); returns how many were escalated."""
    with acting_as(None, channel="task"), translation.override(settings.LANGUAGE_CODE):
        done = services.escalate_overdue(limit=BATCH)
    if done == BATCH:
        check_sla.enqueue()
    return done
