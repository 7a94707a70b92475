"""The demo data: members of the Sawah Besar FKDM, 60 days of reports and nihil, an alert; once."""

from __future__ import annotations

import pytest

from conftest import Territory, Units
from sinergi.accounts.models import Role, User
from sinergi.earlywarning import demo
from sinergi.earlywarning.models import Alert, EscalationRule, Report
from sinergi.registry.models import Organisation, OrganisationKind

pytestmark = pytest.mark.django_db


def test_the_demo_makes_members_reports_verifications_and_an_alert_once(
    territory: Territory, units: Units, kesbangpol_admin: User, kinds: dict[str, OrganisationKind]
) -> None:
    EscalationRule.objects.update(is_active=True)
    for region in (territory.kel_pasar_baru, territory.kel_karang_anyar, territory.sawah_besar):
        Organisation.objects.create(kind=kinds["fkdm"], name=f"FKDM {region.name}", region=region)

    summary = demo.seed()
    again = demo.seed()

    assert again == {}
    assert summary["FKDM members"] == 3
    member = User.objects.get(username="fkdm.pasarbaru")
    assert member.check_password("sinergi-demo-2026")
    assert Role.objects.get(user=member).kind == Role.Kind.FKDM_MEMBER
    assert Report.objects.filter(kind="nihil").count() > 60
    assert Report.objects.filter(kind="report", topics__code="hate-speech").exists()
    assert Report.objects.filter(status="confirmed", follow_ups__isnull=False).exists()
    assert Alert.objects.exists()
