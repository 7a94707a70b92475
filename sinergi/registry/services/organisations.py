"""Organisations: registration, data and status, the Ormas legal record, documents, coaching,
the sanction path and activity reports."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit.services import diff, snapshot
from sinergi.registry import permissions, rules
from sinergi.registry.models import (
    ActivityPhoto,
    ActivityReport,
    CoachingNote,
    Document,
    Organisation,
    OrganisationKind,
    OrmasProfile,
    Sanction,
)
from sinergi.registry.services._common import (
    CONTACT_FIELDS,
    MAX_PHOTOS,
    ORGANISATION_AUDIT_FIELDS,
    ORGANISATION_FIELDS,
    ORGANISATION_STATUS_FIELDS,
    ORMAS_FIELDS,
    audit,
    checked,
    locked,
    not_future,
    require_edit,
    require_ormas,
    required_text,
    store,
)
from sinergi.territory.models import RT, RW, Region

if TYPE_CHECKING:
    from django.core.files import File

    from sinergi.accounts.models import User


@transaction.atomic
def organisation_create(
    *,
    by: User,
    kind: OrganisationKind,
    name: str,
    region: Region | None = None,
    rw: RW | None = None,
    rt: RT | None = None,
    parent: Organisation | None = None,
    **fields: Any,
) -> Organisation:
    """Register an organisation where its kind may sit: an RT organisation in its RT unit, an RW one
    in its RW unit, the others in a region of an allowed level. ``region`` becomes the RT's or RW's
    kelurahan. Extra ``fields``: contact, founding data and an initial status."""
    unknown = set(fields) - set(ORGANISATION_FIELDS) - set(ORGANISATION_STATUS_FIELDS)
    if unknown:
        raise ValueError(f"not organisation fields: {sorted(unknown)}")
    region, rw, rt = rules.placement(kind=kind, region=region, rw=rw, rt=rt)
    if not by.can_write(region):
        raise PermissionDenied(_("You may not register organisations in %(region)s.") % {"region": region})
    organisation = Organisation(kind=kind, name=name.strip(), region=region, rw=rw, rt=rt, parent=parent, **fields)
    rules.check_parent(organisation, parent)
    organisation.full_clean()
    organisation.save()
    audit(
        "registry.organisation.create",
        organisation,
        by,
        organisation,
        diff({}, snapshot(organisation, ORGANISATION_AUDIT_FIELDS)),
    )
    return organisation


@transaction.atomic
def organisation_update(*, by: User, organisation: Organisation, **fields: Any) -> Organisation:
    """Change an organisation's data. Staff change everything here, moving it with ``region`` to a
    region they also write in; its representative changes only the contact data."""
    unknown = set(fields) - {*ORGANISATION_FIELDS, "region"}
    if unknown:
        raise ValueError(f"not organisation fields: {sorted(unknown)}")
    if not permissions.can_edit(by, organisation) and not (
        permissions.can_represent(by, organisation) and set(fields) <= set(CONTACT_FIELDS)
    ):
        raise PermissionDenied(_("You may not change %(organisation)s.") % {"organisation": organisation})
    before = snapshot(organisation, ORGANISATION_AUDIT_FIELDS)
    if "region" in fields:
        if organisation.rw_id or organisation.rt_id:
            raise ValidationError({"region": _("An RT or RW organisation stays in its unit.")})
        region, _rw, _rt = rules.placement(kind=organisation.kind, region=fields["region"], rw=None, rt=None)
        if not by.can_write(region):
            raise PermissionDenied(_("You may not move organisations to %(region)s.") % {"region": region})
    for key, value in fields.items():
        setattr(organisation, key, value.strip() if isinstance(value, str) else value)
    if "parent" in fields:
        rules.check_parent(organisation, fields["parent"])
    organisation.full_clean()
    changes = diff(before, snapshot(organisation, ORGANISATION_AUDIT_FIELDS))
    if changes:
        organisation.updated_at = timezone.now()
        organisation.save(update_fields=[*fields, "updated_at"])
        audit("registry.organisation.update", organisation, by, organisation, changes)
    return organisation


@transaction.atomic
def organisation_set_status(
    *, by: User, organisation: Organisation, status: str, reason: str, on: datetime.date | None = None
) -> Organisation:
    """Make an organisation active, inactive, suspended or dissolved from ``on`` (today), for a reason."""
    require_edit(by, organisation)
    if status not in Organisation.Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    if status == organisation.status:
        raise ValidationError(
            {"status": _("The organisation is already %(status)s.") % {"status": organisation.get_status_display()}}
        )
    reason = required_text(reason, "status_reason")
    on = on or timezone.localdate()
    not_future(on, "status_since")
    if on < organisation.status_since:
        raise ValidationError(
            {
                "status_since": _("The date cannot be before the current status began (%(day)s).")
                % {"day": organisation.status_since}
            }
        )
    before = snapshot(organisation, ORGANISATION_STATUS_FIELDS)
    organisation.status, organisation.status_since, organisation.status_reason = status, on, reason[:255]
    organisation.updated_at = timezone.now()
    organisation.save(update_fields=[*ORGANISATION_STATUS_FIELDS, "updated_at"])
    audit(
        "registry.organisation.set_status",
        organisation,
        by,
        organisation,
        diff(before, snapshot(organisation, ORGANISATION_STATUS_FIELDS)),
    )
    return organisation


@transaction.atomic
def ormas_profile_save(*, by: User, organisation: Organisation, **fields: Any) -> OrmasProfile:
    """Create or change an Ormas's legal record. An SKT is valid 5 years from its issue unless the
    letter says otherwise; a legal entity registered through AHU does not expire."""
    require_ormas(organisation)
    require_edit(by, organisation)
    unknown = set(fields) - set(ORMAS_FIELDS)
    if unknown:
        raise ValueError(f"not Ormas fields: {sorted(unknown)}")
    profile = OrmasProfile.objects.filter(organisation=organisation).first() or OrmasProfile(organisation=organisation)
    before = snapshot(profile, ORMAS_FIELDS) if profile.pk else {}
    for key, value in fields.items():
        setattr(profile, key, value.strip() if isinstance(value, str) else value)
    rules.ormas_record(profile)
    profile.full_clean()
    changes = diff(before, snapshot(profile, ORMAS_FIELDS))
    if changes:
        profile.save()
        audit("registry.ormas_profile.save", profile, by, organisation, changes)
    return profile


@transaction.atomic
def document_add(
    *,
    by: User,
    organisation: Organisation,
    type: str,
    file: File[Any],
    number: str = "",
    issued_on: datetime.date | None = None,
    valid_until: datetime.date | None = None,
) -> Document:
    """Store a document (PDF, JPG, PNG or DOCX by content; an office photo only as an image) through
    Django's storage API, under a name the uploader does not choose."""
    require_edit(by, organisation)
    if type not in Document.Type.values:
        raise ValidationError({"type": _("Choose a valid document type.")})
    allowed = rules.PHOTO_TYPES if type == Document.Type.OFFICE_PHOTO else rules.DOCUMENT_TYPES
    upload = checked(file, "file", allowed)
    if issued_on and valid_until and valid_until < issued_on:
        raise ValidationError({"valid_until": _("A document cannot expire before it was issued.")})
    document = Document(
        uuid=uuid.uuid4(),
        organisation=organisation,
        type=type,
        number=number.strip(),
        issued_on=issued_on,
        valid_until=valid_until,
        original_name=upload.original_name,
        content_type=upload.content_type,
        size=upload.size,
        uploaded_by=by,
    )
    document.full_clean(exclude=["file"])
    document.file.save(upload.original_name, file, save=False)
    document.save()
    audit(
        "registry.document.add",
        document,
        by,
        organisation,
        diff({}, snapshot(document, ["type", "number", "issued_on", "valid_until", "original_name", "size"])),
    )
    return document


@transaction.atomic
def coaching_note_add(
    *,
    by: User,
    organisation: Organisation,
    held_on: datetime.date,
    subject: str,
    note: str,
    attachment: File[Any] | None = None,
) -> CoachingNote:
    """Record coaching (pembinaan) given to an Ormas."""
    require_ormas(organisation)
    require_edit(by, organisation)
    not_future(held_on, "held_on")
    coaching = CoachingNote(
        organisation=organisation,
        held_on=held_on,
        subject=required_text(subject, "subject"),
        note=required_text(note, "note"),
        created_by=by,
    )
    upload = checked(attachment, "attachment") if attachment is not None else None
    coaching.full_clean(exclude=["attachment"])
    if attachment is not None and upload is not None:
        store(coaching.attachment, attachment, upload)
    coaching.save()
    audit(
        "registry.coaching_note.add",
        coaching,
        by,
        organisation,
        diff({}, snapshot(coaching, ["held_on", "subject", "note"])) | {"attachment": [None, coaching.attachment.name]},
    )
    return coaching


SANCTION_AUDIT_FIELDS = ["step", "issued_on", "letter_number", "reason", "deadline", "outcome"]


@transaction.atomic
def sanction_issue(
    *,
    by: User,
    organisation: Organisation,
    step: int,
    issued_on: datetime.date,
    letter_number: str,
    reason: str,
    letter: File[Any],
    evidence: File[Any] | None = None,
) -> Sanction:
    """Record the next step of the UU 16/2017 sanction path with its letter: a written warning (the
    Ormas has 7 working days to comply), then an order to stop activities, then a recommendation of
    revocation to the ministry. Steps come only in order; a new step escalates the open one."""
    require_ormas(organisation)
    require_edit(by, organisation)
    locked(organisation)
    not_future(issued_on, "issued_on")
    sanction = Sanction(
        organisation=organisation,
        step=step,
        issued_on=issued_on,
        letter_number=required_text(letter_number, "letter_number"),
        reason=required_text(reason, "reason"),
        created_by=by,
    )
    if step not in Sanction.Step.values:
        raise ValidationError({"step": _("Choose a valid step.")})
    previous = rules.sanction_previous(organisation=organisation, step=step, issued_on=issued_on)
    if step == Sanction.Step.WARNING:
        sanction.deadline = rules.warning_deadline(issued_on)
    letter_upload = checked(letter, "letter")
    evidence_upload = checked(evidence, "evidence", rules.DOCUMENT_TYPES) if evidence is not None else None
    changes = diff({}, snapshot(sanction, SANCTION_AUDIT_FIELDS))
    if previous is not None:
        previous.outcome, previous.outcome_on = Sanction.Outcome.ESCALATED, issued_on
        previous.save(update_fields=["outcome", "outcome_on"])
        changes["escalated"] = [None, previous.pk]
    sanction.full_clean(exclude=["letter", "evidence"])
    store(sanction.letter, letter, letter_upload)
    if evidence is not None and evidence_upload is not None:
        store(sanction.evidence, evidence, evidence_upload)
    changes |= {"letter": [None, sanction.letter.name], "evidence": [None, sanction.evidence.name or None]}
    sanction.save()
    audit("registry.sanction.issue", sanction, by, organisation, changes)
    return sanction


@transaction.atomic
def sanction_resolve(*, by: User, sanction: Sanction, outcome: str, on: datetime.date, note: str = "") -> Sanction:
    """Close an open step: the Ormas complied (the path ends), or it was escalated (for a warning,
    only once its deadline has passed)."""
    organisation = sanction.organisation
    require_edit(by, organisation)
    locked(organisation)
    sanction.refresh_from_db()
    if sanction.outcome != Sanction.Outcome.OPEN:
        raise ValidationError(_("This step is already closed."))
    if outcome not in (Sanction.Outcome.COMPLIED, Sanction.Outcome.ESCALATED):
        raise ValidationError({"outcome": _("Choose complied or escalated.")})
    not_future(on, "outcome_on")
    if on < sanction.issued_on:
        raise ValidationError({"outcome_on": _("The step cannot close before it was issued.")})
    if outcome == Sanction.Outcome.ESCALATED and sanction.deadline and on <= sanction.deadline:
        raise ValidationError(
            {"outcome_on": _("The Ormas has until %(deadline)s to comply.") % {"deadline": sanction.deadline}}
        )
    before = snapshot(sanction, ["outcome", "outcome_on", "outcome_note"])
    sanction.outcome, sanction.outcome_on, sanction.outcome_note = outcome, on, note.strip()
    sanction.save(update_fields=["outcome", "outcome_on", "outcome_note"])
    audit(
        "registry.sanction.resolve",
        sanction,
        by,
        organisation,
        diff(before, snapshot(sanction, ["outcome", "outcome_on", "outcome_note"])),
    )
    return sanction


@transaction.atomic
def activity_report_add(
    *,
    by: User,
    organisation: Organisation,
    held_on: datetime.date,
    kind: str,
    title: str,
    place: str,
    participants: int,
    description: str = "",
    photos: Iterable[File[Any]] = (),
) -> ActivityReport:
    """Record an activity (kerja bakti, ronda, posyandu, a meeting) with up to 10 photos; filed by
    the organisation's representative or by staff."""
    if not permissions.can_edit_or_represent(by, organisation):
        raise PermissionDenied(_("You may not report for %(organisation)s.") % {"organisation": organisation})
    if kind not in ActivityReport.Kind.values:
        raise ValidationError({"kind": _("Choose a valid kind of activity.")})
    not_future(held_on, "held_on")
    if participants < 0:
        raise ValidationError({"participants": _("The number of participants cannot be negative.")})
    photos = list(photos)
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(count)d photos.") % {"count": MAX_PHOTOS}})
    uploads = [checked(photo, "photos", rules.PHOTO_TYPES) for photo in photos]
    report = ActivityReport(
        organisation=organisation,
        held_on=held_on,
        kind=kind,
        title=required_text(title, "title"),
        place=required_text(place, "place"),
        participants=participants,
        description=description.strip(),
        created_by=by,
    )
    report.full_clean()
    report.save()
    for photo, upload in zip(photos, uploads, strict=True):
        stored = ActivityPhoto(report=report)
        store(stored.image, photo, upload)
        stored.save()
    changes = diff({}, snapshot(report, ["held_on", "kind", "title", "place", "participants"]))
    changes["photos"] = [0, len(photos)]
    audit("registry.activity_report.add", report, by, organisation, changes)
    return report
