"""``manage.py worker``: django-tasks-db's worker plus heartbeat and periodic scheduling."""

import os
from typing import Any

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from sinergi.core.worker import Companion


class Command(DbWorkerCommand):
    help = "Run background tasks, report liveness and enqueue periodic tasks."

    def handle(self, *args: Any, **options: Any) -> None:
        # With --reload the parent process only watches files; the child runs tasks and beats.
        if options["reload"] and not options["batch"] and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            super().handle(*args, **options)
            return
        companion = Companion(worker_id=options["worker_id"])
        companion.start()
        try:
            super().handle(*args, **options)
        finally:
            companion.stopped.set()
