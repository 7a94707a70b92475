"""The main journeys through Sinergi in real Chromium, on the real Jakarta territory."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from sinergi.accounts import otp
from sinergi.accounts import services as account_services
from sinergi.accounts.demo import DEMO_PASSWORD
from sinergi.accounts.models import TotpDevice
from sinergi.core.context import acting_as
from sinergi.territory.models import RT, RW, Region

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def in_language(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def log_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(reverse("accounts:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("main form").get_by_role("button").click()
    pass_second_factor(page, username)


def pass_second_factor(page: Page, username: str) -> None:
    """After the password: an administrator without an authenticator app sets one up (the key is read
    off the page), and a user with one types the code it shows; then the journey goes on from home."""
    if page.url.endswith(reverse("accounts:two-factor")):
        secret = page.locator("#totp-secret").inner_text().replace(" ", "")
        page.fill("#id_code", pyotp.TOTP(secret).now())
        page.locator("main form").get_by_role("button").click()
        page.locator("#recovery-codes ~ a").click()
    elif page.url.endswith(reverse("accounts:login-code")):
        device = TotpDevice.objects.get(user__username=username)
        # The next unused period: a code signs in once.
        step = max(int(time.time()) // otp.PERIOD, device.last_step + 1)
        page.fill("#id_code", pyotp.TOTP(otp.decrypt_secret(device.secret_encrypted)).generate_otp(step))
        page.locator("main form").get_by_role("button").click()


def stats(page: Page) -> dict[str, str]:
    """The figures of the region's summary, by their label."""
    pairs = page.locator("dl.stat-grid .stat").evaluate_all(
        "els => els.map(e => [e.querySelector('dt').textContent.trim(), e.querySelector('dd').textContent.trim()])"
    )
    return dict(pairs)


def path_is(path: str) -> re.Pattern[str]:
    """Match a page URL by its path (the live server's address changes)."""
    return re.compile(re.escape(path) + "$")


def expect_map(page: Page, polygons: int) -> None:
    """The map has fetched and drawn its kelurahan boundaries."""
    box = page.locator("#region-map")
    expect(box).to_have_attribute("data-loaded", "true", timeout=30_000)
    expect(box).to_have_attribute("data-polygon-count", str(polygons))


def number(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def polygons_in(code: str) -> int:
    return Region.objects.filter(
        level=Region.Level.VILLAGE, boundary__isnull=False, code__startswith=f"{code}."
    ).count()


def open_region(page: Page, code: str) -> Region:
    """Follow the link to region ``code`` and check its page: heading and a loaded map."""
    region = Region.objects.get(code=code)
    page.locator("main").get_by_role("link", name=region.display_name, exact=True).first.click()
    expect(page).to_have_url(path_is(reverse("territory:region", args=[code])))
    expect(page.get_by_role("heading", level=1)).to_have_text(region.display_name)
    expect_map(page, polygons_in(code) if region.level != Region.Level.VILLAGE else 1)
    return region


def test_an_administrator_browses_the_territory_in_both_languages(page: Page, demo_jakarta: Region) -> None:
    log_in(page, "kesbangpol")
    expect(page).to_have_url(path_is(reverse("core:home")))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Demo Admin Kesbangpol")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "id")

    territory = {language: in_language(language, "Territory") for language in ("id", "en")}
    assert territory["id"] != territory["en"], "the navbar label 'Territory' has no Indonesian translation"
    nav_link = page.locator("#main-nav").locator(f'a[href="{reverse("territory:index")}"]')
    expect(nav_link).to_have_text(territory["id"])

    page.locator('form.language-switch button[value="en"]').click()
    expect(html).to_have_attribute("lang", "en")
    expect(nav_link).to_have_text(territory["en"])
    page.locator('form.language-switch button[value="id"]').click()
    expect(html).to_have_attribute("lang", "id")
    expect(nav_link).to_have_text(territory["id"])

    # A province administrator's territory browser opens on the province.
    nav_link.click()
    expect(page).to_have_url(path_is(reverse("territory:region", args=["31"])))
    expect(page.get_by_role("heading", level=1)).to_have_text(demo_jakarta.display_name)
    expect(page.locator("#children-heading ~ div table tbody tr")).to_have_count(6)
    figures = stats(page)
    assert figures[in_language("id", "Kecamatan")] == "44"
    assert figures[in_language("id", "Kelurahan")] == "267"
    assert number(figures["RW"]) == RW.objects.count()
    assert number(figures["RT"]) == RT.objects.count()
    expect_map(page, 267)

    open_region(page, "31.71")
    expect(page.locator("#children-heading ~ div table tbody tr")).to_have_count(
        Region.objects.filter(parent__code="31.71").count()
    )
    open_region(page, "31.71.02")
    pasar_baru = open_region(page, "31.71.02.1001")
    expect(page.locator("ol.breadcrumb")).to_contain_text("Kota Administrasi Jakarta Pusat")
    expect(page.locator("#rw-heading")).to_contain_text(str(pasar_baru.rws.count()))


def test_a_kelurahan_operator_cannot_open_another_kelurahan(page: Page, demo_jakarta: Region) -> None:
    own = reverse("territory:region", args=["31.71.02.1001"])  # Pasar Baru
    other = reverse("territory:region", args=["31.71.02.1002"])  # Karang Anyar, same kecamatan
    log_in(page, "lurah.pasarbaru")
    expect(page).to_have_url(path_is(reverse("core:home")))

    page.goto(reverse("territory:index"))
    expect(page).to_have_url(path_is(own))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kelurahan Pasar Baru")

    response = page.goto(other)
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(in_language("id", "Page not found"))
    for url in (
        reverse("territory:geojson", args=["31.71.02.1002"]),
        reverse("territory:rw", args=["31.71.02.1002", 1]),
        reverse("territory:region", args=["31.71.02"]),
    ):
        assert page.request.get(url).status == 404, url


def test_a_wrong_password_shows_an_error(page: Page, transactional_db: None) -> None:
    with acting_as(None):
        account_services.superuser_create(
            username="admin", full_name="Demo Superadmin", email="admin@sinergi.test", password=DEMO_PASSWORD
        )
    log_in(page, "admin", "not-the-password")
    expect(page).to_have_url(path_is(reverse("accounts:login")))
    expect(page.locator("main .alert-danger")).to_be_visible()
    expect(page.locator("#id_username")).to_have_value("admin")

    page.goto(reverse("core:home"))
    expect(page).to_have_url(re.compile(re.escape(reverse("accounts:login")) + r"\?next="))
    log_in(page, "admin")
    expect(page).to_have_url(path_is(reverse("core:home")))
