"""The second factor's primitives: TOTP codes (RFC 6238), secrets encrypted at rest, recovery codes.

A secret is 160 random bits (RFC 4226's recommended length) in base32, encrypted with the first Fernet
key of ``TOTP_ENCRYPTION_KEYS`` (the others still decrypt, so keys can rotate), as the register does
with NIKs. Codes have 6 digits and change every 30 seconds; one step either side of now is accepted
because phone clocks drift.

Recovery codes are 12 characters from an alphabet without look-alikes (about 59 bits each), stored
as a salted SHA-256: long random codes need no slow hash, and the salt keeps one table from cracking
them all.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ISSUER = "Sinergi"
DIGITS = 6
PERIOD = 30
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_GROUPS = 3
RECOVERY_GROUP_LENGTH = 4


def new_secret() -> str:
    return pyotp.random_base32(length=32)


def encrypt_secret(secret: str) -> str:
    return _fernet(tuple(settings.TOTP_ENCRYPTION_KEYS)).encrypt(secret.encode()).decode()


def decrypt_secret(token: str) -> str:
    return _fernet(tuple(settings.TOTP_ENCRYPTION_KEYS)).decrypt(token.encode()).decode()


@functools.lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("TOTP_ENCRYPTION_KEYS is not set.")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def provisioning_uri(secret: str, account: str) -> str:
    """The ``otpauth://`` address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=PERIOD).provisioning_uri(name=account, issuer_name=ISSUER)


def qr_data_uri(uri: str) -> str:
    """The QR code of ``uri`` as an SVG ``data:`` URI (the Content Security Policy allows ``img-src data:``)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def group_secret(secret: str) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def clean_code(code: str) -> str:
    """What the user typed without spaces and dashes, in lower case."""
    return "".join(code.split()).replace("-", "").lower()


def is_totp_code(code: str) -> bool:
    return len(code) == DIGITS and code.isascii() and code.isdigit()


def matching_step(secret: str, code: str, *, now: float | None = None) -> int | None:
    """The time step whose code is ``code``, within ``DRIFT_STEPS`` of now; None if none matches."""
    if not is_totp_code(code):
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=PERIOD)
    current = int(now if now is not None else time.time()) // PERIOD
    found = None
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        # No early exit: every candidate costs the same.
        if hmac.compare_digest(totp.generate_otp(step), code):
            found = step
    return found


def new_recovery_codes() -> list[str]:
    """Fresh recovery codes, formatted ``abcd-efgh-jkmn``."""
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        chars = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUPS * RECOVERY_GROUP_LENGTH))
        groups = [chars[i : i + RECOVERY_GROUP_LENGTH] for i in range(0, len(chars), RECOVERY_GROUP_LENGTH)]
        codes.append("-".join(groups))
    return codes


def hash_recovery_code(code: str, *, salt: str | None = None) -> str:
    """``salt$sha256`` of the cleaned code."""
    salt = salt if salt is not None else secrets.token_hex(8)
    digest = hashlib.sha256(f"{salt}:{clean_code(code)}".encode()).hexdigest()
    return f"{salt}${digest}"


def recovery_code_matches(code: str, stored: str) -> bool:
    salt, _sep, _digest = stored.partition("$")
    return hmac.compare_digest(hash_recovery_code(code, salt=salt), stored)
