"""Verification, follow-up and links by the Lurah's staff; FKDM membership."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sinergi.accounts.models import Role, User
from sinergi.earlywarning import services
from sinergi.earlywarning.models import FollowUp, Report
from sinergi.registry.models import Organisation

pytestmark = pytest.mark.django_db


def test_the_lurah_confirms_adds_a_follow_up_and_links_a_case(
    member: User, lurah_operator: User, file_report: Callable[..., Report], client_for: Callable[[User], Client]
) -> None:
    report = file_report(member)
    client = client_for(lurah_operator)
    due = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()

    client.post(reverse("earlywarning:verify", args=[report.pk]), {"status": "confirmed", "note": "Dicek"})
    client.post(
        reverse("earlywarning:followup-add", args=[report.pk]),
        {"action": "Mediasi tokoh warga", "owner": "Kasi Pemerintahan", "due_on": due},
    )
    client.post(reverse("earlywarning:link", args=[report.pk]), {"link_kind": "case", "reference": "ASP-2026-0001"})
    followup = FollowUp.objects.get()
    client.post(reverse("earlywarning:followup-done", args=[followup.pk]))

    report.refresh_from_db()
    followup.refresh_from_db()
    assert (report.status, report.verified_by, report.link_reference) == ("confirmed", lurah_operator, "ASP-2026-0001")
    assert followup.owner == "Kasi Pemerintahan"
    assert followup.done_at is not None
    page = client.get(reverse("earlywarning:detail", args=[report.pk]))
    assert b"Mediasi tokoh warga" in page.content


def test_marking_a_report_false_needs_a_reason(
    member: User, lurah_operator: User, file_report: Callable[..., Report]
) -> None:
    report = file_report(member)

    with pytest.raises(ValidationError) as caught:
        services.report_verify(by=lurah_operator, report=report, status="false")

    assert "Say why the report is false." in caught.value.messages
    report.refresh_from_db()
    assert report.status == "unverified"


def test_the_outsider_lurah_cannot_handle_another_kelurahan(
    member: User, outsider_operator: User, file_report: Callable[..., Report]
) -> None:
    report = file_report(member)

    with pytest.raises(PermissionDenied):
        services.followup_add(by=outsider_operator, report=report, action="x", owner="y", due_on=None)


def test_membership_is_granted_and_revoked_by_the_lurah(
    fkdm_gambir: Organisation, lurah_operator: User, outsider_operator: User, client_for: Callable[[User], Client]
) -> None:
    person = User.objects.create_user(username="warga.fkdm", password="x")

    refused = client_for(outsider_operator).post(
        reverse("earlywarning:member-grant", args=[fkdm_gambir.pk]), {"username": "warga.fkdm"}
    )
    client_for(lurah_operator).post(
        reverse("earlywarning:member-grant", args=[fkdm_gambir.pk]), {"username": "warga.fkdm"}
    )

    assert refused.status_code == 404
    role = Role.objects.get(user=person, kind=Role.Kind.FKDM_MEMBER)
    assert role.organisation == fkdm_gambir
    assert role.is_active
    client_for(lurah_operator).post(reverse("earlywarning:member-revoke", args=[role.pk]))
    role.refresh_from_db()
    assert not role.is_active


def test_staff_and_other_kinds_of_organisation_cannot_get_membership(
    rt_org: Organisation, fkdm_gambir: Organisation, lurah_operator: User, camat_operator: User
) -> None:
    person = User.objects.create_user(username="warga", password="x")
    with pytest.raises(ValidationError):
        services.fkdm_member_grant(by=lurah_operator, organisation=rt_org, user=person)
    with pytest.raises(ValidationError):
        services.fkdm_member_grant(by=lurah_operator, organisation=fkdm_gambir, user=camat_operator)


def test_the_fkdm_chain_is_the_kelurahan_and_every_fkdm_above(
    fkdm_gambir: Organisation, fkdm_kec_gambir: Organisation, fkdm_jakpus: Organisation, fkdm_pasar_baru: Organisation
) -> None:
    assert services.fkdm_chain("31.71.01.1001") == [fkdm_gambir, fkdm_kec_gambir, fkdm_jakpus]
    assert services.fkdm_chain("31.71.02.1001") == [fkdm_pasar_baru, fkdm_jakpus]
