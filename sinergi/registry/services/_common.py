"""What the register's services share: the fields they write and audit, permission and input
checks, the audit event, row locks and uploaded files."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit.services import record
from sinergi.registry import nik as nik_tools
from sinergi.registry import permissions, rules
from sinergi.registry.models import Organisation

if TYPE_CHECKING:
    from django.core.files import File

    from sinergi.accounts.models import User

CONTACT_FIELDS = ["phone", "email", "address", "latitude", "longitude"]
ORGANISATION_FIELDS = [
    "name",
    "abbreviation",
    "parent",
    *CONTACT_FIELDS,
    "founded_on",
    "member_count",
    "field_of_activity",
]
ORGANISATION_STATUS_FIELDS = ["status", "status_since", "status_reason"]
ORGANISATION_AUDIT_FIELDS = ["kind", "region", "rw", "rt", *ORGANISATION_FIELDS, *ORGANISATION_STATUS_FIELDS]
ORMAS_FIELDS = [
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
PERSON_FIELDS = ["full_name", "nik", "phone", "email", "address", "region", "rt"]
PERSON_AUDIT_FIELDS = ["full_name", "nik_masked", "sex", "birth_date", "phone", "email", "address", "region", "rt"]
OFFICER_AUDIT_FIELDS = [
    "person",
    "organisation",
    "position",
    "position_title",
    "sk_number",
    "sk_date",
    "sk_issuer",
    "term_start",
    "term_end",
    "is_acting",
    "no_party_statement",
    "ended_on",
    "end_reason",
]
MAX_PHOTOS = 10


def require_edit(by: User, organisation: Organisation) -> None:
    if not permissions.can_edit(by, organisation):
        raise PermissionDenied(_("You may not change %(organisation)s.") % {"organisation": organisation})


def require_ormas(organisation: Organisation) -> None:
    if not organisation.kind.is_ormas:
        raise ValidationError(_("Only an Ormas has a legal record, coaching and sanctions."))


def required_text(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("This field is required.")})
    return value


def not_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


def audit(action: str, obj: Any, by: User, organisation: Organisation, changes: Mapping[str, Any]) -> None:
    record(action=action, obj=obj, actor=by, region_code=organisation.region.code, changes=changes)


def locked(organisation: Organisation) -> Organisation:
    """Lock the organisation's row so concurrent appointments and sanctions see each other's writes."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).values_list("pk").get()
    return organisation


def checked(file: File[Any], field: str, allowed: frozenset[str] = rules.DOCUMENT_TYPES) -> rules.Upload:
    try:
        return rules.check_upload(file, allowed=allowed)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


def store(field_file: Any, file: File[Any], upload: rules.Upload) -> None:
    """Save a checked file through the storage API under a random name (the row is saved after).

    Files are stored only once everything else was checked, so a refused write leaves none behind.
    """
    field_file.save(f"{uuid.uuid4().hex}.{upload.type}", file, save=False)


def nik_info(nik: str) -> nik_tools.NikInfo:
    """What a NIK encodes, or a ``ValidationError`` on the ``nik`` field."""
    try:
        return nik_tools.validate_nik(nik)
    except ValidationError as exc:
        raise ValidationError({"nik": exc.messages}) from None
