"""Audit events cannot be changed or removed: not through the models, not by raw SQL."""

import pytest
from django.db import DatabaseError, connection, transaction

from sinergi.audit.models import AppendOnlyError, AuditEvent
from sinergi.audit.services import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def event() -> AuditEvent:
    return record(action="territory.rw.create", object_type="territory.rw", object_id="1", object_repr="RW 001")


def unchanged(event: AuditEvent) -> bool:
    stored = AuditEvent.objects.get(pk=event.pk)
    return (stored.action, stored.object_repr) == ("territory.rw.create", "RW 001")


def test_saving_an_event_again_is_refused(event: AuditEvent) -> None:
    event.action = "territory.rw.delete"
    with pytest.raises(AppendOnlyError):
        event.save()
    assert unchanged(event)


def test_deleting_an_event_is_refused(event: AuditEvent) -> None:
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert unchanged(event)


def test_updating_events_in_bulk_is_refused(event: AuditEvent) -> None:
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(object_repr="RW 002")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(object_repr="RW 002")
    assert unchanged(event)


def test_deleting_events_in_bulk_is_refused(event: AuditEvent) -> None:
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert unchanged(event)


def test_the_database_refuses_an_update_by_raw_sql(event: AuditEvent) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET object_repr = %s WHERE id = %s", ["RW 002", event.pk])
    assert unchanged(event)


def test_the_database_refuses_an_update_that_bypasses_the_model(event: AuditEvent) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent._base_manager.filter(pk=event.pk).update(object_repr="RW 002")
    assert unchanged(event)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite allows DELETE: the test runner empties tables with it (migration 0002)",
)
def test_postgresql_refuses_a_delete_by_raw_sql(event: AuditEvent) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert unchanged(event)
