"""The home page per role: each sees only the numbers of their own scope."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from conftest import Territory
from sinergi.accounts.models import User
from sinergi.evaluation.tests.conftest import Small, make_document
from sinergi.events.models import Event, EventDay, Invitation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def test_a_lurah_sees_only_their_kelurahan_numbers(
    client_for, small: Small, territory: Territory, lurah_operator: User
) -> None:
    soon = datetime.date.today() + datetime.timedelta(days=10)
    make_document(small.rt1, soon)
    make_document(small.cideng, soon)  # Cideng: not the lurah's

    response = client_for(lurah_operator).get("/")

    stats = response.context["stats"]
    assert response.context["area"] == territory.kel_gambir
    assert stats.documents_expiring == 1
    assert stats.totals.organisations == 2
    assert response.context["watcher"]  # a kelurahan office watches early warning


def test_a_lurah_cannot_drill_into_another_kelurahan(
    client_for, small: Small, territory: Territory, lurah_operator: User
) -> None:
    response = client_for(lurah_operator).get("/", {"area": territory.kel_cideng.code})
    assert response.context["area"] == territory.kel_gambir
    data = client_for(lurah_operator).get(reverse("evaluation:dashboard-data", args=[territory.kel_cideng.code]))
    assert data.status_code == 404


def test_the_city_sees_its_kecamatan_and_drills_down(
    client_for, small: Small, territory: Territory, city_admin: User
) -> None:
    client = client_for(city_admin)
    top = client.get("/").context["stats"]
    assert {row.name: row.organisations for row in top.children} == {
        "Kecamatan Gambir": 3,
        "Kecamatan Sawah Besar": 0,
    }

    down = client.get("/", {"area": territory.gambir.code}).context["stats"]
    assert {row.name: row.organisations for row in down.children} == {"Kelurahan Gambir": 2, "Kelurahan Cideng": 1}
    data = client.get(reverse("evaluation:dashboard-data", args=[territory.gambir.code])).json()
    assert [c["organisations"] for c in data["children"]] == [2, 1]


def test_an_rt_chair_sees_only_their_organisations_to_dos(
    client_for, small: Small, territory: Territory, units, kesbangpol_admin: User
) -> None:
    event = Event.objects.create(
        kind=Event.Kind.MEETING,
        unit=units.kec_gambir,
        region=territory.gambir,
        title="Rapat koordinasi RT",
        venue="Aula",
        status=Event.Status.PUBLISHED,
        created_by=kesbangpol_admin,
    )
    EventDay.objects.create(
        event=event,
        date=datetime.date.today() + datetime.timedelta(days=3),
        starts_at=datetime.time(9),
        ends_at=datetime.time(11),
    )
    mine = Invitation.objects.create(event=event, organisation=small.rt1, addressee="Ketua RT 001")
    Invitation.objects.create(event=event, organisation=small.rt2, addressee="Ketua RT 002")

    response = client_for(small.chair).get("/")

    assert response.status_code == 200
    assert response.context["todo"].invitations == [mine]
    assert "stats" not in response.context  # no territory figures for a representative
    assert "Rapat koordinasi RT" in response.content.decode()


def test_the_figures_are_cached_per_area(
    client_for, small: Small, territory: Territory, lurah_operator: User, django_assert_max_num_queries
) -> None:
    client = client_for(lurah_operator)
    client.get("/")
    with django_assert_max_num_queries(25):
        client.get("/")


def test_stale_figures_are_shown_while_a_task_computes_them_again(
    small: Small, territory: Territory, kinds: dict
) -> None:
    from sinergi.evaluation import dashboard
    from sinergi.registry.models import Organisation

    today = datetime.date.today()
    assert dashboard.area_stats(territory.kel_gambir, watcher=False, today=today).totals.organisations == 2
    Organisation.objects.create(kind=kinds["lmk"], name="LMK Gambir", region=territory.kel_gambir)
    key = dashboard._key(territory.kel_gambir.code, False, today)
    cache.set(key, {**cache.get(key), "fresh_until": 0})

    stale = dashboard.area_stats(territory.kel_gambir, watcher=False, today=today)
    fresh = dashboard.area_stats(territory.kel_gambir, watcher=False, today=today)

    assert (stale.totals.organisations, fresh.totals.organisations) == (2, 3)
