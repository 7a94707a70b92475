"""The situation picture: counts per kelurahan, the trend, the weekly PDF; all within the scope."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.earlywarning import services
from sinergi.earlywarning.models import Report, SituationReport

pytestmark = pytest.mark.django_db


def test_the_map_counts_reports_per_kelurahan_and_the_trend_per_day(
    member: User,
    other_member: User,
    chain_member: User,
    file_report: Callable[..., Report],
    city_admin: User,
    territory,
    client_for: Callable[[User], Client],
) -> None:
    file_report(member, severity=4)
    file_report(member, severity=2, topic="hoax", domain="politik")
    file_report(chain_member, severity=1, kelurahan=territory.kel_cideng)
    file_report(other_member, severity=3, occurred_at=timezone.now() - datetime.timedelta(days=40))

    client = client_for(city_admin)
    data = client.get(reverse("earlywarning:situation-data"), {"area": "31.71", "days": 30}).json()
    politics = client.get(
        reverse("earlywarning:situation-data"), {"area": "31.71", "days": 30, "domain": "politik"}
    ).json()

    assert data["areas"] == {
        "31.71.01.1001": {"count": 2, "high": 1, "worst": 4},
        "31.71.01.1002": {"count": 1, "high": 0, "worst": 1},
    }
    assert data["total"] == 3
    assert sum(data["trend"]["series"]["4"]) == 1
    assert len(data["trend"]["days"]) in (30, 31)
    assert politics["total"] == 1
    assert client.get(reverse("earlywarning:situation"), {"area": "31.71"}).status_code == 200


def test_the_map_of_another_area_is_not_found(outsider_operator: User, client_for: Callable[[User], Client]) -> None:
    response = client_for(outsider_operator).get(reverse("earlywarning:situation-data"), {"area": "31.71.01"})

    assert response.status_code == 404


def test_the_weekly_situation_report_is_made_as_a_pdf_by_a_task(
    member: User,
    file_report: Callable[..., Report],
    camat_operator: User,
    territory,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks,
) -> None:
    file_report(member, severity=4)
    week = timezone.localdate()
    client = client_for(camat_operator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("earlywarning:weekly"), {"area": "31.71.01", "week_start": week.isoformat()})

    job = SituationReport.objects.get()
    assert response["Location"] == reverse("earlywarning:weekly-detail", args=[job.pk])
    assert job.status == "done"
    assert job.week_start.weekday() == 0
    download = client.get(reverse("earlywarning:weekly-download", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    with pytest.raises(PermissionDenied):  # a member watches no area
        services.situation_request(by=member, region=territory.gambir, week_start=week)
