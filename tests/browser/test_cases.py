"""A complaint's whole life in real Chromium: a resident files it on the public form with a photo and
a point on the map, the kelurahan validates it and passes it to the Suku Dinas, which finishes it
with a proof photo; the resident follows each step on their page and rates the result."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import FilePayload, Page, expect

from sinergi.accounts.demo import DEMO_PASSWORD
from sinergi.accounts.models import Role, Unit, User
from sinergi.cases import demo as cases_demo
from sinergi.cases.models import Case
from sinergi.core.context import acting_as
from sinergi.territory.models import Region
from tests.browser import test_journeys as journeys

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SUDIN = "Suku Dinas Sumber Daya Air Kota Administrasi Jakarta Pusat"


def photo(name: str) -> FilePayload:
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), (120, 90, 40)).save(buffer, format="PNG")
    return {"name": name, "mimeType": "image/png", "buffer": buffer.getvalue()}


def log_out(page: Page) -> None:
    page.context.clear_cookies()


def step(page: Page, number: str, to_status: str, **extra: Any) -> None:
    page.goto(reverse("cases:detail", args=[number]))
    page.select_option("#id_to_status", to_status)
    if "unit" in extra:
        page.select_option("#id_unit", label=extra["unit"])
    if "note" in extra:
        page.fill("#id_note", extra["note"])
    if "proof" in extra:
        page.set_input_files("#id_proof", extra["proof"])
    with page.expect_navigation():
        page.locator("form[action$='/langkah/'] button[type=submit]").click()
    expect(page.locator(".case-status")).to_have_attribute("data-status", to_status)


def test_a_complaint_goes_from_a_resident_to_the_suku_dinas_and_back(
    page: Page, demo_jakarta: Region, settings: Any
) -> None:
    settings.SINERGI_CASE_FORM_MIN_SECONDS = 0
    with acting_as(None, channel="system"):
        cases_demo.seed_categories(demo_jakarta)
    sudin = Unit.objects.get(name=SUDIN)
    operator = User.objects.create_user(username="sudin.sda.jakpus", password=DEMO_PASSWORD, full_name="Operator Sudin")
    Role.objects.create(user=operator, unit=sudin, kind=Role.Kind.OPERATOR)

    # A resident on the public form, with no account.
    page.goto(reverse("cases:submit"))
    page.select_option("#id_kind", "complaint")
    page.select_option("#id_category", label="— Saluran air tersumbat")
    page.fill("#id_description", "Saluran air di depan Pasar Baru tersumbat sampah dan meluap ke jalan.")
    expect(page.locator("#case-map")).to_have_attribute("data-loaded", "true")
    page.select_option("#id_region", "31.71.02.1001")  # the map zooms to Kelurahan Pasar Baru
    expect(page.locator("#case-map")).to_have_attribute("data-focus", "31.71.02.1001")
    page.locator("#case-map").click()  # the middle of the kelurahan: a point on the map
    expect(page.locator("#case-map")).to_have_attribute("data-chosen", "31.71.02.1001")
    assert page.input_value("#id_latitude")
    page.set_input_files("#id_photos", [photo("got-mampet.png")])
    page.fill("#id_reporter_phone", "081234500001")
    with page.expect_navigation():
        page.locator("#case-form button[type=submit]").click()

    number = page.locator("#case-number").inner_text().strip()
    reporter_page = page.url
    case = Case.objects.get(number=number)
    assert case.region.code == "31.71.02.1001"
    assert case.latitude is not None
    assert case.attachments.count() == 1
    expect(page.locator(".case-status")).to_have_attribute("data-status", "waiting")

    # The kelurahan operator validates it and passes it on to the Suku Dinas.
    journeys.log_in(page, "lurah.pasarbaru")
    page.goto(reverse("cases:inbox"))
    expect(page.locator(f"tr[data-number='{number}']")).to_be_visible()
    step(page, number, "validated", note="Lokasi sudah dicek.")
    step(page, number, "disposition", unit=SUDIN, note="Diteruskan ke Sudin SDA.")
    log_out(page)

    page.goto(reporter_page)
    expect(page.locator(".case-timeline li[data-status='disposition']")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Diteruskan ke Sudin SDA.")

    # The Suku Dinas finishes it with a proof photo.
    journeys.log_in(page, "sudin.sda.jakpus")
    page.goto(reverse("cases:inbox"))
    expect(page.locator(f"tr[data-number='{number}']")).to_be_visible()
    step(page, number, "in_progress")
    step(page, number, "done", note="Saluran sudah dikeruk.", proof=[photo("hasil.png")])
    log_out(page)

    # The resident sees every step on their page and rates the result.
    page.goto(reporter_page)
    expect(page.locator(".case-status")).to_have_attribute("data-status", "done")
    for status in ("waiting", "validated", "disposition", "in_progress", "done"):
        expect(page.locator(f".case-timeline li[data-status='{status}']")).to_have_count(1)
    page.locator("input[name=rating][value='5']").check()
    page.fill("#id_comment", "Cepat ditangani, terima kasih.")
    with page.expect_navigation():
        page.locator("form[action$='/nilai/'] button[type=submit]").click()
    expect(page.locator("#case-rating")).to_have_text("5/5")

    # The public page by number alone shows the steps but no personal data and no rating form.
    page.goto(reverse("cases:track", args=[number]))
    expect(page.locator(".case-timeline li")).to_have_count(5)
    expect(page.locator("main")).not_to_contain_text("081234500001")
    expect(page.locator("form[action$='/nilai/']")).to_have_count(0)
