"""Writes to the breach record. Each checks the writer administers the unit's territory and is audited."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import Unit, User
from sinergi.audit.services import diff, record, snapshot
from sinergi.privacy.models import Breach

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
