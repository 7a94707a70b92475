"""Fixtures of the cases tests: an agency with its Suku Dinas, categories routed to them, and a
helper that files a case through the real service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from conftest import Territory, Units, make_staff
from sinergi.accounts.models import Role, Unit, User
from sinergi.cases import services
from sinergi.cases.models import Case, Category
from sinergi.registry.tests.conftest import PNG, kinds, pdf, png, rt_chair, rt_org  # noqa: F401 - used by the tests


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def agency(units: Units, territory: Territory) -> Unit:
    return Unit.objects.create(
        name="Dinas Sumber Daya Air Provinsi DKI Jakarta",
        kind=Unit.Kind.AGENCY,
        region=territory.province,
        short_name="SDA",
    )


@pytest.fixture
def sudin(agency: Unit, territory: Territory) -> Unit:
    return Unit.objects.create(
        name="Suku Dinas Sumber Daya Air Kota Administrasi Jakarta Pusat",
        kind=Unit.Kind.SUB_AGENCY,
        region=territory.jakpus,
        short_name="Sudin SDA Jakpus",
        parent=agency,
    )


@pytest.fixture
def sudin_west(agency: Unit, territory: Territory) -> Unit:
    return Unit.objects.create(
        name="Suku Dinas Sumber Daya Air Kota Administrasi Jakarta Barat",
        kind=Unit.Kind.SUB_AGENCY,
        region=territory.jakbar,
        parent=agency,
    )


@pytest.fixture
def sudin_operator(sudin: Unit) -> User:
    return make_staff("sudin.sda", "Rudi Sudin SDA", sudin, Role.Kind.OPERATOR)


@pytest.fixture
def agency_operator(agency: Unit) -> User:
    return make_staff("dinas.sda", "Tono Dinas SDA", agency, Role.Kind.OPERATOR)


@pytest.fixture
def sudin_west_operator(sudin_west: Unit) -> User:
    return make_staff("sudin.sda.barat", "Lina Sudin Barat", sudin_west, Role.Kind.OPERATOR)


@pytest.fixture
def flood(agency: Unit, sudin: Unit) -> Category:
    parent = Category.objects.create(name="Banjir dan drainase")
    return Category.objects.create(name="Saluran tersumbat", parent=parent, unit=agency, sla_days=7)


@pytest.fixture
def adminduk(units: Units) -> Category:
    return Category.objects.create(name="KTP dan KK", unit_kind=Unit.Kind.VILLAGE_OFFICE, sla_days=5)


@pytest.fixture
def file_case(territory: Territory, units: Units, flood: Category) -> Callable[..., services.Submission]:
    """``file_case(**overrides)``: a complaint about a blocked drain in Kelurahan Gambir."""

    def make(**overrides: Any) -> services.Submission:
        values: dict[str, Any] = {
            "kind": Case.Kind.COMPLAINT,
            "category": flood,
            "description": "Saluran air di depan pasar tersumbat sampah dan meluap",
            "region": territory.kel_gambir,
            "reporter_name": "Siti Aminah",
            "reporter_phone": "081234567890",
            "reporter_email": "siti@contoh.test",
        }
        values.update(overrides)
        return services.case_submit(**values)

    return make
