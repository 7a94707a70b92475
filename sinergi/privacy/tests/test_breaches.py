"""The breach record: administrators record suspected breaches and the 3 x 24-hour notice is tracked."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone

from conftest import Units
from sinergi.accounts.models import User
from sinergi.audit.models import AuditEvent
from sinergi.privacy import services
from sinergi.privacy.models import Breach

pytestmark = pytest.mark.django_db

LIST = "/privasi/insiden/"


def ago(**delta: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(**delta)


def local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def record(unit, by: User, **overrides) -> Breach:
    fields = {
        "title": "Daftar pengurus RT terkirim ke grup yang salah",
        "discovered_at": ago(hours=2),
        "description": "Berkas Excel daftar pengurus dengan NIK dikirim ke grup WhatsApp warga.",
        "data_affected": "Nama, NIK dan nomor telepon pengurus RT",
        "persons_affected": 40,
        **overrides,
    }
    return services.breach_record(unit=unit, by=by, **fields)


def test_a_city_administrator_records_a_breach(client_for, city_admin: User, units: Units) -> None:
    discovered = ago(hours=5)
    response = client_for(city_admin).post(
        "/privasi/insiden/baru/",
        {
            "unit": units.jakpus.pk,
            "title": "Laptop operator hilang",
            "discovered_at": local(discovered),
            "description": "Laptop berisi ekspor register hilang di kereta.",
            "data_affected": "Ekspor register: nama dan NIK pengurus",
            "persons_affected": "120",
            "measures": "Akun operator dikunci, kata sandi diganti.",
        },
    )

    breach = Breach.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/privasi/insiden/{breach.pk}/"
    assert (breach.unit, breach.recorded_by, breach.persons_affected) == (units.jakpus, city_admin, 120)
    assert breach.deadline == breach.discovered_at + datetime.timedelta(hours=72)
    event = AuditEvent.objects.get(action="privacy.breach.create")
    assert (event.actor, event.region_code, event.object_id) == (city_admin, "31.71", str(breach.pk))
    assert event.changes["title"] == [None, "Laptop operator hilang"]


def test_the_deadline_is_three_times_24_hours_after_discovery(city_admin: User, units: Units) -> None:
    breach = record(units.jakpus, city_admin, discovered_at=ago(hours=71))
    assert not breach.is_overdue

    breach = record(units.jakpus, city_admin, discovered_at=ago(hours=73))
    assert breach.is_overdue


def test_an_overdue_breach_shows_in_red(client_for, city_admin: User, units: Units) -> None:
    late = record(units.jakpus, city_admin, title="Terlambat", discovered_at=ago(days=4))
    record(units.jakpus, city_admin, title="Masih ada waktu", discovered_at=ago(hours=1))

    html = client_for(city_admin).get(LIST).content.decode()

    row = html[html.index("Terlambat") - 300 : html.index("Terlambat")]
    assert 'class="table-danger"' in row
    assert html.count("breach-overdue") == 1
    detail = client_for(city_admin).get(f"/privasi/insiden/{late.pk}/").content.decode()
    assert "alert-danger" in detail


def test_a_notification_is_recorded_and_stops_the_clock(client_for, city_admin: User, units: Units) -> None:
    breach = record(units.jakpus, city_admin, discovered_at=ago(days=5))
    notified = ago(days=4, hours=1)

    response = client_for(city_admin).post(
        f"/privasi/insiden/{breach.pk}/ubah/",
        {
            "unit": units.jakpus.pk,
            "title": breach.title,
            "discovered_at": local(breach.discovered_at),
            "description": breach.description,
            "data_affected": breach.data_affected,
            "persons_affected": "40",
            "measures": "Pesan ditarik; anggota grup diminta menghapus berkas.",
            "notified_at": local(notified),
            "notified_to": "40 pengurus RT (surat 012/2026); Lembaga PDP (surel)",
        },
    )

    assert response.status_code == 302
    breach.refresh_from_db()
    assert breach.notified_at is not None
    assert not breach.is_overdue
    assert not breach.was_notified_late
    event = AuditEvent.objects.get(action="privacy.breach.update")
    assert set(event.changes) == {"measures", "notified_at", "notified_to"}
    assert "breach-overdue" not in client_for(city_admin).get(LIST).content.decode()


def test_a_late_notification_is_marked(city_admin: User, units: Units) -> None:
    breach = record(units.jakpus, city_admin, discovered_at=ago(days=5))
    services.breach_update(breach=breach, by=city_admin, notified_at=ago(days=1), notified_to="Lembaga PDP")
    assert breach.was_notified_late


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"notified_at": "earlier", "notified_to": "warga"}, "notified_at"),
        ({"notified_at": "later", "notified_to": ""}, "notified_to"),
        ({"notified_to": "warga"}, "notified_at"),
        ({"notified_at": "future", "notified_to": "warga"}, "notified_at"),
    ],
)
def test_a_notification_needs_a_sensible_time_and_whom(city_admin: User, units: Units, fields, field) -> None:
    breach = record(units.jakpus, city_admin, discovered_at=ago(days=2))
    times = {"earlier": ago(days=3), "later": ago(days=1), "future": timezone.now() + datetime.timedelta(hours=1)}
    fields = {k: times.get(v, v) for k, v in fields.items()}

    with pytest.raises(ValidationError) as caught:
        services.breach_update(breach=Breach.objects.get(pk=breach.pk), by=city_admin, **fields)

    assert field in caught.value.message_dict
    assert not AuditEvent.objects.filter(action="privacy.breach.update").exists()


def test_a_discovery_cannot_lie_ahead(city_admin: User, units: Units) -> None:
    with pytest.raises(ValidationError):
        record(units.jakpus, city_admin, discovered_at=timezone.now() + datetime.timedelta(hours=1))


def test_the_database_refuses_a_notice_before_the_discovery(city_admin: User, units: Units) -> None:
    breach = record(units.jakpus, city_admin)
    with pytest.raises(IntegrityError):
        Breach.objects.filter(pk=breach.pk).update(notified_at=ago(days=30), notified_to="x")


# Who sees what


def test_a_province_administrator_sees_every_breach(
    client_for, kesbangpol_admin: User, city_admin: User, west_admin: User, units: Units
) -> None:
    record(units.jakpus, city_admin, title="Pusat")
    record(units.jakbar, west_admin, title="Barat")

    page = client_for(kesbangpol_admin).get(LIST)

    assert sorted(b.title for b in page.context["page"].object_list) == ["Barat", "Pusat"]


def test_a_city_administrator_sees_only_their_citys_breaches(
    client_for, city_admin: User, west_admin: User, units: Units
) -> None:
    own = record(units.jakpus, city_admin, title="Pusat")
    other = record(units.jakbar, west_admin, title="Barat")
    client = client_for(city_admin)

    assert [b.title for b in client.get(LIST).context["page"].object_list] == ["Pusat"]
    assert client.get(f"/privasi/insiden/{own.pk}/").status_code == 200
    assert client.get(f"/privasi/insiden/{other.pk}/").status_code == 404
    assert client.get(f"/privasi/insiden/{other.pk}/ubah/").status_code == 404
    assert client.post(f"/privasi/insiden/{other.pk}/ubah/", {"title": "x"}).status_code == 404


def test_a_city_administrator_records_breaches_for_units_in_the_city_only(
    client_for, city_admin: User, units: Units
) -> None:
    form = client_for(city_admin).get("/privasi/insiden/baru/").context["form"]
    offered = set(form.fields["unit"].queryset)
    assert units.jakpus in offered
    assert units.kel_gambir in offered
    assert units.jakbar not in offered
    assert units.kesbangpol not in offered

    with pytest.raises(PermissionDenied):
        record(units.jakbar, city_admin)


@pytest.mark.parametrize("persona", ["city_viewer", "camat_operator", "lurah_operator"])
def test_staff_who_do_not_administer_get_404(
    client_for, city_admin: User, units: Units, persona: str, request: pytest.FixtureRequest
) -> None:
    breach = record(units.jakpus, city_admin)
    client = client_for(request.getfixturevalue(persona))

    for url in [
        LIST,
        "/privasi/insiden/baru/",
        f"/privasi/insiden/{breach.pk}/",
        f"/privasi/insiden/{breach.pk}/ubah/",
    ]:
        assert client.get(url).status_code == 404, url


def test_an_administrator_who_does_not_administer_it_cannot_change_it(
    city_admin: User, west_admin: User, units: Units
) -> None:
    breach = record(units.jakpus, city_admin)
    with pytest.raises(PermissionDenied):
        services.breach_update(breach=breach, by=west_admin, measures="x")


def test_a_breach_cannot_be_moved_to_a_unit_outside_ones_territory(city_admin: User, units: Units) -> None:
    breach = record(units.jakpus, city_admin)
    with pytest.raises(PermissionDenied):
        services.breach_update(breach=breach, by=city_admin, unit=units.jakbar)


def test_the_menu_shows_breaches_to_administrators_only(client_for, city_admin: User, city_viewer: User) -> None:
    assert 'href="/privasi/insiden/"' in client_for(city_admin).get("/").content.decode()
    assert 'href="/privasi/insiden/"' not in client_for(city_viewer).get("/").content.decode()


def test_the_list_takes_a_fixed_number_of_queries(
    client_for, city_admin: User, units: Units, django_assert_max_num_queries
) -> None:
    for n in range(3):
        record(units.jakpus, city_admin, title=f"Insiden {n}")
    client = client_for(city_admin)
    client.get(LIST)
    with django_assert_max_num_queries(12):
        client.get(LIST)
    for n in range(10):
        record(units.jakpus, city_admin, title=f"Insiden lagi {n}")
    with django_assert_max_num_queries(12):
        client.get(LIST)
