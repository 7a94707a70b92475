"""Who sees an FKDM report: the reporter, the FKDM chain above its kelurahan and the territorial
offices' staff of its area; nobody else, and every reading is audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sinergi.accounts.models import User
from sinergi.audit.models import AuditEvent
from sinergi.earlywarning import services
from sinergi.earlywarning.models import Report

pytestmark = pytest.mark.django_db

SEES = [
    "member",
    "chain_member",
    "city_member",
    "lurah_operator",
    "camat_operator",
    "city_admin",
    "city_viewer",
    "kesbangpol_admin",
]
DOES_NOT_SEE = ["other_member", "outsider_operator", "west_admin", "agency_staff", "rt_chair"]


@pytest.fixture
def report(member: User, file_report: Callable[..., Report]) -> Report:
    return file_report(member, severity=3)


@pytest.mark.parametrize("persona", SEES)
def test_it_shows_the_report_to_the_member_the_chain_and_the_area_offices(
    persona: str, report: Report, request: pytest.FixtureRequest, client_for: Callable[[User], Client]
) -> None:
    user: User = request.getfixturevalue(persona)

    assert Report.objects.visible_to(user).filter(pk=report.pk).exists()
    assert client_for(user).get(reverse("earlywarning:detail", args=[report.pk])).status_code == 200
    assert AuditEvent.objects.filter(
        action="earlywarning.report.view_page", object_id=str(report.pk), actor=user
    ).exists()


@pytest.mark.parametrize("persona", DOES_NOT_SEE)
def test_it_answers_404_to_everyone_else(
    persona: str,
    report: Report,
    request: pytest.FixtureRequest,
    client_for: Callable[[User], Client],
    api_client_for: Callable[[User], Client],
) -> None:
    user: User = request.getfixturevalue(persona)

    assert not Report.objects.visible_to(user).exists()
    for name in ("detail", "pdf"):
        assert client_for(user).get(reverse(f"earlywarning:{name}", args=[report.pk])).status_code == 404
    assert api_client_for(user).get(f"/api/v1/early-warning/reports/{report.pk}").status_code == 404
    assert api_client_for(user).get("/api/v1/early-warning/reports").json()["count"] == 0
    assert not AuditEvent.objects.filter(action__startswith="earlywarning.report.view").exists()


def test_anonymous_visitors_are_sent_to_the_login_and_the_api_refuses_them(report: Report) -> None:
    response = Client().get(reverse("earlywarning:detail", args=[report.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert Client().get(f"/api/v1/early-warning/reports/{report.pk}").status_code == 401


def test_a_revoked_member_still_sees_their_own_report_but_no_longer_the_kelurahan(
    member: User, report: Report, file_report: Callable[..., Report], kesbangpol_admin: User
) -> None:
    colleague_org = member.roles.get().organisation
    assert colleague_org is not None
    colleague = User.objects.create_user(username="fkdm.gambir2", password="x")
    services.fkdm_member_grant(by=kesbangpol_admin, organisation=colleague_org, user=colleague)
    theirs = file_report(colleague)
    assert set(Report.objects.visible_to(member)) == {report, theirs}

    services.fkdm_member_revoke(by=kesbangpol_admin, role=member.roles.get())
    member = User.objects.get(pk=member.pk)

    assert list(Report.objects.visible_to(member)) == [report]


def test_every_reading_is_audited_page_api_and_pdf(
    report: Report,
    lurah_operator: User,
    client_for: Callable[[User], Client],
    api_client_for: Callable[[User], Client],
) -> None:
    client_for(lurah_operator).get(reverse("earlywarning:detail", args=[report.pk]))
    client_for(lurah_operator).get(reverse("earlywarning:pdf", args=[report.pk]))
    api_client_for(lurah_operator).get(f"/api/v1/early-warning/reports/{report.pk}")

    actions = set(
        AuditEvent.objects.filter(object_type="earlywarning.report", actor=lurah_operator).values_list(
            "action", flat=True
        )
    )
    assert actions == {
        "earlywarning.report.view_page",
        "earlywarning.report.view_pdf",
        "earlywarning.report.view_api",
    }
    assert AuditEvent.objects.filter(action="earlywarning.report.view_page").get().region_code == "31.71.01.1001"


@pytest.mark.parametrize("persona", ["city_viewer", "member", "chain_member"])
def test_who_only_reads_cannot_verify(
    persona: str, report: Report, request: pytest.FixtureRequest, client_for: Callable[[User], Client]
) -> None:
    user: User = request.getfixturevalue(persona)

    response = client_for(user).post(reverse("earlywarning:verify", args=[report.pk]), {"status": "confirmed"})

    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == Report.Status.UNVERIFIED


def test_the_list_shows_only_what_the_user_sees(
    member: User,
    other_member: User,
    file_report: Callable[..., Report],
    outsider_operator: User,
    lurah_operator: User,
    client_for: Callable[[User], Client],
) -> None:
    mine = file_report(member)
    theirs = file_report(other_member, description="Hoaks di Pasar Baru", topic="hoax")

    def listed(user: User) -> Any:
        return list(client_for(user).get(reverse("earlywarning:list")).context["page"].object_list)

    assert listed(lurah_operator) == [mine]
    assert listed(outsider_operator) == [theirs]
    assert listed(other_member) == [theirs]
