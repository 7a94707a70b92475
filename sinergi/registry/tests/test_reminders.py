"""Reminders before an SKT, a document or an officer's term expires: who is told, when, and only once."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from django.utils.module_loading import import_string

from conftest import Territory
from sinergi.accounts.models import User
from sinergi.notifications.models import Notification
from sinergi.registry import tasks
from sinergi.registry.models import Document, Officer, Organisation, OrganisationKind, OrmasProfile, Person
from sinergi.registry.tests.conftest import make_representative

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def chair(organisation: Organisation, person: Person, term_end: datetime.date) -> Officer:
    return Officer.objects.create(
        person=person,
        organisation=organisation,
        position=Officer.Position.CHAIR,
        term_start=term_end - datetime.timedelta(days=5 * 365),
        term_end=term_end,
    )


def document(organisation: Organisation, valid_until: datetime.date, type: str = Document.Type.SKT) -> Document:
    return Document.objects.create(
        uuid=uuid.uuid4(), organisation=organisation, type=type, file="registry/test.pdf", valid_until=valid_until
    )


def notified(key_part: str = "") -> set[str]:
    return set(Notification.objects.filter(key__contains=key_part).values_list("user__username", flat=True))


@pytest.fixture
def run(django_capture_on_commit_callbacks: Callable[..., Any]) -> Callable[..., int]:
    """Run the reminders for ``organisations`` on ``today``, e-mails included."""

    def remind(*organisations: Organisation, today: datetime.date = TODAY) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return int(tasks.remind_expiring.call(organisation_ids=[o.pk for o in organisations], on=today.isoformat()))

    return remind


@pytest.fixture
def rt_chair_with_mail(rt_chair: User) -> User:
    rt_chair.email = "ketua.rt1@warga.test"
    rt_chair.save(update_fields=["email"])
    return rt_chair


@pytest.fixture
def staff(lurah_operator: User, camat_operator: User, city_admin: User, kesbangpol_admin: User) -> None:
    """Operators and administrators at every level above Kelurahan Gambir, so the nearest-unit rule shows."""


@pytest.mark.usefixtures("staff", "outsider_operator")
def test_it_reminds_the_kelurahan_and_the_rt_chair_before_the_chairs_term_ends(
    rt_org: Organisation,
    rt_chair_with_mail: User,
    person_factory: Callable[..., Person],
    run: Callable[..., int],
) -> None:
    chair(rt_org, person_factory("Slamet"), term_end=days(90))  # RT: 90 days ahead

    assert run(rt_org) == 2

    assert notified() == {"lurah.gambir", "ketua.rt1.gambir"}
    notification = Notification.objects.get(user__username="lurah.gambir")
    assert notification.key.startswith("registry.expiry:term:")
    assert notification.key.endswith(":2027-02-21")
    assert "RT 001/RW 001" in notification.title
    assert notification.url == f"/register/{rt_org.pk}/"
    assert sorted(m.to[0] for m in mail.outbox) == ["ketua.rt1@warga.test", "lurah.gambir@sinergi.test"]


@pytest.mark.usefixtures("staff")
def test_it_reminds_each_thing_once_however_often_it_runs(
    rt_org: Organisation, rt_chair_with_mail: User, person_factory: Callable[..., Person], run: Callable[..., int]
) -> None:
    chair(rt_org, person_factory("Slamet"), term_end=days(30))
    document(rt_org, days(10), type=Document.Type.DOMICILE_LETTER)

    assert run(rt_org) == 4
    assert run(rt_org) == 0
    assert run(rt_org, today=days(1)) == 0

    assert Notification.objects.count() == 4
    assert len(mail.outbox) == 4


@pytest.mark.usefixtures("staff")
def test_it_reminds_again_when_the_expiry_date_changes(
    rt_org: Organisation, rt_chair: User, run: Callable[..., int]
) -> None:
    old = document(rt_org, days(20))
    run(rt_org)
    old.valid_until = days(40)  # extended: a new date is a new thing to remind of
    old.save(update_fields=["valid_until"])

    assert run(rt_org) == 2
    assert Notification.objects.filter(user__username="lurah.gambir").count() == 2


@pytest.mark.usefixtures("staff")
def test_it_waits_until_the_kinds_reminder_days(
    kinds: dict[str, OrganisationKind],
    territory: Territory,
    person_factory: Callable[..., Person],
    run: Callable[..., int],
) -> None:
    lmk = Organisation.objects.create(kind=kinds["lmk"], name="LMK Gambir", region=territory.kel_gambir)
    assert kinds["lmk"].reminder_days == 60
    document(lmk, days(61), type=Document.Type.BOARD_DECREE)
    chair(lmk, person_factory("Siti"), term_end=days(60))

    assert run(lmk) == 1
    assert Notification.objects.get().key.startswith("registry.expiry:term:")

    assert run(lmk, today=days(1)) == 1  # the decree's day has come
    assert Notification.objects.filter(key__startswith="registry.expiry:document:").count() == 1


@pytest.mark.usefixtures("staff")
def test_it_reminds_nothing_expired_superseded_or_of_an_inactive_organisation(
    rt_org: Organisation, other_rt_org: Organisation, run: Callable[..., int]
) -> None:
    document(rt_org, days(-1))  # already expired
    document(rt_org, days(30), type=Document.Type.AD_ART)
    document(rt_org, days(900), type=Document.Type.AD_ART)  # the newer one supersedes it
    document(other_rt_org, days(30))
    other_rt_org.status = Organisation.Status.DISSOLVED
    other_rt_org.save(update_fields=["status"])

    assert run(rt_org, other_rt_org) == 0
    assert not Notification.objects.exists()


@pytest.mark.usefixtures("staff")
def test_it_reminds_the_city_office_of_a_city_level_ormas_and_its_secretary(
    kinds: dict[str, OrganisationKind], territory: Territory, run: Callable[..., int]
) -> None:
    ormas = Organisation.objects.create(kind=kinds["ormas"], name="Ormas Kota Contoh", region=territory.jakpus)
    OrmasProfile.objects.create(
        organisation=ormas,
        legal_form=OrmasProfile.LegalForm.SKT,
        registration_number="220/123",
        registration_expires_on=days(45),
    )
    make_representative("sekretaris.okc", "Sekretaris OKC", ormas)

    assert run(ormas) == 2

    assert notified("registry.expiry:registration:") == {"jakpus.admin", "sekretaris.okc"}
    assert "220/123" in Notification.objects.filter(user__username="jakpus.admin").get().title


@pytest.mark.usefixtures("staff")
def test_it_reminds_the_kecamatan_of_a_kecamatan_level_ormas(ormas_org: Organisation, run: Callable[..., int]) -> None:
    document(ormas_org, days(5), type=Document.Type.DOMICILE_LETTER)

    run(ormas_org)

    assert notified() == {"camat.gambir"}


@pytest.mark.usefixtures("staff")
def test_it_falls_back_to_the_next_unit_up_when_the_kelurahan_has_no_staff(
    kinds: dict[str, OrganisationKind], territory: Territory, run: Callable[..., int]
) -> None:
    rw = territory.kel_cideng.rws.get(number=1)
    cideng_rw = Organisation.objects.create(kind=kinds["rw"], name="RW 001 Cideng", region=territory.kel_cideng, rw=rw)
    document(cideng_rw, days(15))

    run(cideng_rw)

    assert notified() == {"camat.gambir"}


@pytest.mark.usefixtures("staff")
def test_the_daily_run_walks_the_register_in_chunks(
    kinds: dict[str, OrganisationKind],
    territory: Territory,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    monkeypatch.setattr(tasks, "CHUNK", 2)
    today = timezone.localdate()
    organisations = [
        Organisation.objects.create(kind=kinds["lmk"], name=f"LMK Contoh {i}", region=territory.kel_gambir)
        for i in range(5)
    ]
    for organisation in organisations:
        document(organisation, today + datetime.timedelta(days=7))
    chunks: list[list[int]] = []
    real = tasks.remind_expiring

    class Recording:
        @staticmethod
        def enqueue(*, organisation_ids: list[int], on: str) -> None:
            chunks.append(organisation_ids)
            real.call(organisation_ids=organisation_ids, on=on)

    monkeypatch.setattr(tasks, "remind_expiring", Recording)

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_expiry_reminders.call() == 3

    assert [len(chunk) for chunk in chunks] == [2, 2, 1]
    assert Notification.objects.filter(user__username="lurah.gambir").count() == 5


def test_the_worker_runs_the_reminders_daily() -> None:
    path, seconds = settings.SINERGI_PERIODIC_TASKS["registry-expiry-reminders"]

    assert import_string(path) is tasks.send_expiry_reminders
    assert seconds == 24 * 3600
