"""Seed 002 end to end in real Chromium: the Sawah Besar capacity building of Pemkot Jakarta Pusat.

Staff of Jakarta Pusat create the event, invite the audience by rule (RT, RW, LMK, FKDM, PKK and
Karang Taruna of Kecamatan Sawah Besar) and attach the Pakta Integritas; the Ketua RT 001/RW 001
Pasar Baru answers on a phone with two delegates; staff check a delegate in by QR code on the
check-in page and the delegate signs the attendance list on the staff phone; the delegate signs the
integrity pact on their own page and takes the post-test; staff finish the event, issue the
certificates and make the activity report, whose PDFs exist and hold the right counts.

A headless browser has no camera to point at a QR code, so the scan is fed where the camera's
reading goes: the check-in page's ``window.sinergiCheckIn.submitToken(text)``, which the jsQR loop
calls with what it decodes (the delegate's page address, as the QR code holds it).

The register is kept small (seven organisations of Sawah Besar and one outside it) so the journey
runs in seconds; the audience rule is the same as for the whole register.
"""

from __future__ import annotations

import datetime
import importlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Error, Page, expect

from sinergi.accounts.demo import DEMO_PASSWORD
from sinergi.accounts.models import User
from sinergi.core.context import acting_as
from sinergi.events.models import (
    Certificate,
    CheckIn,
    CommitmentSignature,
    Event,
    GeneratedDocument,
    Invitation,
    Participant,
)
from sinergi.events.models import TestAttempt as Attempt
from sinergi.events.selectors.after_report import report_context
from sinergi.events.services import after_tests
from sinergi.events.services.day_documents import attendance_context
from sinergi.events.tests.conftest_day import layout_text
from sinergi.registry import services as registry_services
from sinergi.registry.models import Organisation, OrganisationKind
from sinergi.territory.models import RT, Region
from tests.browser.conftest import REPORT_CSP
from tests.browser.test_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SAWAH_BESAR = "31.71.02"
PASAR_BARU = "31.71.02.1001"
TITLE = "Peningkatan Kapasitas Lembaga Kemasyarakatan Kecamatan Sawah Besar"
DELEGATES = ("Bambang Suryadi", "Sri Wahyuni")
PACT = (
    "Kami yang bertanda tangan di bawah ini menyatakan:\n"
    "1. Menjaga netralitas ASN dan tidak berpihak dalam Pemilu 2024;\n"
    "2. Menolak politik uang, hoaks dan ujaran kebencian;\n"
    "3. Menjaga lingkungan tetap aman dan kondusif."
)


def _ensure_kinds() -> dict[str, OrganisationKind]:
    """The organisation kinds of migration 0002 (a live-server test before this one emptied them)."""
    if not OrganisationKind.objects.filter(code="rt").exists():
        migration = importlib.import_module("sinergi.registry.migrations.0002_organisation_kinds")
        migration.create_kinds(django_apps, None)
    return {k.code: k for k in OrganisationKind.objects.all()}


@pytest.fixture
def sawah_besar(demo_jakarta: Region) -> dict[str, Any]:
    """A small register of Kecamatan Sawah Besar and the Ketua RT 001/RW 001 Pasar Baru's account."""
    kinds = _ensure_kinds()
    pasar_baru = Region.objects.get(code=PASAR_BARU)
    district = Region.objects.get(code=SAWAH_BESAR)
    rt1 = RT.objects.select_related("rw").get(rw__kelurahan=pasar_baru, rw__number=1, number=1)
    rt2 = RT.objects.select_related("rw").get(rw__kelurahan=pasar_baru, rw__number=1, number=2)
    with acting_as(None, channel="system"):
        orgs = {
            "rt1": Organisation.objects.create(
                kind=kinds["rt"], name="RT 001/RW 001", region=pasar_baru, rw=rt1.rw, rt=rt1
            ),
            "rt2": Organisation.objects.create(
                kind=kinds["rt"], name="RT 002/RW 001", region=pasar_baru, rw=rt2.rw, rt=rt2
            ),
            "rw1": Organisation.objects.create(kind=kinds["rw"], name="RW 001", region=pasar_baru, rw=rt1.rw),
            "lmk": Organisation.objects.create(kind=kinds["lmk"], name="LMK Pasar Baru", region=pasar_baru),
            "fkdm": Organisation.objects.create(kind=kinds["fkdm"], name="FKDM Kecamatan Sawah Besar", region=district),
            "pkk": Organisation.objects.create(
                kind=kinds["pkk"], name="TP PKK Kelurahan Pasar Baru", region=pasar_baru
            ),
            "kt": Organisation.objects.create(
                kind=kinds["karang_taruna"], name="Karang Taruna Kelurahan Pasar Baru", region=pasar_baru
            ),
        }
        # Outside the rule's area: must not be invited.
        Organisation.objects.create(
            kind=kinds["lmk"], name="LMK Gambir", region=Region.objects.get(code="31.71.01.1001")
        )
        chair = User(username="rt.pasarbaru", full_name="Bambang Suryadi", email="rt.pasarbaru@sinergi.test")
        chair.set_password(DEMO_PASSWORD)
        chair.save()
        registry_services.representative_grant(
            by=User.objects.get(username="jakpus"), organisation=orgs["rt1"], user=chair
        )
    return orgs


@pytest.fixture
def phone(browser: Browser, live_server: Any) -> Iterator[Page]:
    """A phone-sized page (390 x 844, touch) in its own context, failing the test on CSP violations."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="id-ID",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(15_000)
    context.add_init_script(REPORT_CSP)
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(m.text) if m.type == "error" and "CSP violation" in m.text else None,
    )

    def on_error(error: Error) -> None:
        problems.append(f"uncaught {error.name}: {error.message}")

    page.on("pageerror", on_error)
    yield page
    context.close()
    if problems:
        pytest.fail("The phone's browser reported:\n" + "\n".join(problems))


def draw(page: Page, canvas: str) -> None:
    """Sign with the mouse (pointer events) across the signature pad."""
    pad = page.locator(canvas).first
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    assert box is not None
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(x + w * 0.1, y + h * 0.7)
    page.mouse.down()
    for step in range(1, 9):
        page.mouse.move(x + w * (0.1 + step * 0.1), y + h * (0.3 if step % 2 else 0.7), steps=3)
    page.mouse.up()


def submit(page: Page, form: str) -> None:
    with page.expect_navigation():
        page.locator(form).locator("button[type=submit]").first.click()


def test_seed_002_capacity_building_from_invitation_to_report(
    page: Page, phone: Page, sawah_besar: dict[str, Any]
) -> None:
    # 1. Jakarta Pusat's staff create the event (a draft), one day a week ahead.
    log_in(page, "jakpus")
    page.goto(reverse("events:create"))
    page.select_option("#id_kind", "training")
    page.select_option("#id_region", SAWAH_BESAR)
    page.fill("#id_title", TITLE)
    page.fill("#id_theme", "Menjaga kondusivitas wilayah menjelang Pemilu 2024")
    day = timezone.localdate() + datetime.timedelta(days=7)
    page.fill("#id_first_date", day.isoformat())
    page.fill("#id_day_count", "1")
    page.fill("#id_starts_at", "09:00")
    page.fill("#id_ends_at", "15:00")
    page.fill("#id_venue", "Aula Kantor Kecamatan Sawah Besar")
    page.fill("#id_capacity", "60")
    page.fill("#id_delegates_per_organisation", "2")
    submit(page, "main form")
    event = Event.objects.get(title=TITLE)
    expect(page).to_have_url(re.compile(re.escape(reverse("events:detail", args=[event.pk])) + "$"))

    # 2. The audience by rule: RT, RW, LMK, FKDM, PKK and Karang Taruna of Kecamatan Sawah Besar.
    page.goto(reverse("events:audience", args=[event.pk]))
    for kind in ("rt", "rw", "lmk", "fkdm", "pkk", "karang_taruna"):
        # Set directly: the area list's help text overlaps the lower checkboxes, so a click on
        # them lands on the help text (reported to the plan stage).
        page.locator(f"input[name=kinds][value={kind}]").evaluate("box => { box.checked = true; }")
    page.select_option("#id_region_codes", [SAWAH_BESAR])
    submit(page, "main form")
    submit(page, f"form[action='{reverse('events:invitations-create', args=[event.pk])}']")
    assert set(event.invitations.values_list("organisation__name", flat=True)) == {o.name for o in sawah_besar.values()}

    # 3. Publish, send the invitations, attach the integrity pact from the library.
    page.goto(reverse("events:detail", args=[event.pk]))
    submit(page, f"form[action='{reverse('events:publish', args=[event.pk])}']")
    page.goto(reverse("events:invitations", args=[event.pk]))
    submit(page, f"form[action='{reverse('events:invitations-send', args=[event.pk])}']")
    page.goto(reverse("events:commitment-text-create"))
    page.select_option("#id_kind", "integrity_pact")
    page.fill("#id_title", "Pakta Integritas")
    page.fill("#id_body", PACT)
    submit(page, "main form")
    page.goto(reverse("events:commitments", args=[event.pk]))
    page.select_option("#id_text", label="Pakta Integritas (v1)")
    submit(page, "main .form-narrow form")
    expect(page.get_by_test_id("signed-count")).to_have_text(re.compile(r"^0\D+0\b"))

    # 4. The Ketua RT 001/RW 001 Pasar Baru answers on a phone: attending, with two delegates.
    invitation = Invitation.objects.get(event=event, organisation=sawah_besar["rt1"])
    log_in(phone, "rt.pasarbaru")
    phone.goto(reverse("events:invitation-answer", args=[invitation.pk]))
    phone.check("input[name=attending][value=yes]")
    for n, name in enumerate(DELEGATES, start=1):
        phone.fill(f"#id_name_{n}", name)
        phone.fill(f"#id_position_{n}", "Ketua RT" if n == 1 else "Sekretaris RT")
        phone.fill(f"#id_phone_{n}", f"08121234567{n}")
    submit(phone, "main form")
    expect(phone.locator("img.events-qr")).to_have_count(2)
    delegate = Participant.objects.get(event=event, full_name=DELEGATES[1])
    assert delegate.status == Participant.Status.REGISTERED
    delegate_url = phone.locator(f"a[href*='{delegate.token}']").first.get_attribute("href")
    assert delegate_url is not None
    assert delegate_url.endswith(reverse("events:participant", args=[delegate.token]))

    # 5. At the door: staff scan the delegate's QR code (fed to the scanner's submission path).
    page.goto(reverse("events:check-in", args=[event.pk]))
    expect(page.get_by_test_id("present-count")).to_have_text(re.compile(r"^0\D+2\b"))
    page.wait_for_function("() => Boolean(window.sinergiCheckIn && window.jsQR)")
    page.evaluate("url => window.sinergiCheckIn.submitToken(url)", delegate_url)
    expect(page.get_by_test_id("check-in-ok")).to_contain_text(DELEGATES[1])
    expect(page.get_by_test_id("present-count")).to_have_text(re.compile(r"^1\D+2\b"))
    draw(page, "#check-in-result canvas.sig-pad")
    page.locator("#check-in-result form button[type=submit]").click()
    expect(page.get_by_test_id("check-in-signed")).to_contain_text(DELEGATES[1])
    # A second scan is recognised and not counted.
    page.evaluate("url => window.sinergiCheckIn.submitToken(url)", delegate_url)
    expect(page.get_by_test_id("check-in-again")).to_contain_text(DELEGATES[1])
    expect(page.get_by_test_id("present-count")).to_have_text(re.compile(r"^1\D+2\b"))
    assert CheckIn.objects.filter(participant=delegate).count() == 1
    assert CheckIn.objects.get(participant=delegate).signature.startswith("data:image/png;base64,")

    # 6. The delegate signs the integrity pact on their own page (no account).
    phone.context.clear_cookies()
    phone.goto(reverse("events:participant", args=[delegate.token]))
    expect(phone.get_by_test_id("checked-in")).to_be_visible()
    phone.fill("input[name=typed_name]", DELEGATES[1])
    draw(phone, "canvas.sig-pad")
    submit(phone, "form[action*='/komitmen/']")
    expect(phone.get_by_test_id("signed")).to_contain_text(DELEGATES[1])
    signature = CommitmentSignature.objects.get(participant=delegate)
    assert signature.user_agent
    assert len(signature.text_digest) == 64

    # 7. The post-test (the after stage's page), opened by staff with two questions.
    staff = User.objects.get(username="jakpus")
    event.refresh_from_db()
    with acting_as(staff, channel="web"):
        bank = after_tests.bank_create(unit=event.unit, name="Pemilu 2024 dan kanal aduan", by=staff)
        questions = [
            after_tests.question_add(
                bank=bank, text="Kanal aduan warga Jakarta adalah ...", choices=["JAKI", "KTP"], correct=0, by=staff
            ),
            after_tests.question_add(
                bank=bank,
                text="Pemilu serentak diselenggarakan tahun ...",
                choices=["2019", "2024"],
                correct=1,
                by=staff,
            ),
        ]
        test = after_tests.test_set_questions(event=event, kind="post", questions=questions, by=staff)
        after_tests.test_set_open(test=test, is_open=True, by=staff)
    phone.goto(reverse("events:test-take", args=[delegate.token, "post"]))
    for question in questions:
        right = question.choices.get(is_correct=True)
        phone.check(f"input[type=radio][value='{right.pk}']")
    submit(phone, "main form")
    attempt = Attempt.objects.get(participant=delegate, test=test)
    assert attempt.correct == 2

    # 8. Staff finish the event, issue the certificates and make the activity report (after stage).
    page.goto(reverse("events:detail", args=[event.pk]))
    submit(page, f"form[action='{reverse('events:finish', args=[event.pk])}']")
    page.locator(f"form[action='{reverse('events:certificates-issue', args=[event.pk])}'] button").click()
    expect(page.locator("#after-documents a[href*='unduh']")).to_have_count(1, timeout=60_000)
    page.locator(f"form[action='{reverse('events:report', args=[event.pk])}'] button").click()
    expect(page.locator("#after-documents a[href*='unduh']")).to_have_count(2, timeout=60_000)

    # The PDFs exist and hold the right counts: 2 registered, 1 present, 1 pact signature, 1 certificate.
    documents = {d.kind: d for d in GeneratedDocument.objects.filter(event=event, status="done")}
    for kind in (GeneratedDocument.Kind.CERTIFICATES, GeneratedDocument.Kind.REPORT):
        with documents[kind].file.open("rb") as handle:
            assert handle.read(5) == b"%PDF-"
    assert list(
        Certificate.objects.filter(participant__event=event).values_list("participant__full_name", flat=True)
    ) == [DELEGATES[1]]
    event.refresh_from_db()
    report = report_context(event)
    assert (report["registered"], report["attended"], report["certificates"]) == (2, 1, 1)
    assert [c.signed for c in report["commitments"]] == [1]
    report_text = layout_text("events/pdf/after_report.html", report).casefold()
    assert TITLE.casefold() in report_text
    assert "2 participants were registered" in report_text or "2 peserta" in report_text
    assert "1 attended" in report_text or "1 hadir" in report_text
    attendance_text = layout_text("events/pdf/day_attendance.html", attendance_context(event))
    assert "1 dari 2 peserta terdaftar" in attendance_text or "1 of 2 registered participants" in attendance_text
    for name in DELEGATES:
        assert name in attendance_text
    response = page.request.get(reverse("events:attendance-pdf", args=[event.pk, event.days.get().pk]))
    assert response.ok
    assert response.body().startswith(b"%PDF-")
