"""What the activity report (laporan kegiatan) and the certificates show, gathered in a few queries.

The report follows the usual structure of a laporan kegiatan: I. basis, purpose, time and place,
organiser; II. programme with speakers and materials; III. participants by kind of organisation
and by area, attendance per day; IV. commitments signed; V. test results and knowledge gain;
VI. satisfaction (IKM); VII. minutes, decisions and follow-ups; VIII. photos; annex: the attendance
list of every day.
"""

from __future__ import annotations

import io
import logging
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from sinergi.core.pdf import data_uri
from sinergi.events.models import (
    Certificate,
    CheckIn,
    Event,
    EventCommitment,
    Participant,
    Photo,
    Session,
    SurveyResponse,
)
from sinergi.events.selectors import after, after_scoring
from sinergi.territory.models import Region

logger = logging.getLogger(__name__)

PHOTOS_IN_REPORT = 8
PHOTO_MAX_PIXELS = 900


@dataclass
class DayAttendance:
    day: Any
    present: int
    rate: Decimal | None
    check_ins: list[CheckIn] = field(default_factory=list)


def percentage(part: int, whole: int) -> Decimal | None:
    return after_scoring.to_decimal(Fraction(part * 100, whole)) if whole else None


def area_code(organisation_region_code: str, event_region_code: str) -> str:
    """The region one level below the event's territory that holds the organisation (its kecamatan
    for a city event, its kelurahan for a kecamatan event); the organisation's own region when it
    lies outside the event's territory or at its level."""
    if not organisation_region_code.startswith(event_region_code + "."):
        return organisation_region_code
    depth = event_region_code.count(".") + 2
    return ".".join(organisation_region_code.split(".")[:depth])


def _photo_uri(photo: Photo) -> str | None:
    """A photo shrunk for print, inline; None when the file is missing or is not an image."""
    from PIL import Image, UnidentifiedImageError

    try:
        with photo.image.open("rb") as handle, Image.open(handle) as image:
            image.thumbnail((PHOTO_MAX_PIXELS, PHOTO_MAX_PIXELS))
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=80)
    except (OSError, UnidentifiedImageError, ValueError):
        logger.warning("photo %s of event %s cannot be read for the report", photo.pk, photo.event_id)
        return None
    return data_uri(out.getvalue(), "image/jpeg")


def report_context(event: Event) -> dict[str, Any]:
    """Everything the activity report prints, counted from the records of the event."""
    days = list(event.days.all())
    participants = list(
        event.participants.filter(status=Participant.Status.REGISTERED)
        .select_related("organisation__kind", "organisation__region")
        .order_by("full_name", "pk")
    )
    registered = len(participants)
    check_ins = list(
        CheckIn.objects.filter(day__event=event, participant__status=Participant.Status.REGISTERED)
        .select_related("participant__organisation", "day")
        .order_by("day__date", "participant__full_name", "pk")
    )
    by_day: dict[int, list[CheckIn]] = {d.pk: [] for d in days}
    for check_in in check_ins:
        by_day.setdefault(check_in.day_id, []).append(check_in)
    attendance = [
        DayAttendance(
            day=d, present=len(by_day[d.pk]), rate=percentage(len(by_day[d.pk]), registered), check_ins=by_day[d.pk]
        )
        for d in days
    ]
    attended_ids = {c.participant_id for c in check_ins}
    person_days = len(check_ins)

    # Participants by kind of organisation and by area.
    kinds = Counter(p.organisation.kind.name if p.organisation else _("Individuals") for p in participants)
    area_codes = Counter(
        area_code(p.organisation.region.code, event.region.code) if p.organisation else "" for p in participants
    )
    names = dict(Region.objects.filter(code__in=[c for c in area_codes if c]).values_list("code", "name"))
    areas = sorted(
        (
            (names.get(code, _("Not tied to an area")) if code else _("Not tied to an area"), n)
            for code, n in area_codes.items()
        ),
        key=lambda item: (-item[1], item[0]),
    )

    sessions = list(
        Session.objects.filter(event=event)
        .select_related("day")
        .prefetch_related("speakers", "materials")
        .order_by("day__date", "starts_at")
    )

    commitments = list(
        EventCommitment.objects.filter(event=event)
        .select_related("text")
        .annotate(signed=Count("signatures", distinct=True))
    )

    gain, results = after.knowledge_gain(event)
    tests = after.tests_of(event)
    ikm = after.ikm_of(event)
    element_labels = {f.name: f.verbose_name for f in SurveyResponse._meta.fields if f.name in SurveyResponse.ELEMENTS}

    minutes = getattr(event, "minutes", None)  # a reverse one-to-one: None when nobody wrote minutes
    photos = [
        (photo, uri)
        for photo in Photo.objects.filter(event=event).order_by("uploaded_at", "pk")[:PHOTOS_IN_REPORT]
        if (uri := _photo_uri(photo)) is not None
    ]

    return {
        "event": event,
        "days": days,
        "first_day": days[0] if days else None,
        "last_day": days[-1] if days else None,
        "registered": registered,
        "attended": len(attended_ids),
        "attended_rate": percentage(len(attended_ids), registered),
        "person_days": person_days,
        "person_days_rate": percentage(person_days, registered * len(days)),
        "attendance": attendance,
        "by_kind": sorted(kinds.items(), key=lambda item: (-item[1], str(item[0]))),
        "by_area": areas,
        "sessions": sessions,
        "speaker_count": sum(len(s.speakers.all()) for s in sessions),
        "commitments": commitments,
        "tests": tests,
        "gain": gain,
        "results": results,
        "ikm": ikm,
        "ikm_rows": [(element_labels[e.element], e) for e in ikm.elements] if ikm else [],
        "suggestions": after.suggestions_of(event),
        "minutes": minutes,
        "follow_ups": list(event.follow_ups.all()),
        "photos": photos,
        "certificates": Certificate.objects.filter(participant__event=event, revoked_at__isnull=True).count(),
    }


# Certificates ------------------------------------------------------------------------------------


def verify_url(code: str) -> str:
    """The absolute address of a certificate's public verification page (what its QR code opens)."""
    return settings.SITE_URL.rstrip("/") + reverse("events:certificate-verify", args=[code])


def _qr(text: str) -> str:
    """A QR code as a small PNG: printed at 3 cm it stays sharp, and a PNG lays out much faster than
    an SVG when hundreds of certificates are printed at once."""
    import segno

    return str(segno.make(text, error="m").png_data_uri(scale=6, border=2))


def certificate_pages(event: Event, certificates: list[Certificate]) -> dict[str, Any]:
    """The context of ``events/pdf/after_certificate.html`` for some certificates of ``event``."""
    days = list(event.days.all())
    return {
        "event": event,
        "first_day": days[0] if days else None,
        "last_day": days[-1] if days else None,
        "pages": [
            {
                "certificate": c,
                "participant": c.participant,
                "url": verify_url(c.code),
                "qr": _qr(verify_url(c.code)),
            }
            for c in certificates
        ],
    }


def certificates_for_print(event: Event) -> list[Certificate]:
    return list(
        Certificate.objects.filter(participant__event=event, revoked_at__isnull=True)
        .select_related("participant__organisation")
        .order_by("participant__full_name", "pk")
    )
