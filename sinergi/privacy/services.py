"""Writes of personal-data protection: the breach record, data-subject requests and retention.

Each checks the writer administers the territory concerned and writes its own audit event.
"""

from __future__ import annotations

import datetime
import io
import json
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from sinergi.accounts.models import Unit, User
from sinergi.audit.services import diff, record, snapshot
from sinergi.core import context
from sinergi.notifications.models import Notification, OutboundMessage
from sinergi.privacy import selectors
from sinergi.privacy.models import Breach, DataSubjectRequest
from sinergi.registry import exports, imports
from sinergi.registry import nik as nik_tools
from sinergi.registry import services as registry_services
from sinergi.registry.models import Officer, Person
from sinergi.registry.spreadsheets import safe_cell

BREACH_FIELDS = [
    "unit",
    "title",
    "discovered_at",
    "description",
    "data_affected",
    "persons_affected",
    "measures",
    "notified_at",
    "notified_to",
]


def _require_admin_of(by: User, unit: Unit) -> None:
    if not by.can_administer(unit.region):
        raise PermissionDenied(_("You do not administer %(unit)s.") % {"unit": unit})


def _to_the_minute(moment: datetime.datetime | None) -> datetime.datetime | None:
    """Times are kept as typed, to the minute, and in UTC as the database returns them: saving a form
    unchanged then changes nothing."""
    return moment.astimezone(datetime.UTC).replace(second=0, microsecond=0) if moment is not None else None


def _check(breach: Breach) -> None:
    breach.discovered_at = _to_the_minute(breach.discovered_at)  # type: ignore[assignment]
    breach.notified_at = _to_the_minute(breach.notified_at)
    now = timezone.now()
    errors: dict[str, str] = {}
    if breach.discovered_at > now:
        errors["discovered_at"] = _("This time is still to come.")
    if breach.notified_at is not None and breach.notified_at > now:
        errors["notified_at"] = _("This time is still to come.")
    elif breach.notified_at is not None and breach.notified_at < breach.discovered_at:
        errors["notified_at"] = _("The notification cannot come before the discovery.")
    if breach.notified_at is not None and not breach.notified_to.strip():
        errors["notified_to"] = _("Say whom you notified.")
    if breach.notified_at is None and breach.notified_to.strip():
        errors["notified_at"] = _("Say when you notified them.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def breach_record(
    *,
    unit: Unit,
    title: str,
    discovered_at: datetime.datetime,
    description: str,
    data_affected: str,
    by: User,
    persons_affected: int | None = None,
    measures: str = "",
    notified_at: datetime.datetime | None = None,
    notified_to: str = "",
) -> Breach:
    """Record a suspected personal-data breach of ``unit``; its notification deadline starts at ``discovered_at``."""
    _require_admin_of(by, unit)
    now = timezone.now()
    breach = Breach(
        unit=unit,
        title=title,
        discovered_at=discovered_at,
        description=description,
        data_affected=data_affected,
        persons_affected=persons_affected,
        measures=measures,
        notified_at=notified_at,
        notified_to=notified_to,
        recorded_by=by,
        created_at=now,
        updated_at=now,
    )
    _check(breach)
    breach.save()
    record(
        action="privacy.breach.create",
        obj=breach,
        actor=by,
        region_code=unit.region.code,
        changes=diff({}, snapshot(breach, BREACH_FIELDS)),
    )
    return breach


@transaction.atomic
def breach_update(*, breach: Breach, by: User, **fields: object) -> Breach:
    """Change what is known of a breach: its extent, the measures, and when and whom it was notified."""
    unknown = set(fields) - set(BREACH_FIELDS)
    if unknown:
        raise ValueError(f"not breach fields: {unknown}")
    _require_admin_of(by, breach.unit)
    before = snapshot(breach, BREACH_FIELDS)
    for key, value in fields.items():
        setattr(breach, key, value)
    # Moving the record to another unit needs the right to administer that one too.
    _require_admin_of(by, breach.unit)
    _check(breach)
    changes = diff(before, snapshot(breach, BREACH_FIELDS))
    if changes:
        breach.updated_at = timezone.now()
        breach.save(update_fields=[*changes, "updated_at"])
        record(
            action="privacy.breach.update",
            obj=breach,
            actor=by,
            region_code=breach.unit.region.code,
            changes=changes,
        )
    return breach


# Data-subject requests ---------------------------------------------------------------------------


def _region_code(person: Person, by: User | None) -> str:
    if person.region is not None:
        return person.region.code
    return by.home_region_code() if by is not None else ""


def _require_open(request: DataSubjectRequest, kind: str, by: User) -> None:
    if not selectors.administers_person(by, request.person):
        raise PermissionDenied(_("You do not administer this person's territory."))
    if request.kind != kind:
        raise ValidationError(_("This is not a request of that kind."))
    if request.status != DataSubjectRequest.Status.OPEN:
        raise ValidationError(_("This request is already done."))


def _complete(request: DataSubjectRequest, by: User | None, **changes: object) -> None:
    request.status = DataSubjectRequest.Status.DONE
    request.completed_at = timezone.now()
    request.save(update_fields=["status", "completed_at"])
    record(
        action="privacy.request.complete",
        obj=request,
        actor=by,
        region_code=_region_code(request.person, by),
        changes={"status": [DataSubjectRequest.Status.OPEN, DataSubjectRequest.Status.DONE], **changes},
    )


@transaction.atomic
def request_record(
    *, by: User, nik: str, kind: str, received_at: datetime.datetime, notes: str = ""
) -> DataSubjectRequest:
    """Record a person's request, after staff checked the requester's KTP: the NIK must be exactly that
    of a registered person in the territory ``by`` administers. An access request's file is built
    by a task once the request is saved."""
    if not by.is_administrator:
        raise PermissionDenied(_("Only administrators handle data-subject requests."))
    if kind not in DataSubjectRequest.Kind.values:
        raise ValidationError({"kind": _("Choose a valid kind.")})
    nik = nik.strip()
    person = Person.objects.filter(nik_hash=nik_tools.nik_hash(nik)).select_related("region").first()
    # Someone outside the territory is answered as someone unknown: a NIK must not reveal where a person lives.
    if person is None or not selectors.administers_person(by, person):
        raise ValidationError({"nik": _("No person with this NIK is registered in the territory you administer.")})
    if received_at > timezone.now():
        raise ValidationError({"received_at": _("This time is still to come.")})
    request = DataSubjectRequest.objects.create(
        person=person, kind=kind, received_at=received_at, notes=notes.strip(), recorded_by=by
    )
    record(
        action="privacy.request.create",
        obj=request,
        actor=by,
        region_code=_region_code(person, by),
        changes={"person": [None, person.pk], "kind": [None, kind], "received_at": [None, received_at]},
    )
    if kind == DataSubjectRequest.Kind.ACCESS:
        from sinergi.privacy import tasks

        transaction.on_commit(lambda: tasks.build_access_export.enqueue(request.pk))
    return request


def request_build_export(*, request_id: int) -> None:
    """Build an access request's files (JSON and Excel) and close the request. Safe to run twice:
    a request whose files were built is left alone."""
    request = DataSubjectRequest.objects.select_related("person__region", "person__rt").filter(pk=request_id).first()
    if request is None or request.kind != DataSubjectRequest.Kind.ACCESS or request.export_built_at is not None:
        return
    data = selectors.person_data(person=request.person)
    as_json = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()
    as_xlsx = _workbook(data)
    with transaction.atomic():
        locked = (
            DataSubjectRequest.objects.select_for_update(of=("self",))
            .select_related("person__region")
            .get(pk=request_id)
        )
        if locked.export_built_at is not None:
            return
        name = uuid.uuid4().hex
        locked.export_json.save(f"{name}.json", ContentFile(as_json), save=False)
        locked.export_xlsx.save(f"{name}.xlsx", ContentFile(as_xlsx), save=False)
        locked.export_built_at = timezone.now()
        locked.save(update_fields=["export_json", "export_xlsx", "export_built_at"])
        by = context.current().user
        record(
            action="privacy.request.export",
            obj=locked,
            region_code=_region_code(locked.person, by),
            changes={"events": [None, len(data["processing"])], "posts": [None, len(data["posts"])]},
        )
        if locked.status == DataSubjectRequest.Status.OPEN:
            _complete(locked, by)


def _workbook(data: dict[str, Any]) -> bytes:
    """The access file as a workbook: the person on one sheet, each list on its own."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "person"
    for key, value in data["person"].items():
        sheet.append([safe_cell(key), safe_cell(value)])
    for title in ("posts", "organisations", "change_requests", "processing"):
        rows = data[title]
        sheet = workbook.create_sheet(title)
        if not rows:
            continue
        headers = list(rows[0])
        sheet.append(headers)
        for row in rows:
            sheet.append([safe_cell(_cell(row[h])) for h in headers])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def request_file(*, by: User, request: DataSubjectRequest, fmt: str) -> FieldFile:
    """An access request's file, for staff who administer the person; every download is audited."""
    if not selectors.administers_person(by, request.person):
        raise PermissionDenied(_("You do not administer this person's territory."))
    file = {"json": request.export_json, "xlsx": request.export_xlsx}.get(fmt)
    if not file:
        raise ValidationError(_("The file is not there: it is still being built or was deleted."))
    record(
        action="privacy.request.download",
        obj=request,
        actor=by,
        region_code=_region_code(request.person, by),
        changes={"format": [None, fmt]},
    )
    return file


@transaction.atomic
def request_correct(*, by: User, request: DataSubjectRequest, **fields: Any) -> Person:
    """Correct the person's data as asked, through the register's own ``person_update``, and close the request."""
    _require_open(request, DataSubjectRequest.Kind.CORRECTION, by)
    person = registry_services.person_update(by=by, person=request.person, **fields)
    _complete(request, by, fields=[None, sorted(fields)])
    return person


def anonymise_person(person: Person) -> list[str]:
    """Remove what identifies ``person`` and return the fields changed; the caller audits.

    The name becomes "Anonim #<id>"; phone, e-mail, address and RT are cleared; the date of birth keeps
    only its year and the domicile only its kelurahan (for statistics); the NIK is replaced by a
    tombstone that no real NIK hashes to, so nobody can find the person by it. Posts stay, now held by
    the anonymous person: the organisation's history of its SKs is a public record.
    """
    person.full_name = f"Anonim #{person.pk}"
    person.phone = person.email = person.address = ""
    person.rt = None
    person.birth_date = person.birth_date.replace(month=1, day=1)
    tombstone = nik_tools.MASK * nik_tools.NIK_LENGTH
    person.nik_hash = f"{selectors.TOMBSTONE_PREFIX}{person.pk}"
    person.nik_encrypted = nik_tools.encrypt_nik(tombstone)
    person.nik_masked = tombstone
    person.updated_at = timezone.now()
    fields = ["full_name", "phone", "email", "address", "rt", "birth_date", "nik_hash", "nik_encrypted", "nik_masked"]
    person.save(update_fields=[*fields, "updated_at"])
    return fields


@transaction.atomic
def request_anonymise(*, by: User, request: DataSubjectRequest) -> Person:
    """Anonymise the person as asked and close the request. Refused while they hold a post: the
    register must show who holds a public post (an SK names them), so the post must end first."""
    _require_open(request, DataSubjectRequest.Kind.ERASURE, by)
    person = Person.objects.select_for_update().get(pk=request.person_id)
    posts = list(selectors.current_posts(person))
    if posts:
        raise ValidationError(
            _(
                "%(person)s holds a post (%(posts)s). The register must show who holds a public post: "
                "end the post first, then anonymise."
            )
            % {"person": person, "posts": ", ".join(str(post) for post in posts)}
        )
    fields = anonymise_person(person)
    # The old values are not written to the log: that would keep what was just removed.
    record(
        action="registry.person.anonymise",
        obj=person,
        actor=by,
        region_code=_region_code(person, by),
        changes={"fields": [None, fields], "request": [None, request.pk]},
    )
    _complete(request, by)
    return person


# Retention ---------------------------------------------------------------------------------------

RETENTION_BATCH = 500


def _delete_in_batches(queryset: models.QuerySet[Any]) -> int:
    """Delete the rows of ``queryset`` a batch per transaction, so a large backlog never holds long locks."""
    total = 0
    while ids := list(queryset.values_list("pk", flat=True)[:RETENTION_BATCH]):
        with transaction.atomic():
            queryset.model._base_manager.filter(pk__in=ids).delete()
        total += len(ids)
    return total


def _io_files(cutoff: datetime.datetime) -> dict[str, int]:
    # The register's own clean-ups: they know which jobs are still in use.
    return {
        "import_files": imports.files_cleanup(before=cutoff),
        "export_files": exports.files_cleanup(before=cutoff),
    }


def _notifications(cutoff: datetime.datetime) -> dict[str, int]:
    return {"deleted": _delete_in_batches(Notification.objects.filter(created_at__lt=cutoff))}


def _outbound_messages(cutoff: datetime.datetime) -> dict[str, int]:
    return {"deleted": _delete_in_batches(OutboundMessage.objects.filter(created_at__lt=cutoff))}


def expired_persons(cutoff: datetime.datetime) -> models.QuerySet[Person]:
    """Persons to anonymise: every post ended before ``cutoff`` (a post never marked ended counts as
    ended when its term did), or no post and no change since ``cutoff``; none with an open request."""
    day = timezone.localdate(cutoff)
    recent_posts = Officer.objects.filter(Q(ended_on__isnull=True, term_end__gte=day) | Q(ended_on__gte=day))
    open_requests = DataSubjectRequest.objects.filter(status=DataSubjectRequest.Status.OPEN)
    return (
        Person.objects.exclude(nik_hash__startswith=selectors.TOMBSTONE_PREFIX)
        .exclude(pk__in=recent_posts.values("person_id"))
        .exclude(pk__in=open_requests.values("person_id"))
        .filter(Q(pk__in=Officer.objects.values("person_id")) | Q(updated_at__lt=cutoff))
    )


def _persons(cutoff: datetime.datetime) -> dict[str, int]:
    total = 0
    queryset = expired_persons(cutoff).order_by("pk")
    while ids := list(queryset.values_list("pk", flat=True)[:RETENTION_BATCH]):
        with transaction.atomic():
            for person in Person.objects.select_for_update().filter(pk__in=ids):
                anonymise_person(person)
        total += len(ids)
    return {"anonymised": total}


def _request_files(cutoff: datetime.datetime) -> dict[str, int]:
    count = 0
    for request in DataSubjectRequest.objects.filter(export_built_at__lt=cutoff).exclude(export_json=""):
        request.export_json.delete(save=False)
        request.export_xlsx.delete(save=False)
        DataSubjectRequest.objects.filter(pk=request.pk).update(export_json="", export_xlsx="")
        count += 1
    return {"deleted": count}


RETENTION: dict[str, Callable[[datetime.datetime], dict[str, int]]] = {
    "registry.io_files": _io_files,
    "notifications.notification": _notifications,
    "notifications.outboundmessage": _outbound_messages,
    "registry.person_without_posts": _persons,
    "privacy.request_files": _request_files,
}


def retention_apply(*, now: datetime.datetime | None = None) -> dict[str, dict[str, int]]:
    """Delete or anonymise every kind of record older than its period in ``SINERGI_RETENTION_DAYS``,
    writing one audit event per kind with the counts. Kinds kept for good (None) are skipped.
    Safe to run twice: a second run finds nothing more to do."""
    now = now or timezone.now()
    done: dict[str, dict[str, int]] = {}
    for kind, days in settings.SINERGI_RETENTION_DAYS.items():
        if days is None:
            continue
        if kind not in RETENTION:
            raise ImproperlyConfigured(f"SINERGI_RETENTION_DAYS names {kind!r}, which has no retention rule.")
        cutoff = now - datetime.timedelta(days=days)
        done[kind] = counts = RETENTION[kind](cutoff)
        record(
            action="privacy.retention.apply",
            object_type="retention",
            object_id=kind,
            object_repr=kind,
            changes={"days": days, "cutoff": cutoff, **counts},
        )
    return done
