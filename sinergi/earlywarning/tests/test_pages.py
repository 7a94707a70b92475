"""The staff pages answer with few queries, and settings are for the province's administrators."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from sinergi.accounts.models import User
from sinergi.earlywarning.models import EscalationRule, Report, Topic

pytestmark = pytest.mark.django_db


def test_the_list_takes_the_same_queries_for_few_and_many_reports(
    member: User,
    lurah_operator: User,
    file_report: Callable[..., Report],
    client_for: Callable[[User], Client],
    django_assert_max_num_queries,
) -> None:
    client = client_for(lurah_operator)
    file_report(member)
    client.get(reverse("earlywarning:list"))  # warm the session
    with django_assert_max_num_queries(16) as few:
        client.get(reverse("earlywarning:list"))
    for _ in range(5):
        file_report(member, topic="hoax")

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("earlywarning:list"), {"severity": 2, "days": 7})

    assert response.context["page"].paginator.count == 6


def test_the_province_administrator_adds_a_rule_and_a_topic(
    kesbangpol_admin: User, city_admin: User, client_for: Callable[[User], Client]
) -> None:
    rule = {"name": "Dua kritis", "kind": "cluster", "min_severity": 4, "count": 2, "hours": 12, "percent": 50}

    refused = client_for(city_admin).post(reverse("earlywarning:rules"), rule)
    client_for(kesbangpol_admin).post(reverse("earlywarning:rules"), {**rule, "is_active": "on"})
    client_for(kesbangpol_admin).post(
        reverse("earlywarning:topics"), {"code": "pilkada", "name": "Pilkada", "sort_order": 5, "is_active": "on"}
    )

    assert refused.status_code == 403
    assert EscalationRule.objects.filter(name="Dua kritis", count=2, hours=12).exists()
    assert Topic.objects.filter(code="pilkada", is_active=True).exists()


def test_the_weekly_status_is_a_partial_for_htmx(
    camat_operator: User, client_for: Callable[[User], Client], territory
) -> None:
    from sinergi.earlywarning.models import SituationReport

    job = SituationReport.objects.create(region=territory.gambir, week_start="2026-01-05", created_by=camat_operator)

    response = client_for(camat_operator).get(
        reverse("earlywarning:weekly-detail", args=[job.pk]), headers={"HX-Request": "true"}
    )

    assert b"hx-trigger" in response.content
    assert b"<html" not in response.content


def test_the_main_navigation_shows_early_warning_to_offices_and_members_only(
    member: User, lurah_operator: User, rt_chair: User, agency_staff: User
) -> None:
    from sinergi.earlywarning.templatetags.earlywarning import ew_in_nav

    assert [ew_in_nav(u) for u in (member, lurah_operator, rt_chair, agency_staff)] == [True, True, False, False]
