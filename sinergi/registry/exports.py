"""Exports of the register's lists to Excel and CSV.

An export holds exactly the list the user sees: organisations through ``selectors.organisation_list``
with the list page's own filter form (``forms.OrganisationFilter``), persons through
``selectors.person_list``, and the officers in post of the filtered organisations. Up to
``DIRECT_LIMIT`` rows are answered at once; a longer list becomes an ``ExportJob`` that a task
builds, with progress and a download link.

NIKs are masked unless the user may reveal them (``permissions.can_reveal_nik``) and asked to; a
full-NIK export is audited as a view of those persons' NIKs. Every cell passes through
``spreadsheets.safe_cell``, so no value can run as a formula in a spreadsheet program. Shared
columns carry the import's headers, so an exported file can be edited and imported again.
"""

from __future__ import annotations

import datetime
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sinergi.audit.services import record
from sinergi.registry import nik as nik_tools
from sinergi.registry import permissions, selectors
from sinergi.registry.forms import OrganisationFilter
from sinergi.registry.imports.columns import COLUMNS
from sinergi.registry.models import ExportJob, ImportJob, Officer, Organisation, Person
from sinergi.registry.spreadsheets import CONTENT_TYPES, FORMATS, TableWriter
from sinergi.territory.models import Region

if TYPE_CHECKING:
    from sinergi.accounts.models import User

DIRECT_LIMIT = 2000
CHUNK = 1000
PERSON_FILTERS = ("q",)
ORGANISATION_FILTERS = ("q", "kind", "area", "status", "expiring", "missing")
SEX_LETTER: dict[str, str] = {Person.Sex.MALE: "L", Person.Sex.FEMALE: "P"}
OBJECT_NAMES: dict[str, str] = {
    ImportJob.Target.ORGANISATIONS: "organisation",
    ImportJob.Target.PERSONS: "person",
    ImportJob.Target.OFFICERS: "officer",
}


def clean_filters(target: str, data: Mapping[str, Any]) -> dict[str, str]:
    """The list filters an export keeps (as the list page's query string has them)."""
    names = PERSON_FILTERS if target == ImportJob.Target.PERSONS else ORGANISATION_FILTERS
    return {name: str(data.get(name) or "") for name in names if data.get(name)}


def _organisations(user: User, filters: Mapping[str, str]) -> QuerySet[Organisation]:
    form = OrganisationFilter(filters, regions=Region.objects.visible_to(user))
    form.is_valid()
    return selectors.organisation_list(user=user, **form.filters())


def export_queryset(*, user: User, target: str, filters: Mapping[str, str]) -> QuerySet[Any]:
    """What the list page shows ``user`` with ``filters``, in its order, ready to stream."""
    if target == ImportJob.Target.ORGANISATIONS:
        return _organisations(user, filters).select_related("parent")
    if target == ImportJob.Target.PERSONS:
        return (
            selectors.person_list(user=user, q=filters.get("q", ""))
            .select_related("rt__rw")
            .order_by("full_name", "pk")
        )
    if target == ImportJob.Target.OFFICERS:
        return (
            Officer.objects.filter(organisation__in=_organisations(user, filters).values("pk"), ended_on__isnull=True)
            .select_related("person", "organisation__kind", "organisation__region")
            .order_by("organisation__region__code", "organisation__name", "organisation_id", "position", "term_start")
        )
    raise ValueError(f"unknown export target {target!r}")


# --- rows ----------------------------------------------------------------------------------------


def _header(target: str, key: str) -> str:
    return next(str(c.header) for c in COLUMNS[target] if c.key == key)


def _organisation_table() -> tuple[list[str], Callable[[Organisation], list[Any]]]:
    t = ImportJob.Target.ORGANISATIONS
    ormas_keys = [
        "legal_form",
        "registration_number",
        "registration_issued_on",
        "registration_expires_on",
        "local_receipt_number",
        "local_receipt_date",
        "npwp",
        "scope",
        "board_level",
    ]
    plain = [
        "name",
        "abbreviation",
        "phone",
        "email",
        "address",
        "latitude",
        "longitude",
        "founded_on",
        "member_count",
        "field_of_activity",
    ]
    headers = [
        _("Sinergi ID"),
        _header(t, "kind"),
        *[_header(t, key) for key in plain],
        _header(t, "region"),
        _header(t, "rw"),
        _header(t, "rt"),
        _header(t, "parent"),
        *[_header(t, key) for key in ormas_keys],
        _("Kind"),
        _("Territory"),
        _("Status"),
        _("Status since"),
        _("Chair"),
    ]

    def row(o: Organisation) -> list[Any]:
        profile = getattr(o, "ormas", None)
        chairs = getattr(o, "current_chairs", [])
        return [
            o.pk,
            o.kind.code,
            *[getattr(o, key) for key in plain],
            o.region.code,
            o.rw.number if o.rw else None,
            o.rt.number if o.rt else None,
            o.parent_id,
            *[getattr(profile, key) if profile else None for key in ormas_keys],
            o.kind.name,
            o.region.display_name,
            o.get_status_display(),
            o.status_since,
            chairs[0].person.full_name if chairs else "",
        ]

    return headers, row


def _nik(person: Person, reveal: bool) -> str:
    return nik_tools.decrypt_nik(person.nik_encrypted) if reveal else person.nik_masked


def _person_table(reveal: bool) -> tuple[list[str], Callable[[Person], list[Any]]]:
    t = ImportJob.Target.PERSONS
    keys = ["full_name", "nik", "sex", "birth_date", "phone", "email", "address", "region", "rw", "rt"]
    headers = [_("Sinergi ID"), *[_header(t, key) for key in keys], _("Territory")]

    def row(p: Person) -> list[Any]:
        return [
            p.pk,
            p.full_name,
            _nik(p, reveal),
            SEX_LETTER.get(p.sex, p.sex),
            p.birth_date,
            p.phone,
            p.email,
            p.address,
            p.region.code if p.region else "",
            p.rt.rw.number if p.rt else None,
            p.rt.number if p.rt else None,
            p.region.display_name if p.region else "",
        ]

    return headers, row


def _officer_table(reveal: bool) -> tuple[list[str], Callable[[Officer], list[Any]]]:
    t = ImportJob.Target.OFFICERS
    keys = [
        "position",
        "position_title",
        "sk_number",
        "sk_date",
        "sk_issuer",
        "term_start",
        "term_end",
        "is_acting",
        "no_party_statement",
    ]
    headers = [
        _header(t, "organisation"),
        _("Organisation name"),
        _("Kind"),
        _("Region code"),
        _header(t, "nik"),
        _("Full name"),
        *[_header(t, key) for key in keys],
    ]

    def row(o: Officer) -> list[Any]:
        return [
            o.organisation_id,
            o.organisation.name,
            o.organisation.kind.code,
            o.organisation.region.code,
            _nik(o.person, reveal),
            o.person.full_name,
            *[getattr(o, key) for key in keys],
        ]

    return headers, row


def _table(target: str, reveal: bool) -> tuple[list[str], Callable[[Any], list[Any]]]:
    if target == ImportJob.Target.ORGANISATIONS:
        return _organisation_table()
    if target == ImportJob.Target.PERSONS:
        return _person_table(reveal)
    return _officer_table(reveal)


def _stream(queryset: QuerySet[Any]) -> Iterator[Any]:
    return queryset.iterator(chunk_size=CHUNK)


def write_table(
    *,
    target: str,
    rows: Iterable[Any],
    fmt: str,
    reveal: bool,
    out: IO[bytes],
    progress: Callable[[int], None] | None = None,
) -> list[int]:
    """Write ``rows`` as an Excel or CSV table to ``out``; return the ids of persons whose NIK was shown."""
    headers, to_cells = _table(target, reveal)
    writer = TableWriter(out, fmt, sheet_title=str(ImportJob.Target(target).label), headers=headers)
    revealed: list[int] = []
    for count, obj in enumerate(rows, start=1):
        writer.write(to_cells(obj))
        if reveal:
            revealed.append(obj.person_id if isinstance(obj, Officer) else obj.pk)
        if progress is not None and count % CHUNK == 0:
            progress(count)
    writer.close()
    return revealed


def _audit(by: User, *, target: str, fmt: str, filters: Mapping[str, str], count: int, revealed: list[int]) -> None:
    """Every export is recorded; one with full NIKs is also recorded as a view of those NIKs."""
    region_code = by.home_region_code()
    record(
        action=f"registry.{OBJECT_NAMES[target]}.export",
        object_type=f"registry.{OBJECT_NAMES[target]}",
        object_repr=_("Export of %(count)d rows") % {"count": count},
        actor=by,
        region_code=region_code,
        changes={"format": fmt, "filters": dict(filters), "rows": count, "full_nik": bool(revealed)},
    )
    if revealed:
        persons = sorted(set(revealed))
        record(
            action="registry.person.reveal_nik",
            object_type="registry.person",
            object_repr=_("Full NIK of %(count)d persons in an export") % {"count": len(persons)},
            actor=by,
            region_code=region_code,
            changes={"export": {"target": target, "format": fmt, "filters": dict(filters)}, "person_ids": persons},
        )


# --- services ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DirectExport:
    """A small export, answered at once."""

    content: bytes
    filename: str
    content_type: str


def filename(target: str, fmt: str) -> str:
    return f"sinergi-{target}-{timezone.localdate():%Y%m%d}.{fmt}"


def export_start(
    *, by: User, target: str, fmt: str, filters: Mapping[str, Any], reveal_nik: bool = False
) -> DirectExport | ExportJob:
    """Export the list ``by`` sees with ``filters``: at once when it is short, else as a job for a task.

    ``reveal_nik`` needs ``permissions.can_reveal_nik``; it is ignored for organisations, which show
    no NIK.
    """
    if target not in ImportJob.Target.values:
        raise ValidationError(_("Choose what to export."))
    if fmt not in FORMATS:
        raise ValidationError(_("Choose Excel or CSV."))
    reveal = reveal_nik and target != ImportJob.Target.ORGANISATIONS
    if reveal and not permissions.can_reveal_nik(by):
        raise PermissionDenied(_("You may not see NIKs in full."))
    filters = clean_filters(target, filters)
    queryset = export_queryset(user=by, target=target, filters=filters)
    count = queryset.count()
    if count > DIRECT_LIMIT:
        return _queue(by=by, target=target, fmt=fmt, filters=filters, reveal=reveal, count=count)
    with tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024) as out, transaction.atomic():
        revealed = write_table(target=target, rows=_stream(queryset), fmt=fmt, reveal=reveal, out=out)
        _audit(by, target=target, fmt=fmt, filters=filters, count=count, revealed=revealed)
        out.seek(0)
        content = out.read()
    return DirectExport(content=content, filename=filename(target, fmt), content_type=CONTENT_TYPES[fmt])


@transaction.atomic
def _queue(*, by: User, target: str, fmt: str, filters: dict[str, str], reveal: bool, count: int) -> ExportJob:
    job = ExportJob.objects.create(
        target=target, format=fmt, filters=filters, reveal_nik=reveal, total_rows=count, created_by=by
    )
    from sinergi.registry import import_tasks

    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(lambda: import_tasks.export_run.enqueue(job.pk, language))
    return job


def files_cleanup(*, before: datetime.datetime) -> int:
    """Delete export files built before ``before``: they hold personal data (UU 27/2022). Return how many."""
    count = 0
    for job in ExportJob.objects.filter(finished_at__lt=before).exclude(file=""):
        job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(file="")
        count += 1
    return count


def export_run(job_id: int) -> None:
    """Build a queued export's file through the storage API. Safe to run twice: only one run claims the job."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING, processed_rows=0
    )
    if not claimed:
        return
    job = ExportJob.objects.select_related("created_by").get(pk=job_id)
    by = job.created_by
    try:
        # The permission is checked again: it may have been withdrawn since the export was asked for.
        reveal = job.reveal_nik and permissions.can_reveal_nik(by)
        queryset = export_queryset(user=by, target=job.target, filters=job.filters)
        total = queryset.count()
        ExportJob.objects.filter(pk=job_id).update(total_rows=total)

        def progress(done: int) -> None:
            ExportJob.objects.filter(pk=job_id).update(processed_rows=done)

        with tempfile.TemporaryFile() as out:
            revealed = write_table(
                target=job.target, rows=_stream(queryset), fmt=job.format, reveal=reveal, out=out, progress=progress
            )
            out.seek(0)
            with transaction.atomic():
                job.file.save(f"{uuid.uuid4().hex}.{job.format}", File(out), save=False)
                job.status, job.processed_rows, job.total_rows = ExportJob.Status.DONE, total, total
                job.finished_at = timezone.now()
                job.save(update_fields=["file", "status", "processed_rows", "total_rows", "finished_at"])
                _audit(by, target=job.target, fmt=job.format, filters=job.filters, count=total, revealed=revealed)
    except Exception:
        ExportJob.objects.filter(pk=job_id).update(status=ExportJob.Status.FAILED, finished_at=timezone.now())
        raise
