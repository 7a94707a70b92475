"""Retention: the daily task deletes or anonymises only what has outlived its period, and says so."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from conftest import Territory
from sinergi.accounts.models import User
from sinergi.audit.models import AuditEvent
from sinergi.notifications.models import Notification, OutboundMessage
from sinergi.privacy import services, tasks
from sinergi.privacy.models import DataSubjectRequest
from sinergi.registry.models import Officer, Organisation, Person
from sinergi.registry.tests.conftest import make_nik, make_person

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def post(person: Person, organisation: Organisation, start: datetime.date, *, ended: datetime.date | None) -> Officer:
    return Officer.objects.create(
        person=person,
        organisation=organisation,
        position="anggota",
        term_start=start,
        term_end=start + datetime.timedelta(days=5 * 365),
        ended_on=ended,
        end_reason="term_ended" if ended else "",
    )


def person(name: str, serial: int, territory: Territory, *, untouched_days: int = 0) -> Person:
    made = make_person(name, make_nik(serial=serial), territory.kel_gambir, phone="0812", address="Jl. Kenari")
    Person.objects.filter(pk=made.pk).update(updated_at=days_ago(untouched_days))
    return made


def test_retention_removes_only_what_has_expired_and_records_it(
    city_admin: User, territory: Territory, rt_org: Organisation, other_rt_org: Organisation
) -> None:
    old_note = Notification.objects.create(user=city_admin, key="old", title="Lama", created_at=days_ago(400))
    new_note = Notification.objects.create(user=city_admin, key="new", title="Baru", created_at=days_ago(10))
    old_message = OutboundMessage.objects.create(
        channel="sms", recipient="0812", body="x", key="old", status="logged", created_at=days_ago(366)
    )
    new_message = OutboundMessage.objects.create(channel="sms", recipient="0812", body="x", key="new", status="logged")
    # Left a post six years ago: anonymised.
    former = person("Pak Lama", 1, territory, untouched_days=2000)
    post(former, rt_org, TODAY - datetime.timedelta(days=11 * 365), ended=TODAY - datetime.timedelta(days=6 * 365))
    # Left one post long ago but still holds another: kept.
    serving = person("Bu Aktif", 2, territory, untouched_days=2000)
    post(serving, rt_org, TODAY - datetime.timedelta(days=11 * 365), ended=TODAY - datetime.timedelta(days=6 * 365))
    post(serving, other_rt_org, TODAY - datetime.timedelta(days=100), ended=None)
    # Left a post three years ago: kept for now.
    recent = person("Pak Baru Pensiun", 3, territory, untouched_days=2000)
    post(recent, rt_org, TODAY - datetime.timedelta(days=8 * 365), ended=TODAY - datetime.timedelta(days=3 * 365))
    # Never held a post; untouched for six years, or changed last month.
    forgotten = person("Warga Lama", 4, territory, untouched_days=6 * 365)
    lately = person("Warga Baru", 5, territory, untouched_days=30)
    # An access file handed over 40 days ago, and one handed over yesterday.
    old_file = DataSubjectRequest.objects.create(
        person=lately, kind="access", received_at=days_ago(41), recorded_by=city_admin, export_built_at=days_ago(40),
        status="done", completed_at=days_ago(40),
    )  # fmt: skip
    old_file.export_json.save("a.json", ContentFile(b"{}"))
    new_file = DataSubjectRequest.objects.create(
        person=lately, kind="access", received_at=days_ago(2), recorded_by=city_admin, export_built_at=days_ago(1),
        status="done", completed_at=days_ago(1),
    )  # fmt: skip
    new_file.export_json.save("b.json", ContentFile(b"{}"))

    tasks.apply_retention.call()

    assert list(Notification.objects.all()) == [new_note]
    assert list(OutboundMessage.objects.all()) == [new_message]
    assert not Notification.objects.filter(pk=old_note.pk).exists()
    assert not OutboundMessage.objects.filter(pk=old_message.pk).exists()
    names = dict(Person.objects.values_list("pk", "full_name"))
    assert names == {
        former.pk: f"Anonim #{former.pk}",
        serving.pk: "Bu Aktif",
        recent.pk: "Pak Baru Pensiun",
        forgotten.pk: f"Anonim #{forgotten.pk}",
        lately.pk: "Warga Baru",
    }
    assert Person.objects.get(pk=former.pk).phone == ""
    assert Officer.objects.filter(person=former).count() == 1
    old_file.refresh_from_db()
    new_file.refresh_from_db()
    assert (bool(old_file.export_json), bool(new_file.export_json)) == (False, True)

    runs = {e.object_id: e for e in AuditEvent.objects.filter(action="privacy.retention.apply")}
    assert sorted(runs) == [
        "notifications.notification",
        "notifications.outboundmessage",
        "privacy.request_files",
        "registry.io_files",
        "registry.person_without_posts",
    ]
    assert runs["notifications.notification"].changes["deleted"] == 1
    assert runs["notifications.outboundmessage"].changes["deleted"] == 1
    assert runs["registry.person_without_posts"].changes["anonymised"] == 2
    assert runs["privacy.request_files"].changes["deleted"] == 1
    assert {e.channel for e in runs.values()} == {AuditEvent.Channel.TASK}


def test_a_second_run_finds_nothing_more(city_admin: User, territory: Territory) -> None:
    person("Warga Lama", 4, territory, untouched_days=6 * 365)
    Notification.objects.create(user=city_admin, key="old", title="Lama", created_at=days_ago(400))

    first = services.retention_apply()
    second = services.retention_apply()

    assert first["registry.person_without_posts"] == {"anonymised": 1}
    assert first["notifications.notification"] == {"deleted": 1}
    assert all(count == 0 for counts in second.values() for count in counts.values())


def test_a_person_with_an_open_request_is_not_anonymised_behind_its_back(
    city_admin: User, territory: Territory
) -> None:
    waiting = person("Warga Lama", 4, territory, untouched_days=6 * 365)
    DataSubjectRequest.objects.create(person=waiting, kind="access", received_at=timezone.now(), recorded_by=city_admin)

    services.retention_apply()

    assert Person.objects.get(pk=waiting.pk).full_name == "Warga Lama"


def test_a_kind_kept_for_good_is_left_alone(settings, city_admin: User) -> None:
    settings.SINERGI_RETENTION_DAYS = {"notifications.notification": None, "audit.auditevent": None}
    Notification.objects.create(user=city_admin, key="old", title="Lama", created_at=days_ago(4000))

    assert services.retention_apply() == {}
    assert Notification.objects.count() == 1
    assert not AuditEvent.objects.filter(action="privacy.retention.apply").exists()


def test_the_retention_task_runs_daily(settings) -> None:
    assert settings.SINERGI_PERIODIC_TASKS["privacy-retention"] == ("sinergi.privacy.tasks.apply_retention", 24 * 3600)
