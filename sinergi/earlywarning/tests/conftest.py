"""Early-warning personas on top of the root conftest's territory and staff.

    FKDM Kelurahan Gambir (31.71.01.1001)      member (``fkdm.gambir``)
    FKDM Kecamatan Gambir (31.71.01)           chain_member: the FKDM above the kelurahan
    FKDM Kota Jakarta Pusat (31.71)            city_member
    FKDM Kelurahan Pasar Baru (31.71.02.1001)  other_member: another kelurahan
    Suku Dinas in Jakarta Pusat                agency_staff: government, but not early warning
    RT 001/RW 001 Gambir                       rt_chair (registry conftest)

The escalation rules of the data migration are switched off (``quiet_rules``) so tests count only
the alerts of the rules they make.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from conftest import Territory, Units, make_staff
from sinergi.accounts.models import Role, Unit, User
from sinergi.earlywarning import services
from sinergi.earlywarning.models import EscalationRule, Report, Topic
from sinergi.registry.models import Organisation, OrganisationKind
from sinergi.registry.tests.conftest import kinds, media_root, rt_chair, rt_org  # noqa: F401

PASSWORD = "x"


def fkdm(kinds: dict[str, OrganisationKind], region: Any, name: str) -> Organisation:  # noqa: F811
    return Organisation.objects.create(kind=kinds["fkdm"], name=name, region=region)


def make_member(username: str, organisation: Organisation) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, full_name=username.title())
    Role.objects.create(user=user, organisation=organisation, kind=Role.Kind.FKDM_MEMBER)
    Role.objects.filter(user=user).update(created_at=timezone.now() - datetime.timedelta(days=400))
    return user


@pytest.fixture(autouse=True)
def quiet_rules(db: None) -> None:
    EscalationRule.objects.update(is_active=False)


@pytest.fixture
def fkdm_gambir(kinds: dict[str, OrganisationKind], territory: Territory) -> Organisation:  # noqa: F811
    return fkdm(kinds, territory.kel_gambir, "FKDM Kelurahan Gambir")


@pytest.fixture
def fkdm_kec_gambir(kinds: dict[str, OrganisationKind], territory: Territory) -> Organisation:  # noqa: F811
    return fkdm(kinds, territory.gambir, "FKDM Kecamatan Gambir")


@pytest.fixture
def fkdm_jakpus(kinds: dict[str, OrganisationKind], territory: Territory) -> Organisation:  # noqa: F811
    return fkdm(kinds, territory.jakpus, "FKDM Kota Jakarta Pusat")


@pytest.fixture
def fkdm_pasar_baru(kinds: dict[str, OrganisationKind], territory: Territory) -> Organisation:  # noqa: F811
    return fkdm(kinds, territory.kel_pasar_baru, "FKDM Kelurahan Pasar Baru")


@pytest.fixture
def member(fkdm_gambir: Organisation) -> User:
    return make_member("fkdm.gambir", fkdm_gambir)


@pytest.fixture
def chain_member(fkdm_kec_gambir: Organisation) -> User:
    return make_member("fkdm.kec.gambir", fkdm_kec_gambir)


@pytest.fixture
def city_member(fkdm_jakpus: Organisation) -> User:
    return make_member("fkdm.jakpus", fkdm_jakpus)


@pytest.fixture
def other_member(fkdm_pasar_baru: Organisation) -> User:
    return make_member("fkdm.pasarbaru", fkdm_pasar_baru)


@pytest.fixture
def agency_staff(units: Units, territory: Territory) -> User:
    unit = Unit.objects.create(
        name="Suku Dinas Sosial Jakarta Pusat", kind=Unit.Kind.SUB_AGENCY, region=territory.jakpus
    )
    return make_staff("sudin.sosial", "Tuti Sudin Sosial", unit, Role.Kind.OPERATOR)


@pytest.fixture
def topics(db: None) -> dict[str, Topic]:
    return {t.code: t for t in Topic.objects.all()}


@pytest.fixture
def file_report(topics: dict[str, Topic]) -> Callable[..., Report]:
    """``file_report(member, severity=3, topic="hate-speech", **more)``: a report through the service."""

    def make(by: User, *, severity: int = 3, topic: str = "hate-speech", **more: Any) -> Report:
        fields: dict[str, Any] = {
            "athg": "ancaman",
            "domain": "sosbud",
            "topics": [topics[topic]],
            "severity": severity,
            "occurred_at": timezone.now() - datetime.timedelta(hours=1),
            "description": "Ujaran kebencian di grup WhatsApp warga.",
            "source": "social_media",
            "source_link": "https://x.com/a/status/1",
        }
        fields.update(more)
        report, _created = services.report_submit(by=by, **fields)
        return report

    return make
