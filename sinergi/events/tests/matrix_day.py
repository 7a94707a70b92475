"""The permission-matrix rows of the events' day stage (merged by tests/matrix.py).

The day stage builds its own published event in Kelurahan Gambir (organised by the kelurahan
office, so the lurah operator edits it), with a registered participant checked in and signed, the
Gambir office's integrity pact attached and signed, minutes, a follow-up, a photo and a finished
attendance document. The RT chair's organisation is not invited, so the chair does not see it (404);
the participant's page is open to anyone with the token."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sinergi.core.tests.matrix_rows import (
    API_OPEN,
    API_REGION,
    API_SIGNED_IN,
    OPEN,
    POST_ONLY,
    REFUSED,
    REGION,
    STAFF_EDITOR,
    STAFF_ONLY,
    MatrixContext,
    row,
)
from sinergi.events.models import (
    CheckIn,
    CommitmentSignature,
    CommitmentText,
    Event,
    EventCommitment,
    EventDay,
    FollowUp,
    GeneratedDocument,
    Minutes,
    Participant,
    Photo,
)

#                      anon admin viewer lurah outsider west chair
EVENT_READ = REGION  # whoever sees Kelurahan Gambir sees its event
EVENT_EDIT = row(302, 200, 403, 200, 404, 404, 404)  # staff who write there; a viewer only looks
API_EVENT_WRITE = row(401, 0, 403, 0, 404, 404, 404)
NOBODY = row(405, 405, 405, 405, 405, 405, 405)  # the participant's POST-only form: no login needed

PAGES: dict[str, Any] = {
    "events:check-in": (lambda w, t: [w.x["day_event"].pk], EVENT_EDIT),
    "events:check-in-submit": (lambda w, t: [w.x["day_event"].pk, w.x["day_day"].pk], POST_ONLY),
    "events:check-in-search": (lambda w, t: [w.x["day_event"].pk, w.x["day_day"].pk], EVENT_EDIT),
    "events:check-in-sign": (lambda w, t: [w.x["day_event"].pk, w.x["day_check_in"].pk], POST_ONLY),
    "events:attendance-pdf": (lambda w, t: [w.x["day_event"].pk, w.x["day_day"].pk], EVENT_READ),
    "events:attendance-blank-pdf": (lambda w, t: [w.x["day_event"].pk, w.x["day_day"].pk], EVENT_READ),
    "events:day-documents": (lambda w, t: [w.x["day_event"].pk], EVENT_READ),
    "events:day-document-file": (lambda w, t: [w.x["day_event"].pk, w.x["day_document"].pk], EVENT_READ),
    "events:commitments": (lambda w, t: [w.x["day_event"].pk], EVENT_READ),
    "events:commitment-detach": (lambda w, t: [w.x["day_event"].pk, w.x["day_commitment"].pk], POST_ONLY),
    "events:commitments-pdf": (lambda w, t: [w.x["day_event"].pk], EVENT_READ),
    "events:minutes": (lambda w, t: [w.x["day_event"].pk], EVENT_READ),
    "events:follow-up-add": (lambda w, t: [w.x["day_event"].pk], POST_ONLY),
    "events:follow-up-done": (lambda w, t: [w.x["day_event"].pk, w.x["day_follow_up"].pk], POST_ONLY),
    "events:photos": (lambda w, t: [w.x["day_event"].pk], EVENT_READ),
    "events:photo": (lambda w, t: [w.x["day_event"].pk, w.x["day_photo"].pk], EVENT_READ),
    "events:photo-delete": (lambda w, t: [w.x["day_event"].pk, w.x["day_photo"].pk], POST_ONLY),
    "events:commitment-texts": (lambda w, t: [], STAFF_ONLY),
    "events:commitment-text-create": (lambda w, t: [], STAFF_EDITOR),
    "events:commitment-text": (lambda w, t: [w.x["day_text"].pk], REGION),
    "events:participant": (lambda w, t: [w.x["day_participant"].token], OPEN),
    "events:commitment-sign": (lambda w, t: [w.x["day_participant"].token, w.x["day_commitment"].pk], NOBODY),
}

WRITES: dict[str, Any] = {
    "events:check-in-submit": ({"code": "x" * 32}, REFUSED),
    "events:check-in-sign": ({"signature": ""}, REFUSED),
    "events:day-documents": ({"kind": "attendance_blank"}, REFUSED),
    "events:commitments": ({"text": 0}, REFUSED),
    "events:commitment-detach": ({}, REFUSED),
    "events:minutes": ({"summary": "Diubah"}, REFUSED),
    "events:follow-up-add": ({"action": "x", "owner": "y"}, REFUSED),
    "events:follow-up-done": ({}, REFUSED),
    "events:photos": ({"caption": "x"}, REFUSED),
    "events:photo-delete": ({}, REFUSED),
    "events:commitment-text-create": (
        {"kind": "other", "title": "Ikrar", "body": "Teks."},
        ("viewer", "chair"),
    ),
    "events:commitment-text": ({"body": "Versi baru."}, REFUSED),
}


def _check_in_path(w: Any) -> dict[str, Any]:
    return {"pk": w.x["day_event"].pk, "day_pk": w.x["day_day"].pk}


API: dict[tuple[str, str], Any] = {
    ("get", "/api/v1/events/{pk}/days/{day_pk}/check-ins"): (lambda w, t: _check_in_path(w), None, API_REGION),
    ("post", "/api/v1/events/{pk}/days/{day_pk}/check-ins"): (
        lambda w, t: _check_in_path(w),
        lambda w: {"code": w.x["day_participant"].token},
        API_EVENT_WRITE,
    ),
    ("get", "/api/v1/events/library/commitment-texts"): (lambda w, t: {}, None, API_SIGNED_IN),
    ("post", "/api/v1/events/library/commitment-texts"): (
        lambda w, t: {},
        lambda w: {"unit_id": w.x["day_text"].unit_id, "kind": "other", "title": "Ikrar", "body": "Teks."},
        row(401, 0, 403, 0, 403, 403, 403),
    ),
    ("get", "/api/v1/events/{pk}/commitments"): (lambda w, t: {"pk": w.x["day_event"].pk}, None, API_REGION),
    ("post", "/api/v1/events/{pk}/commitments"): (
        lambda w, t: {"pk": w.x["day_event"].pk},
        lambda w: {"text_id": w.x["day_text"].pk},
        API_EVENT_WRITE,
    ),
    ("get", "/api/v1/events/{pk}/commitments/{commitment_pk}/signatures"): (
        lambda w, t: {"pk": w.x["day_event"].pk, "commitment_pk": w.x["day_commitment"].pk},
        None,
        API_REGION,
    ),
    ("get", "/api/v1/events/by-token/{token}"): (
        lambda w, t: {"token": w.x["day_participant"].token},
        None,
        API_OPEN,
    ),
    # The token is the key, for anyone: a signature under a stale text is refused (422) whoever sends it.
    ("post", "/api/v1/events/by-token/{token}/commitments/{commitment_pk}/sign"): (
        lambda w, t: {"token": w.x["day_participant"].token, "commitment_pk": w.x["day_commitment"].pk},
        {"typed_name": "Peserta Matriks", "drawn": "data:image/png;base64,", "digest": "0" * 64},
        row(422, 422, 422, 422, 422, 422, 422),
    ),
}
FORM_BODIES: set[str] = set()
SNAPSHOT_MODELS: list[Any] = [
    CheckIn,
    CommitmentText,
    EventCommitment,
    CommitmentSignature,
    Minutes,
    FollowUp,
    Photo,
    GeneratedDocument,
]


def _jpeg() -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (40, 120, 200)).save(buffer, format="JPEG")
    return SimpleUploadedFile("foto.jpg", buffer.getvalue(), content_type="image/jpeg")


def _signature() -> str:
    from sinergi.events.tests.conftest_day import png_data_uri

    return png_data_uri()


def build(ctx: MatrixContext) -> dict[str, Any]:
    from sinergi.events.services import day_checkin, day_commitments, day_documents, day_records
    from sinergi.events.services.plan import participant_identity

    lurah, unit, kelurahan = ctx.lurah, ctx.units.kel_gambir, ctx.territory.kel_gambir
    event = Event.objects.create(
        kind=Event.Kind.MEETING,
        unit=unit,
        region=kelurahan,
        title="Rapat Koordinasi Lembaga Kemasyarakatan Kelurahan Gambir",
        venue="Aula Kantor Kelurahan Gambir",
        status=Event.Status.PUBLISHED,
        published_at=timezone.now(),
        created_by=lurah,
    )
    day = EventDay.objects.create(
        event=event,
        date=timezone.localdate() + datetime.timedelta(days=7),
        starts_at=datetime.time(9),
        ends_at=datetime.time(12),
    )
    participant = Participant.objects.create(
        event=event,
        full_name="Peserta Matriks",
        identity=participant_identity(full_name="Peserta Matriks"),
        source=Participant.Source.STAFF,
    )
    check_in = day_checkin.check_in(by=lurah, day=day, token=participant.token, signature=_signature()).check_in
    text = day_commitments.commitment_text_create(
        by=lurah, unit=unit, kind=CommitmentText.Kind.INTEGRITY_PACT, title="Pakta Integritas", body="Kami berjanji."
    )
    commitment = day_commitments.event_commitment_attach(by=lurah, event=event, text=text)
    day_commitments.commitment_sign(
        participant=participant,
        commitment=commitment,
        typed_name="Peserta Matriks",
        drawn=_signature(),
        digest=day_commitments.text_digest(text),
    )
    day_records.minutes_save(by=lurah, event=event, summary="Koordinasi.")
    follow_up = day_records.follow_up_add(by=lurah, event=event, action="Rapat lanjutan", owner="Lurah")
    photo = day_records.photo_add(by=lurah, event=event, image=_jpeg(), caption="Foto")
    document = day_documents.day_document_request(by=lurah, event=event, kind=GeneratedDocument.Kind.ATTENDANCE_BLANK)
    day_documents.day_document_make(document_id=document.pk)
    return {
        "day_event": event,
        "day_day": day,
        "day_participant": participant,
        "day_check_in": check_in,
        "day_text": text,
        "day_commitment": commitment,
        "day_follow_up": follow_up,
        "day_photo": photo,
        "day_document": document,
    }
