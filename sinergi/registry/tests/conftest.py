"""Register personas and organisations, on top of the root conftest's territory and staff.

    Kelurahan Gambir (31.71.01.1001)   rt_org: RT 001/RW 001, represented by rt_chair
                                        other_rt_org: RT 002/RW 001 (the RT chair's neighbour)
                                        rw_org: RW 001
    Kecamatan Gambir (31.71.01)         ormas_org: an Ormas, represented by ormas_secretary
    Kelurahan Pasar Baru (31.71.02.1001) outsider_rt_org: RT 001/RW 001 (the outsider operator's)

Organisations are made with the plain ORM (no audit event), so tests count only their own events.
``make_nik`` builds valid NIKs for the test territory.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from conftest import Territory, Units, make_staff
from sinergi.accounts.models import Role, User
from sinergi.registry import nik as nik_tools
from sinergi.registry.models import Organisation, OrganisationKind, Person
from sinergi.territory.models import RT, Region

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def make_nik(
    born: datetime.date = datetime.date(1980, 5, 17), *, female: bool = False, serial: int = 1, prefix: str = "317101"
) -> str:
    """A valid NIK issued in ``prefix`` (Kecamatan Gambir by default)."""
    day = born.day + (40 if female else 0)
    return f"{prefix}{day:02d}{born:%m%y}{serial:04d}"


def pdf(name: str = "surat.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def png(name: str = "foto.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def docx(name: str = "ad-art.docx") -> SimpleUploadedFile:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def make_person(full_name: str, nik: str, region: Region | None = None, **extra: Any) -> Person:
    """A person made with the plain ORM, the NIK protected as the service would."""
    info = nik_tools.validate_nik(nik, region_codes=())
    return Person.objects.create(
        full_name=full_name,
        nik_encrypted=nik_tools.encrypt_nik(nik),
        nik_hash=nik_tools.nik_hash(nik),
        nik_masked=nik_tools.mask_nik(nik),
        sex=info.sex,
        birth_date=info.birth_date,
        region=region,
        **extra,
    )


@pytest.fixture
def english() -> Iterator[None]:
    """Messages in English (the msgids), for tests that read them; the site's default is Indonesian."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> None:
    """Uploaded files go to a fresh directory per test."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def kinds(db: None) -> dict[str, OrganisationKind]:
    """The kinds loaded by the 0002_organisation_kinds migration, by code."""
    return {kind.code: kind for kind in OrganisationKind.objects.all()}


def rt_of(kelurahan: Region, rw: int, rt: int) -> RT:
    return RT.objects.select_related("rw__kelurahan").get(rw__kelurahan=kelurahan, rw__number=rw, number=rt)


def _rt_organisation(kinds: dict[str, OrganisationKind], rt: RT) -> Organisation:
    return Organisation.objects.create(
        kind=kinds["rt"], name=f"RT {rt.number:03d}/RW {rt.rw.number:03d}", region=rt.rw.kelurahan, rw=rt.rw, rt=rt
    )


@pytest.fixture
def rt_org(kinds: dict[str, OrganisationKind], territory: Territory) -> Organisation:
    return _rt_organisation(kinds, rt_of(territory.kel_gambir, 1, 1))


@pytest.fixture
def other_rt_org(kinds: dict[str, OrganisationKind], territory: Territory) -> Organisation:
    return _rt_organisation(kinds, rt_of(territory.kel_gambir, 1, 2))


@pytest.fixture
def rw_org(kinds: dict[str, OrganisationKind], territory: Territory) -> Organisation:
    rw = territory.kel_gambir.rws.get(number=1)
    return Organisation.objects.create(kind=kinds["rw"], name="RW 001", region=territory.kel_gambir, rw=rw)


@pytest.fixture
def outsider_rt_org(kinds: dict[str, OrganisationKind], territory: Territory) -> Organisation:
    return _rt_organisation(kinds, rt_of(territory.kel_pasar_baru, 1, 1))


@pytest.fixture
def ormas_org(kinds: dict[str, OrganisationKind], territory: Territory) -> Organisation:
    return Organisation.objects.create(
        kind=kinds["ormas"], name="Perkumpulan Warga Peduli Gambir", abbreviation="PWPG", region=territory.gambir
    )


def make_representative(username: str, full_name: str, organisation: Organisation) -> User:
    user = User.objects.create_user(username=username, password="x", full_name=full_name)
    Role.objects.create(user=user, organisation=organisation, kind=Role.Kind.ORG_REPRESENTATIVE)
    return user


@pytest.fixture
def rt_chair(rt_org: Organisation) -> User:
    """Ketua RT 001/RW 001 Kelurahan Gambir, representative of that RT only."""
    return make_representative("ketua.rt1.gambir", "Slamet Ketua RT", rt_org)


@pytest.fixture
def ormas_secretary(ormas_org: Organisation) -> User:
    return make_representative("sekretaris.pwpg", "Ani Sekretaris PWPG", ormas_org)


@pytest.fixture
def nik_officer(units: Units) -> User:
    """A Kesbangpol operator who was given the Django permission to reveal NIKs."""
    from django.contrib.auth.models import Permission

    user = make_staff("nik.officer", "Tono Petugas Data", units.kesbangpol, Role.Kind.OPERATOR)
    user.user_permissions.add(Permission.objects.get(codename="reveal_nik", content_type__app_label="registry"))
    return user


@pytest.fixture
def person_factory(territory: Territory) -> Callable[..., Person]:
    """``person_factory("Name", serial=n)``: a person of Kelurahan Gambir with a valid, distinct NIK."""

    def make(full_name: str, serial: int = 1, region: Region | None = None, **nik: Any) -> Person:
        return make_person(full_name, make_nik(serial=serial, **nik), region or territory.kel_gambir)

    return make
