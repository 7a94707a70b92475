"""Injection attempts through the text and files users give Sinergi.

What the register's own tests already prove is not repeated here: uploads checked by content,
size and extension in ``document_add`` (``registry/tests/test_services.py``), the organisation
export's formula injection (``registry/tests/test_exports.py``), import files by type and size
(``registry/tests/test_imports.py``). This module adds the rest: HTML in every kind of text that
pages show, formulas in the person and officer exports and in the import problem report, and
crafted uploads through the API and the other upload paths (photos, change-request attachments).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import Territory, Units
from sinergi.accounts.models import User
from sinergi.core.tests.world import World, build_world
from sinergi.registry import services
from sinergi.registry.models import ActivityReport, ChangeRequest, Document, Officer
from sinergi.registry.tests.conftest import PDF, PNG, make_nik, make_person

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
FORMULAS = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://evil","x")', "+62 812", "-2+3", "@SUM(A1:A9)"]
API = "/api/v1/registry"


@pytest.fixture
def world(
    territory: Territory, units: Units, kesbangpol_admin: User, lurah_operator: User, settings, tmp_path
) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world(territory, units, kesbangpol_admin, lurah_operator)


def shown_as_text(html: str, text: str) -> bool:
    from django.utils.html import escape

    return text not in html and escape(text) in html


# HTML ----------------------------------------------------------------------------------------------


def test_html_in_an_organisation_is_shown_as_text_on_the_list_and_the_detail(
    world: World, lurah_operator: User, client_for: Callable[[User], Client]
) -> None:
    world.org.name = SCRIPT
    world.org.address = IMG
    world.org.field_of_activity = SCRIPT
    world.org.save(update_fields=["name", "address", "field_of_activity"])
    client = client_for(lurah_operator)

    listed = client.get(reverse("registry:list")).content.decode()
    detail = client.get(reverse("registry:detail", args=[world.org.pk])).content.decode()

    assert shown_as_text(listed, SCRIPT)
    assert shown_as_text(detail, SCRIPT)
    assert shown_as_text(detail, IMG)


def test_html_in_a_persons_name_is_shown_as_text_where_the_person_appears(
    world: World, lurah_operator: User, client_for: Callable[[User], Client]
) -> None:
    world.person.full_name = SCRIPT
    world.person.address = IMG
    world.person.save(update_fields=["full_name", "address"])
    client = client_for(lurah_operator)

    person = client.get(reverse("registry:person", args=[world.person.pk])).content.decode()
    organisation = client.get(reverse("registry:detail", args=[world.org.pk])).content.decode()

    assert shown_as_text(person, SCRIPT)
    assert shown_as_text(person, IMG)
    assert shown_as_text(organisation, SCRIPT)  # the officers' list


def test_html_in_a_proposed_change_is_shown_as_text_to_the_deciding_staff(
    world: World, lurah_operator: User, client_for: Callable[[User], Client]
) -> None:
    proposal = services.change_request_submit(
        by=world.rt_chair, organisation=world.org, kind="contact", payload={"address": SCRIPT}
    )

    page = client_for(lurah_operator).get(reverse("registry:request", args=[proposal.pk])).content.decode()

    assert shown_as_text(page, SCRIPT)


def test_html_in_an_uploaded_files_name_is_shown_as_text_and_not_in_the_download_header(
    world: World, kesbangpol_admin: User, client_for: Callable[[User], Client]
) -> None:
    name = 'a"><script>x</script>\r\nSet-Cookie: a=b.pdf'
    document = services.document_add(
        by=kesbangpol_admin, organisation=world.ormas, type="other", file=SimpleUploadedFile(name, PDF)
    )
    client = client_for(kesbangpol_admin)

    page = client.get(reverse("registry:detail", args=[world.ormas.pk])).content.decode()
    download = client.get(reverse("registry:document-file", args=[document.pk]))

    assert "<script>x</script>" not in page
    assert "Set-Cookie" not in download.headers
    assert "\n" not in download["Content-Disposition"]
    assert download["Content-Disposition"].startswith("attachment")


def test_html_in_an_audit_entry_is_shown_as_text(
    world: World, kesbangpol_admin: User, client_for: Callable[[User], Client]
) -> None:
    services.organisation_update(by=kesbangpol_admin, organisation=world.org, name=SCRIPT)
    client = client_for(kesbangpol_admin)
    from sinergi.audit.models import AuditEvent

    event = AuditEvent.objects.filter(action="registry.organisation.update").latest("id")

    assert shown_as_text(client.get(reverse("audit:list")).content.decode(), SCRIPT)
    assert shown_as_text(client.get(reverse("audit:detail", args=[event.pk])).content.decode(), SCRIPT)


# Spreadsheets --------------------------------------------------------------------------------------


def rows_of(response: Any, fmt: str) -> list[list[Any]]:
    if fmt == "csv":
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert all(cell.data_type != "f" for row in workbook.worksheets[0].iter_rows() for cell in row)
    return [[cell.value for cell in row] for row in workbook.worksheets[0].iter_rows()]


def no_cell_starts_a_formula(rows: list[list[Any]]) -> bool:
    return not any(isinstance(v, str) and v[:1] in ("=", "+", "-", "@") for row in rows for v in row)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("target", ["persons", "officers"])
def test_formulas_in_person_and_officer_exports_are_neutralised(
    world: World,
    territory: Territory,
    lurah_operator: User,
    client_for: Callable[[User], Client],
    target: str,
    fmt: str,
) -> None:
    for serial, text in enumerate(FORMULAS, start=20):
        person = make_person(text, make_nik(serial=serial), territory.kel_gambir, address=text, phone=text)
        Officer.objects.create(
            organisation=world.org,
            person=person,
            position="anggota",
            position_title=text,
            term_start="2024-01-01",
            term_end="2028-12-31",
        )

    rows = rows_of(client_for(lurah_operator).get(reverse("registry:export"), {"target": target, "format": fmt}), fmt)

    values = {v for row in rows[1:] for v in row}
    assert {"'" + text for text in FORMULAS} <= values
    assert no_cell_starts_a_formula(rows)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formulas_echoed_in_the_import_problem_report_are_neutralised(
    territory: Territory,
    lurah_operator: User,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
    fmt: str,
) -> None:
    header = "Full name,NIK," + ",".join(f'"{text}"' for text in FORMULAS)
    upload = SimpleUploadedFile("orang.csv", f"{header}\n{FORMULAS[0]},{make_nik()}\n".encode())
    client = client_for(lurah_operator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registry:imports"), {"target": "persons", "file": upload})
    from sinergi.registry.models import ImportJob

    job = ImportJob.objects.get()
    rows = rows_of(client.get(reverse("registry:import-report", args=[job.pk, fmt])), fmt)

    assert len(rows) > 1
    assert no_cell_starts_a_formula(rows)


# Uploads through the API and the other upload paths ------------------------------------------------


def test_a_crafted_file_name_through_the_api_is_stored_under_a_generated_name(
    world: World, kesbangpol_admin: User, api_client_for: Callable[[User], Client]
) -> None:
    upload = SimpleUploadedFile("../../etc/passwd.pdf", PDF, content_type="application/pdf")

    response = api_client_for(kesbangpol_admin).post(
        f"{API}/organisations/{world.ormas.pk}/documents", {"type": "other", "file": upload}
    )

    assert response.status_code == 201
    document = Document.objects.get(pk=response.json()["id"])
    assert document.file.name.startswith(f"registry/{world.ormas.pk}/")
    assert document.file.name.endswith(f"/{document.uuid}.pdf")
    assert ".." not in document.file.name
    assert document.original_name == "passwd.pdf"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("shell.pdf", b"<?php system($_GET['c']); ?>"),  # a PHP script renamed .pdf
        ("shell.php", PDF),  # a PDF under a script's name
        ("foto.png", b"GIF89a<?php ?>"),
        ("besar.pdf", PDF + b"0" * 2048),  # over the limit set below
    ],
)
def test_a_wrong_or_oversized_file_through_the_api_is_refused_and_nothing_is_kept(
    world: World, kesbangpol_admin: User, api_client_for: Callable[[User], Client], settings, name: str, content: bytes
) -> None:
    settings.REGISTRY_MAX_UPLOAD_BYTES = 1024
    before = Document.objects.count()

    response = api_client_for(kesbangpol_admin).post(
        f"{API}/organisations/{world.ormas.pk}/documents", {"type": "other", "file": SimpleUploadedFile(name, content)}
    )

    assert response.status_code == 422
    assert "file" in response.json()["errors"]
    assert Document.objects.count() == before
    assert not list((settings.MEDIA_ROOT / "registry" / str(world.ormas.pk)).glob("*.php"))


def test_a_pdf_that_also_holds_a_script_is_served_as_a_pdf_download_only(
    world: World, kesbangpol_admin: User, api_client_for: Callable[[User], Client]
) -> None:
    client = api_client_for(kesbangpol_admin)
    polyglot = SimpleUploadedFile("surat.pdf", PDF + b"<?php system($_GET['c']); ?><script>alert(1)</script>")

    created = client.post(f"{API}/organisations/{world.ormas.pk}/documents", {"type": "other", "file": polyglot})
    download = client.get(created.json()["download_url"])

    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"


def test_crafted_names_of_photos_and_attachments_are_replaced_by_generated_ones(
    world: World, api_client_for: Callable[[User], Client]
) -> None:
    client = api_client_for(world.rt_chair)

    report = client.post(
        f"{API}/organisations/{world.org.pk}/activity-reports",
        {
            "held_on": "2025-01-01",
            "kind": "meeting",
            "title": "Rapat",
            "place": "Balai",
            "participants": 3,
            "photos": [SimpleUploadedFile("../../../../tmp/x.png", PNG)],
        },
    )
    proposal = client.post(
        f"{API}/organisations/{world.org.pk}/change-requests",
        {
            "kind": "contact",
            "payload": '{"phone": "081234567890"}',
            "attachment": SimpleUploadedFile("..\\..\\web.config.pdf", PDF),
        },
    )

    assert (report.status_code, proposal.status_code) == (201, 201)
    photo = ActivityReport.objects.get(pk=report.json()["id"]).photos.get()
    attachment = ChangeRequest.objects.get(pk=proposal.json()["id"]).attachment
    for stored in (photo.image.name, attachment.name):
        assert ".." not in stored
        assert "x.png" not in stored
        assert "web.config" not in stored


def test_a_photo_that_is_not_an_image_is_refused_through_the_api(
    world: World, api_client_for: Callable[[User], Client]
) -> None:
    response = api_client_for(world.rt_chair).post(
        f"{API}/organisations/{world.org.pk}/activity-reports",
        {
            "held_on": "2025-01-01",
            "kind": "meeting",
            "title": "Rapat",
            "place": "Balai",
            "participants": 3,
            "photos": [SimpleUploadedFile("foto.png", b"<svg onload=alert(1)>")],
        },
    )

    assert response.status_code == 422
    assert not ActivityReport.objects.filter(title="Rapat", place="Balai", participants=3).exists()
