"""Evaluation in real Chromium: an administrator runs a round of the kelurahan of Kecamatan Sawah
Besar and sees the ranking; the Lurah of Pasar Baru sees their own result and how it was computed,
and their home page draws the map of their kelurahan."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from sinergi.evaluation.models import Round, Subject
from sinergi.registry.models import Officer, Organisation, OrganisationKind
from sinergi.registry.tests.conftest import make_nik, make_person
from sinergi.territory.models import RT, Region
from tests.browser.test_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def sawah_besar(demo_jakarta: Region) -> Region:
    """Kecamatan Sawah Besar with one RT in Pasar Baru that has its chair in office."""
    kecamatan = Region.objects.get(level=Region.Level.DISTRICT, name="Sawah Besar")
    pasar_baru = Region.objects.get(level=Region.Level.VILLAGE, name="Pasar Baru")
    kind, _ = OrganisationKind.objects.get_or_create(
        code="rt", defaults={"name": "RT (Rukun Tetangga)", "placements": ["rt"]}
    )
    rt = RT.objects.filter(rw__kelurahan=pasar_baru).select_related("rw").first()
    assert rt is not None
    organisation = Organisation.objects.create(kind=kind, name="RT 001/RW 001", region=pasar_baru, rw=rt.rw, rt=rt)
    Officer.objects.create(
        person=make_person("Sutrisno", make_nik(serial=31, prefix="317102"), pasar_baru),
        organisation=organisation,
        position=Officer.Position.CHAIR,
        term_start=datetime.date(2024, 1, 1),
        term_end=datetime.date(2029, 1, 1),
    )
    return kecamatan


def test_an_administrator_runs_a_round_and_a_lurah_sees_their_result(page: Page, sawah_besar: Region) -> None:
    log_in(page, "kesbangpol")
    page.goto(reverse("evaluation:round-create"))
    page.fill("#id_title", "Evaluasi Kelurahan Sawah Besar")
    page.select_option("#id_region", sawah_besar.code)
    page.select_option("#id_subject_kind", "village")
    page.fill("#id_period_start", "2026-01-01")
    page.fill("#id_period_end", "2026-06-30")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    round_ = Round.objects.get()
    assert page.url.endswith(reverse("evaluation:round", args=[round_.pk]))
    with page.expect_navigation():
        page.locator(f"form[action='{reverse('evaluation:round-compute', args=[round_.pk])}'] button").click()
    expect(page.locator("#round-status")).to_have_attribute("data-status", "computed")
    ranking = page.get_by_test_id("ranking")
    expect(ranking.locator("tbody tr")).to_have_count(Subject.objects.filter(round=round_).count())
    expect(ranking.locator("tbody tr").first).to_contain_text("Pasar Baru")
    with page.expect_navigation():
        page.locator(f"form[action='{reverse('evaluation:round-finish', args=[round_.pk])}'] button").click()
    expect(page.locator("#round-status")).to_have_attribute("data-status", "finished")

    page.context.clear_cookies()
    log_in(page, "lurah.pasarbaru")
    expect(page.locator("#dashboard-map")).to_have_attribute("data-loaded", "true")
    page.goto(reverse("evaluation:index"))
    page.get_by_role("link", name="Kelurahan Pasar Baru").click()
    score = Subject.objects.get(round=round_, region__name="Pasar Baru").score
    # Numbers follow the page's language: 66,67 in Indonesian.
    expect(page.get_by_test_id("score")).to_have_text(re.compile(str(score).replace(".", "[.,]")))
    expect(page.get_by_test_id("how")).to_contain_text(re.compile(r"100[.,]00"))  # the chair in office
    response = page.request.get(reverse("evaluation:round", args=[round_.pk]))
    assert response.status == 404  # not the whole ranking
