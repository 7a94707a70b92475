"""Who sees which part of the territory: the outsider gets 404, in pages and in the API alike."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from conftest import Territory
from sinergi.accounts.models import User
from sinergi.territory.models import RT, RW, Region

pytestmark = pytest.mark.django_db

KEL_A = "31.71.01.1001"  # Gambir: the lurah operator's kelurahan
KEL_B = "31.71.02.1001"  # Pasar Baru: the outsider's kelurahan
WEST = "31.73.01.1001"  # Cengkareng Barat, in another city

PAGE_URLS = ["/wilayah/{code}/", "/wilayah/{code}/rw/1/", "/wilayah/{code}/peta.geojson"]
API_URLS = [
    "/api/v1/territory/regions/{code}",
    "/api/v1/territory/regions/{code}/children",
    "/api/v1/territory/regions/{code}/geojson",
    "/api/v1/territory/regions/{code}/rw",
    "/api/v1/territory/regions/{code}/rt",
]


@pytest.fixture(params=["session", "token"])
def api_client(request: pytest.FixtureRequest, client_for, api_client_for) -> Callable[[User], Client]:
    """The API is scoped the same whether the caller signs in or sends a token."""
    return client_for if request.param == "session" else api_client_for


@pytest.mark.parametrize("url", PAGE_URLS)
def test_a_lurah_operator_gets_404_for_another_kelurahans_pages(client_for, lurah_operator: User, url: str) -> None:
    client = client_for(lurah_operator)
    assert client.get(url.format(code=KEL_B)).status_code == 404
    assert client.get(url.format(code=WEST)).status_code == 404


@pytest.mark.parametrize("url", API_URLS)
def test_a_lurah_operator_gets_404_for_another_kelurahan_in_the_api(api_client, lurah_operator: User, url: str) -> None:
    client = api_client(lurah_operator)
    response = client.get(url.format(code=KEL_B))
    assert response.status_code == 404
    assert "Pasar Baru" not in response.content.decode()


@pytest.mark.parametrize("url", API_URLS)
def test_a_lurah_operator_reads_their_own_kelurahan_in_the_api(api_client, lurah_operator: User, url: str) -> None:
    assert api_client(lurah_operator).get(url.format(code=KEL_A)).status_code == 200


def test_a_lurah_operator_gets_their_kelurahan_boundary(client_for, lurah_operator: User) -> None:
    response = client_for(lurah_operator).get(f"/wilayah/{KEL_A}/peta.geojson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    features = response.json()["features"]
    assert [f["properties"]["code"] for f in features] == [KEL_A]
    assert features[0]["properties"]["rw"] == 2
    assert features[0]["properties"]["rt"] == 5


def test_a_lurah_operator_sees_their_kelurahan_page(client_for, lurah_operator: User) -> None:
    response = client_for(lurah_operator).get(f"/wilayah/{KEL_A}/")
    assert response.status_code == 200
    assert response.context["region"].code == KEL_A
    assert [rw.number for rw, _n in response.context["rws"]] == [1, 2]
    # The breadcrumb stops at the top of the operator's own territory.
    assert response.context["ancestors"] == []
    assert response.context["can_write"] is True


def test_a_lurah_operator_sees_their_rw_page(client_for, lurah_operator: User) -> None:
    response = client_for(lurah_operator).get(f"/wilayah/{KEL_A}/rw/1/")
    assert response.status_code == 200
    assert [rt.number for rt in response.context["rts"]] == [1, 2, 3]


def test_a_lurah_operator_gets_404_for_the_kecamatan_above_them(api_client, lurah_operator: User) -> None:
    assert api_client(lurah_operator).get("/api/v1/territory/regions/31.71.01").status_code == 404


def test_the_api_lists_only_regions_in_scope(api_client, lurah_operator: User) -> None:
    body = api_client(lurah_operator).get("/api/v1/territory/regions").json()
    assert body["count"] == 1
    assert [r["code"] for r in body["items"]] == [KEL_A]
    assert body["items"][0]["rw_count"] == 2
    assert body["items"][0]["rt_count"] == 5


def test_the_api_lists_only_rw_and_rt_of_the_kelurahan(api_client, lurah_operator: User) -> None:
    client = api_client(lurah_operator)
    rws = client.get(f"/api/v1/territory/regions/{KEL_A}/rw").json()
    assert [(rw["number"], rw["rt_count"]) for rw in rws] == [(1, 3), (2, 2)]
    rts = client.get(f"/api/v1/territory/regions/{KEL_A}/rt").json()
    assert [(rt["rw_number"], rt["number"]) for rt in rts] == [(1, 1), (1, 2), (1, 3), (2, 1), (2, 2)]


def test_a_city_admin_sees_every_kecamatan_of_the_city(api_client, city_admin: User) -> None:
    client = api_client(city_admin)
    children = client.get("/api/v1/territory/regions/31.71/children").json()
    assert [(c["code"], c["name"]) for c in children] == [("31.71.01", "Gambir"), ("31.71.02", "Sawah Besar")]
    districts = client.get("/api/v1/territory/regions", {"level": "district"}).json()
    assert [r["code"] for r in districts["items"]] == ["31.71.01", "31.71.02"]
    assert client.get(f"/api/v1/territory/regions/{KEL_B}/rw").status_code == 200


@pytest.mark.parametrize("code", ["31.73", "31.73.01", WEST, "31"])
def test_a_city_admin_gets_404_for_another_city(api_client, city_admin: User, code: str) -> None:
    assert api_client(city_admin).get(f"/api/v1/territory/regions/{code}").status_code == 404


def test_a_city_admin_gets_404_for_another_citys_pages(client_for, city_admin: User) -> None:
    client = client_for(city_admin)
    assert client.get("/wilayah/31.73/").status_code == 404
    assert client.get(f"/wilayah/{WEST}/rw/1/").status_code == 404


def test_a_city_admin_sees_the_city_page_with_its_kecamatan(client_for, city_admin: User) -> None:
    response = client_for(city_admin).get("/wilayah/31.71/")
    assert response.status_code == 200
    children = [(child.code, counts.rw, counts.rt) for child, counts in response.context["children"]]
    assert children == [("31.71.01", 3, 6), ("31.71.02", 1, 2)]


def test_kesbangpol_sees_every_city(api_client, kesbangpol_admin: User) -> None:
    client = api_client(kesbangpol_admin)
    cities = client.get("/api/v1/territory/regions/31/children").json()
    assert [c["code"] for c in cities] == ["31.71", "31.73"]
    for code in (KEL_A, KEL_B, WEST):
        assert client.get(f"/api/v1/territory/regions/{code}/rt").status_code == 200
    province = client.get("/api/v1/territory/regions/31").json()
    assert (province["display_name"], province["rw_count"], province["rt_count"]) == (
        "Provinsi Daerah Khusus Jakarta",
        5,
        9,
    )


def test_kesbangpol_sees_pages_of_every_city(client_for, kesbangpol_admin: User) -> None:
    client = client_for(kesbangpol_admin)
    assert client.get(f"/wilayah/{WEST}/peta.geojson").status_code == 200
    assert client.get(f"/wilayah/{WEST}/rw/1/").status_code == 200


def test_a_region_that_does_not_exist_is_404_like_one_out_of_scope(api_client, kesbangpol_admin: User) -> None:
    assert api_client(kesbangpol_admin).get("/api/v1/territory/regions/99.99").status_code == 404


def test_the_territory_index_sends_a_user_to_the_top_of_their_territory(client_for, camat_operator: User) -> None:
    response = client_for(camat_operator).get("/wilayah/")
    assert response.status_code == 302
    assert response["Location"] == "/wilayah/31.71.01/"


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, territory: Territory) -> None:
    response = client.get(f"/wilayah/{KEL_A}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/masuk/")
    assert client.get(f"/api/v1/territory/regions/{KEL_A}").status_code == 401


def test_a_user_without_roles_sees_nothing(api_client, territory: Territory) -> None:
    nobody = User.objects.create_user(username="tanpa.peran", password="x")
    client = api_client(nobody)
    assert client.get("/api/v1/territory/regions").json()["count"] == 0
    assert client.get(f"/api/v1/territory/regions/{KEL_A}").status_code == 404


# visible_to, model by model


def test_region_visible_to_follows_each_persona(lurah_operator, camat_operator, city_admin, kesbangpol_admin) -> None:
    def codes(user: User) -> set[str]:
        return set(Region.objects.visible_to(user).values_list("code", flat=True))

    assert codes(lurah_operator) == {KEL_A}
    assert codes(camat_operator) == {"31.71.01", KEL_A, "31.71.01.1002"}
    assert codes(city_admin) == {"31.71", "31.71.01", "31.71.02", KEL_A, "31.71.01.1002", KEL_B, "31.71.02.1002"}
    assert codes(kesbangpol_admin) == set(Region.objects.values_list("code", flat=True))


def test_rw_and_rt_visible_to_stay_inside_the_kelurahan(lurah_operator: User, outsider_operator: User) -> None:
    assert {rw.kelurahan.code for rw in RW.objects.visible_to(lurah_operator)} == {KEL_A}
    assert RT.objects.visible_to(lurah_operator).count() == 5
    assert {rt.rw.kelurahan.code for rt in RT.objects.visible_to(outsider_operator)} == {KEL_B}


def test_a_switched_off_role_or_account_sees_nothing(lurah_operator: User) -> None:
    lurah_operator.roles.update(is_active=False)
    assert not Region.objects.visible_to(User.objects.get(pk=lurah_operator.pk)).exists()
    lurah_operator.roles.update(is_active=True)
    User.objects.filter(pk=lurah_operator.pk).update(is_active=False)
    assert not RW.objects.visible_to(User.objects.get(pk=lurah_operator.pk)).exists()
