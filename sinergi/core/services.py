"""Writes to the core: the calendar of public holidays that working-day deadlines rest on."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.audit.services import diff, record, snapshot
from sinergi.core import workdays
from sinergi.core.models import PublicHoliday
from sinergi.territory.models import Region

if TYPE_CHECKING:
    from sinergi.accounts.models import User

HOLIDAY_FIELDS = ["date", "name", "is_collective_leave"]


def can_edit_calendar(user: User) -> bool:
    """The calendar is national, so only superusers and administrators of a province unit edit it."""
    if user.is_superuser and user.is_active:
        return True
    return any(
        role.kind == role.Kind.ADMIN and role.unit is not None and role.unit.region.level == Region.Level.PROVINCE
        for role in user.active_roles()
    )


def _require_calendar_editor(by: User) -> None:
    if not can_edit_calendar(by):
        raise PermissionDenied(_("Only a province administrator may edit the holiday calendar."))


@transaction.atomic
def public_holiday_save(
    *, by: User, date: datetime.date, name: str, is_collective_leave: bool = False
) -> PublicHoliday:
    """Add the holiday on ``date``, or change its name and kind if that day is already one."""
    _require_calendar_editor(by)
    holiday = PublicHoliday.objects.select_for_update().filter(date=date).first()
    before = snapshot(holiday, HOLIDAY_FIELDS) if holiday else {}
    if holiday is None:
        holiday = PublicHoliday.objects.create(date=date, name=name, is_collective_leave=is_collective_leave)
        action = "core.public_holiday.create"
    else:
        holiday.name, holiday.is_collective_leave = name, is_collective_leave
        holiday.save(update_fields=["name", "is_collective_leave"])
        action = "core.public_holiday.update"
    changes = diff(before, snapshot(holiday, HOLIDAY_FIELDS))
    if changes:
        record(action=action, obj=holiday, actor=by, region_code=by.home_region_code(), changes=changes)
    transaction.on_commit(lambda: workdays.forget([date.year]))
    return holiday


@transaction.atomic
def public_holiday_delete(*, by: User, holiday: PublicHoliday) -> None:
    """Make ``holiday``'s date a working day again (when a decree moves a holiday, say)."""
    _require_calendar_editor(by)
    year = holiday.date.year
    record(
        action="core.public_holiday.delete",
        obj=holiday,
        actor=by,
        region_code=by.home_region_code(),
        changes=diff(snapshot(holiday, HOLIDAY_FIELDS), {}),
    )
    holiday.delete()
    transaction.on_commit(lambda: workdays.forget([year]))
