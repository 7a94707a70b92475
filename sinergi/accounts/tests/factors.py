"""Helpers for tests of the two-step sign-in: switch an app on for a user, compute its codes."""

from __future__ import annotations

import time
from typing import Any

import pyotp
from django.test import Client

from conftest import PASSWORD
from sinergi.accounts import otp, services
from sinergi.accounts.models import TotpDevice, User

LOGIN = "/akun/masuk/"
CODE = "/akun/masuk/kode/"
TWO_FACTOR = "/akun/dua-langkah/"


def secret_of(user: User) -> str:
    return otp.decrypt_secret(TotpDevice.objects.get(user=user).secret_encrypted)


def code_for(user: User, *, steps: int = 0) -> str:
    """The code the user's app shows now, or ``steps`` periods of 30 seconds away."""
    return pyotp.TOTP(secret_of(user)).at(time.time() + steps * otp.PERIOD)


def enrol(user: User) -> list[str]:
    """Switch an authenticator app on for ``user``; return the recovery codes.

    Confirmed with the previous period's code, so the current one is still unused for the test.
    """
    services.two_factor_prepare(user=user)
    return services.two_factor_confirm(user=user, code=code_for(user, steps=-1))


def wrong_code(user: User) -> str:
    """A well-formed code the app does not show now."""
    good = {code_for(user, steps=s) for s in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in good)


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra: object) -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def enter_code(client: Client, code: str, **extra: object) -> Any:
    return client.post(CODE, {"code": code}, **extra)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session
