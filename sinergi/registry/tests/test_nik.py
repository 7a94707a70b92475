"""NIK validation (property tests), encryption at rest, keyed hash, masking and the production check."""

import datetime

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import ValidationError
from hypothesis import example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from sinergi.registry import checks
from sinergi.registry.nik import PROVINCES, decrypt_nik, encrypt_nik, mask_nik, nik_hash, validate_nik

pytestmark = pytest.mark.usefixtures("english")

TODAY = datetime.date(2026, 11, 22)
NOTHING_LOADED: frozenset[str] = frozenset()


@st.composite
def valid_niks(draw: st.DrawFn) -> tuple[str, datetime.date, str]:
    province = draw(st.sampled_from(sorted(PROVINCES)))
    city, district = draw(st.integers(1, 99)), draw(st.integers(1, 99))
    born = draw(st.dates(min_value=datetime.date(1927, 1, 1), max_value=TODAY))
    sex = draw(st.sampled_from(["M", "F"]))
    serial = draw(st.integers(1, 9999))
    day = born.day + (40 if sex == "F" else 0)
    return f"{province}{city:02d}{district:02d}{day:02d}{born:%m%y}{serial:04d}", born, sex


def check(nik: str) -> str:
    """The error code of an invalid NIK; fails the test if it is valid."""
    with pytest.raises(ValidationError) as caught:
        validate_nik(nik, region_codes=NOTHING_LOADED, today=TODAY)
    assert caught.value.messages[0]  # every refusal says why
    return caught.value.error_list[0].code or ""


@hypothesis_settings(deadline=None)  # a loaded CI machine must not fail a test for being slow
@given(valid_niks())
@example(("3171015708800001", datetime.date(1980, 8, 17), "F"))
@example(("3171012902000001", datetime.date(2000, 2, 29), "M"))
def test_it_accepts_every_well_formed_nik_and_reads_birth_date_and_sex(case: tuple[str, datetime.date, str]) -> None:
    nik, born, sex = case

    info = validate_nik(nik, region_codes=NOTHING_LOADED, today=TODAY)

    assert (info.birth_date, info.sex) == (born, sex)
    assert info.province_code == nik[:2]
    assert info.district_code == f"{nik[:2]}.{nik[2:4]}.{nik[4:6]}"


@hypothesis_settings(deadline=None)
@given(valid_niks(), st.integers(0, 20).filter(lambda n: n != 16))
def test_it_refuses_a_nik_of_the_wrong_length(case: tuple[str, datetime.date, str], length: int) -> None:
    nik = (case[0] * 2)[:length]

    assert check(nik) == "length"


@hypothesis_settings(deadline=None)
@given(valid_niks(), st.integers(0, 15), st.characters().filter(lambda c: c not in "0123456789" and not c.isspace()))
def test_it_refuses_a_nik_with_anything_but_the_digits_0_to_9(
    case: tuple[str, datetime.date, str], at: int, char: str
) -> None:
    nik = case[0][:at] + char + case[0][at + 1 :]

    assert check(nik) == "digits"


@hypothesis_settings(deadline=None)
@given(valid_niks(), st.sampled_from(sorted({f"{n:02d}" for n in range(100)} - set(PROVINCES))))
def test_it_refuses_an_unknown_province(case: tuple[str, datetime.date, str], province: str) -> None:
    assert check(province + case[0][2:]) == "province"


@hypothesis_settings(deadline=None)
@given(valid_niks(), st.one_of(st.just(0), st.integers(32, 40), st.integers(72, 99)).map(lambda d: f"{d:02d}"))
def test_it_refuses_a_day_of_birth_that_cannot_be(case: tuple[str, datetime.date, str], day: str) -> None:
    nik = case[0]

    assert check(nik[:6] + day + nik[8:]) == "date"


@hypothesis_settings(deadline=None)
@given(valid_niks(), st.one_of(st.just(0), st.integers(13, 99)).map(lambda m: f"{m:02d}"))
def test_it_refuses_a_month_that_cannot_be(case: tuple[str, datetime.date, str], month: str) -> None:
    nik = case[0]

    assert check(nik[:8] + month + nik[10:]) == "date"


@hypothesis_settings(deadline=None)
@given(valid_niks())
def test_it_refuses_the_serial_0000(case: tuple[str, datetime.date, str]) -> None:
    assert check(case[0][:12] + "0000") == "serial"


def test_it_refuses_31_february_and_29_february_of_a_common_year() -> None:
    assert check("3171013102800001") == "date"
    assert check("3171012902010001") == "date"


def test_a_date_of_birth_is_never_in_the_future() -> None:
    # 23 November: 2026 is still to come, so it is 1926.
    assert validate_nik("3171012311260001", region_codes=NOTHING_LOADED, today=TODAY).birth_date == datetime.date(
        1926, 11, 23
    )
    assert validate_nik("3171012211260001", region_codes=NOTHING_LOADED, today=TODAY).birth_date == TODAY


def test_it_checks_the_kota_and_kecamatan_when_the_province_is_loaded(territory) -> None:
    assert validate_nik("3171011705800001").district_code == "31.71.01"
    with pytest.raises(ValidationError) as city:
        validate_nik("3199011705800001")
    with pytest.raises(ValidationError) as district:
        validate_nik("3171991705800001")

    assert city.value.error_list[0].code == "city"
    assert "3199" in city.value.messages[0]
    assert district.value.error_list[0].code == "district"


def test_a_province_that_is_not_loaded_is_checked_only_by_its_prefix(territory) -> None:
    assert validate_nik("3273011705800001").province_code == "32"


def test_encryption_is_randomised_and_reversible() -> None:
    nik = "3171011705800001"
    first, second = encrypt_nik(nik), encrypt_nik(nik)

    assert first != second
    assert nik not in first
    assert decrypt_nik(first) == decrypt_nik(second) == nik


def test_old_keys_still_decrypt_after_a_new_key_is_added(settings) -> None:
    old = Fernet.generate_key().decode()
    settings.NIK_ENCRYPTION_KEYS = [old]
    token = encrypt_nik("3171011705800001")

    settings.NIK_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old]
    assert decrypt_nik(token) == "3171011705800001"

    settings.NIK_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(InvalidToken):
        decrypt_nik(token)


def test_the_hash_is_keyed_and_stable(settings) -> None:
    nik = "3171011705800001"
    first = nik_hash(nik)

    assert first == nik_hash(nik)
    assert len(first) == 64
    assert nik not in first
    settings.NIK_HASH_KEY = "another-key"
    assert nik_hash(nik) != first


def test_it_masks_the_date_of_birth_and_keeps_region_and_serial() -> None:
    assert mask_nik("3171011705800001") == "3171••••••••0001"


def test_check_deploy_fails_without_nik_keys(settings) -> None:
    settings.NIK_ENCRYPTION_KEYS = []
    settings.NIK_HASH_KEY = ""

    ids = {error.id for error in checks.check_nik_keys()}

    assert ids == {"registry.E001", "registry.E003"}


def test_check_deploy_refuses_a_key_that_is_not_a_fernet_key(settings) -> None:
    settings.NIK_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), "not-a-key"]

    assert [error.id for error in checks.check_nik_keys()] == ["registry.E002"]


def test_check_deploy_passes_with_keys(settings) -> None:
    settings.NIK_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    settings.NIK_HASH_KEY = "a-long-random-secret"

    assert checks.check_nik_keys() == []
