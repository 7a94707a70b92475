"""Imports from Excel and CSV: the dry run's report, the two modes, scope, and tasks that run twice."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Sequence
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from conftest import Territory
from sinergi.accounts.models import User
from sinergi.audit.models import AuditEvent
from sinergi.registry import imports
from sinergi.registry.imports.columns import COLUMNS
from sinergi.registry.models import ImportJob, Officer, Organisation, OrganisationKind, OrmasProfile, Person
from sinergi.registry.nik import decrypt_nik, nik_hash
from sinergi.registry.tests.conftest import make_nik, make_person, rt_of

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
PERSON_HEADERS = ["Full name", "NIK", "Sex", "Date of birth", "Kelurahan code", "RW number", "RT number"]
OFFICER_HEADERS = ["Organisation", "NIK", "Position", "Term start", "Term end", "No-party statement signed"]


@pytest.fixture(autouse=True)
def english(settings: Any) -> Any:
    """Messages are asserted in English, whatever translations the site has."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def xlsx(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("data.xlsx", out.getvalue())


def csv_file(headers: Sequence[str], rows: Sequence[Sequence[Any]], delimiter: str = ",") -> SimpleUploadedFile:
    lines = [delimiter.join(headers)] + [delimiter.join(str(v) for v in row) for row in rows]
    return SimpleUploadedFile("data.csv", ("\n".join(lines) + "\n").encode())


@pytest.fixture
def checked(django_capture_on_commit_callbacks: Any) -> Callable[..., ImportJob]:
    """``checked(user, target, file)``: upload through the service and run the dry-run task."""

    def upload(user: User, target: str, file: SimpleUploadedFile) -> ImportJob:
        with django_capture_on_commit_callbacks(execute=True):
            job = imports.import_job_create(by=user, target=target, file=file)
        job.refresh_from_db()
        return job

    return upload


@pytest.fixture
def started(django_capture_on_commit_callbacks: Any) -> Callable[[ImportJob, str], ImportJob]:
    def start(job: ImportJob, mode: str) -> ImportJob:
        with django_capture_on_commit_callbacks(execute=True):
            imports.import_job_start(by=job.created_by, job=job, mode=mode)
        job.refresh_from_db()
        return job

    return start


def problems(job: ImportJob) -> set[tuple[int, str, str]]:
    """(line, column letter, message) of every error (not warnings)."""
    return {(p["line"], p["column"], p["message"]) for p in job.errors if not p["warning"]}


def lines(job: ImportJob) -> set[int]:
    return {p["line"] for p in job.errors if not p["warning"]}


# Templates ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ImportJob.Target.values)
def test_the_excel_template_has_headers_an_example_and_a_guide(
    client_for: Callable[[User], Client], lurah_operator: User, kinds: Any, target: str
) -> None:
    response = client_for(lurah_operator).get(f"/register/impor/templat/{target}.xlsx")

    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    data, guide = workbook.worksheets
    headers = [cell.value for cell in data[1]]
    assert headers[0].endswith(" *")
    assert len(headers) == len(COLUMNS[target])
    assert data[1][0].comment is not None  # the hint
    assert data[2][0].font.italic  # the example row
    guide_text = " ".join(str(c.value) for row in guide.iter_rows() for c in row if c.value)
    assert "Row 2 is an example" in guide_text
    if target == "organisations":
        assert "karang_taruna" in guide_text


def test_an_unchanged_template_imports_no_rows(
    client_for: Callable[[User], Client], lurah_operator: User, kinds: Any, checked: Callable[..., ImportJob]
) -> None:
    content = client_for(lurah_operator).get("/register/impor/templat/persons.csv").content

    job = checked(lurah_operator, "persons", SimpleUploadedFile("t.csv", content))

    assert job.status == ImportJob.Status.FAILED
    assert "The file has no rows." in {p["message"] for p in job.errors}


# The dry run ----------------------------------------------------------------------------------------


def test_the_dry_run_names_every_bad_row_with_its_line_column_and_reason(
    lurah_operator: User, territory: Territory, checked: Callable[..., ImportJob]
) -> None:
    good = make_nik(serial=1)
    duplicate = make_nik(serial=2)
    file = xlsx(
        PERSON_HEADERS,
        [
            ["Siti Aminah", good, "", "", "31.71.01.1001", 1, 2],  # 2: good
            ["Budi", "31710112345", "", "", "", None, None],  # 3: NIK too short
            ["Citra", "3171013213800001", "", "", "", None, None],  # 4: month 13
            ["Dedi", duplicate, "", "", "", None, None],  # 5: good
            ["Dedi Lagi", duplicate, "", "", "", None, None],  # 6: same NIK as line 5
            ["", make_nik(serial=3), "", "", "", None, None],  # 7: no name
            ["Eka", make_nik(serial=4), "", "31/02/1980", "", None, None],  # 8: not a date
            ["Fajar", make_nik(serial=5), "P", "", "", None, None],  # 9: the NIK is a man's
            ["Gita", make_nik(serial=6), "", "", "31.71.02.1001", None, None],  # 10: another kelurahan
            ["Hadi", make_nik(serial=7), "", "", "31.71.01.9999", None, None],  # 11: no such region
            ["Indah", make_nik(serial=8), "", "", "31.71.01.1001", 1, 9],  # 12: no such RT
        ],
    )

    job = checked(lurah_operator, "persons", file)

    assert job.status == ImportJob.Status.CHECKED
    assert (job.total_rows, job.bad_rows) == (11, 9)
    found = problems(job)
    assert (3, "B", "A NIK has 16 digits; this one has 11 characters.") in found
    assert any(line == 4 and col == "B" and "date of birth" in msg for line, col, msg in found)
    assert (6, "B", "Line 5 has the same NIK.") in found
    assert (7, "A", "This column is required.") in found
    assert (8, "D", "Enter a date as DD/MM/YYYY or YYYY-MM-DD.") in found
    assert (9, "C", "The NIK belongs to a person of the other sex.") in found
    assert (10, "E", "You may not register persons here.") in found
    assert (11, "E", "There is no region with the code 31.71.01.9999.") in found
    assert any(line == 12 and col == "G" for line, col, _msg in found)
    assert lines(job) == {3, 4, 6, 7, 8, 9, 10, 11, 12}
    assert {p["header"] for p in job.errors if p["line"] == 3} == {"NIK"}
    assert not Person.objects.exists()


def test_a_csv_with_semicolons_and_any_column_order_is_read(
    lurah_operator: User, territory: Territory, checked: Callable[..., ImportJob]
) -> None:
    file = csv_file(["nik", "Full name *"], [[make_nik(serial=1), "Siti"], ["123", "Budi"]], delimiter=";")

    job = checked(lurah_operator, "persons", file)

    assert job.status == ImportJob.Status.CHECKED
    assert (job.total_rows, job.bad_rows) == (2, 1)
    assert lines(job) == {3}
    assert {p["column"] for p in job.errors if not p["warning"]} == {"A"}


def test_a_misspelt_column_is_reported_not_silently_dropped(
    lurah_operator: User, territory: Territory, checked: Callable[..., ImportJob]
) -> None:
    job = checked(lurah_operator, "persons", xlsx(["Full name", "NIK", "Dat of birth"], [["Siti", make_nik()]]))

    [warning] = job.errors
    assert warning["warning"]
    assert warning["message"] == "These columns are not part of this import and were ignored: Dat of birth."


def test_a_file_without_a_required_column_is_refused_as_a_whole(
    lurah_operator: User, territory: Territory, checked: Callable[..., ImportJob]
) -> None:
    job = checked(lurah_operator, "persons", xlsx(["Full name"], [["Siti"]]))

    assert job.status == ImportJob.Status.FAILED
    [problem] = job.errors
    assert problem["line"] == 1
    assert "NIK" in problem["message"]


def test_officer_rows_are_checked_against_the_register_and_each_other(
    lurah_operator: User,
    kinds: dict[str, OrganisationKind],
    territory: Territory,
    rt_org: Organisation,
    other_rt_org: Organisation,
    outsider_rt_org: Organisation,
    person_factory: Callable[..., Person],
    checked: Callable[..., ImportJob],
) -> None:
    veteran = person_factory("Pak Veteran", serial=1)
    for start in (datetime.date(2014, 1, 1), datetime.date(2019, 1, 1)):
        Officer.objects.create(
            person=veteran,
            organisation=rt_org,
            position="ketua",
            term_start=start,
            term_end=start.replace(year=start.year + 5) - datetime.timedelta(days=1),
            no_party_statement=True,
        )
    busy = person_factory("Bu Sibuk", serial=2)
    Officer.objects.create(
        person=busy,
        organisation=rt_org,
        position="sekretaris",
        term_start=datetime.date(2022, 1, 1),
        term_end=datetime.date(2026, 12, 31),
        no_party_statement=True,
    )
    twice = person_factory("Pak Dua Kali", serial=3)
    fresh = person_factory("Bu Baru", serial=4)
    stranger = make_nik(serial=99)
    start = "01/01/2024"
    file = xlsx(
        OFFICER_HEADERS,
        [
            [rt_org.pk, veteran_nik(veteran), "ketua", start, "", "ya"],  # 2: a third term
            [other_rt_org.pk, busy_nik(busy), "bendahara", "01/06/2024", "", "ya"],  # 3: posts in two RTs
            [other_rt_org.pk, twice_nik(twice), "ketua", start, "", "ya"],  # 4: good
            [other_rt_org.pk, fresh_nik(fresh), "ketua", start, "", "ya"],  # 5: the chair is taken on line 4
            [outsider_rt_org.pk, fresh_nik(fresh), "anggota", start, "", "ya"],  # 6: another kelurahan
            [rt_org.pk, stranger, "anggota", start, "", "ya"],  # 7: not registered
            [999999, fresh_nik(fresh), "anggota", start, "", "ya"],  # 8: no such organisation
            [other_rt_org.pk, fresh_nik(fresh), "presiden", start, "", "ya"],  # 9: no such position
            [other_rt_org.pk, fresh_nik(fresh), "anggota", start, "01/01/2035", "ya"],  # 10: term too long
            [rt_org.pk, twice_nik(twice), "anggota", start, "", "tidak"],  # 11: a post in two RTs, in the file
        ],
    )

    job = checked(lurah_operator, "officers", file)

    found = problems(job)
    assert job.status == ImportJob.Status.CHECKED
    assert lines(job) == {2, 3, 5, 6, 7, 8, 9, 10, 11}
    assert any(line == 2 and col == "C" and "term 3 in a row" in msg for line, col, msg in found)
    assert any(line == 3 and col == "B" and "two lembaga" in msg for line, col, msg in found)
    assert any(line == 5 and col == "C" and "Pak Dua Kali already holds" in msg for line, col, msg in found)
    assert any(line == 6 and col == "A" and "No organisation in your area" in msg for line, col, msg in found)
    assert (7, "B", "No person with this NIK is registered; import the persons first.") in found
    assert any(line == 8 and col == "A" for line, col, _msg in found)
    assert (9, "C", "“presiden” is not one of the allowed values.") in found
    assert any(line == 10 and col == "E" and "lasts 5 years" in msg for line, col, msg in found)
    assert any(line == 11 and col == "B" and "two lembaga" in msg for line, col, msg in found)
    # A missing no-party statement is only a warning for an RT (the kind's setting).
    assert any(p["line"] == 11 and p["warning"] and p["column"] == "F" for p in job.errors)
    assert Officer.objects.count() == 3


def veteran_nik(person: Person) -> str:
    return decrypt_nik(person.nik_encrypted)


busy_nik = twice_nik = fresh_nik = veteran_nik


# Writing ----------------------------------------------------------------------------------------------


def _persons_file(bad_line_4: bool) -> SimpleUploadedFile:
    return xlsx(
        PERSON_HEADERS,
        [
            ["Siti Aminah", make_nik(serial=1), "", "", "31.71.01.1001", 1, 1],
            ["Budi Santoso", make_nik(serial=2), "L", "17/05/1980", "31.71.01.1001", "", ""],
            ["Citra Lestari", "123" if bad_line_4 else make_nik(serial=3, female=True), "", "", "", "", ""],
            ["Dedi Kurniawan", make_nik(serial=4), "", "", "", "", ""],
        ],
    )


def test_all_or_nothing_writes_nothing_when_one_row_is_bad(
    lurah_operator: User,
    territory: Territory,
    checked: Callable[..., ImportJob],
    started: Callable[[ImportJob, str], ImportJob],
) -> None:
    job = checked(lurah_operator, "persons", _persons_file(bad_line_4=True))

    job = started(job, ImportJob.Mode.ALL_OR_NOTHING)

    assert job.status == ImportJob.Status.FAILED
    assert (job.written_rows, job.bad_rows) == (0, 1)
    assert lines(job) == {4}
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(action="registry.person.import").exists()


def test_all_or_nothing_writes_every_row_of_a_good_file_with_one_audit_event_per_batch(
    lurah_operator: User,
    territory: Territory,
    checked: Callable[..., ImportJob],
    started: Callable[[ImportJob, str], ImportJob],
) -> None:
    job = started(checked(lurah_operator, "persons", _persons_file(bad_line_4=False)), ImportJob.Mode.ALL_OR_NOTHING)

    assert job.status == ImportJob.Status.DONE
    assert job.written_rows == 4
    assert not job.file  # the uploaded NIKs are not kept once the import has ended
    siti = Person.objects.get(nik_hash=nik_hash(make_nik(serial=1)))
    assert (siti.region, siti.rt) == (territory.kel_gambir, rt_of(territory.kel_gambir, 1, 1))
    assert decrypt_nik(siti.nik_encrypted) == make_nik(serial=1)
    assert siti.nik_masked == "3171••••••••0001"
    assert Person.objects.get(full_name="Citra Lestari").sex == Person.Sex.FEMALE
    [event] = AuditEvent.objects.filter(action="registry.person.import")
    assert sorted(event.changes["created"]["ids"]) == sorted(Person.objects.values_list("pk", flat=True))
    assert event.actor == lurah_operator
    assert make_nik(serial=1) not in str(event.changes)


def test_good_rows_mode_writes_exactly_the_good_rows(
    lurah_operator: User,
    territory: Territory,
    checked: Callable[..., ImportJob],
    started: Callable[[ImportJob, str], ImportJob],
) -> None:
    job = checked(lurah_operator, "persons", _persons_file(bad_line_4=True))

    job = started(job, ImportJob.Mode.GOOD_ROWS)

    assert job.status == ImportJob.Status.DONE
    assert (job.written_rows, job.bad_rows) == (3, 1)
    assert set(Person.objects.values_list("full_name", flat=True)) == {"Siti Aminah", "Budi Santoso", "Dedi Kurniawan"}


def test_rows_that_went_bad_since_the_dry_run_are_not_written(
    lurah_operator: User,
    territory: Territory,
    checked: Callable[..., ImportJob],
    started: Callable[[ImportJob, str], ImportJob],
) -> None:
    job = checked(lurah_operator, "persons", _persons_file(bad_line_4=False))
    make_person("Registered Meanwhile", make_nik(serial=2))

    job = started(job, ImportJob.Mode.GOOD_ROWS)

    assert (job.written_rows, job.bad_rows) == (3, 1)
    assert (3, "B", "A person with this NIK is already registered.") in problems(job)


def test_organisations_are_placed_by_code_and_rw_rt_numbers(
    lurah_operator: User,
    city_admin: User,
    kinds: dict[str, OrganisationKind],
    territory: Territory,
    checked: Callable[..., ImportJob],
    started: Callable[[ImportJob, str], ImportJob],
) -> None:
    headers = ["Kind code", "Name", "Region code", "RW number", "RT number", "Legal form (Ormas)"]
    headers += ["Registration number (AHU or SKT)", "Registration issued on"]
    rows = [
        ["rt", "RT 003/RW 001", "3171011001", 1, 3, "", "", ""],
        ["rw", "RW 002", "31.71.01.1001", 2, "", "", "", ""],
        ["ormas", "Ikatan Contoh", "31.71.01", "", "", "skt", "SKT-1", "10/06/2021"],
        ["lmk", "LMK Gambir", "31.71.01", "", "", "", "", ""],  # an LMK sits in a kelurahan
        ["rt", "RT 003/RW 001 lagi", "31.71.01.1001", 1, 3, "", "", ""],  # the same RT again
        ["rt", "RT 001/RW 001", "31.71.02.1001", 1, 1, "", "", ""],  # Pasar Baru: not the lurah's
        ["posyandu", "Posyandu Mawar", "31.71.01.1001", "", "", "skt", "", ""],  # not an Ormas
        ["partai", "Partai", "31.71.01", "", "", "", "", ""],  # no such kind
    ]

    job = checked(city_admin, "organisations", xlsx(headers, rows))
    assert lines(job) == {5, 6, 8, 9}
    job = checked(lurah_operator, "organisations", xlsx(headers, rows))
    assert lines(job) == {4, 5, 6, 7, 8, 9}
    assert any(p["line"] == 7 and "You may not register organisations in" in p["message"] for p in job.errors)
    assert (8, "F", "Only an Ormas has a legal record, coaching and sanctions.") in problems(job)

    job = started(checked(city_admin, "organisations", xlsx(headers, rows[:3])), ImportJob.Mode.ALL_OR_NOTHING)

    assert job.status == ImportJob.Status.DONE
    rt = Organisation.objects.get(name="RT 003/RW 001")
    assert (rt.region, rt.rt) == (territory.kel_gambir, rt_of(territory.kel_gambir, 1, 3))
    assert Organisation.objects.get(name="RW 002").rw.number == 2
    profile = OrmasProfile.objects.get(organisation__name="Ikatan Contoh")
    assert profile.registration_expires_on == datetime.date(2026, 6, 10)
    [event] = AuditEvent.objects.filter(action="registry.organisation.import")
    assert event.region_code == "31.71.01"
    assert event.changes["ormas_records"]["count"] == 1


def test_officers_import_refers_to_organisations_by_id_or_registration_number(
    city_admin: User,
    kinds: dict[str, OrganisationKind],
    territory: Territory,
    ormas_org: Organisation,
    person_factory: Callable[..., Person],
    checked: Callable[..., ImportJob],
    started: Callable[[ImportJob, str], ImportJob],
) -> None:
    OrmasProfile.objects.create(organisation=ormas_org, legal_form="skt", registration_number="SKT/2021/7")
    chair, secretary = person_factory("Ketua Ormas", serial=1), person_factory("Sekretaris Ormas", serial=2)
    file = csv_file(
        ["Organisation", "NIK", "Position", "Term start", "Name (to check)"],
        [
            ["SKT/2021/7", veteran_nik(chair), "Ketua", "2024-01-01", "Ketua Ormas"],
            [ormas_org.pk, veteran_nik(secretary), "sekretaris", "2024-01-01", "Someone Else"],
        ],
    )

    job = started(checked(city_admin, "officers", file), ImportJob.Mode.ALL_OR_NOTHING)

    assert job.status == ImportJob.Status.DONE
    assert set(ormas_org.officers.values_list("person__full_name", "position")) == {
        ("Ketua Ormas", "ketua"),
        ("Sekretaris Ormas", "sekretaris"),
    }
    assert ormas_org.officers.get(position="ketua").term_end == datetime.date(2028, 12, 31)
    assert [p["line"] for p in job.errors if p["warning"]] == [3]  # the name does not match the NIK
    [event] = AuditEvent.objects.filter(action="registry.officer.import")
    assert event.changes["created"]["count"] == 2


# Scope and permissions --------------------------------------------------------------------------------


def test_nobody_imports_into_another_territory(
    outsider_operator: User,
    rt_org: Organisation,
    person_factory: Callable[..., Person],
    checked: Callable[..., ImportJob],
    started: Callable[[ImportJob, str], ImportJob],
) -> None:
    person = person_factory("Warga Gambir", serial=1)
    file = xlsx(OFFICER_HEADERS, [[rt_org.pk, veteran_nik(person), "anggota", "01/01/2024", "", "ya"]])

    job = started(checked(outsider_operator, "officers", file), ImportJob.Mode.GOOD_ROWS)

    assert job.written_rows == 0
    assert lines(job) == {2}
    assert not Officer.objects.exists()


def test_the_bulk_services_refuse_rows_outside_the_users_territory(
    outsider_operator: User, lurah_operator: User, rt_org: Organisation, person_factory: Callable[..., Person]
) -> None:
    from sinergi.registry.imports.checks import OfficerChecker, Row

    person = person_factory("Warga Gambir", serial=1)
    [row] = OfficerChecker(by=lurah_operator).check(
        [
            Row(
                2,
                {
                    "organisation": str(rt_org.pk),
                    "nik": veteran_nik(person),
                    "position": "anggota",
                    "term_start": TODAY,
                },
            )
        ]
    )
    assert row.draft is not None

    with pytest.raises(PermissionDenied):
        imports.officers_import(by=outsider_operator, rows=[row.draft])


def test_viewers_and_representatives_cannot_import(
    client_for: Callable[[User], Client], city_viewer: User, rt_chair: User
) -> None:
    for user in (city_viewer, rt_chair):
        assert client_for(user).get("/register/impor/").status_code == 403
        with pytest.raises(PermissionDenied):
            imports.import_job_create(by=user, target="persons", file=_persons_file(bad_line_4=False))


def test_a_job_is_seen_only_by_who_uploaded_it(
    client_for: Callable[[User], Client],
    lurah_operator: User,
    camat_operator: User,
    territory: Territory,
    checked: Callable[..., ImportJob],
) -> None:
    job = checked(lurah_operator, "persons", _persons_file(bad_line_4=True))

    assert client_for(camat_operator).get(f"/register/impor/{job.pk}/").status_code == 404
    assert client_for(camat_operator).post(f"/register/impor/{job.pk}/mulai/", {"mode": "good"}).status_code == 404
    assert client_for(camat_operator).get(f"/register/impor/{job.pk}/masalah.csv").status_code == 404


# Uploads and tasks ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("data.txt", b"a,b\n", "Upload an Excel workbook (.xlsx) or a CSV file (.csv)."),
        ("data.xlsx", b"not a zip at all", "This file is not an Excel workbook (.xlsx)."),
        ("data.csv", b"PK\x03\x04binary\x00", "This file is not a CSV text file."),
        ("data.csv", b"", "The submitted file is empty."),
    ],
)
def test_the_upload_is_checked_for_type(
    client_for: Callable[[User], Client], lurah_operator: User, name: str, content: bytes, message: str
) -> None:
    response = client_for(lurah_operator).post(
        "/register/impor/", {"target": "persons", "file": SimpleUploadedFile(name, content)}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_upload_is_checked_for_size(client_for: Callable[[User], Client], lurah_operator: User, settings) -> None:
    settings.REGISTRY_MAX_IMPORT_BYTES = 100
    response = client_for(lurah_operator).post(
        "/register/impor/", {"target": "persons", "file": SimpleUploadedFile("big.csv", b"x" * 101)}
    )

    assert "at most 100" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_tasks_run_twice_import_once(
    lurah_operator: User,
    territory: Territory,
    checked: Callable[..., ImportJob],
    started: Callable[[ImportJob, str], ImportJob],
) -> None:
    from sinergi.registry import import_tasks

    job = checked(lurah_operator, "persons", _persons_file(bad_line_4=True))
    import_tasks.import_check.call(job.pk, "en")
    job = started(job, ImportJob.Mode.GOOD_ROWS)

    import_tasks.import_run.call(job.pk, "en")
    imports.import_run(job.pk)

    job.refresh_from_db()
    assert (job.status, job.total_rows, job.written_rows) == (ImportJob.Status.DONE, 4, 3)
    assert Person.objects.count() == 3
    assert AuditEvent.objects.filter(action="registry.person.import").count() == 1


def test_an_interrupted_good_rows_import_resumes_after_the_written_batches(
    lurah_operator: User, territory: Territory, checked: Callable[..., ImportJob], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "BATCH_SIZE", 2)
    job = checked(lurah_operator, "persons", _persons_file(bad_line_4=False))
    # As if a first run wrote the first batch (lines 2 and 3) and then the worker died.
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.IMPORTING, mode="good", processed_rows=2)
    make_person("Siti Aminah", make_nik(serial=1))
    make_person("Budi Santoso", make_nik(serial=2))

    imports.import_run(job.pk)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert (job.written_rows, job.bad_rows) == (2, 0)
    assert Person.objects.count() == 4


# Pages -------------------------------------------------------------------------------------------------


def test_the_page_shows_progress_then_the_report_and_imports_the_chosen_rows(
    client_for: Callable[[User], Client],
    lurah_operator: User,
    territory: Territory,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(lurah_operator)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post("/register/impor/", {"target": "persons", "file": _persons_file(bad_line_4=True)})
    job = ImportJob.objects.get()
    assert response.url == f"/register/impor/{job.pk}/"
    waiting = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in waiting
    assert "<html" not in waiting

    imports.import_check(job.pk)
    page = client.get(response.url).content.decode()
    assert 'hx-trigger="every 2s"' not in page
    assert "1 of 4 rows has a problem." in page
    assert "A NIK has 16 digits; this one has 3 characters." in page
    report = client.get(f"/register/impor/{job.pk}/masalah.csv").content.decode("utf-8-sig")
    assert "4,B,NIK,A NIK has 16 digits" in report

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/register/impor/{job.pk}/mulai/", {"mode": "good"})
    assert Person.objects.count() == 3
    assert "3 rows written." in client.get(response.url).content.decode()


def test_files_left_for_a_week_are_deleted(
    lurah_operator: User, territory: Territory, checked: Callable[..., ImportJob]
) -> None:
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from sinergi.privacy import tasks as privacy_tasks
    from sinergi.registry.models import ExportJob

    job = checked(lurah_operator, "persons", _persons_file(bad_line_4=False))
    export = ExportJob.objects.create(target="persons", format="csv", created_by=lurah_operator, status="done")
    export.file.save("x.csv", ContentFile(b"nik"))
    week_ago = timezone.now() - datetime.timedelta(days=8)
    ImportJob.objects.filter(pk=job.pk).update(created_at=week_ago)
    ExportJob.objects.filter(pk=export.pk).update(finished_at=week_ago)
    fresh = checked(lurah_operator, "persons", _persons_file(bad_line_4=False))

    # The daily retention task deletes them ("registry.io_files" in SINERGI_RETENTION_DAYS).
    privacy_tasks.apply_retention.call()
    privacy_tasks.apply_retention.call()

    job.refresh_from_db()
    export.refresh_from_db()
    fresh.refresh_from_db()
    assert (job.status, bool(job.file), bool(export.file)) == (ImportJob.Status.FAILED, False, False)
    assert "deleted unused after a week" in job.errors[-1]["message"]
    assert (fresh.status, bool(fresh.file)) == (ImportJob.Status.CHECKED, True)
