"""Import and export of the register in real Chromium: template, dry run, good rows, masked export."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from sinergi.registry.models import Person
from sinergi.territory.models import Region
from tests.browser.test_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _(message: str) -> str:
    with translation.override("id"):
        return translation.gettext(message)


def test_an_operator_imports_persons_after_a_dry_run_and_exports_them_masked(
    page: Page, demo_jakarta: Region, tmp_path: Path
) -> None:
    log_in(page, "lurah.pasarbaru")
    page.goto("/register/impor/")
    with page.expect_download() as download:
        page.locator("a[href$='/impor/templat/persons.xlsx']").click()
    template = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert len(template.worksheets) == 2

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append([cell.value for cell in template.worksheets[0][1]])
    sheet.append(["Siti Pasar Baru", "3171025705800001", "", "", "", "", "", "31.71.02.1001", 1, 1])
    sheet.append(["Budi Salah", "31710257058", "", "", "", "", "", "31.71.02.1001", "", ""])
    sheet.append(["Dedi Pasar Baru", "3171021705800002", "", "", "", "", "", "31.71.02.1001", "", ""])
    path = tmp_path / "warga.xlsx"
    workbook.save(path)

    page.select_option("#id_target", "persons")
    page.set_input_files("#id_file", str(path))
    page.locator("main form[enctype] button[type=submit]").click()

    report = page.locator("#import-status")
    expect(report.locator("tbody tr")).to_have_count(1)
    expect(report.locator("tbody tr th")).to_have_text("3")
    expect(report.locator("tbody tr td").first).to_contain_text("B")
    expect(report.locator("button[value=all]")).to_be_disabled()
    report.locator("button[value=good]").click()

    expect(page.locator("#import-status .alert-success")).to_be_visible()
    assert set(Person.objects.values_list("full_name", flat=True)) == {"Siti Pasar Baru", "Dedi Pasar Baru"}

    page.goto("/register/ekspor/?target=persons")
    page.select_option("#id_format", "csv")
    with page.expect_download() as download:
        page.locator("main form button[type=submit]").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    nik_column = rows[0].index(_("NIK"))
    assert sorted(row[nik_column] for row in rows[1:]) == ["3171••••••••0001", "3171••••••••0002"]
