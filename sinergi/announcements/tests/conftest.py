"""Announcement fixtures on top of the root conftest (territory, staff personas) and the register's
(organisations of Kelurahan Gambir, the RT chair).

    rt_org        RT 001/RW 001 Kelurahan Gambir, represented by rt_chair
    other_rt_org  RT 002/RW 001 Kelurahan Gambir, represented by neighbour_chair
    rw_org        RW 001 Kelurahan Gambir
    outsider_rt_org RT 001/RW 001 Kelurahan Pasar Baru (Kecamatan Sawah Besar)
    ormas_org     an Ormas of Kecamatan Gambir
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from sinergi.accounts.models import User
from sinergi.announcements import services
from sinergi.announcements.models import Announcement
from sinergi.registry.models import Organisation
from sinergi.registry.targeting import Audience
from sinergi.registry.tests.conftest import *  # noqa: F403 - the register's fixtures
from sinergi.registry.tests.conftest import make_representative


@pytest.fixture
def neighbour_chair(other_rt_org: Organisation) -> User:
    """Ketua RT 002/RW 001 Gambir: a recipient of the same announcements, another organisation."""
    user = make_representative("ketua.rt2.gambir", "Wawan Ketua RT 2", other_rt_org)
    user.email = "wawan@sinergi.test"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def gambir_orgs(
    rt_org: Organisation, other_rt_org: Organisation, rw_org: Organisation, ormas_org: Organisation
) -> list[Organisation]:
    return [rt_org, other_rt_org, rw_org, ormas_org]


@pytest.fixture
def draft(lurah_operator: User, units: Any, gambir_orgs: list[Organisation]) -> Callable[..., Announcement]:
    """``draft(**fields)``: a draft from the Gambir kelurahan office to every RT and RW of Kelurahan Gambir."""

    def make(by: User | None = None, audience: Audience | None = None, **fields: Any) -> Announcement:
        sender = by or lurah_operator
        unit = services.sender_units(sender)[0]
        values: dict[str, Any] = {
            "title": "Sensus Ekonomi 2026",
            "body": "Petugas BPS akan mendatangi usaha di wilayah Anda.",
            "category": Announcement.Category.CENSUS,
        }
        values.update(fields)
        return services.announcement_create(
            by=sender,
            unit=unit,
            audience=audience or Audience(kinds=("rt", "rw"), region_codes=("31.71.01.1001",)),
            **values,
        )

    return make


@pytest.fixture
def sent(
    draft: Callable[..., Announcement], lurah_operator: User, django_capture_on_commit_callbacks: Any
) -> Callable[..., Announcement]:
    """``sent(**fields)``: a draft sent at once, its fan-out run (the tasks run immediately in tests)."""

    def make(**fields: Any) -> Announcement:
        announcement = draft(**fields)
        with django_capture_on_commit_callbacks(execute=True):
            services.announcement_send(by=fields.get("by") or lurah_operator, announcement=announcement)
        announcement.refresh_from_db()
        return announcement

    return make
