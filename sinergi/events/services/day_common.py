"""What the day stage's services share: the event states that allow a change, and the signature
drawn on a screen (a PNG data URI) checked before it is stored."""

from __future__ import annotations

import base64
import binascii
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sinergi.events.models import Event

PNG_PREFIX = "data:image/png;base64,"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def signature_max_bytes() -> int:
    return int(getattr(settings, "SINERGI_EVENTS_SIGNATURE_MAX_BYTES", 150_000))


def require_open_for_attendance(event: Event) -> None:
    """Attendance, signatures at check-in and commitments change only while the event is published
    or running: not in a draft, not after it was cancelled or finished."""
    if event.status == Event.Status.FINISHED:
        raise ValidationError(_("This event is finished: its attendance and signatures can no longer change."))
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("This event was cancelled."))
    if event.status == Event.Status.DRAFT:
        raise ValidationError(_("This event is not published yet."))


def require_held_or_running(event: Event) -> None:
    """Minutes and photos belong to an event that takes place (published, running or finished)."""
    if event.status in (Event.Status.DRAFT, Event.Status.CANCELLED):
        raise ValidationError(_("Minutes and photos are kept only for published events."))


def clean_signature(drawn: str, *, field: str = "signature") -> str:
    """A signature drawn on the screen: a PNG data URI, not too large, not empty. Returns it as given."""
    drawn = (drawn or "").strip()
    if not drawn:
        raise ValidationError({field: _("Draw the signature in the box.")})
    if not drawn.startswith(PNG_PREFIX):
        raise ValidationError({field: _("The signature must be a PNG image drawn in the box.")})
    if len(drawn) > signature_max_bytes() * 4 // 3 + len(PNG_PREFIX) + 4:
        raise ValidationError({field: _("The signature image is too large.")})
    try:
        content = base64.b64decode(drawn[len(PNG_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({field: _("The signature must be a PNG image drawn in the box.")}) from None
    if not content.startswith(PNG_MAGIC):
        raise ValidationError({field: _("The signature must be a PNG image drawn in the box.")})
    if not _has_ink(content):
        raise ValidationError({field: _("Draw the signature in the box.")})
    return drawn


def _has_ink(content: bytes) -> bool:
    """Whether the PNG holds any stroke: a blank canvas is transparent (or all white)."""
    from PIL import Image, ImageChops, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.width * image.height > 4_000_000:
                return False
            rgba = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, ValueError):
        return False
    if rgba.getchannel("A").getbbox() is None:
        return False
    # Opaque: ink is anything darker than near-white.
    grey = rgba.convert("L").point(lambda v: 255 if v < 200 else 0)
    alpha = rgba.getchannel("A").point(lambda v: 255 if v > 0 else 0)
    return ImageChops.multiply(grey, alpha).getbbox() is not None
