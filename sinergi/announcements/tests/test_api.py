"""The API: agencies publish, staff follow progress, representatives acknowledge."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from sinergi.accounts.models import User
from sinergi.accounts.services import token_create
from sinergi.announcements import services
from sinergi.announcements.models import Announcement, Delivery
from sinergi.registry.models import Organisation

pytestmark = pytest.mark.django_db

BODY = {
    "title": "Sensus Ekonomi 2026",
    "body": "<p>Petugas BPS datang.</p><script>alert(1)</script>",
    "category": "census",
    "source_name": "BPS Kota Jakarta Pusat",
    "audience": {"kinds": ["rt", "rw"], "region_codes": ["31.71.01.1001"]},
    "send": True,
}


def test_an_agency_system_publishes_and_sends_with_a_write_token(
    api_client_for: Callable[[User], Client],
    lurah_operator: User,
    gambir_orgs: list[Organisation],
    django_capture_on_commit_callbacks: Any,
) -> None:
    unit = services.sender_units(lurah_operator)[0]
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client_for(lurah_operator).post(
            "/api/v1/announcements", {**BODY, "unit_id": unit.pk}, content_type="application/json"
        )

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "sending"  # the batches run after the commit
    assert Announcement.objects.get(pk=data["id"]).status == Announcement.Status.SENT
    assert "<script" not in data["body"]
    assert Delivery.objects.filter(announcement_id=data["id"]).count() == 3

    progress = api_client_for(lurah_operator).get(f"/api/v1/announcements/{data['id']}/progress").json()
    assert progress["totals"]["total"] == 3
    assert progress["area"] == "31.71.01.1001"


def test_a_read_token_cannot_publish(client: Client, lurah_operator: User, gambir_orgs: list[Organisation]) -> None:
    _token, key = token_create(user=lurah_operator, name="baca", scope="read")
    unit = services.sender_units(lurah_operator)[0]

    response = client.post(
        "/api/v1/announcements",
        {**BODY, "unit_id": unit.pk},
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )

    assert response.status_code == 403
    assert not Announcement.objects.exists()


def test_publishing_outside_ones_territory_is_refused(
    api_client_for: Callable[[User], Client], lurah_operator: User, outsider_rt_org: Organisation
) -> None:
    unit = services.sender_units(lurah_operator)[0]
    body = {**BODY, "unit_id": unit.pk, "audience": {"kinds": ["rt"], "region_codes": ["31.71.02.1001"]}}

    response = api_client_for(lurah_operator).post("/api/v1/announcements", body, content_type="application/json")

    assert response.status_code == 422
    assert "region_codes" in response.json()["errors"]
    assert not Announcement.objects.exists()


def test_a_representative_lists_and_acknowledges_only_its_own_deliveries(
    sent: Callable[..., Announcement],
    api_client_for: Callable[[User], Client],
    rt_chair: User,
    rt_org: Organisation,
    other_rt_org: Organisation,
) -> None:
    announcement = sent()
    client = api_client_for(rt_chair)
    mine = Delivery.objects.get(announcement=announcement, organisation=rt_org)
    other = Delivery.objects.get(announcement=announcement, organisation=other_rt_org)

    listed = client.get("/api/v1/announcements/deliveries").json()
    acknowledged = client.post(f"/api/v1/announcements/deliveries/{mine.pk}/acknowledge")

    assert [item["id"] for item in listed["items"]] == [mine.pk]
    assert acknowledged.status_code == 200
    assert acknowledged.json()["acknowledged_at"] is not None
    assert client.post(f"/api/v1/announcements/deliveries/{other.pk}/acknowledge").status_code == 404
    assert client.get(f"/api/v1/announcements/{announcement.pk}").status_code == 404
