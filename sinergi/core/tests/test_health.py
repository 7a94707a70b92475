"""The health endpoints, the worker's heartbeat and the periodic scheduler."""

import datetime

import pytest
from django.tasks import task
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sinergi.core import worker
from sinergi.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@task
def tidy_up() -> None:
    """A periodic task for these tests; it is enqueued, never run."""


PERIODIC = {"tidy-up": ("sinergi.core.tests.test_health.tidy_up", 3600)}


@pytest.mark.parametrize("url", ["/health", "/api/v1/health"])
def test_it_reports_the_database_ok_and_the_worker_absent(client: Client, url: str) -> None:
    response = client.get(url)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"]["ok"] is True
    assert body["worker"]["ok"] is False
    assert body["worker"]["alive"] == 0
    assert body["worker"]["last_seen_at"] is None


@pytest.mark.parametrize("url", ["/health", "/api/v1/health"])
def test_it_reports_the_worker_ok_after_a_heartbeat(client: Client, url: str) -> None:
    worker.beat("worker-1")

    body = client.get(url).json()

    assert body["status"] == "ok"
    assert body["worker"]["ok"] is True
    assert body["worker"]["alive"] == 1
    assert body["worker"]["last_seen_at"] is not None


def test_it_reports_a_worker_absent_once_its_heartbeat_is_old(client: Client) -> None:
    worker.beat("worker-1")
    WorkerHeartbeat.objects.update(last_seen_at=timezone.now() - datetime.timedelta(minutes=5))

    body = client.get("/health").json()

    assert body["worker"]["ok"] is False
    assert body["worker"]["last_seen_at"] is not None


def test_strict_health_fails_while_the_worker_is_absent(client: Client) -> None:
    assert client.get("/health", {"strict": "1"}).status_code == 503
    worker.beat("worker-1")
    assert client.get("/health", {"strict": "1"}).status_code == 200


def test_health_is_never_cached(client: Client) -> None:
    assert "no-cache" in client.get("/health")["Cache-Control"]


def test_a_heartbeat_updates_the_same_worker_row() -> None:
    worker.beat("worker-1")
    first = WorkerHeartbeat.objects.get().last_seen_at
    worker.beat("worker-1")
    worker.beat("worker-2")

    assert WorkerHeartbeat.objects.count() == 2
    assert WorkerHeartbeat.objects.get(worker_id="worker-1").last_seen_at >= first


@override_settings(SINERGI_PERIODIC_TASKS=PERIODIC, TASKS=DATABASE_TASKS)
def test_a_periodic_task_is_enqueued_once_when_two_workers_ask() -> None:
    now = timezone.now()

    assert worker.enqueue_due(now) == ["tidy-up"]
    assert worker.enqueue_due(now) == []

    queued = DBTaskResult.objects.get()
    assert queued.task_path == "sinergi.core.tests.test_health.tidy_up"


@override_settings(SINERGI_PERIODIC_TASKS=PERIODIC, TASKS=DATABASE_TASKS)
def test_a_periodic_task_is_enqueued_again_after_its_interval() -> None:
    now = timezone.now()
    worker.enqueue_due(now)

    assert worker.enqueue_due(now + datetime.timedelta(minutes=59)) == []
    assert worker.enqueue_due(now + datetime.timedelta(hours=1)) == ["tidy-up"]
    assert DBTaskResult.objects.count() == 2


@override_settings(SINERGI_PERIODIC_TASKS=PERIODIC, TASKS=DATABASE_TASKS)
def test_health_counts_the_queued_tasks(client: Client) -> None:
    worker.enqueue_due()

    body = client.get("/health").json()

    assert body["worker"]["queued"] == 1
    assert body["worker"]["oldest_queued_seconds"] >= 0
