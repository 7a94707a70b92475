"""Administrators browse and filter the audit log of their own territory; nobody else sees it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from conftest import Territory
from sinergi.accounts.models import User
from sinergi.audit.models import AuditEvent
from sinergi.core.context import acting_as
from sinergi.territory import services

pytestmark = pytest.mark.django_db


@dataclass
class Events:
    gambir: AuditEvent  # an RW added in Jakarta Pusat
    gambir_rt: AuditEvent  # an RT added in Jakarta Pusat
    west: AuditEvent  # an RW added in Jakarta Barat
    gambir_request: str


@pytest.fixture
def events(territory: Territory, kesbangpol_admin: User) -> Events:
    """Territory writes by Kesbangpol in Jakarta Pusat (Gambir) and in Jakarta Barat (Cengkareng Barat)."""
    with acting_as(kesbangpol_admin, channel="web") as ctx:
        rw = services.rw_create(kelurahan=territory.kel_gambir, number=21, by=kesbangpol_admin)
        gambir_request = ctx.request_id
    with acting_as(kesbangpol_admin, channel="web"):
        services.rw_create(kelurahan=territory.kel_cengkareng_barat, number=21, by=kesbangpol_admin)
        services.rt_create(rw=rw, number=1, by=kesbangpol_admin)
    by_region = {e.region_code: e for e in AuditEvent.objects.filter(action="territory.rw.create")}
    return Events(
        gambir=by_region["31.71.01.1001"],
        gambir_rt=AuditEvent.objects.get(action="territory.rt.create"),
        west=by_region["31.73.01.1001"],
        gambir_request=gambir_request,
    )


def listed(client, query: dict | None = None) -> list[int]:
    response = client.get("/audit/", query or {})
    assert response.status_code == 200
    return [e.pk for e in response.context["page"].object_list]


def test_a_city_admin_sees_events_of_their_city_only(client_for, city_admin: User, events) -> None:
    pks = listed(client_for(city_admin), {"action": "territory"})
    assert events.gambir.pk in pks
    assert events.gambir_rt.pk in pks
    assert events.west.pk not in pks


def test_an_admin_of_another_city_does_not_see_jakarta_pusat(client_for, west_admin: User, events) -> None:
    client = client_for(west_admin)
    assert listed(client, {"action": "territory"}) == [events.west.pk]
    assert client.get(f"/audit/{events.gambir.pk}/").status_code == 404


def test_kesbangpol_sees_every_city(client_for, kesbangpol_admin: User, events) -> None:
    pks = listed(client_for(kesbangpol_admin), {"action": "territory.rw"})
    assert sorted(pks) == sorted([events.gambir.pk, events.west.pk])


def test_an_admin_opens_an_event_of_their_territory(client_for, city_admin: User, events) -> None:
    response = client_for(city_admin).get(f"/audit/{events.gambir.pk}/")
    assert response.status_code == 200
    assert response.context["event"] == events.gambir
    assert events.gambir.request_id in response.content.decode()


def test_an_action_reads_as_words_with_its_code_beside(client_for, city_admin: User, events) -> None:
    page = client_for(city_admin).get("/audit/").content.decode()
    detail = client_for(city_admin).get(f"/audit/{events.gambir.pk}/").content.decode()

    assert "RW: created" in page
    assert "territory.rw.create" in page
    assert '<h1 class="h4 mb-3 text-break">RW: created</h1>' in detail


def test_an_action_with_an_unknown_verb_keeps_its_code() -> None:
    from sinergi.audit.labels import action_label

    assert action_label("territory.rw.teleport", "territory.rw") == "territory.rw.teleport"
    assert action_label("territory.rw.create", "nowhere.thing") == "territory.rw.create"


@pytest.mark.parametrize("persona", ["lurah_operator", "camat_operator", "city_viewer"])
def test_staff_who_are_not_admins_get_404(request, client_for, events, persona: str) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert client.get("/audit/").status_code == 404
    assert client.get(f"/audit/{events.gambir.pk}/").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, events) -> None:
    response = client.get("/audit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/masuk/")


def test_the_list_filters_by_action(client_for, kesbangpol_admin: User, events) -> None:
    assert listed(client_for(kesbangpol_admin), {"action": "territory.rt"}) == [events.gambir_rt.pk]


def test_the_list_finds_a_request_by_its_id(client_for, kesbangpol_admin: User, events) -> None:
    assert listed(client_for(kesbangpol_admin), {"q": events.gambir_request}) == [events.gambir.pk]


def test_the_list_filters_by_date(client_for, kesbangpol_admin: User, events) -> None:
    client = client_for(kesbangpol_admin)
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    assert len(listed(client, {"action": "territory", "date_from": today.isoformat()})) == 3
    assert listed(client, {"action": "territory", "date_from": tomorrow.isoformat()}) == []
    assert listed(client, {"action": "territory", "date_to": (today - datetime.timedelta(days=1)).isoformat()}) == []


def test_the_list_answers_htmx_with_the_results_only(client_for, kesbangpol_admin: User, events) -> None:
    response = client_for(kesbangpol_admin).get("/audit/", {"action": "territory.rt"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="audit-results"')
    assert "<html" not in body


# visible_to


def test_visible_to_limits_events_to_the_admins_territory(city_admin, west_admin, kesbangpol_admin, events) -> None:
    def visible(user: User) -> set[int]:
        return set(
            AuditEvent.objects.visible_to(user).filter(action__startswith="territory").values_list("pk", flat=True)
        )

    assert visible(city_admin) == {events.gambir.pk, events.gambir_rt.pk}
    assert visible(west_admin) == {events.west.pk}
    assert visible(kesbangpol_admin) == {events.gambir.pk, events.gambir_rt.pk, events.west.pk}


def test_visible_to_shows_nothing_to_non_admins(lurah_operator, city_viewer, events) -> None:
    assert not AuditEvent.objects.visible_to(lurah_operator).exists()
    assert not AuditEvent.objects.visible_to(city_viewer).exists()
