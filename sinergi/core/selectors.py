"""Health of the installation: database and background worker."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sinergi.core.models import WorkerHeartbeat


def health() -> dict[str, Any]:
    """Database reachability, live workers and the task queue, for the health endpoint."""
    now = timezone.now()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return {"status": "error", "database": {"ok": False, "error": exc.__class__.__name__}}

    alive_after = now - datetime.timedelta(seconds=settings.WORKER_HEARTBEAT_SECONDS * 3)
    workers = WorkerHeartbeat.objects.filter(last_seen_at__gte=alive_after).count()
    last_seen = WorkerHeartbeat.objects.order_by("-last_seen_at").values_list("last_seen_at", flat=True).first()
    ready = DBTaskResult.objects.ready()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    worker_ok = workers > 0
    return {
        "status": "ok" if worker_ok else "degraded",
        "database": {"ok": True, "vendor": connection.vendor},
        "worker": {
            "ok": worker_ok,
            "alive": workers,
            "last_seen_at": last_seen.isoformat() if last_seen else None,
            "queued": ready.count(),
            "oldest_queued_seconds": round((now - oldest).total_seconds(), 1) if oldest else None,
        },
    }
