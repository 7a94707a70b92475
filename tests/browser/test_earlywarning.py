"""Early warning in real Chromium: an FKDM member reports from a phone, the Lurah handles it, nobody
else can open it, the map shows it; and a report made offline arrives once."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.urls import reverse
from playwright.sync_api import Page, ViewportSize, expect

from sinergi.accounts.demo import DEMO_PASSWORD
from sinergi.accounts.models import Role, User
from sinergi.earlywarning.models import EscalationRule, Report, Topic
from sinergi.registry.models import Organisation, OrganisationKind
from sinergi.territory.models import RT, Region

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PASAR_BARU, KARANG_ANYAR = "31.71.02.1001", "31.71.02.1002"
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}


@dataclass
class Cast:
    member: User
    other_member: User
    rt_chair: User


def _account(username: str, role: str, organisation: Organisation) -> User:
    user = User(username=username, full_name=username.replace(".", " ").title(), email=f"{username}@sinergi.test")
    user.set_password(DEMO_PASSWORD)
    user.save()
    Role.objects.create(user=user, organisation=organisation, kind=role)
    return user


@pytest.fixture
def cast(demo_jakarta: Region) -> Cast:
    # A live-server test empties the tables after it, data migrations' rows included: make them again.
    kinds = {
        code: OrganisationKind.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in (("fkdm", "FKDM"), ("rt", "RT"))
    }
    Topic.objects.get_or_create(code="hate-speech", defaults={"name": "Ujaran kebencian"})
    regions = {r.code: r for r in Region.objects.filter(code__in=[PASAR_BARU, KARANG_ANYAR])}
    rt = RT.objects.select_related("rw").get(rw__kelurahan__code=PASAR_BARU, rw__number=1, number=1)
    rt_org = Organisation.objects.create(
        kind=kinds["rt"], name="RT 001/RW 001", region=regions[PASAR_BARU], rw=rt.rw, rt=rt
    )
    fkdm = {
        code: Organisation.objects.create(kind=kinds["fkdm"], name=f"FKDM {regions[code].name}", region=regions[code])
        for code in regions
    }
    return Cast(
        member=_account("fkdm.pasarbaru", Role.Kind.FKDM_MEMBER, fkdm[PASAR_BARU]),
        other_member=_account("fkdm.karanganyar", Role.Kind.FKDM_MEMBER, fkdm[KARANG_ANYAR]),
        rt_chair=_account("rt.pasarbaru.uji", Role.Kind.ORG_REPRESENTATIVE, rt_org),
    )


def log_in(page: Page, username: str) -> None:
    """Members and operators sign in with the password alone (no second factor)."""
    page.goto(reverse("accounts:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main form").get_by_role("button").click()


def switch_user(page: Page, username: str, viewport: ViewportSize = DESKTOP) -> None:
    page.context.clear_cookies()
    page.set_viewport_size(viewport)
    log_in(page, username)


def test_a_member_reports_hate_speech_from_a_phone_and_the_lurah_confirms_and_follows_it_up(
    page: Page, cast: Cast
) -> None:
    hate_speech = Topic.objects.get(code="hate-speech")

    # The member, on a phone.
    switch_user(page, "fkdm.pasarbaru", PHONE)
    page.goto(reverse("earlywarning:submit"))
    page.locator("label.ew-sev-3").click()
    page.select_option("#id_athg", "ancaman")
    page.select_option("#id_domain", "sosbud")
    page.check(f"input[name=topics][value='{hate_speech.pk}']")
    page.fill("#id_rw", "1")
    page.fill("#id_rt", "1")
    page.fill("#id_description", "Ujaran kebencian terhadap warga pendatang di grup WhatsApp RW 001.")
    page.select_option("#id_source", "social_media")
    page.fill("#id_source_link", "https://x.com/akun/status/123")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing sticks out
    page.locator("#ew-report-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/kewaspadaan/laporan/\d+/$"))

    report = Report.objects.get(kind=Report.Kind.REPORT)
    assert (report.severity, report.area_code, report.rt and report.rt.number) == (3, PASAR_BARU, 1)
    assert list(report.topics.values_list("code", flat=True)) == ["hate-speech"]
    detail = reverse("earlywarning:detail", args=[report.pk])

    # The Lurah of Pasar Baru finds it in the list, confirms it and adds a follow-up.
    switch_user(page, "lurah.pasarbaru")
    page.goto(reverse("earlywarning:list"))
    page.locator(f"a[href='{detail}']").click()
    expect(page).to_have_url(re.compile(re.escape(detail) + "$"))
    page.select_option("#id_status", "confirmed")
    page.fill("#id_note", "Dicek bersama Bhabinkamtibmas; unggahan sudah dihapus.")
    page.locator(f"form[action='{reverse('earlywarning:verify', args=[report.pk])}'] button[type=submit]").click()
    expect(page.locator("#ew-status")).to_have_class(re.compile("text-bg-danger"))
    page.fill("#id_action", "Mediasi dengan pengurus RW dan tokoh masyarakat.")
    page.fill("#id_owner", "Kasi Pemerintahan Kelurahan")
    page.locator(f"form[action='{reverse('earlywarning:followup-add', args=[report.pk])}'] button[type=submit]").click()
    expect(page.locator("#ew-followups")).to_contain_text("Mediasi dengan pengurus RW")
    report.refresh_from_db()
    assert report.status == Report.Status.CONFIRMED
    assert report.follow_ups.count() == 1

    # The map shows it: Pasar Baru coloured, one report in the window.
    page.goto(reverse("earlywarning:situation") + f"?area={PASAR_BARU}&days=7")
    box = page.locator("#ew-map")
    expect(box).to_have_attribute("data-loaded", "true")
    expect(box).to_have_attribute("data-total", "1")
    expect(box).to_have_attribute("data-reported-areas", "1")
    expect(page.locator("#ew-trend")).to_have_attribute("data-loaded", "true")

    # A member of another kelurahan and an RT chair: not found.
    for username in ("fkdm.karanganyar", "rt.pasarbaru.uji"):
        switch_user(page, username, PHONE)
        response = page.goto(detail)
        assert response is not None
        assert response.status == 404, username


def test_a_nihil_made_offline_is_sent_when_the_connection_returns_and_arrives_once(page: Page, cast: Cast) -> None:
    EscalationRule.objects.update(is_active=False)
    switch_user(page, "fkdm.pasarbaru", PHONE)
    page.goto(reverse("earlywarning:submit"))

    page.context.set_offline(True)
    page.locator(f"form[action='{reverse('earlywarning:nihil')}'] button[type=submit]").click()
    outbox = page.locator("#ew-outbox")
    expect(outbox).to_have_attribute("data-pending", "1")
    # The phone sends it twice (say, two tabs): the server keeps one.
    page.evaluate(
        "() => { const k = 'sinergi.earlywarning.outbox'; const q = JSON.parse(localStorage.getItem(k));"
        " localStorage.setItem(k, JSON.stringify([q[0], q[0]])); }"
    )
    assert Report.objects.count() == 0

    page.context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    expect(outbox).to_have_attribute("data-pending", "0")

    nihil = Report.objects.get()
    assert (nihil.kind, nihil.reporter) == (Report.Kind.NIHIL, cast.member)
