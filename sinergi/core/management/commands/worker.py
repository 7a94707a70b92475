"""``manage.py worker``: django-tasks-db's worker plus heartbeat and periodic scheduling."""

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from sinergi.core.worker import Companion


class Command(DbWorkerCommand):
    help = "Run background tasks, report liveness and enqueue periodic tasks."

    def handle(self, *args: Any, **options: Any) -> None:
        companion = Companion(worker_id=options["worker_id"])
        companion.start()
        try:
            super().handle(*args, **options)
        finally:
            companion.stopped.set()
