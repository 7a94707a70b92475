"""Filing reports and nihil: on the phone page, offline and again, and through the API."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.audit.models import AuditEvent
from sinergi.earlywarning import services
from sinergi.earlywarning.models import Report, Topic
from sinergi.registry.tests.conftest import png

pytestmark = pytest.mark.django_db


def form_data(topics: dict[str, Topic], **more: object) -> dict[str, object]:
    data: dict[str, object] = {
        "client_uuid": str(uuid.uuid4()),
        "severity": "3",
        "athg": "ancaman",
        "domain": "sosbud",
        "topics": [topics["hate-speech"].pk],
        "kelurahan": "",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "description": "Ujaran kebencian terhadap warga pendatang di grup RW.",
        "source": "social_media",
        "source_link": "https://x.com/a/status/9",
    }
    data.update(more)
    return data


def test_a_member_files_a_report_from_the_phone_page(
    member: User, topics: dict[str, Topic], territory, client_for: Callable[[User], Client]
) -> None:
    client = client_for(member)
    page = client.get(reverse("earlywarning:submit"))
    assert page.status_code == 200
    assert b"offline.js" in page.content

    data = form_data(topics, kelurahan=territory.kel_gambir.pk, rw="1", rt="2", attachments=png())
    response = client.post(reverse("earlywarning:submit"), data)

    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("earlywarning:detail", args=[report.pk])
    assert (report.severity, report.kelurahan, report.rt and report.rt.number) == (3, territory.kel_gambir, 2)
    assert report.attachments.count() == 1
    assert AuditEvent.objects.filter(action="earlywarning.report.submit", object_id=str(report.pk)).exists()


def test_the_same_report_sent_twice_after_a_lost_connection_arrives_once(
    member: User, topics: dict[str, Topic], territory, client_for: Callable[[User], Client]
) -> None:
    client = client_for(member)
    data = form_data(topics, kelurahan=territory.kel_gambir.pk)

    first = client.post(reverse("earlywarning:submit"), data, headers={"Accept": "application/json"})
    again = client.post(reverse("earlywarning:submit"), data, headers={"Accept": "application/json"})

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Report.objects.count() == 1
    assert AuditEvent.objects.filter(action="earlywarning.report.submit").count() == 1


def test_nihil_is_one_tap_and_once_a_day(member: User, client_for: Callable[[User], Client]) -> None:
    client = client_for(member)
    for _ in range(2):
        response = client.post(reverse("earlywarning:nihil"), {"client_uuid": str(uuid.uuid4())})
        assert response.status_code == 302

    nihil = Report.objects.get()
    assert (nihil.kind, nihil.for_date, nihil.area_code) == ("nihil", timezone.localdate(), "31.71.01.1001")


def test_a_nihil_saved_offline_yesterday_counts_for_yesterday(
    member: User, client_for: Callable[[User], Client]
) -> None:
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    key = str(uuid.uuid4())

    for _ in range(2):
        client_for(member).post(
            reverse("earlywarning:nihil"),
            {"client_uuid": key, "for_date": yesterday.isoformat()},
            headers={"Accept": "application/json"},
        )

    assert list(Report.objects.values_list("for_date", flat=True)) == [yesterday]


def test_invalid_input_is_refused_with_a_clear_message_and_nothing_written(
    member: User, topics: dict[str, Topic], territory, client_for: Callable[[User], Client]
) -> None:
    data = form_data(topics, kelurahan=territory.kel_pasar_baru.pk, description="", source_link="")

    response = client_for(member).post(reverse("earlywarning:submit"), data)

    assert response.status_code == 422
    errors = response.context["form"].errors
    assert "kelurahan" in errors or "description" in errors
    assert Report.objects.count() == 0


def test_a_report_outside_the_fkdm_area_is_refused(
    member: User, topics: dict[str, Topic], territory, file_report: Callable[..., Report]
) -> None:
    with pytest.raises(ValidationError) as caught:
        file_report(member, kelurahan=territory.kel_pasar_baru)

    assert "Choose a kelurahan of your FKDM's area." in caught.value.messages


def test_a_client_id_of_another_member_is_refused(
    member: User, other_member: User, file_report: Callable[..., Report]
) -> None:
    report = file_report(member)

    with pytest.raises(ValidationError):
        file_report(other_member, client_uuid=report.client_uuid)


def test_only_members_file(lurah_operator: User, rt_chair: User, client_for: Callable[[User], Client]) -> None:
    with pytest.raises(PermissionDenied):
        services.nihil_submit(by=lurah_operator)
    assert client_for(rt_chair).get(reverse("earlywarning:submit")).status_code == 404
    assert (
        client_for(lurah_operator).post(reverse("earlywarning:nihil"), {"client_uuid": str(uuid.uuid4())}).status_code
        == 404
    )


def test_the_api_submit_is_idempotent_by_client_id(
    member: User, api_client_for: Callable[[User], Client], topics: dict[str, Topic]
) -> None:
    client = api_client_for(member)
    body = {
        "client_uuid": str(uuid.uuid4()),
        "athg": "ancaman",
        "domain": "politik",
        "topics": ["hoax"],
        "severity": 2,
        "occurred_at": timezone.now().isoformat(),
        "description": "Hoaks TPS dipindah.",
        "source": "social_media",
        "source_link": "https://x.com/a/status/2",
    }

    first = client.post("/api/v1/early-warning/reports", body, content_type="application/json")
    again = client.post("/api/v1/early-warning/reports", body, content_type="application/json")
    nihil = client.post(
        "/api/v1/early-warning/reports",
        {"client_uuid": str(uuid.uuid4()), "kind": "nihil"},
        content_type="application/json",
    )

    assert (first.status_code, again.status_code, nihil.status_code) == (201, 200, 201)
    assert first.json()["topics"] == ["hoax"]
    assert Report.objects.count() == 2


def test_the_api_verifies_for_the_lurah_and_refuses_the_member(
    member: User, lurah_operator: User, file_report: Callable[..., Report], api_client_for: Callable[[User], Client]
) -> None:
    report = file_report(member)
    path = f"/api/v1/early-warning/reports/{report.pk}/verify"

    refused = api_client_for(member).post(path, {"status": "confirmed"}, content_type="application/json")
    done = api_client_for(lurah_operator).post(
        path, {"status": "confirmed", "note": "Dicek"}, content_type="application/json"
    )

    assert (refused.status_code, done.status_code) == (403, 200)
    assert done.json()["status"] == "confirmed"
