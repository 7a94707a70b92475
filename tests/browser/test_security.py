"""Signing in with a second factor, and a locked-out account, in real Chromium."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pyotp
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from sinergi.accounts import services as account_services
from sinergi.accounts.demo import DEMO_PASSWORD
from sinergi.accounts.lockout import Lock
from sinergi.accounts.models import User
from sinergi.core.context import acting_as

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def no_failures(transactional_db: None) -> Iterator[None]:
    """Failure counts live in the database cache table, which emptying the database leaves alone."""
    cache.clear()
    yield
    cache.clear()


def path_is(name: str) -> re.Pattern[str]:
    return re.compile(re.escape(reverse(name)) + "$")


def submit_password(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(reverse("accounts:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("main form").get_by_role("button").click()


def submit_code(page: Page, code: str) -> None:
    page.fill("#id_code", code)
    with page.expect_navigation():
        page.locator("main form").get_by_role("button").click()


def test_an_administrator_sets_up_a_second_factor_and_signs_in_with_it(page: Page, no_failures: None) -> None:
    with acting_as(None):
        account_services.superuser_create(
            username="admin", full_name="Demo Superadmin", email="admin@sinergi.test", password=DEMO_PASSWORD
        )

    # The password alone leads to the set-up, and nowhere else.
    submit_password(page, "admin")
    expect(page).to_have_url(path_is("accounts:two-factor"))
    page.goto(reverse("core:home"))
    expect(page).to_have_url(path_is("accounts:two-factor"))
    qr = page.locator("img.qr-code")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0"), "the QR code (a data: URI) did not load"

    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    # The previous period's code (the app's clock may lag), leaving the current one for the sign-in below.
    submit_code(page, pyotp.TOTP(secret).at(time.time() - 30))
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.locator("#recovery-codes ~ a").click()
    expect(page).to_have_url(path_is("core:home"))

    page.locator("#main-nav .dropdown-toggle").last.click()
    page.locator("#main-nav form[action$='/keluar/'] button").click()
    expect(page).to_have_url(path_is("accounts:login"))

    # Signing in again takes the password, then the code.
    submit_password(page, "admin")
    expect(page).to_have_url(path_is("accounts:login-code"))
    submit_code(page, "000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    expect(page).to_have_url(path_is("accounts:login-code"))
    expect(page.locator("main .invalid-feedback")).to_be_visible()
    page.goto(reverse("core:home"))
    expect(page).to_have_url(re.compile(re.escape(reverse("accounts:login")) + r"\?next="))

    submit_password(page, "admin")
    submit_code(page, pyotp.TOTP(secret).now())
    expect(page).to_have_url(path_is("core:home"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Demo Superadmin")


def test_a_locked_out_account_gets_the_message_an_unknown_name_gets(page: Page, no_failures: None) -> None:
    User.objects.create_user(username="lurah.uji", password=DEMO_PASSWORD, full_name="Lurah Uji")
    with translation.override("id"):
        locked = Lock(seconds=15 * 60).message()
    alert = page.locator("main .alert-danger")

    for _ in range(5):
        submit_password(page, "lurah.uji", "bukan-sandinya")
    expect(alert).to_have_text(locked)

    submit_password(page, "lurah.uji")  # the right password does not help while locked
    expect(page).to_have_url(path_is("accounts:login"))
    expect(alert).to_have_text(locked)

    for _ in range(5):
        submit_password(page, "tidak.ada", "bukan-sandinya")
    expect(alert).to_have_text(locked)
