"""Check-in: a participant present on one day of an event, found by the token in their QR code or by
name, counted once per day however often they are scanned; and the signature they draw on the
staff phone at check-in."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit.services import record
from sinergi.events import permissions
from sinergi.events.models import CheckIn, EventDay, Participant
from sinergi.events.services.day_common import clean_signature, require_open_for_attendance

if TYPE_CHECKING:
    from sinergi.accounts.models import User

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@dataclass(frozen=True)
class CheckInResult:
    """The check-in, and whether this scan made it (False: the participant was already in)."""

    check_in: CheckIn
    created: bool


def token_from_scan(text: str) -> str:
    """The participant token in what a QR code holds: the absolute URL of their page
    (``https://.../kegiatan/peserta/<token>/``) or the bare token typed by hand. Empty if neither."""
    text = (text or "").strip()
    if "/peserta/" in text:
        text = text.split("/peserta/", 1)[1].split("/", 1)[0].split("?", 1)[0]
    return text if TOKEN_RE.match(text) else ""


def _participant_for(day: EventDay, *, token: str, participant: Participant | None) -> Participant:
    if participant is None:
        found = token_from_scan(token)
        if not found:
            raise ValidationError(_("This code is not a Sinergi participant code."))
        participant = Participant.objects.select_related("organisation").filter(token=found).first()
        if participant is None:
            raise ValidationError(_("This code is not a Sinergi participant code."))
    if participant.event_id != day.event_id:
        raise ValidationError(_("This participant is registered for another event, not this one."))
    if participant.status == Participant.Status.CANCELLED:
        raise ValidationError(_("%(name)s's registration was cancelled.") % {"name": participant.full_name})
    if participant.status == Participant.Status.WAITLISTED:
        raise ValidationError(
            _("%(name)s is on the waiting list and has no place at this event.") % {"name": participant.full_name}
        )
    return participant


@transaction.atomic
def check_in(
    *,
    by: User,
    day: EventDay,
    token: str = "",
    participant: Participant | None = None,
    method: str = CheckIn.Method.QR,
    signature: str = "",
    at: datetime.datetime | None = None,
) -> CheckInResult:
    """Check a participant in for ``day``, by the token their QR code holds or (found by name) by
    ``participant``. A second scan the same day returns the first check-in unchanged: a participant
    counts once per day. ``at`` backdates a check-in recorded later (from a paper list)."""
    event = day.event
    permissions.require_edit(by, event)
    require_open_for_attendance(event)
    found = _participant_for(day, token=token, participant=participant)
    if signature:
        signature = clean_signature(signature)
    existing = CheckIn.objects.filter(participant=found, day=day).select_related("participant").first()
    if existing is not None:
        return CheckInResult(existing, created=False)
    now = at or timezone.now()
    item = CheckIn(
        participant=found,
        day=day,
        checked_in_at=now,
        checked_in_by=by,
        method=method,
        signature=signature,
        signed_at=now if signature else None,
    )
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        # The same participant scanned on two phones at once: the other scan won.
        return CheckInResult(CheckIn.objects.select_related("participant").get(participant=found, day=day), False)
    record(
        action="events.checkin.create",
        obj=item,
        actor=by,
        region_code=event.region.code,
        changes={"participant": [None, found.pk], "day": [None, str(day.date)], "method": [None, method]},
    )
    return CheckInResult(item, created=True)


@transaction.atomic
def check_in_sign(*, by: User, check_in: CheckIn, signature: str) -> CheckIn:
    """Store the signature the participant drew at check-in; once stored it does not change."""
    event = check_in.day.event
    permissions.require_edit(by, event)
    require_open_for_attendance(event)
    item = CheckIn.objects.select_for_update().get(pk=check_in.pk)
    if item.signature:
        raise ValidationError(_("%(name)s has already signed the attendance list.") % {"name": check_in.participant})
    item.signature = clean_signature(signature)
    item.signed_at = timezone.now()
    item.save(update_fields=["signature", "signed_at"])
    record(
        action="events.checkin.sign",
        obj=item,
        actor=by,
        region_code=event.region.code,
        changes={"signed_at": [None, str(item.signed_at)]},
    )
    check_in.signature, check_in.signed_at = item.signature, item.signed_at
    return item
