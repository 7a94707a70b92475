"""Imports of organisations, persons and officers from Excel or CSV.

An upload becomes an ``ImportJob``. A task checks it (the dry run): every row is parsed, streamed
from the file, and checked by the rules the services apply, and every bad row is reported with its
line, column and reason. The user then chooses: all rows or none (nothing is written when a row is
bad; the whole file is one transaction), or only the good rows (written batch by batch, one
transaction each). The import checks the rows again as it writes, so what changed in the register
since the dry run counts too.

The writes go through the bulk services below, which ``bulk_create`` whole batches. For speed they
write one audit event per batch listing what was created, not one event per object.
"""

from __future__ import annotations

import contextlib
import datetime
import itertools
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sinergi.accounts.models import Role
from sinergi.audit.services import record
from sinergi.registry import nik as nik_tools
from sinergi.registry import permissions
from sinergi.registry.imports.checks import CHECKERS, OfficerDraft, OrganisationDraft, PersonDraft
from sinergi.registry.imports.columns import COLUMNS, template
from sinergi.registry.imports.rows import Row, Sheet
from sinergi.registry.models import ImportJob, Officer, Organisation, OrmasProfile, Person
from sinergi.registry.spreadsheets import FileProblem, open_table, sniff_format

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from sinergi.accounts.models import User

__all__ = [
    "COLUMNS",
    "can_import",
    "import_check",
    "import_job_create",
    "import_job_start",
    "import_run",
    "officers_import",
    "organisations_import",
    "persons_import",
    "template",
]

BATCH_SIZE = 500


def can_import(user: User) -> bool:
    """Staff who write somewhere: each row is then checked against the territory it names."""
    return user.is_authenticated and (
        user.is_superuser or any(role.kind in Role.WRITE_KINDS for role in user.active_roles())
    )


def _common_code(codes: Sequence[str]) -> str:
    """The deepest region code containing all of ``codes``: where a batch's audit event belongs."""
    parts = [code.split(".") for code in codes if code]
    if not parts:
        return ""
    common = []
    for segment in zip(*parts, strict=False):
        if len(set(segment)) != 1:
            break
        common.append(segment[0])
    return ".".join(common)


# --- bulk services -------------------------------------------------------------------------------


@transaction.atomic
def organisations_import(*, by: User, rows: Sequence[OrganisationDraft], source: str = "") -> list[Organisation]:
    """Register checked organisations, and the legal records of the Ormas among them, in bulk.

    ``rows`` come from ``OrganisationChecker``, which placed each organisation and checked it with
    the rules of ``organisation_create`` and ``ormas_profile_save``. Per-object audit events are not
    written for bulk imports: one ``registry.organisation.import`` event lists the ids created.
    """
    if not rows:
        return []
    for draft in rows:
        if not by.can_write(draft.organisation.region):
            raise PermissionDenied(
                _("You may not register organisations in %(region)s.") % {"region": draft.organisation.region}
            )
    now = timezone.now()
    organisations = [draft.organisation for draft in rows]
    for organisation in organisations:
        organisation.created_at = organisation.updated_at = now
    Organisation.objects.bulk_create(organisations)
    profiles = [draft.ormas for draft in rows if draft.ormas is not None]
    OrmasProfile.objects.bulk_create(profiles)
    record(
        action="registry.organisation.import",
        object_type="registry.organisation",
        object_repr=_("%(count)d organisations imported") % {"count": len(organisations)},
        actor=by,
        region_code=_common_code([o.region.code for o in organisations]),
        changes={
            "source": source,
            "created": {"count": len(organisations), "ids": [o.pk for o in organisations]},
            "ormas_records": {"count": len(profiles), "ids": [p.pk for p in profiles]},
        },
    )
    return organisations


@transaction.atomic
def persons_import(*, by: User, rows: Sequence[PersonDraft], source: str = "") -> list[Person]:
    """Register checked persons in bulk, each NIK encrypted, hashed and masked as ``person_create`` does.

    ``rows`` come from ``PersonChecker`` (NIK validity and uniqueness, sex and date of birth from the
    NIK, domicile). Per-object audit events are not written for bulk imports: one
    ``registry.person.import`` event lists the ids created; no NIK reaches it.
    """
    if not rows:
        return []
    for draft in rows:
        if not permissions.can_register_person(by, draft.person.region):
            raise PermissionDenied(_("You may not register persons here."))
    now = timezone.now()
    persons = []
    for draft in rows:
        person = draft.person
        person.nik_encrypted = nik_tools.encrypt_nik(draft.nik)
        person.created_at = person.updated_at = now
        persons.append(person)
    Person.objects.bulk_create(persons)
    record(
        action="registry.person.import",
        object_type="registry.person",
        object_repr=_("%(count)d persons imported") % {"count": len(persons)},
        actor=by,
        region_code=_common_code([p.region.code if p.region else by.home_region_code() for p in persons]),
        changes={"source": source, "created": {"count": len(persons), "ids": [p.pk for p in persons]}},
    )
    return persons


@transaction.atomic
def officers_import(*, by: User, rows: Sequence[OfficerDraft], source: str = "") -> list[Officer]:
    """Appoint checked officers in bulk.

    ``rows`` come from ``OfficerChecker``, which applied the rules of ``officer_appoint`` to each row
    against the register and the rows before it (``rules.appointment_term`` and ``rules.PostBook``).
    Per-object audit events are not written for bulk imports: one ``registry.officer.import`` event
    lists the ids created and the warnings given.
    """
    if not rows:
        return []
    for draft in rows:
        if not permissions.can_edit(by, draft.officer.organisation):
            raise PermissionDenied(
                _("You may not change %(organisation)s.") % {"organisation": draft.officer.organisation}
            )
    now = timezone.now()
    officers = [draft.officer for draft in rows]
    for officer in officers:
        officer.created_at = now
    Officer.objects.bulk_create(officers)
    warnings = {str(draft.officer.pk): draft.warnings for draft in rows if draft.warnings}
    record(
        action="registry.officer.import",
        object_type="registry.officer",
        object_repr=_("%(count)d officers imported") % {"count": len(officers)},
        actor=by,
        region_code=_common_code([o.organisation.region.code for o in officers]),
        changes={
            "source": source,
            "created": {"count": len(officers), "ids": [o.pk for o in officers]},
            **({"warnings": warnings} if warnings else {}),
        },
    )
    return officers


WRITERS: dict[str, Callable[..., Sequence[Any]]] = {
    ImportJob.Target.ORGANISATIONS: organisations_import,
    ImportJob.Target.PERSONS: persons_import,
    ImportJob.Target.OFFICERS: officers_import,
}


# --- jobs ----------------------------------------------------------------------------------------


@transaction.atomic
def import_job_create(*, by: User, target: str, file: UploadedFile) -> ImportJob:
    """Keep an uploaded Excel or CSV file as an import job and start its dry run after the commit.

    The file must be .xlsx (by content too) or .csv text, at most ``REGISTRY_MAX_IMPORT_BYTES``
    (default 20 MB); it is stored under a name the uploader does not choose, and deleted when the
    import has ended.
    """
    if not can_import(by):
        raise PermissionDenied(_("You may not import into the register."))
    if target not in ImportJob.Target.values:
        raise ValidationError({"target": _("Choose what to import.")})
    name = PurePath(file.name or "").name
    limit = settings.REGISTRY_MAX_IMPORT_BYTES
    size = file.size or 0
    if size == 0:
        raise ValidationError({"file": _("The file %(name)s is empty.") % {"name": name}})
    if size > limit:
        raise ValidationError(
            {
                "file": _("The file %(name)s is %(size)s; at most %(max)s is allowed.")
                % {"name": name, "size": filesizeformat(size), "max": filesizeformat(limit)}
            }
        )
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    try:
        fmt = sniff_format(head, name)
    except FileProblem as exc:
        raise ValidationError({"file": str(exc)}) from None
    job = ImportJob(target=target, original_name=name[:255], created_by=by)
    job.file.save(f"{uuid.uuid4().hex}.{fmt}", file, save=False)
    job.save()
    record(
        action="registry.import.upload",
        obj=job,
        actor=by,
        region_code=by.home_region_code(),
        changes={"target": target, "file": name, "size": size},
    )
    _enqueue_after_commit("import_check", job.pk)
    return job


@transaction.atomic
def import_job_start(*, by: User, job: ImportJob, mode: str) -> ImportJob:
    """Write a checked import: ``all`` rows or none, or only the ``good`` rows; the task runs after commit."""
    if job.created_by_id != by.pk:
        raise PermissionDenied(_("Only the person who uploaded the file may import it."))
    if mode not in ImportJob.Mode.values:
        raise ValidationError({"mode": _("Choose all rows or only the good rows.")})
    # Only one start wins, however often the button is pressed.
    started = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CHECKED).update(
        status=ImportJob.Status.IMPORTING, mode=mode, processed_rows=0, written_rows=0, bad_rows=0, errors=[]
    )
    if not started:
        raise ValidationError(_("This file is not waiting to be imported."))
    job.refresh_from_db()
    record(action="registry.import.start", obj=job, actor=by, region_code=by.home_region_code(), changes={"mode": mode})
    _enqueue_after_commit("import_run", job.pk)
    return job


def _enqueue_after_commit(name: str, job_id: int) -> None:
    from sinergi.registry import import_tasks

    task = getattr(import_tasks, name)
    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(lambda: task.enqueue(job_id, language))


@contextlib.contextmanager
def _sheet(job: ImportJob) -> Iterator[tuple[Sheet, int]]:
    """The job's file as a ``Sheet`` of rows, with an estimate of its number of data rows."""
    fmt = PurePath(job.file.name or "").suffix.lstrip(".").lower()
    with job.file.open("rb") as fh, open_table(fh, fmt) as (size, rows):
        yield Sheet(rows, COLUMNS[job.target]), max(size - 1, 0)


def _problems(sheet: Sheet, rows: Sequence[Row]) -> tuple[list[dict[str, Any]], int]:
    """The rows' problems as stored on the job, and how many rows are bad."""
    headers = {column.key: str(column.header) for column in sheet.columns}
    stored = [
        {
            "line": p.line,
            "column": sheet.letter(p.key),
            "header": headers.get(p.key, ""),
            "message": p.message,
            "warning": p.warning,
        }
        for row in rows
        for p in row.problems
    ]
    return stored, sum(1 for row in rows if row.bad)


def _file_problem(exc: FileProblem) -> list[dict[str, Any]]:
    return [{"line": 1, "column": "", "header": "", "message": str(exc), "warning": False}]


def import_check(job_id: int) -> None:
    """The dry run: check every row, report every problem, write nothing. Safe to run twice."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.UPLOADED).update(
        status=ImportJob.Status.CHECKING, processed_rows=0
    )
    if not claimed:
        return
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    checker = CHECKERS[job.target](by=job.created_by)
    problems: list[dict[str, Any]] = []
    processed = bad = 0
    try:
        with _sheet(job) as (sheet, estimate):
            ImportJob.objects.filter(pk=job_id).update(total_rows=estimate)
            if sheet.ignored:
                note = _("These columns are not part of this import and were ignored: %(columns)s.") % {
                    "columns": ", ".join(sheet.ignored)
                }
                problems.append({"line": 1, "column": "", "header": "", "message": note, "warning": True})
            for batch in itertools.batched(sheet, BATCH_SIZE, strict=False):
                rows = checker.check(list(batch))
                found, bad_here = _problems(sheet, rows)
                problems += found
                bad += bad_here
                processed += len(rows)
                ImportJob.objects.filter(pk=job_id).update(
                    processed_rows=processed, total_rows=max(estimate, processed)
                )
    except FileProblem as exc:
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED, errors=_file_problem(exc), finished_at=timezone.now()
        )
        _drop_file(job_id)
        return
    except Exception:
        ImportJob.objects.filter(pk=job_id).update(status=ImportJob.Status.FAILED, finished_at=timezone.now())
        raise
    if not processed:
        problems.append(
            {"line": 2, "column": "", "header": "", "message": _("The file has no rows."), "warning": False}
        )
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.CHECKED if processed else ImportJob.Status.FAILED,
        total_rows=processed,
        processed_rows=processed,
        bad_rows=bad,
        errors=problems,
    )


class _Refused(Exception):
    """A row was bad in an all-or-nothing import: undo everything."""


def import_run(job_id: int) -> None:
    """Write a started import, checking every row again. Safe to run twice: a second run finds the
    job done, or (good rows only) skips the batches the first one wrote."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != ImportJob.Status.IMPORTING:
        return
    try:
        if job.mode == ImportJob.Mode.ALL_OR_NOTHING:
            _run_all_or_nothing(job)
        else:
            _run_good_rows(job)
    except FileProblem as exc:
        ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.IMPORTING).update(
            status=ImportJob.Status.FAILED, errors=_file_problem(exc), finished_at=timezone.now()
        )
    except Exception:
        ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.IMPORTING).update(
            status=ImportJob.Status.FAILED, finished_at=timezone.now()
        )
        raise
    _drop_file(job_id)


def _drop_file(job_id: int) -> None:
    """Delete an ended import's file: it holds personal data (UU 27/2022), and the report is kept without it."""
    job = ImportJob.objects.filter(pk=job_id, status__in=[ImportJob.Status.DONE, ImportJob.Status.FAILED]).first()
    if job is not None and job.file:
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job_id).update(file="")


def files_cleanup(*, before: datetime.datetime) -> int:
    """Delete the files of imports uploaded before ``before`` and never imported (the job fails with a
    note); return how many. Imports in progress keep theirs."""
    count = 0
    stale = ImportJob.objects.filter(created_at__lt=before).exclude(file="")
    for job in stale.exclude(status__in=[ImportJob.Status.CHECKING, ImportJob.Status.IMPORTING]):
        job.file.delete(save=False)
        note = _("The file was deleted unused after a week; upload it again.")
        ImportJob.objects.filter(pk=job.pk).update(
            file="",
            status=ImportJob.Status.FAILED,
            errors=[*job.errors, {"line": 1, "column": "", "header": "", "message": note, "warning": False}],
            finished_at=job.finished_at or timezone.now(),
        )
        count += 1
    return count


def _run_all_or_nothing(job: ImportJob) -> None:
    """One transaction for the whole file; any bad row undoes it, and every problem is reported.

    Progress shows only when it ends: the job's row changes inside the same transaction.
    """
    checker = CHECKERS[job.target](by=job.created_by)
    write = WRITERS[job.target]
    problems: list[dict[str, Any]] = []
    processed = bad = written = 0
    try:
        with transaction.atomic():
            locked = ImportJob.objects.select_for_update().get(pk=job.pk)
            if locked.status != ImportJob.Status.IMPORTING:
                return
            with _sheet(job) as (sheet, _estimate):
                for batch in itertools.batched(sheet, BATCH_SIZE, strict=False):
                    rows = checker.check(list(batch))
                    found, bad_here = _problems(sheet, rows)
                    problems += found
                    bad += bad_here
                    processed += len(rows)
                    if not bad:
                        written += len(write(by=job.created_by, rows=[r.draft for r in rows], source=_source(job)))
                        checker.written()
            if bad:
                raise _Refused
            _finish(locked, processed=processed, written=written, bad=0, problems=problems)
    except _Refused:
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.IMPORTING).update(
            status=ImportJob.Status.FAILED,
            total_rows=processed,
            processed_rows=processed,
            written_rows=0,
            bad_rows=bad,
            errors=problems,
            finished_at=timezone.now(),
        )


def _run_good_rows(job: ImportJob) -> None:
    """One transaction per batch; bad rows are skipped and reported. A batch already written by an
    earlier run of the task (the job's ``processed_rows`` says how far it got) is not written again."""
    checker = CHECKERS[job.target](by=job.created_by)
    write = WRITERS[job.target]
    processed = 0
    with _sheet(job) as (sheet, _estimate):
        for batch in itertools.batched(sheet, BATCH_SIZE, strict=False):
            with transaction.atomic():
                locked = ImportJob.objects.select_for_update().get(pk=job.pk)
                if locked.status != ImportJob.Status.IMPORTING:
                    return
                if locked.processed_rows < processed + len(batch):
                    rows = checker.check(list(batch))
                    found, bad_here = _problems(sheet, rows)
                    created = write(by=job.created_by, rows=[r.draft for r in rows if r.draft], source=_source(job))
                    checker.written()
                    locked.processed_rows = processed + len(batch)
                    locked.written_rows += len(created)
                    locked.bad_rows += bad_here
                    locked.errors = [*locked.errors, *found]
                    locked.save(update_fields=["processed_rows", "written_rows", "bad_rows", "errors"])
            processed += len(batch)
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status == ImportJob.Status.IMPORTING:
            _finish(
                locked, processed=processed, written=locked.written_rows, bad=locked.bad_rows, problems=locked.errors
            )


def _finish(job: ImportJob, *, processed: int, written: int, bad: int, problems: list[dict[str, Any]]) -> None:
    job.status = ImportJob.Status.DONE
    job.total_rows = job.processed_rows = processed
    job.written_rows, job.bad_rows, job.errors = written, bad, problems
    job.finished_at = timezone.now()
    job.save(
        update_fields=["status", "total_rows", "processed_rows", "written_rows", "bad_rows", "errors", "finished_at"]
    )


def _source(job: ImportJob) -> str:
    return f"import {job.pk}: {job.original_name}"


def problem_lines(job: ImportJob) -> list[tuple[int, list[dict[str, Any]]]]:
    """The job's problems grouped by line, in file order, for the report."""
    grouped: dict[int, list[dict[str, Any]]] = {}
    for problem in job.errors:
        grouped.setdefault(int(problem["line"]), []).append(problem)
    return sorted(grouped.items())
