"""Fixtures shared by every test, the browser tests included.

A small piece of Jakarta built with the plain ORM, with the real Kemendagri codes:

    31          Provinsi Daerah Khusus Jakarta                 unit: Kesbangpol (kesbangpol_admin)
    31.71       Kota Administrasi Jakarta Pusat                unit: Bagian Pemerintahan (city_admin, city_viewer)
    31.71.01      Kecamatan Gambir                             unit: Kantor Kecamatan (camat_operator)
    31.71.01.1001   Kelurahan Gambir      RW 1 (RT 1-3), RW 2 (RT 1-2)   unit: Kantor Kelurahan (lurah_operator)
    31.71.01.1002   Kelurahan Cideng      RW 1 (RT 1)
    31.71.02      Kecamatan Sawah Besar
    31.71.02.1001   Kelurahan Pasar Baru  RW 1 (RT 1-2)            unit: Kantor Kelurahan (outsider_operator)
    31.71.02.1002   Kelurahan Karang Anyar (no RW yet)
    31.73       Kota Administrasi Jakarta Barat                unit: Bagian Pemerintahan (west_admin)
    31.73.01      Kecamatan Cengkareng
    31.73.01.1001   Kelurahan Cengkareng Barat  RW 1 (RT 1)

Every persona logs in with ``PASSWORD``. The fixtures reuse regions that already
exist, so they also work on top of the real territory loaded by ``jakarta``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from sinergi.accounts.models import Role, Unit, User
from sinergi.territory.models import RT, RW, Region

PASSWORD = "sinergi-uji-2026"  # noqa: S105 - test accounts only

# Property tests judge behaviour, not speed: a loaded 2-core CI machine must not fail one for being slow.
hypothesis_settings.register_profile("sinergi", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("sinergi")


def square(lat: float, lng: float, size: float = 0.004) -> dict[str, Any]:
    """A small square GeoJSON polygon around a point: enough of a boundary for maps and tests."""
    half = size / 2
    ring = [
        [lng - half, lat - half],
        [lng + half, lat - half],
        [lng + half, lat + half],
        [lng - half, lat + half],
        [lng - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


@dataclass
class Territory:
    province: Region
    jakpus: Region
    jakbar: Region
    gambir: Region  # kecamatan
    sawah_besar: Region  # kecamatan
    cengkareng: Region  # kecamatan
    kel_gambir: Region  # "kelurahan A": the lurah operator's
    kel_cideng: Region
    kel_pasar_baru: Region  # "kelurahan B": the outsider's
    kel_karang_anyar: Region
    kel_cengkareng_barat: Region


@dataclass
class Units:
    kesbangpol: Unit
    jakpus: Unit
    jakbar: Unit
    kec_gambir: Unit
    kel_gambir: Unit
    kel_pasar_baru: Unit


def _region(code: str, name: str, level: str, parent: Region | None, **extra: Any) -> Region:
    region, _ = Region.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent, **extra}
    )
    return region


def _kelurahan(code: str, name: str, parent: Region, population: int, lat: float, lng: float) -> Region:
    return _region(
        code,
        name,
        Region.Level.VILLAGE,
        parent,
        population=population,
        boundary=square(lat, lng),
        centroid_lat=lat,
        centroid_lng=lng,
    )


def add_rw(kelurahan: Region, number: int, rts: int) -> RW:
    """An RW with RT 1..``rts``, made with the plain ORM (no audit event)."""
    rw, _ = RW.objects.get_or_create(kelurahan=kelurahan, number=number)
    for n in range(1, rts + 1):
        RT.objects.get_or_create(rw=rw, number=n)
    return rw


@pytest.fixture
def territory(db: None) -> Territory:
    province = _region("31", "Daerah Khusus Jakarta", Region.Level.PROVINCE, None, population=11038216)
    jakpus = _region("31.71", "Kota Administrasi Jakarta Pusat", Region.Level.CITY, province, population=1057270)
    jakbar = _region("31.73", "Kota Administrasi Jakarta Barat", Region.Level.CITY, province, population=2484106)
    gambir = _region("31.71.01", "Gambir", Region.Level.DISTRICT, jakpus, population=19870)
    sawah_besar = _region("31.71.02", "Sawah Besar", Region.Level.DISTRICT, jakpus, population=43773)
    cengkareng = _region("31.73.01", "Cengkareng", Region.Level.DISTRICT, jakbar, population=82755)
    t = Territory(
        province=province,
        jakpus=jakpus,
        jakbar=jakbar,
        gambir=gambir,
        sawah_besar=sawah_besar,
        cengkareng=cengkareng,
        kel_gambir=_kelurahan("31.71.01.1001", "Gambir", gambir, 2792, -6.1764, 106.8267),
        kel_cideng=_kelurahan("31.71.01.1002", "Cideng", gambir, 17078, -6.1730, 106.8083),
        kel_pasar_baru=_kelurahan("31.71.02.1001", "Pasar Baru", sawah_besar, 13803, -6.1660, 106.8345),
        kel_karang_anyar=_kelurahan("31.71.02.1002", "Karang Anyar", sawah_besar, 29970, -6.1540, 106.8291),
        kel_cengkareng_barat=_kelurahan("31.73.01.1001", "Cengkareng Barat", cengkareng, 82755, -6.1387, 106.7238),
    )
    add_rw(t.kel_gambir, 1, rts=3)
    add_rw(t.kel_gambir, 2, rts=2)
    add_rw(t.kel_cideng, 1, rts=1)
    add_rw(t.kel_pasar_baru, 1, rts=2)
    add_rw(t.kel_cengkareng_barat, 1, rts=1)
    return t


@pytest.fixture
def units(territory: Territory) -> Units:
    def unit(name: str, kind: str, region: Region, parent: Unit | None = None) -> Unit:
        made, _ = Unit.objects.get_or_create(region=region, name=name, defaults={"kind": kind, "parent": parent})
        return made

    kesbangpol = unit(
        "Badan Kesatuan Bangsa dan Politik Provinsi DKI Jakarta", Unit.Kind.PROVINCE_OFFICE, territory.province
    )
    jakpus = unit("Bagian Pemerintahan Kota Administrasi Jakarta Pusat", Unit.Kind.CITY_OFFICE, territory.jakpus)
    jakbar = unit("Bagian Pemerintahan Kota Administrasi Jakarta Barat", Unit.Kind.CITY_OFFICE, territory.jakbar)
    kec_gambir = unit("Kantor Kecamatan Gambir", Unit.Kind.DISTRICT_OFFICE, territory.gambir, jakpus)
    return Units(
        kesbangpol=kesbangpol,
        jakpus=jakpus,
        jakbar=jakbar,
        kec_gambir=kec_gambir,
        kel_gambir=unit("Kantor Kelurahan Gambir", Unit.Kind.VILLAGE_OFFICE, territory.kel_gambir, kec_gambir),
        kel_pasar_baru=unit("Kantor Kelurahan Pasar Baru", Unit.Kind.VILLAGE_OFFICE, territory.kel_pasar_baru),
    )


def make_staff(username: str, full_name: str, unit: Unit, kind: str) -> User:
    """A staff account with one role, made with the plain ORM; it logs in with ``PASSWORD``."""
    user = User.objects.create_user(
        username=username, password=PASSWORD, full_name=full_name, email=f"{username}@sinergi.test"
    )
    Role.objects.create(user=user, unit=unit, kind=kind)
    return user


@pytest.fixture
def kesbangpol_admin(units: Units) -> User:
    return make_staff("kesbangpol", "Rina Kesbangpol", units.kesbangpol, Role.Kind.ADMIN)


@pytest.fixture
def city_admin(units: Units) -> User:
    return make_staff("jakpus.admin", "Budi Pemerintahan Jakpus", units.jakpus, Role.Kind.ADMIN)


@pytest.fixture
def city_viewer(units: Units) -> User:
    return make_staff("jakpus.viewer", "Sari Pemantau Jakpus", units.jakpus, Role.Kind.VIEWER)


@pytest.fixture
def west_admin(units: Units) -> User:
    """The administrator of another city (Jakarta Barat): an outsider to Jakarta Pusat."""
    return make_staff("jakbar.admin", "Dewi Pemerintahan Jakbar", units.jakbar, Role.Kind.ADMIN)


@pytest.fixture
def camat_operator(units: Units) -> User:
    return make_staff("camat.gambir", "Agus Kecamatan Gambir", units.kec_gambir, Role.Kind.OPERATOR)


@pytest.fixture
def lurah_operator(units: Units) -> User:
    return make_staff("lurah.gambir", "Joko Kelurahan Gambir", units.kel_gambir, Role.Kind.OPERATOR)


@pytest.fixture
def outsider_operator(units: Units) -> User:
    """An operator of another kelurahan (Pasar Baru, kecamatan Sawah Besar)."""
    return make_staff("lurah.pasarbaru", "Wati Kelurahan Pasar Baru", units.kel_pasar_baru, Role.Kind.OPERATOR)


@pytest.fixture
def client_for(db: None) -> Callable[[User], Client]:
    """``client_for(user)``: a test client with ``user`` fully signed in.

    The session is also marked as having passed the second factor (``signin.mark_verified``, what the
    code step does), so administrators reach every page without an authenticator app. A test of the
    second factor itself signs in through the login pages, or calls ``client.force_login`` alone to
    get a session without the mark.
    """
    from sinergi.accounts.signin import mark_verified

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        session = client.session
        mark_verified(session, user)
        session.save()
        return client

    return make


@pytest.fixture
def api_token_for(db: None) -> Callable[[User], str]:
    """``api_token_for(user)``: a fresh API key for ``user`` that may read and write (made by the real service)."""
    from sinergi.accounts.services import token_create

    def make(user: User) -> str:
        _token, key = token_create(user=user, name="test integration", scope="write")
        return key

    return make


@pytest.fixture
def api_client_for(api_token_for: Callable[[User], str]) -> Callable[[User], Client]:
    """``api_client_for(user)``: a client that sends ``Authorization: Bearer <key>`` and has no session."""

    def make(user: User) -> Client:
        return Client(headers={"Authorization": f"Bearer {api_token_for(user)}"})

    return make


@pytest.fixture(scope="module")
def jakarta(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The real DKI Jakarta territory (318 regions) with generated RW/RT (2,720 and 30,442).

    Slow (about 2 s), so it is loaded once per test module inside a transaction
    that is rolled back after the module's last test; each test still runs in its
    own savepoint. Only for tests using ``db`` (not ``transactional_db`` or
    ``live_server``), and only where real counts matter.
    """
    from sinergi.core.context import acting_as
    from sinergi.territory import demo

    atomic = transaction.atomic()
    with django_db_blocker.unblock():
        atomic.__enter__()
        try:
            with acting_as(None, channel="system"):
                demo.load_jakarta()
                demo.generate_rw_rt()
        except BaseException as exc:
            atomic.__exit__(type(exc), exc, exc.__traceback__)
            raise
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _english_messages(request: pytest.FixtureRequest, settings: Any) -> Iterator[None]:
    """Backend tests read messages in English, the msgid language, so they state what a user is told
    without depending on the catalogue. Tests marked ``indonesian`` check the default language
    itself, and browser tests exercise the real language switch."""
    if request.node.get_closest_marker("indonesian") or request.node.get_closest_marker("browser"):
        yield
        return
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_request_context() -> Iterator[None]:
    """Each test starts with no acting user: a user set by one test (a call that bypasses the request
    middleware, such as the API's test client) must not become the audit actor of the next."""
    from sinergi.core import context

    token = context.set_current(None)
    try:
        yield
    finally:
        context.reset(token)


@pytest.fixture(autouse=True)
def _fresh_shared_cache(request: pytest.FixtureRequest) -> None:
    """A test whose writes commit (a live server, ``transaction=True``) starts with an empty shared
    cache. The cache is a database table that emptying the tables between such tests leaves alone, so
    rows an earlier test cached (a kelurahan and its office, holidays, rate-limit counters) would
    otherwise outlive the database they came from. Other tests roll the table back with the rest."""
    marker = request.node.get_closest_marker("django_db")
    committing = "live_server" in request.fixturenames or bool(marker and marker.kwargs.get("transaction"))
    if committing:
        from django.core.cache import cache

        request.getfixturevalue("transactional_db")
        cache.clear()
