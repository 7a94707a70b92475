"""The worker's companion thread: heartbeat and periodic scheduling.

django-tasks-db runs tasks but neither reports liveness nor schedules. Each
worker process runs this loop beside it; several workers may run at once, so
enqueueing a periodic task is a conditional UPDATE that only one of them wins.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.module_loading import import_string

from sinergi.core.models import PeriodicRun, WorkerHeartbeat

logger = logging.getLogger(__name__)


def beat(worker_id: str) -> None:
    """Record that worker ``worker_id`` is alive."""
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen_at=now)
    if not updated:
        WorkerHeartbeat.objects.create(
            worker_id=worker_id, hostname=socket.gethostname()[:255], pid=os.getpid(), started_at=now, last_seen_at=now
        )


def enqueue_due(now: datetime.datetime | None = None) -> list[str]:
    """Enqueue every periodic task whose interval has passed; return the names enqueued."""
    now = now or timezone.now()
    enqueued = []
    for name, (path, seconds) in settings.SINERGI_PERIODIC_TASKS.items():
        PeriodicRun.objects.get_or_create(name=name, defaults={"last_enqueued_at": now - datetime.timedelta(days=1)})
        won = PeriodicRun.objects.filter(
            name=name, last_enqueued_at__lte=now - datetime.timedelta(seconds=seconds)
        ).update(last_enqueued_at=now)
        if won:
            import_string(path).enqueue()
            enqueued.append(name)
    return enqueued


class Companion(threading.Thread):
    """Beats and schedules every ``WORKER_HEARTBEAT_SECONDS`` until stopped."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name="sinergi-worker-companion", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                close_old_connections()
                beat(self.worker_id)
                enqueue_due()
            except Exception:  # keep beating through a database blip
                logger.exception("worker companion failed")
            finally:
                connection.close()
            self.stopped.wait(settings.WORKER_HEARTBEAT_SECONDS)
