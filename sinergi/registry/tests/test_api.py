"""/api/v1/registry: the same operations as the pages, through the same services, scoped the same way."""

import datetime
import json
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import Territory
from sinergi.accounts.models import User
from sinergi.audit.models import AuditEvent
from sinergi.registry.models import ChangeRequest, Document, Officer, Organisation, OrganisationKind
from sinergi.registry.tests.conftest import make_nik, make_person, pdf, png

pytestmark = pytest.mark.django_db

API = "/api/v1/registry"
TODAY = timezone.localdate()
ApiClient = Callable[[User], Client]


@pytest.fixture(autouse=True)
def english(settings) -> None:
    settings.LANGUAGE_CODE = "en"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def post_json(client: Client, url: str, data: dict) -> object:
    return client.post(url, json.dumps(data), content_type="application/json")


# Organisations ------------------------------------------------------------------------------------


def test_the_list_is_scoped_and_filtered(
    api_client_for: ApiClient, lurah_operator: User, rt_org, other_rt_org, rw_org, outsider_rt_org, territory
) -> None:
    client = api_client_for(lurah_operator)

    assert sorted(ids(client.get(f"{API}/organisations"))) == sorted([rt_org.pk, other_rt_org.pk, rw_org.pk])
    assert sorted(
        ids(client.get(f"{API}/organisations", {"kind": "rt", "region": territory.kel_gambir.code}))
    ) == sorted([rt_org.pk, other_rt_org.pk])
    item = client.get(f"{API}/organisations", {"kind": "rw"}).json()["items"][0]
    assert (item["kind"], item["region_code"], item["rw_number"], item["chairs"]) == ("rw", "31.71.01.1001", 1, [])


def test_the_list_searches_by_exact_nik(
    api_client_for: ApiClient, lurah_operator: User, rt_org, other_rt_org, person_factory
) -> None:
    person = person_factory("Slamet", serial=401)
    Officer.objects.create(
        organisation=other_rt_org,
        person=person,
        position="ketua",
        term_start=TODAY,
        term_end=TODAY.replace(year=TODAY.year + 5),
    )

    assert ids(api_client_for(lurah_operator).get(f"{API}/organisations", {"q": make_nik(serial=401)})) == [
        other_rt_org.pk
    ]


def test_the_list_asks_the_same_number_of_queries_for_5_and_50(
    api_client_for: ApiClient, lurah_operator: User, kinds: dict[str, OrganisationKind], territory: Territory
) -> None:
    client = api_client_for(lurah_operator)

    def grow(count: int) -> None:
        start = Organisation.objects.count()
        orgs = Organisation.objects.bulk_create(
            Organisation(kind=kinds["posyandu"], name=f"Posyandu {i}", region=territory.kel_gambir)
            for i in range(start, start + count)
        )
        for i, org in enumerate(orgs, start=start):
            person = make_person(f"Kader {i}", make_nik(serial=600 + i, female=True), territory.kel_gambir)
            Officer.objects.create(
                organisation=org,
                person=person,
                position="ketua",
                term_start=TODAY,
                term_end=TODAY.replace(year=TODAY.year + 5),
            )

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{API}/organisations?limit=100").status_code == 200
        return len(captured)

    grow(5)
    count()  # the token's first use of the minute is noted: not part of the list
    few = count()
    grow(45)
    assert count() == few


@pytest.mark.parametrize("persona", ["outsider_operator", "west_admin", "rt_chair"])
def test_out_of_scope_is_404_like_missing(
    request: pytest.FixtureRequest, api_client_for: ApiClient, other_rt_org, person_factory, persona: str
) -> None:
    person = person_factory("Slamet", serial=402)
    officer = Officer.objects.create(
        organisation=other_rt_org,
        person=person,
        position="ketua",
        term_start=TODAY,
        term_end=TODAY.replace(year=TODAY.year + 5),
    )
    client = api_client_for(request.getfixturevalue(persona))

    for url in [
        f"/organisations/{other_rt_org.pk}",
        f"/organisations/{other_rt_org.pk}/officers",
        f"/organisations/{other_rt_org.pk}/documents",
        f"/organisations/{other_rt_org.pk}/activity-reports",
        f"/persons/{person.pk}",
        "/organisations/999999",
    ]:
        assert client.get(API + url).status_code == 404, url
    assert (
        client.patch(
            f"{API}/organisations/{other_rt_org.pk}", {"phone": "1"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert (
        post_json(client, f"{API}/officers/{officer.pk}/end", {"ended_on": str(TODAY), "reason": "death"}).status_code
        == 404
    )
    assert client.post(f"{API}/persons/{person.pk}/reveal-nik").status_code == 404


def test_a_token_is_needed(client: Client, rt_org) -> None:
    assert client.get(f"{API}/organisations").status_code == 401


def test_an_operator_registers_an_rt(api_client_for: ApiClient, lurah_operator: User, territory: Territory) -> None:
    response = post_json(
        api_client_for(lurah_operator),
        f"{API}/organisations",
        {"kind": "rt", "name": "RT 001/RW 002", "region": territory.kel_gambir.code, "rw_number": 2, "rt_number": 1},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["rw_number"], body["rt_number"], body["ormas"]) == (2, 1, None)
    assert AuditEvent.objects.filter(action="registry.organisation.create", object_id=str(body["id"])).exists()


def test_a_bad_placement_answers_422_by_field(api_client_for: ApiClient, lurah_operator: User, territory) -> None:
    client = api_client_for(lurah_operator)

    missing_rt = post_json(
        client,
        f"{API}/organisations",
        {"kind": "rt", "name": "RT 9", "region": territory.kel_gambir.code, "rw_number": 1, "rt_number": 9},
    )
    outside = post_json(
        client, f"{API}/organisations", {"kind": "lmk", "name": "LMK", "region": territory.kel_pasar_baru.code}
    )
    wrong_level = post_json(
        client, f"{API}/organisations", {"kind": "rt", "name": "RT", "region": territory.kel_gambir.code}
    )

    assert missing_rt.status_code == 422
    assert "rt_number" in missing_rt.json()["errors"]
    assert outside.status_code == 422
    assert "region" in outside.json()["errors"]
    assert wrong_level.status_code == 422
    assert not Organisation.objects.exists()


def test_patch_changes_only_what_is_sent(api_client_for: ApiClient, lurah_operator: User, rt_org) -> None:
    Organisation.objects.filter(pk=rt_org.pk).update(address="Jl. Lama")

    response = api_client_for(lurah_operator).patch(
        f"{API}/organisations/{rt_org.pk}", {"phone": "0812"}, content_type="application/json"
    )

    assert response.status_code == 200
    assert (response.json()["phone"], response.json()["address"]) == ("0812", "Jl. Lama")


def test_a_representative_patches_contact_data_but_not_the_name(
    api_client_for: ApiClient, rt_chair: User, rt_org
) -> None:
    client = api_client_for(rt_chair)

    ok = client.patch(f"{API}/organisations/{rt_org.pk}", {"email": "rt1@example.id"}, content_type="application/json")
    refused = client.patch(f"{API}/organisations/{rt_org.pk}", {"name": "RT Hebat"}, content_type="application/json")

    assert ok.status_code == 200
    assert refused.status_code == 403
    rt_org.refresh_from_db()
    assert (rt_org.email, rt_org.name) == ("rt1@example.id", "RT 001/RW 001")


def test_the_status_changes_with_a_reason(api_client_for: ApiClient, lurah_operator: User, rt_org) -> None:
    client = api_client_for(lurah_operator)

    assert (
        post_json(client, f"{API}/organisations/{rt_org.pk}/status", {"status": "suspended", "reason": ""}).status_code
        == 422
    )
    response = post_json(
        client, f"{API}/organisations/{rt_org.pk}/status", {"status": "suspended", "reason": "Sengketa"}
    )

    assert response.status_code == 200
    assert response.json()["status"] == "suspended"


# Officers and persons -------------------------------------------------------------------------------


def test_officers_are_appointed_by_nik_with_warnings_and_end(
    api_client_for: ApiClient, lurah_operator: User, rt_org, person_factory
) -> None:
    person_factory("Slamet", serial=410)
    client = api_client_for(lurah_operator)

    response = post_json(
        client,
        f"{API}/organisations/{rt_org.pk}/officers",
        {"nik": make_nik(serial=410), "position": "ketua", "term_start": "2024-03-01"},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["officer"]["term_end"] == "2029-02-28"
    assert body["officer"]["nik_masked"] == "3171••••••••0410"
    assert len(body["warnings"]) == 1  # no no-party statement: the RT kind warns
    listed = client.get(f"{API}/organisations/{rt_org.pk}/officers", {"current": True}).json()
    assert [o["id"] for o in listed] == [body["officer"]["id"]]

    ended = post_json(
        client, f"{API}/officers/{body['officer']['id']}/end", {"ended_on": str(TODAY), "reason": "resignation"}
    )
    assert ended.status_code == 200
    assert ended.json()["is_current"] is False


def test_a_refused_appointment_answers_422(
    api_client_for: ApiClient, lurah_operator: User, rt_org, person_factory
) -> None:
    first, second = person_factory("Satu", serial=411), person_factory("Dua", serial=412)
    client = api_client_for(lurah_operator)
    url = f"{API}/organisations/{rt_org.pk}/officers"

    assert (
        post_json(client, url, {"person_id": first.pk, "position": "ketua", "term_start": "2024-03-01"}).status_code
        == 201
    )
    refused = post_json(client, url, {"person_id": second.pk, "position": "ketua", "term_start": "2025-03-01"})

    assert refused.status_code == 422
    assert "already holds the post" in refused.json()["detail"][0]


def test_persons_are_registered_found_by_nik_and_shown_masked(
    api_client_for: ApiClient, lurah_operator: User, territory
) -> None:
    client = api_client_for(lurah_operator)
    nik = make_nik(serial=420, female=True)

    created = post_json(
        client,
        f"{API}/persons",
        {"full_name": "Wati", "nik": nik, "region": territory.kel_gambir.code, "rw_number": 1, "rt_number": 2},
    )
    duplicate = post_json(client, f"{API}/persons", {"full_name": "Wati Lagi", "nik": nik})

    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["nik_masked"], body["sex"], body["region_code"]) == ("3171••••••••0420", "F", "31.71.01.1001")
    assert nik not in created.content.decode()
    assert duplicate.status_code == 422
    assert "nik" in duplicate.json()["errors"]
    found = client.get(f"{API}/persons", {"nik": nik}).json()["items"]
    assert [p["id"] for p in found] == [body["id"]]
    assert nik not in client.get(f"{API}/persons/{body['id']}").content.decode()


def test_revealing_a_nik_needs_the_permission_and_is_audited(
    api_client_for: ApiClient, nik_officer: User, lurah_operator: User, person_factory
) -> None:
    person = person_factory("Slamet", serial=421)

    refused = api_client_for(lurah_operator).post(f"{API}/persons/{person.pk}/reveal-nik")
    response = api_client_for(nik_officer).post(f"{API}/persons/{person.pk}/reveal-nik")

    assert refused.status_code == 403
    assert response.status_code == 200
    assert response.json() == {"nik": make_nik(serial=421)}
    assert "no-store" in response["Cache-Control"]
    [event] = AuditEvent.objects.filter(action="registry.person.reveal_nik")
    assert (event.actor, event.channel) == (nik_officer, "api")


# Documents and activity reports ----------------------------------------------------------------------


def test_documents_are_uploaded_checked_listed_and_downloaded(
    api_client_for: ApiClient, lurah_operator: User, outsider_operator: User, rt_org
) -> None:
    client = api_client_for(lurah_operator)
    url = f"{API}/organisations/{rt_org.pk}/documents"

    created = client.post(url, {"type": "board_decree", "number": "SK-1", "valid_until": "2029-01-01", "file": pdf()})
    bad = client.post(url, {"type": "board_decree", "file": png("sk.pdf")})

    assert created.status_code == 201, created.content
    assert bad.status_code == 422
    assert "file" in bad.json()["errors"]
    [listed] = client.get(url).json()
    assert listed["number"] == "SK-1"
    download = client.get(listed["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert api_client_for(outsider_operator).get(listed["download_url"]).status_code == 404
    assert Document.objects.count() == 1


def test_activity_reports_are_filed_with_photos(api_client_for: ApiClient, rt_chair: User, rt_org) -> None:
    client = api_client_for(rt_chair)
    url = f"{API}/organisations/{rt_org.pk}/activity-reports"

    response = client.post(
        url,
        {
            "held_on": str(TODAY),
            "kind": "kerja_bakti",
            "title": "Kerja bakti",
            "place": "Gang Mawar",
            "participants": 25,
            "photos": [png("a.png"), png("b.png")],
        },
    )

    assert response.status_code == 201, response.content
    assert response.json()["photo_count"] == 2
    assert [r["title"] for r in client.get(url).json()["items"]] == ["Kerja bakti"]


# Change requests --------------------------------------------------------------------------------------


def test_a_representative_proposes_and_the_lurah_decides(
    api_client_for: ApiClient, rt_chair: User, lurah_operator: User, outsider_operator: User, rt_org
) -> None:
    payload = {"nik": make_nik(serial=430), "full_name": "Budi", "position": "ketua", "term_start": "2025-01-06"}
    submitted = api_client_for(rt_chair).post(
        f"{API}/organisations/{rt_org.pk}/change-requests",
        {"kind": "officer_appoint", "payload": json.dumps(payload), "attachment": pdf("sk.pdf")},
    )
    assert submitted.status_code == 201, submitted.content
    body = submitted.json()
    assert "nik_encrypted" not in body["payload"]
    assert make_nik(serial=430) not in submitted.content.decode()

    lurah = api_client_for(lurah_operator)
    assert [r["id"] for r in lurah.get(f"{API}/change-requests").json()["items"]] == [body["id"]]
    assert lurah.get(f"{API}/change-requests", {"status": "approved"}).json()["items"] == []
    assert api_client_for(outsider_operator).get(f"{API}/change-requests").json()["items"] == []
    assert (
        post_json(
            api_client_for(outsider_operator), f"{API}/change-requests/{body['id']}/decide", {"approve": True}
        ).status_code
        == 404
    )
    assert (
        post_json(api_client_for(rt_chair), f"{API}/change-requests/{body['id']}/decide", {"approve": True}).status_code
        == 403
    )

    decided = post_json(lurah, f"{API}/change-requests/{body['id']}/decide", {"approve": True})

    assert decided.status_code == 200, decided.content
    assert (decided.json()["status"], decided.json()["decided_by"]) == ("approved", str(lurah_operator))
    assert Officer.objects.get().person.full_name == "Budi"
    assert ChangeRequest.objects.get().status == ChangeRequest.Status.APPROVED


def test_a_rejection_without_a_reason_is_422(
    api_client_for: ApiClient, rt_chair: User, lurah_operator: User, rt_org
) -> None:
    submitted = api_client_for(rt_chair).post(
        f"{API}/organisations/{rt_org.pk}/change-requests",
        {"kind": "contact", "payload": json.dumps({"phone": "0812"})},
    )
    pk = submitted.json()["id"]
    lurah = api_client_for(lurah_operator)

    assert post_json(lurah, f"{API}/change-requests/{pk}/decide", {"approve": False}).status_code == 422
    assert (
        post_json(lurah, f"{API}/change-requests/{pk}/decide", {"approve": False, "reason": "Nomor salah"}).status_code
        == 200
    )


def test_a_payload_that_is_not_json_is_422(api_client_for: ApiClient, rt_chair: User, rt_org) -> None:
    response = api_client_for(rt_chair).post(
        f"{API}/organisations/{rt_org.pk}/change-requests", {"kind": "contact", "payload": "{phone"}
    )

    assert response.status_code == 422
    assert not ChangeRequest.objects.exists()


def test_terms_dates_are_iso(api_client_for: ApiClient, lurah_operator: User, rt_org) -> None:
    body = api_client_for(lurah_operator).get(f"{API}/organisations/{rt_org.pk}").json()

    assert datetime.date.fromisoformat(body["status_since"]) == rt_org.status_since


def test_the_schema_documents_the_register(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]

    assert f"{API}/organisations" in paths
    assert f"{API}/change-requests/{{pk}}/decide" in paths


def test_the_missing_data_filter_offers_what_the_selector_knows() -> None:
    from typing import get_args

    from sinergi.registry.api import MissingData
    from sinergi.registry.selectors import MISSING_CHOICES

    assert set(get_args(MissingData)) == {key for key, _label in MISSING_CHOICES}
