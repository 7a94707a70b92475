"""The NIK (Nomor Induk Kependudukan): validation, encryption at rest, keyed hash and masking.

A NIK is 16 digits: the province, kota/kabupaten and kecamatan codes of the place it was issued
(``31 71 01``), the date of birth as DDMMYY with 40 added to the day for women, then a four-digit
serial. It is personal data (UU 27/2022): the register stores it encrypted (Fernet, keys from the
environment, rotating through ``MultiFernet``), finds it by an HMAC that cannot be reversed
without the key, and shows it masked.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import hmac
from collections.abc import Collection
from dataclasses import dataclass

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

NIK_LENGTH = 16
MASK = "•"
WOMEN_DAY_OFFSET = 40

# Kemendagri province codes, the first two digits of every NIK (38 provinces since 2022).
PROVINCES: dict[str, str] = {
    "11": "Aceh",
    "12": "Sumatera Utara",
    "13": "Sumatera Barat",
    "14": "Riau",
    "15": "Jambi",
    "16": "Sumatera Selatan",
    "17": "Bengkulu",
    "18": "Lampung",
    "19": "Kepulauan Bangka Belitung",
    "21": "Kepulauan Riau",
    "31": "Daerah Khusus Jakarta",
    "32": "Jawa Barat",
    "33": "Jawa Tengah",
    "34": "Daerah Istimewa Yogyakarta",
    "35": "Jawa Timur",
    "36": "Banten",
    "51": "Bali",
    "52": "Nusa Tenggara Barat",
    "53": "Nusa Tenggara Timur",
    "61": "Kalimantan Barat",
    "62": "Kalimantan Tengah",
    "63": "Kalimantan Selatan",
    "64": "Kalimantan Timur",
    "65": "Kalimantan Utara",
    "71": "Sulawesi Utara",
    "72": "Sulawesi Tengah",
    "73": "Sulawesi Selatan",
    "74": "Sulawesi Tenggara",
    "75": "Gorontalo",
    "76": "Sulawesi Barat",
    "81": "Maluku",
    "82": "Maluku Utara",
    "91": "Papua",
    "92": "Papua Barat",
    "93": "Papua Selatan",
    "94": "Papua Tengah",
    "95": "Papua Pegunungan",
    "96": "Papua Barat Daya",
}


@dataclass(frozen=True)
class NikInfo:
    """What a valid NIK says about its holder."""

    nik: str
    province_code: str  # "31"
    city_code: str  # "31.71"
    district_code: str  # "31.71.01"
    birth_date: datetime.date
    sex: str  # "M" or "F", as Person.Sex
    serial: str


def validate_nik(
    nik: str, *, region_codes: Collection[str] | None = None, today: datetime.date | None = None
) -> NikInfo:
    """Check ``nik`` and return what it encodes, or raise ``ValidationError`` naming what is wrong.

    When the NIK's province is loaded as a ``Region``, its kota and kecamatan codes must exist too.
    ``region_codes`` are the loaded region codes, for callers that check many NIKs (an import);
    without it one query asks the database.
    """
    nik = nik.strip()
    if len(nik) != NIK_LENGTH:
        raise ValidationError(
            _("A NIK has 16 digits; this one has %(count)d characters."), code="length", params={"count": len(nik)}
        )
    if not (nik.isascii() and nik.isdigit()):
        raise ValidationError(_("A NIK holds only the digits 0 to 9."), code="digits")
    province, city, district = nik[:2], f"{nik[:2]}.{nik[2:4]}", f"{nik[:2]}.{nik[2:4]}.{nik[4:6]}"
    if province not in PROVINCES:
        raise ValidationError(
            _("The NIK starts with %(code)s, which is not the code of an Indonesian province."),
            code="province",
            params={"code": province},
        )
    _check_region(province, city, district, region_codes)
    birth_date, sex = _birth(nik[6:12], today or timezone.localdate())
    if nik[12:] == "0000":
        raise ValidationError(_("The last four digits of a NIK are a serial number and cannot be 0000."), code="serial")
    return NikInfo(
        nik=nik,
        province_code=province,
        city_code=city,
        district_code=district,
        birth_date=birth_date,
        sex=sex,
        serial=nik[12:],
    )


def _check_region(province: str, city: str, district: str, region_codes: Collection[str] | None) -> None:
    if region_codes is None:
        from sinergi.territory.models import Region

        region_codes = set(Region.objects.filter(code__in=[province, city, district]).values_list("code", flat=True))
    if province not in region_codes:
        return  # the province is not loaded: its prefix is all that can be checked
    if city not in region_codes:
        raise ValidationError(
            _("The NIK's kota/kabupaten code %(code)s does not exist in %(province)s."),
            code="city",
            params={"code": city.replace(".", ""), "province": PROVINCES[province]},
        )
    if district not in region_codes:
        raise ValidationError(
            _("The NIK's kecamatan code %(code)s does not exist."),
            code="district",
            params={"code": district.replace(".", "")},
        )


def _birth(ddmmyy: str, today: datetime.date) -> tuple[datetime.date, str]:
    """Date of birth and sex from DDMMYY. The century is the latest one that puts the date in the past,
    so the date is never in the future and never more than a hundred years ago."""
    day, month, year = int(ddmmyy[:2]), int(ddmmyy[2:4]), int(ddmmyy[4:])
    sex = "M"
    if day > WOMEN_DAY_OFFSET:
        day, sex = day - WOMEN_DAY_OFFSET, "F"
    for century in (2000, 1900):
        try:
            born = datetime.date(century + year, month, day)
        except ValueError:
            continue
        if born <= today:
            return born, sex
    raise ValidationError(
        _("The NIK's date of birth (%(digits)s) is not a valid date; women's days run from 41 to 71."),
        code="date",
        params={"digits": ddmmyy},
    )


def mask_nik(nik: str) -> str:
    """``3171••••••••0001``: the region and serial stay readable, the date of birth does not."""
    return f"{nik[:4]}{MASK * (NIK_LENGTH - 8)}{nik[-4:]}"


def nik_hash(nik: str) -> str:
    """The keyed hash by which a NIK is found and kept unique; hex HMAC-SHA256 with ``NIK_HASH_KEY``."""
    key = settings.NIK_HASH_KEY
    if not key:
        raise ImproperlyConfigured("NIK_HASH_KEY is not set.")
    return hmac.new(key.encode(), nik.strip().encode(), hashlib.sha256).hexdigest()


def encrypt_nik(nik: str) -> str:
    """The NIK encrypted with the first key of ``NIK_ENCRYPTION_KEYS`` (a Fernet token, text)."""
    return _fernet(tuple(settings.NIK_ENCRYPTION_KEYS)).encrypt(nik.encode()).decode()


def decrypt_nik(token: str) -> str:
    """The plain NIK from a token made with any of ``NIK_ENCRYPTION_KEYS``."""
    return _fernet(tuple(settings.NIK_ENCRYPTION_KEYS)).decrypt(token.encode()).decode()


@functools.lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("NIK_ENCRYPTION_KEYS is not set.")
    return MultiFernet([Fernet(key.encode()) for key in keys])
