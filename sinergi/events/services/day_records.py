"""The record of the day: minutes (notulen) with decisions, follow-ups with who and by when, and
photo documentation (JPEG or PNG, checked by content and size)."""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit.services import record
from sinergi.events import permissions
from sinergi.events.models import Event, FollowUp, Minutes, Photo
from sinergi.events.services.day_common import require_held_or_running
from sinergi.registry import rules

if TYPE_CHECKING:
    from django.core.files import File

    from sinergi.accounts.models import User


def photo_max_bytes() -> int:
    return int(getattr(settings, "SINERGI_EVENTS_PHOTO_MAX_BYTES", 8 * 1024 * 1024))


@transaction.atomic
def minutes_save(*, by: User, event: Event, summary: str, decisions: str = "") -> Minutes:
    """Write or rewrite the minutes of the event."""
    permissions.require_edit(by, event)
    require_held_or_running(event)
    summary, decisions = (summary or "").strip(), (decisions or "").strip()
    if not summary:
        raise ValidationError({"summary": _("Summarise the discussion.")})
    minutes = Minutes.objects.select_for_update().filter(event=event).first()
    before = {"summary": minutes.summary, "decisions": minutes.decisions} if minutes else {}
    if minutes is None:
        minutes = Minutes(event=event, summary=summary, decisions=decisions, recorded_by=by)
        minutes.save()
    else:
        minutes.summary, minutes.decisions, minutes.recorded_by = summary, decisions, by
        minutes.updated_at = timezone.now()
        minutes.save(update_fields=["summary", "decisions", "recorded_by", "updated_at"])
    after = {"summary": summary, "decisions": decisions}
    record(
        action="events.minutes.save",
        obj=minutes,
        actor=by,
        region_code=event.region.code,
        changes={k: [before.get(k), v] for k, v in after.items() if before.get(k) != v},
    )
    return minutes


@transaction.atomic
def follow_up_add(*, by: User, event: Event, action: str, owner: str, due_on: datetime.date | None = None) -> FollowUp:
    """Record a follow-up agreed at the event."""
    permissions.require_edit(by, event)
    require_held_or_running(event)
    action, owner = (action or "").strip(), (owner or "").strip()
    errors: dict[str, Any] = {}
    if not action:
        errors["action"] = _("Say what is to be done.")
    if not owner:
        errors["owner"] = _("Say who does it.")
    if errors:
        raise ValidationError(errors)
    item = FollowUp.objects.create(event=event, action=action, owner=owner, due_on=due_on)
    record(
        action="events.follow_up.create",
        obj=item,
        actor=by,
        region_code=event.region.code,
        changes={"action": [None, action], "owner": [None, owner], "due_on": [None, due_on]},
    )
    return item


@transaction.atomic
def follow_up_done(*, by: User, follow_up: FollowUp, done_on: datetime.date | None = None) -> FollowUp:
    """Mark a follow-up done (today unless told)."""
    event = follow_up.event
    permissions.require_edit(by, event)
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("A follow-up cannot be done in the future.")})
    before = follow_up.done_on
    follow_up.done_on = done_on
    follow_up.save(update_fields=["done_on"])
    record(
        action="events.follow_up.done",
        obj=follow_up,
        actor=by,
        region_code=event.region.code,
        changes={"done_on": [before, done_on]},
    )
    return follow_up


def _check_photo(image: File[Any]) -> rules.Upload:
    name = (image.name or "").rsplit("/", 1)[-1]
    limit = photo_max_bytes()
    if (image.size or 0) > limit:
        raise ValidationError(
            {
                "image": _("The file %(name)s is %(size)s; a photo may be at most %(max)s.")
                % {"name": name, "size": filesizeformat(image.size), "max": filesizeformat(limit)}
            }
        )
    try:
        upload = rules.check_upload(image, allowed=rules.PHOTO_TYPES)
    except ValidationError as exc:
        raise ValidationError({"image": exc.messages}) from None
    from PIL import Image, UnidentifiedImageError

    try:
        image.seek(0)
        with Image.open(image) as opened:
            opened.verify()
    except (UnidentifiedImageError, OSError, ValueError):
        raise ValidationError({"image": _("The file %(name)s is not a readable photo.") % {"name": name}}) from None
    image.seek(0)
    return upload


@transaction.atomic
def photo_add(*, by: User, event: Event, image: File[Any], caption: str = "") -> Photo:
    """Add a photo of the event: a JPEG or PNG, checked by its content, within the size limit."""
    permissions.require_edit(by, event)
    require_held_or_running(event)
    upload = _check_photo(image)
    photo = Photo(event=event, caption=(caption or "").strip()[:255], uploaded_by=by)
    photo.image.save(f"{uuid.uuid4().hex}.{upload.type}", image, save=False)
    photo.save()
    record(
        action="events.photo.create",
        obj=photo,
        actor=by,
        region_code=event.region.code,
        changes={"caption": [None, photo.caption], "size": [None, upload.size]},
    )
    return photo


@transaction.atomic
def photo_delete(*, by: User, photo: Photo) -> None:
    """Remove a photo (and, after the transaction, its file)."""
    event = photo.event
    permissions.require_edit(by, event)
    record(
        action="events.photo.delete",
        obj=photo,
        actor=by,
        region_code=event.region.code,
        changes={"caption": [photo.caption, None]},
    )
    name, storage = photo.image.name, photo.image.storage
    photo.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
