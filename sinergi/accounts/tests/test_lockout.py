"""Sign-in throttling: per account and per address, with a clear message, the same for every username."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from sinergi.accounts import lockout
from sinergi.accounts.models import User
from sinergi.accounts.tests.factors import code_for, enrol, enter_code, sign_in, signed_in, wrong_code
from sinergi.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed attempts; try again in 15 minutes."
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def fail(client: Client, username: str, times: int, **extra: Any) -> Any:
    response = None
    for _ in range(times):
        response = sign_in(client, username, "salah-sandi-lagi", **ENGLISH, **extra)
    return response


def errors(response: Any) -> list[str]:
    return response.context["form"].non_field_errors()


def test_five_wrong_passwords_lock_the_account(client: Client, lurah_operator: User) -> None:
    response = fail(client, "lurah.gambir", 4)
    assert errors(response) != [LOCKED]

    response = fail(client, "lurah.gambir", 1)
    assert errors(response) == [LOCKED]
    assert LOCKED in response.content.decode()

    response = sign_in(client, "lurah.gambir", **ENGLISH)  # the right password, too late
    assert errors(response) == [LOCKED]
    assert not signed_in(client)


def test_the_message_is_translated(client: Client, lurah_operator: User) -> None:
    for _ in range(5):
        response = sign_in(client, "lurah.gambir", "salah-sandi-lagi", HTTP_ACCEPT_LANGUAGE="id")

    with translation.override("id"):
        assert errors(response) == [lockout.Lock(seconds=15 * 60).message()]


def test_the_message_counts_down_the_minutes(client: Client, lurah_operator: User, monkeypatch) -> None:
    fail(client, "lurah.gambir", 5)
    later = time.time() + 14 * 60 + 10
    monkeypatch.setattr("sinergi.accounts.lockout.time.time", lambda: later)

    assert errors(sign_in(client, "lurah.gambir", **ENGLISH)) == ["Too many failed attempts; try again in 1 minute."]


def test_the_lock_ends_after_its_time(client: Client, lurah_operator: User, monkeypatch) -> None:
    fail(client, "lurah.gambir", 5)
    later = time.time() + 15 * 60 + 1
    monkeypatch.setattr("sinergi.accounts.lockout.time.time", lambda: later)

    assert sign_in(client, "lurah.gambir")["Location"] == "/"


def test_a_locked_account_does_not_lock_out_others_at_the_same_address(
    client: Client, lurah_operator: User, camat_operator: User
) -> None:
    fail(client, "lurah.gambir", 5)

    assert sign_in(Client(), "camat.gambir")["Location"] == "/"


def test_a_locked_account_is_locked_from_every_address(client: Client, lurah_operator: User) -> None:
    fail(client, "lurah.gambir", 5, REMOTE_ADDR="10.0.0.1")

    response = sign_in(Client(), "lurah.gambir", REMOTE_ADDR="10.0.0.2", **ENGLISH)

    assert errors(response) == [LOCKED]


def test_a_locked_account_ignores_the_case_of_the_name(client: Client, lurah_operator: User) -> None:
    fail(client, "LURAH.GAMBIR", 5)

    assert errors(sign_in(client, "lurah.gambir", **ENGLISH)) == [LOCKED]


@override_settings(LOGIN_FAILURES_PER_ADDRESS=6)
def test_many_failures_from_one_address_lock_the_address(
    client: Client, lurah_operator: User, camat_operator: User
) -> None:
    # A password spray: a few tries at many names, never enough to lock one account.
    for name in ["ani", "budi", "citra"]:
        fail(client, name, 2, REMOTE_ADDR="10.0.0.9")

    response = sign_in(Client(), "camat.gambir", REMOTE_ADDR="10.0.0.9", **ENGLISH)
    assert errors(response) == [LOCKED]
    assert sign_in(Client(), "camat.gambir", REMOTE_ADDR="10.0.0.10")["Location"] == "/"


def test_the_address_behind_the_proxy_counts(client: Client, lurah_operator: User) -> None:
    with override_settings(LOGIN_FAILURES_PER_ADDRESS=3):
        for name in ["ani", "budi", "citra"]:
            fail(client, name, 1, HTTP_X_REAL_IP="203.0.113.7")

        assert errors(sign_in(Client(), "lurah.gambir", HTTP_X_REAL_IP="203.0.113.7", **ENGLISH)) == [LOCKED]
        assert sign_in(Client(), "lurah.gambir", HTTP_X_REAL_IP="203.0.113.8")["Location"] == "/"


def test_a_complete_sign_in_clears_the_accounts_count(client: Client, lurah_operator: User) -> None:
    fail(client, "lurah.gambir", 4)
    sign_in(client, "lurah.gambir")
    client.post("/akun/keluar/")

    response = fail(client, "lurah.gambir", 4)

    assert errors(response) != [LOCKED]


def test_a_lock_is_audited(client: Client, lurah_operator: User) -> None:
    fail(client, "lurah.gambir", 5, REMOTE_ADDR="10.0.0.3")

    event = AuditEvent.objects.get(action="accounts.lockout")
    assert (event.object_repr, event.ip) == ("lurah.gambir", "10.0.0.3")
    assert event.changes == {"locked": "account", "failures": 5, "seconds": 900}


def test_the_counts_live_in_the_shared_cache(client: Client, lurah_operator: User) -> None:
    fail(client, "lurah.gambir", 5)
    assert errors(sign_in(client, "lurah.gambir", **ENGLISH)) == [LOCKED]

    cache.clear()  # what every app server reads: nothing is kept in the process

    assert sign_in(client, "lurah.gambir")["Location"] == "/"


# The second step


def test_wrong_codes_count_towards_the_lock(client: Client, lurah_operator: User) -> None:
    enrol(lurah_operator)
    sign_in(client, "lurah.gambir")
    for _ in range(4):
        response = enter_code(client, wrong_code(lurah_operator), **ENGLISH)
        assert response.context["form"].non_field_errors() == []

    response = enter_code(client, wrong_code(lurah_operator), **ENGLISH)
    assert response.context["form"].non_field_errors() == [LOCKED]

    response = enter_code(client, code_for(lurah_operator), **ENGLISH)
    assert response.context["form"].non_field_errors() == [LOCKED]
    assert not signed_in(client)


def test_the_password_again_does_not_buy_more_code_guesses(client: Client, lurah_operator: User) -> None:
    enrol(lurah_operator)
    sign_in(client, "lurah.gambir")
    for _ in range(4):
        enter_code(client, wrong_code(lurah_operator))
    assert sign_in(client, "lurah.gambir")["Location"] == "/akun/masuk/kode/"

    response = enter_code(client, wrong_code(lurah_operator), **ENGLISH)

    assert response.context["form"].non_field_errors() == [LOCKED]


# Whether an account exists does not show


def normalised(response: Any, username: str) -> str:
    """The page without what differs between any two responses: the CSRF token and the name typed."""
    html = response.content.decode().replace(username, "NAME")
    for token in set(re.findall(r"\b[A-Za-z0-9]{64}\b", html)):  # the masked CSRF token, new in every page
        html = html.replace(token, "TOKEN")
    return html


@pytest.mark.parametrize("attempts", [1, 5, 7], ids=["wrong", "locking", "locked"])
def test_a_known_and_an_unknown_name_get_the_same_answer(lurah_operator: User, attempts: int) -> None:
    answers = []
    for username in ["lurah.gambir", "tidak.ada"]:
        response = fail(Client(), username, attempts, REMOTE_ADDR=f"10.1.0.{len(answers)}")
        answers.append((response.status_code, normalised(response, username)))

    assert answers[0] == answers[1]


def work(username: str, **extra: Any) -> tuple[int, int]:
    """How many times a sign-in ran the password hasher, and how many queries it made."""
    calls = []
    original = MD5PasswordHasher.encode

    def counting(self: MD5PasswordHasher, password: str, salt: str) -> str:
        calls.append(password)
        return original(self, password, salt)

    with pytest.MonkeyPatch.context() as patch, CaptureQueriesContext(connection) as queries:
        patch.setattr(MD5PasswordHasher, "encode", counting)
        sign_in(Client(), username, "salah-sandi-lagi", **extra)
    return len(calls), len(queries)


@pytest.mark.parametrize("locked", [False, True], ids=["open", "locked"])
def test_a_known_and_an_unknown_name_cost_the_same_work(lurah_operator: User, locked: bool) -> None:
    if locked:
        fail(Client(), "lurah.gambir", 5, REMOTE_ADDR="10.2.0.1")
        fail(Client(), "tidak.ada", 5, REMOTE_ADDR="10.2.0.2")

    known = work("lurah.gambir", REMOTE_ADDR="10.2.0.1")
    unknown = work("tidak.ada", REMOTE_ADDR="10.2.0.2")

    assert known == unknown
    assert known[0] == 1, "the hasher runs once, for a real and an invented account alike"
