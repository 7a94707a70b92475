"""An announcement's journey in real Chromium: a kecamatan operator targets every RT and RW of
Kecamatan Sawah Besar and sends it; the Ketua RT 001/RW 001 Pasar Baru reads it on a phone,
acknowledges it and files a relay report with a photo; the progress page shows it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from sinergi.accounts.demo import DEMO_PASSWORD
from sinergi.accounts.models import Role, User
from sinergi.announcements.models import Announcement, Delivery
from sinergi.registry.models import Organisation, OrganisationKind
from sinergi.registry.tests.conftest import PNG
from sinergi.territory.models import RT, RW, Region

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def log_in(page: Page, username: str, viewport: dict[str, int] = DESKTOP) -> None:
    page.context.clear_cookies()
    page.set_viewport_size(viewport)
    page.goto(reverse("accounts:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main form").get_by_role("button").click()


@pytest.fixture
def sawah_besar(demo_jakarta: Region) -> dict[str, Any]:
    """Every RT and RW of Kecamatan Sawah Besar as organisations, and the RT chair's account."""
    district = Region.objects.get(level=Region.Level.DISTRICT, name="Sawah Besar")
    kinds = {k.code: k for k in OrganisationKind.objects.filter(code__in=["rt", "rw"])}
    rws = RW.objects.filter(kelurahan__parent=district).select_related("kelurahan")
    Organisation.objects.bulk_create(
        [Organisation(kind=kinds["rw"], name=f"RW {rw.number:03d}", region=rw.kelurahan, rw=rw) for rw in rws]
    )
    rts = RT.objects.filter(rw__kelurahan__parent=district).select_related("rw__kelurahan")
    Organisation.objects.bulk_create(
        [
            Organisation(
                kind=kinds["rt"],
                name=f"RT {rt.number:03d}/RW {rt.rw.number:03d}",
                region=rt.rw.kelurahan,
                rw=rt.rw,
                rt=rt,
            )
            for rt in rts
        ]
    )
    chair_org = Organisation.objects.get(kind=kinds["rt"], region__name="Pasar Baru", rw__number=1, rt__number=1)
    chair = User.objects.create_user(username="rt.pasarbaru", password=DEMO_PASSWORD, full_name="Ketua RT 001")
    Role.objects.create(user=chair, organisation=chair_org, kind=Role.Kind.ORG_REPRESENTATIVE)
    return {"district": district, "count": rws.count() + rts.count(), "chair_org": chair_org}


def test_an_operator_sends_to_a_kecamatan_and_an_rt_chair_acknowledges_and_relays_on_a_phone(
    page: Page, sawah_besar: dict[str, Any]
) -> None:
    page.on("dialog", lambda dialog: dialog.accept())
    district = sawah_besar["district"]

    # The kecamatan operator writes the announcement and targets every RT and RW of the kecamatan.
    log_in(page, "camat.sawahbesar")
    page.goto(reverse("announcements:create"))
    page.fill("#id_title", "Sensus Ekonomi 2026")
    page.select_option("#id_category", "census")
    page.fill("#id_body", "Petugas BPS akan mendata usaha di wilayah Anda.\n\nMohon disampaikan kepada warga.")
    page.check("input[name=kinds][value=rt]")
    page.check("input[name=kinds][value=rw]")
    page.select_option("#id_region_codes", [district.code])
    expect(page.locator("[data-preview-total]")).to_have_attribute("data-preview-total", str(sawah_besar["count"]))
    page.check("#id_relay_required")
    page.fill("#id_relay_due", "2099-12-31")
    page.locator("#announcement-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/informasi/\d+/$"))
    announcement = Announcement.objects.get()

    page.locator(f"form[action='{reverse('announcements:send', args=[announcement.pk])}'] button").click()
    expect(page.locator("[data-fanout-status]")).to_have_attribute("data-fanout-status", "sent")
    assert Delivery.objects.filter(announcement=announcement).count() == sawah_besar["count"]

    # The RT chair, on a phone: the inbox, the announcement, acknowledge, relay report.
    log_in(page, "rt.pasarbaru", PHONE)
    page.goto(reverse("announcements:inbox"))
    delivery = Delivery.objects.get(announcement=announcement, organisation=sawah_besar["chair_org"])
    page.locator(f"a[href='{reverse('announcements:delivery', args=[delivery.pk])}']").click()
    expect(page.locator(".announcement-body")).to_contain_text("Petugas BPS")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing sticks out
    page.locator("#acknowledgement button[type=submit]").click()
    expect(page.locator("#acknowledgement .alert-success")).to_be_visible()

    page.goto(reverse("announcements:relay", args=[delivery.pk]))
    page.select_option("#id_method", "meeting")
    page.fill("#id_residents_reached", "42")
    page.set_input_files("#id_photos", files=[{"name": "rapat.png", "mimeType": "image/png", "buffer": PNG}])
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("announcements:delivery", args=[delivery.pk])) + "$"))
    expect(page.locator("#relay-heading + p + ul, #relay-heading ~ ul").first).to_contain_text("42")

    # The operator's progress page shows the acknowledgement and the relay.
    log_in(page, "camat.sawahbesar")
    page.goto(reverse("announcements:progress", args=[announcement.pk]))
    expect(page.locator("dd[data-rate=acknowledged]")).to_contain_text("1 (")
    expect(page.locator("dd[data-rate=relayed]")).to_contain_text("1 (")
    expect(page.locator("dd[data-rate=reached]")).to_have_text("42")
    pasar_baru = Region.objects.get(parent=district, name="Pasar Baru")
    expect(page.locator(f"tr[data-area='{pasar_baru.code}']")).to_be_visible()
    expect(page.locator("#progress-map")).to_have_attribute("data-loaded", "true", timeout=30_000)
