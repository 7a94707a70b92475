"""Every write leaves exactly one audit event saying who did what to which object, from where."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from conftest import PASSWORD, Territory, Units
from sinergi.accounts import services as accounts
from sinergi.accounts.models import Role, Unit, User
from sinergi.audit.models import AuditEvent
from sinergi.core.context import acting_as
from sinergi.territory import services as territory_services
from sinergi.territory.models import RW

pytestmark = pytest.mark.django_db

KEL_A = "31.71.01.1001"


class NewEvents:
    """The audit events written since the block started."""

    def __init__(self) -> None:
        self.after = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def all(self) -> list[AuditEvent]:
        return list(AuditEvent.objects.filter(id__gt=self.after).order_by("id"))

    def one(self) -> AuditEvent:
        events = self.all()
        assert len(events) == 1, [e.action for e in events]
        return events[0]


@pytest.fixture
def new_events(db: None) -> NewEvents:
    return NewEvents()


def test_loading_a_region_is_recorded(tmp_path: Path, new_events: NewEvents) -> None:
    codes = tmp_path / "codes.csv"
    codes.write_text("code,name,level,parent_code\n32,Jawa Barat,province,\n32.73,Kota Bandung,city,32\n")

    with acting_as(None, channel="system"):
        territory_services.region_load(codes=codes)

    event = new_events.one()
    assert (event.action, event.object_type, event.object_id) == ("territory.region.load", "territory.region", "32")
    assert event.object_repr == "Provinsi Jawa Barat"
    assert event.changes == {"file": "codes.csv", "created": 2, "updated": 0}
    assert (event.actor, event.channel, event.region_code) == (None, "system", "32")
    assert len(event.request_id) == 32


def test_adding_an_rw_is_recorded(territory: Territory, lurah_operator: User, new_events: NewEvents) -> None:
    rw = territory_services.rw_create(kelurahan=territory.kel_gambir, number=8, by=lurah_operator)

    event = new_events.one()
    assert (event.action, event.actor, event.actor_label) == (
        "territory.rw.create",
        lurah_operator,
        str(lurah_operator),
    )
    assert (event.object_type, event.object_id, event.object_repr) == ("territory.rw", str(rw.pk), "RW 008")
    assert event.changes == {"number": [None, 8]}
    assert event.region_code == KEL_A


def test_adding_an_rt_is_recorded(territory: Territory, lurah_operator: User, new_events: NewEvents) -> None:
    rw = RW.objects.get(kelurahan=territory.kel_gambir, number=2)

    rt = territory_services.rt_create(rw=rw, number=3, by=lurah_operator)

    event = new_events.one()
    assert (event.action, event.actor, event.object_id) == ("territory.rt.create", lurah_operator, str(rt.pk))
    assert event.object_repr == "RT 003/RW 002"
    assert event.changes == {"number": [None, 3]}
    assert event.region_code == KEL_A


def test_a_refused_write_is_not_recorded(territory: Territory, lurah_operator: User, new_events: NewEvents) -> None:
    with pytest.raises(Exception, match="RW 001"):
        territory_services.rw_create(kelurahan=territory.kel_gambir, number=1, by=lurah_operator)
    assert new_events.all() == []


def test_creating_staff_is_recorded_without_the_password(units: Units, city_admin: User, new_events: NewEvents) -> None:
    user = accounts.staff_create(
        username="lurah.cideng",
        full_name="Nur Kelurahan Cideng",
        email="nur@sinergi.test",
        password="kata-sandi-yang-panjang",
        unit=units.kec_gambir,
        kind=Role.Kind.OPERATOR,
        by=city_admin,
    )

    event = new_events.one()
    assert (event.action, event.actor, event.object_id) == ("accounts.user.create", city_admin, str(user.pk))
    assert event.changes["username"] == [None, "lurah.cideng"]
    assert event.changes["full_name"] == [None, "Nur Kelurahan Cideng"]
    assert event.changes["role"] == [None, f"operator@{units.kec_gambir.pk}"]
    assert event.region_code == "31.71.01"
    assert "kata-sandi" not in str(event.changes)


def test_changing_staff_is_recorded_with_before_and_after(
    city_admin: User, lurah_operator: User, new_events: NewEvents
) -> None:
    accounts.staff_update(user=lurah_operator, by=city_admin, full_name="Joko Widodo", phone="0812")

    event = new_events.one()
    assert (event.action, event.actor, event.object_id) == ("accounts.user.update", city_admin, str(lurah_operator.pk))
    assert event.changes == {"full_name": ["Joko Kelurahan Gambir", "Joko Widodo"], "phone": ["", "0812"]}
    assert event.region_code == KEL_A


def test_saving_staff_unchanged_records_nothing(city_admin: User, lurah_operator: User, new_events: NewEvents) -> None:
    accounts.staff_update(user=lurah_operator, by=city_admin, full_name=lurah_operator.full_name)
    assert new_events.all() == []


def test_granting_and_revoking_a_role_is_recorded(
    units: Units, city_admin: User, lurah_operator: User, new_events: NewEvents
) -> None:
    role = accounts.role_grant(user=lurah_operator, unit=units.kec_gambir, kind=Role.Kind.VIEWER, by=city_admin)

    granted = new_events.one()
    assert (granted.action, granted.actor, granted.object_id) == ("accounts.role.grant", city_admin, str(role.pk))
    assert granted.changes == {"role": [None, f"viewer@{units.kec_gambir.pk}"], "user": [None, lurah_operator.pk]}

    role_pk = role.pk
    revoked_events = NewEvents()
    accounts.role_revoke(role=role, by=city_admin)

    revoked = revoked_events.one()
    assert (revoked.action, revoked.actor, revoked.object_id) == ("accounts.role.revoke", city_admin, str(role_pk))
    assert revoked.changes == {"role": [f"viewer@{units.kec_gambir.pk}", None], "user": [lurah_operator.pk, None]}
    assert not Role.objects.filter(pk=role_pk).exists()


def test_making_and_revoking_a_token_is_recorded_without_the_key(lurah_operator: User, new_events: NewEvents) -> None:
    token, key = accounts.token_create(user=lurah_operator, name="SIAK", days=30)

    made = new_events.one()
    assert (made.action, made.actor, made.object_id) == ("accounts.token.create", lurah_operator, str(token.pk))
    assert made.changes["name"] == [None, "SIAK"]
    assert made.changes["expires_at"][0] is None
    assert key not in str(made.changes)
    assert key.split("_", 2)[2] not in made.object_repr

    revoked_events = NewEvents()
    accounts.token_revoke(token=token, by=lurah_operator)
    accounts.token_revoke(token=token, by=lurah_operator)  # a second revoke changes nothing

    revoked = revoked_events.one()
    assert (revoked.action, revoked.actor) == ("accounts.token.revoke", lurah_operator)
    assert revoked.changes["revoked_at"][0] is None


def test_creating_a_unit_is_recorded(territory: Territory, kesbangpol_admin: User, new_events: NewEvents) -> None:
    unit = accounts.unit_create(
        name="Kantor Kelurahan Cideng", kind=Unit.Kind.VILLAGE_OFFICE, region=territory.kel_cideng, by=kesbangpol_admin
    )

    event = new_events.one()
    assert (event.action, event.actor, event.object_id) == ("accounts.unit.create", kesbangpol_admin, str(unit.pk))
    assert event.changes == {
        "name": [None, "Kantor Kelurahan Cideng"],
        "kind": [None, "village_office"],
        "region": [None, "31.71.01.1002"],
    }
    assert event.region_code == "31.71.01.1002"


# Through the web: request id, address and channel


def test_a_web_write_stores_the_request_id_and_address(client_for, lurah_operator: User, new_events: NewEvents) -> None:
    client = client_for(lurah_operator)
    since = NewEvents()

    response = client.post(
        f"/wilayah/{KEL_A}/rw/tambah",
        {"number": 12},
        headers={"X-Request-ID": "trace-2026-0001"},
        REMOTE_ADDR="10.20.30.40",
    )

    assert response["X-Request-ID"] == "trace-2026-0001"
    event = since.one()
    assert (event.action, event.actor, event.channel) == ("territory.rw.create", lurah_operator, "web")
    assert (event.request_id, event.ip) == ("trace-2026-0001", "10.20.30.40")


def test_the_proxys_real_ip_header_wins(client_for, lurah_operator: User) -> None:
    client = client_for(lurah_operator)
    since = NewEvents()

    client.post(f"/wilayah/{KEL_A}/rw/tambah", {"number": 13}, headers={"X-Real-IP": "203.0.113.7"})

    assert since.one().ip == "203.0.113.7"


def test_an_unsafe_request_id_is_replaced(client_for, lurah_operator: User) -> None:
    client = client_for(lurah_operator)
    since = NewEvents()

    response = client.post(f"/wilayah/{KEL_A}/rw/tambah", {"number": 14}, headers={"X-Request-ID": "<script>"})

    generated = response["X-Request-ID"]
    assert generated != "<script>"
    assert len(generated) == 32
    assert since.one().request_id == generated


def test_every_response_carries_a_request_id(client: Client) -> None:
    assert len(client.get("/health")["X-Request-ID"]) == 32


def test_signing_in_is_recorded(client: Client, lurah_operator: User, new_events: NewEvents) -> None:
    response = client.post(
        "/akun/masuk/",
        {"username": "lurah.gambir", "password": PASSWORD},
        headers={"X-Request-ID": "login-trace-01"},
        REMOTE_ADDR="10.0.0.5",
    )

    assert response.status_code == 302
    event = new_events.one()
    assert (event.action, event.actor, event.object_id) == ("accounts.login", lurah_operator, str(lurah_operator.pk))
    assert (event.request_id, event.ip, event.region_code) == ("login-trace-01", "10.0.0.5", KEL_A)


def test_a_failed_sign_in_is_recorded_with_the_name_tried(
    client: Client, lurah_operator: User, new_events: NewEvents
) -> None:
    response = client.post("/akun/masuk/", {"username": "lurah.gambir", "password": "salah"}, REMOTE_ADDR="10.0.0.6")

    assert response.status_code == 200
    event = new_events.one()
    assert (event.action, event.actor, event.object_repr, event.ip) == (
        "accounts.login_failed",
        None,
        "lurah.gambir",
        "10.0.0.6",
    )


def test_signing_out_is_recorded(client_for, lurah_operator: User) -> None:
    client = client_for(lurah_operator)
    since = NewEvents()

    response = client.post("/akun/keluar/", headers={"X-Request-ID": "logout-trace-01"})

    assert response.status_code == 302
    event = since.one()
    assert (event.action, event.actor, event.request_id) == ("accounts.logout", lurah_operator, "logout-trace-01")
