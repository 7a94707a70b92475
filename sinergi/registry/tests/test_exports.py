"""Exports to Excel and CSV: the filtered list, masked NIKs and their audited reveal, formula injection,
and large lists built by a task."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import translation

from conftest import Territory
from sinergi.accounts.models import User
from sinergi.audit.models import AuditEvent
from sinergi.registry import exports
from sinergi.registry.models import ExportJob, Officer, Organisation, OrganisationKind, Person
from sinergi.registry.nik import decrypt_nik
from sinergi.registry.spreadsheets import safe_cell

pytestmark = pytest.mark.django_db

NASTY = ['=HYPERLINK("http://evil","x")', "+62 812", "-1+1", "@SUM(A1)", "\tTAB", "\rCR"]


@pytest.fixture(autouse=True)
def english(settings: Any) -> Any:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def xlsx_rows(content: bytes) -> list[list[Any]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def column(rows: list[list[Any]], header: str) -> list[Any]:
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


@pytest.fixture
def officers(rt_org: Organisation, other_rt_org: Organisation, person_factory: Callable[..., Person]) -> list[Officer]:
    made = []
    for serial, org in ((1, rt_org), (2, other_rt_org)):
        person = person_factory(f"Ketua {serial}", serial=serial)
        made.append(
            Officer.objects.create(
                person=person, organisation=org, position="ketua", term_start="2024-01-01", term_end="2028-12-31"
            )
        )
    return made


def test_the_export_is_the_list_the_user_sees_with_its_filters(
    client_for: Callable[[User], Client],
    lurah_operator: User,
    rt_org: Organisation,
    other_rt_org: Organisation,
    rw_org: Organisation,
    outsider_rt_org: Organisation,
) -> None:
    client = client_for(lurah_operator)

    everything = xlsx_rows(client.get("/register/ekspor/", {"format": "xlsx"}).content)
    rts = xlsx_rows(client.get("/register/ekspor/", {"format": "xlsx", "kind": "rt", "q": "RT 002"}).content)

    assert sorted(column(everything, "Sinergi ID")) == sorted([rt_org.pk, other_rt_org.pk, rw_org.pk])
    assert column(rts, "Sinergi ID") == [other_rt_org.pk]
    assert column(rts, "Kind code") == ["rt"]
    assert column(rts, "RW number") == [1]
    assert column(rts, "RT number") == [2]
    [event] = AuditEvent.objects.filter(action="registry.organisation.export").order_by("-id")[:1]
    assert event.changes["rows"] == 1
    assert event.changes["filters"] == {"q": "RT 002", "kind": "rt"}


def test_formula_injection_is_neutralised_in_every_cell(
    client_for: Callable[[User], Client], lurah_operator: User, kinds: dict[str, OrganisationKind], territory: Territory
) -> None:
    for text in NASTY:
        Organisation.objects.create(kind=kinds["lmk"], name=text, address=text, phone=text, region=territory.kel_gambir)
    client = client_for(lurah_operator)

    from_excel = xlsx_rows(client.get("/register/ekspor/", {"format": "xlsx"}).content)
    from_csv = csv_rows(client.get("/register/ekspor/", {"format": "csv"}).content)

    for rows in (from_excel, from_csv):
        for header in ("Name", "Secretariat address", "Phone"):
            # XML has no bare carriage return: Excel reads it back as a line feed.
            values = [value.replace("\r", "\n") for value in column(rows, header)]
            assert sorted(values) == sorted("'" + text.replace("\r", "\n") for text in NASTY)
    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/register/ekspor/", {"format": "xlsx"}).content))
    assert all(cell.data_type != "f" for row in workbook.worksheets[0].iter_rows() for cell in row)


def test_safe_cell_leaves_plain_values_alone() -> None:
    assert [safe_cell(v) for v in ("Budi", "", 5, -3, None)] == ["Budi", "", 5, -3, None]
    assert safe_cell("=1+1") == "'=1+1"


def test_nik_is_masked_for_those_who_may_not_reveal_it(
    client_for: Callable[[User], Client], lurah_operator: User, officers: list[Officer]
) -> None:
    client = client_for(lurah_operator)

    rows = csv_rows(client.get("/register/ekspor/", {"target": "officers", "format": "csv"}).content)
    asked = csv_rows(
        client.post("/register/ekspor/", {"target": "officers", "format": "csv", "reveal_nik": "on"}).content
    )

    assert sorted(column(rows, "NIK")) == ["3171••••••••0001", "3171••••••••0002"]
    assert column(asked, "NIK") == column(rows, "NIK")
    assert not AuditEvent.objects.filter(action="registry.person.reveal_nik").exists()
    with pytest.raises(PermissionDenied):
        exports.export_start(by=lurah_operator, target="officers", fmt="csv", filters={}, reveal_nik=True)


def test_a_full_nik_export_needs_the_tick_and_is_audited_as_a_nik_view(
    client_for: Callable[[User], Client], kesbangpol_admin: User, officers: list[Officer]
) -> None:
    client = client_for(kesbangpol_admin)
    form = client.get("/register/ekspor/", {"target": "persons"}).content.decode()
    assert "Show full NIK" in form

    masked = xlsx_rows(client.get("/register/ekspor/", {"target": "persons", "format": "xlsx"}).content)
    revealed = xlsx_rows(
        client.post("/register/ekspor/", {"target": "persons", "format": "xlsx", "reveal_nik": "on"}).content
    )

    assert all("••••" in nik for nik in column(masked, "NIK"))
    assert sorted(column(revealed, "NIK")) == sorted(decrypt_nik(o.person.nik_encrypted) for o in officers)
    [event] = AuditEvent.objects.filter(action="registry.person.reveal_nik")
    assert event.actor == kesbangpol_admin
    assert event.changes["person_ids"] == sorted(o.person_id for o in officers)


def test_organisations_show_no_nik_and_offer_no_reveal(
    client_for: Callable[[User], Client], kesbangpol_admin: User, officers: list[Officer]
) -> None:
    page = client_for(kesbangpol_admin).get("/register/ekspor/").content.decode()

    assert "Show full NIK" not in page
    rows = xlsx_rows(client_for(kesbangpol_admin).get("/register/ekspor/", {"format": "xlsx"}).content)
    assert column(rows, "Chair") == ["Ketua 1", "Ketua 2"]


def test_a_long_list_is_exported_by_a_task_with_a_download_link(
    client_for: Callable[[User], Client],
    lurah_operator: User,
    camat_operator: User,
    officers: list[Officer],
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    monkeypatch.setattr(exports, "DIRECT_LIMIT", 1)
    client = client_for(lurah_operator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/register/ekspor/", {"target": "officers", "format": "xlsx"})

    job = ExportJob.objects.get()
    assert response.url == f"/register/ekspor/{job.pk}/"
    assert (job.status, job.total_rows, job.processed_rows) == (ExportJob.Status.DONE, 2, 2)
    assert "/unduh/" in client.get(response.url).content.decode()
    download = client.get(f"/register/ekspor/{job.pk}/unduh/")
    rows = xlsx_rows(b"".join(download.streaming_content))  # type: ignore[attr-defined]
    assert sorted(column(rows, "Full name")) == ["Ketua 1", "Ketua 2"]
    assert client_for(camat_operator).get(f"/register/ekspor/{job.pk}/unduh/").status_code == 404

    exports.export_run(job.pk)  # a second run finds the job claimed
    assert AuditEvent.objects.filter(action="registry.officer.export").count() == 1


def test_a_running_export_is_polled(
    client_for: Callable[[User], Client], lurah_operator: User, officers: list[Officer]
) -> None:
    job = ExportJob.objects.create(target="officers", format="csv", created_by=lurah_operator, total_rows=2)

    partial = client_for(lurah_operator).get(f"/register/ekspor/{job.pk}/", headers={"HX-Request": "true"})

    assert 'hx-trigger="every 2s"' in partial.content.decode()
    assert client_for(lurah_operator).get(f"/register/ekspor/{job.pk}/unduh/").status_code == 404


def test_an_exported_officer_list_has_the_import_headers(
    client_for: Callable[[User], Client], lurah_operator: User, officers: list[Officer]
) -> None:
    from sinergi.registry.imports.columns import OFFICER_COLUMNS

    rows = xlsx_rows(
        client_for(lurah_operator).get("/register/ekspor/", {"target": "officers", "format": "xlsx"}).content
    )

    required = [str(c.header) for c in OFFICER_COLUMNS if c.required]
    assert set(required) <= set(rows[0])
