"""The permission-matrix rows of the events' plan stage (merged by tests/matrix.py).

``build`` makes, with the real services, a published training of Kelurahan Gambir organised by the
kelurahan office (the lurah operator edits it), with one day, a session with a speaker and a
material, open registration switched on, an invitation to the RT chair's organisation answered
with one delegate, a pending invitation to the Ormas of Kecamatan Gambir, and a finished
participants' spreadsheet. The RT chair sees the event because their organisation is invited.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from sinergi.core.tests.matrix_rows import (
    ADMIN_LIST,
    ADMIN_OBJECT,
    API_OPEN,
    API_ORG,
    API_REGION,
    API_SIGNED_IN,
    API_WRITE,
    OPEN,
    ORG_EDIT,
    ORG_READ,
    POST_ONLY,
    REFUSED,
    REGION,
    SIGNED_IN,
    STAFF_EDITOR,
    VIEWER_OUTSIDER_WEST,
    MatrixContext,
    row,
)
from sinergi.events.models import (
    Event,
    EventDay,
    GeneratedDocument,
    Invitation,
    LetterNumbering,
    Material,
    Participant,
    Session,
    Speaker,
)
from sinergi.registry.tests.conftest import PDF

DAY = timezone.localdate() + datetime.timedelta(days=30)


def _e(w: Any) -> int:
    return int(w.x["event"].pk)


PAGES: dict[str, Any] = {
    "events:list": (lambda w, t: [], SIGNED_IN),
    "events:calendar": (lambda w, t: [], SIGNED_IN),
    "events:create": (lambda w, t: [], STAFF_EDITOR),
    "events:numbering": (lambda w, t: [], ADMIN_LIST),
    "events:numbering-edit": (lambda w, t: [w.x["event"].unit_id], ADMIN_OBJECT),
    "events:detail": (lambda w, t: [_e(w)], ORG_READ),
    "events:edit": (lambda w, t: [_e(w)], ORG_EDIT),
    "events:publish": (lambda w, t: [_e(w)], POST_ONLY),
    "events:start": (lambda w, t: [_e(w)], POST_ONLY),
    "events:finish": (lambda w, t: [_e(w)], POST_ONLY),
    "events:cancel": (lambda w, t: [_e(w)], ORG_EDIT),
    "events:date-add": (lambda w, t: [_e(w)], ORG_EDIT),
    "events:date-edit": (lambda w, t: [_e(w), w.x["day"].pk], ORG_EDIT),
    "events:date-remove": (lambda w, t: [_e(w), w.x["day"].pk], POST_ONLY),
    "events:session-add": (lambda w, t: [_e(w)], ORG_EDIT),
    "events:session-edit": (lambda w, t: [_e(w), w.x["session"].pk], ORG_EDIT),
    "events:session-remove": (lambda w, t: [_e(w), w.x["session"].pk], POST_ONLY),
    "events:speaker-add": (lambda w, t: [_e(w), w.x["session"].pk], ORG_EDIT),
    "events:speaker-remove": (lambda w, t: [_e(w), w.x["speaker"].pk], POST_ONLY),
    "events:material-add": (lambda w, t: [_e(w), w.x["session"].pk], ORG_EDIT),
    "events:material": (lambda w, t: [_e(w), w.x["material"].pk], ORG_READ),
    "events:material-remove": (lambda w, t: [_e(w), w.x["material"].pk], POST_ONLY),
    "events:invitations": (lambda w, t: [_e(w)], REGION),
    "events:audience": (lambda w, t: [_e(w)], ORG_EDIT),
    "events:invitations-create": (lambda w, t: [_e(w)], POST_ONLY),
    "events:invitations-send": (lambda w, t: [_e(w)], POST_ONLY),
    "events:invitation-individual": (lambda w, t: [_e(w)], ORG_EDIT),
    "events:invitation-remove": (lambda w, t: [_e(w), w.x["plan_pending_invitation"].pk], POST_ONLY),
    "events:my-invitations": (lambda w, t: [], SIGNED_IN),
    "events:invitation-answer": (lambda w, t: [w.x["invitation"].pk], ORG_READ),
    "events:invitation-letter": (lambda w, t: [w.x["invitation"].pk], ORG_READ),
    "events:participants": (lambda w, t: [_e(w)], REGION),
    "events:participant-add": (lambda w, t: [_e(w)], ORG_EDIT),
    "events:participant-cancel": (lambda w, t: [_e(w), w.x["participant"].pk], POST_ONLY),
    "events:plan-document-request": (lambda w, t: [_e(w), "excel"], POST_ONLY),
    "events:plan-document": (lambda w, t: [_e(w), w.x["plan_document"].pk], REGION),
    "events:plan-document-download": (lambda w, t: [_e(w), w.x["plan_document"].pk], REGION),
    "events:register-open": (lambda w, t: [w.x["event"].registration_token], OPEN),
}

_DAY = {"date": (DAY + datetime.timedelta(days=1)).isoformat(), "starts_at": "09:00", "ends_at": "12:00"}
_SESSION = {"starts_at": "10:00", "ends_at": "11:00", "title": "Diskusi"}

WRITES: dict[str, Any] = {
    "events:edit": ({"kind": "meeting", "title": "X", "venue": "Y", "delegates_per_organisation": "2"}, REFUSED),
    "events:publish": ({}, REFUSED),
    "events:start": ({}, REFUSED),
    "events:finish": ({}, REFUSED),
    "events:cancel": ({"reason": "Banjir"}, REFUSED),
    "events:date-add": (_DAY, REFUSED),
    "events:date-edit": (_DAY, REFUSED),
    "events:date-remove": ({}, REFUSED),
    "events:session-add": (_SESSION, REFUSED),
    "events:session-edit": (_SESSION, REFUSED),
    "events:session-remove": ({}, REFUSED),
    "events:speaker-add": ({"name": "Narasumber", "institution": "BPS"}, REFUSED),
    "events:speaker-remove": ({}, REFUSED),
    "events:material-add": ({"title": "Paparan"}, REFUSED),
    "events:material-remove": ({}, REFUSED),
    "events:audience": ({"kinds": ["rt"]}, REFUSED),
    "events:invitations-create": ({}, REFUSED),
    "events:invitations-send": ({}, REFUSED),
    "events:invitation-individual": ({"full_name": "Pejabat"}, REFUSED),
    "events:invitation-remove": ({}, REFUSED),
    "events:invitation-answer": ({"attending": "no", "reason": "x"}, VIEWER_OUTSIDER_WEST),
    "events:participant-add": ({"full_name": "Peserta Baru", "phone": "081277778888"}, REFUSED),
    "events:participant-cancel": ({}, VIEWER_OUTSIDER_WEST),  # the chair may cancel their own delegate
    "events:plan-document-request": ({}, ("outsider", "west", "chair")),  # reading staff may export
    "events:numbering-edit": ({"pattern": "{number}", "unit_code": "X", "classification": "005"}, REFUSED),
}


def _p(w: Any, t: Any) -> dict[str, Any]:
    return {"pk": _e(w)}


def _material_upload(client: Client, path: str) -> Any:
    upload = SimpleUploadedFile("paparan.pdf", PDF, content_type="application/pdf")
    return client.post(path, {"title": "Paparan", "file": upload})


#                         anon admin viewer lurah outsider west chair
API_ANSWER = row(401, 0, 403, 0, 404, 404, 0)  # staff who edit, or the organisation's representative
API_EXPORT = row(401, 0, 0, 0, 404, 404, 404)  # any staff who see the event
API_UNIT_ADMIN = row(401, 0, 404, 404, 404, 404, 404)

API: dict[tuple[str, str], Any] = {
    ("get", "/api/v1/events/"): (lambda w, t: {}, None, API_SIGNED_IN),
    ("post", "/api/v1/events/"): (
        lambda w, t: {},
        lambda w: {
            "kind": "meeting",
            "unit_id": w.x["event"].unit_id,
            "region": w.x["event"].region.code,
            "title": "Rapat",
            "venue": "Aula",
            "days": [{"date": DAY.isoformat(), "starts_at": "09:00", "ends_at": "10:00"}],
        },
        # Only the kelurahan office's own staff organise for it: others are told to choose their unit.
        row(401, 422, 403, 0, 422, 422, 403),
    ),
    ("get", "/api/v1/events/{pk}/"): (_p, None, API_ORG),
    ("patch", "/api/v1/events/{pk}/"): (_p, {"title": "X"}, API_WRITE),
    ("post", "/api/v1/events/{pk}/publish"): (_p, {}, API_WRITE),
    ("post", "/api/v1/events/{pk}/start"): (_p, {}, API_WRITE),
    ("post", "/api/v1/events/{pk}/finish"): (_p, {}, API_WRITE),
    ("post", "/api/v1/events/{pk}/cancel"): (_p, {"reason": "Banjir"}, API_WRITE),
    ("post", "/api/v1/events/{pk}/days"): (_p, _DAY, API_WRITE),
    ("delete", "/api/v1/events/{pk}/days/{day_pk}"): (
        lambda w, t: {"pk": _e(w), "day_pk": w.x["day"].pk},
        None,
        API_WRITE,
    ),
    ("get", "/api/v1/events/{pk}/sessions"): (_p, None, API_ORG),
    ("post", "/api/v1/events/{pk}/sessions"): (_p, lambda w: {"day_id": w.x["day"].pk, **_SESSION}, API_WRITE),
    ("delete", "/api/v1/events/{pk}/sessions/{session_pk}"): (
        lambda w, t: {"pk": _e(w), "session_pk": w.x["session"].pk},
        None,
        API_WRITE,
    ),
    ("post", "/api/v1/events/{pk}/sessions/{session_pk}/speakers"): (
        lambda w, t: {"pk": _e(w), "session_pk": w.x["session"].pk},
        {"name": "Narasumber"},
        API_WRITE,
    ),
    ("delete", "/api/v1/events/{pk}/speakers/{speaker_pk}"): (
        lambda w, t: {"pk": _e(w), "speaker_pk": w.x["speaker"].pk},
        None,
        API_WRITE,
    ),
    ("post", "/api/v1/events/{pk}/sessions/{session_pk}/materials"): (
        lambda w, t: {"pk": _e(w), "session_pk": w.x["session"].pk},
        lambda w: _material_upload,
        API_WRITE,
    ),
    ("get", "/api/v1/events/{pk}/materials/{material_pk}/file"): (
        lambda w, t: {"pk": _e(w), "material_pk": w.x["material"].pk},
        None,
        API_ORG,
    ),
    ("get", "/api/v1/events/{pk}/audience"): (_p, None, API_REGION),
    ("put", "/api/v1/events/{pk}/audience"): (_p, {"kinds": ["rt"]}, API_WRITE),
    ("get", "/api/v1/events/{pk}/invitations"): (_p, None, API_REGION),
    ("post", "/api/v1/events/{pk}/invitations"): (_p, {}, API_WRITE),
    ("post", "/api/v1/events/{pk}/invitations/individual"): (_p, {"full_name": "Pejabat"}, API_WRITE),
    ("post", "/api/v1/events/{pk}/invitations/send"): (_p, {}, API_WRITE),
    ("get", "/api/v1/events/invitations/mine"): (lambda w, t: {}, None, API_SIGNED_IN),
    ("get", "/api/v1/events/invitations/{invitation_pk}"): (
        lambda w, t: {"invitation_pk": w.x["invitation"].pk},
        None,
        API_ORG,
    ),
    ("post", "/api/v1/events/invitations/{invitation_pk}/answer"): (
        lambda w, t: {"invitation_pk": w.x["invitation"].pk},
        {"attending": False, "reason": "x"},
        API_ANSWER,
    ),
    ("get", "/api/v1/events/invitations/{invitation_pk}/letter"): (
        lambda w, t: {"invitation_pk": w.x["invitation"].pk},
        None,
        API_ORG,
    ),
    ("get", "/api/v1/events/{pk}/participants"): (_p, None, API_REGION),
    ("post", "/api/v1/events/{pk}/participants"): (_p, {"full_name": "Peserta", "phone": "081277778888"}, API_WRITE),
    ("post", "/api/v1/events/{pk}/participants/{participant_pk}/cancel"): (
        lambda w, t: {"pk": _e(w), "participant_pk": w.x["participant"].pk},
        {},
        API_ANSWER,
    ),
    ("post", "/api/v1/events/{pk}/exports"): (_p, {"kind": "participants_xlsx"}, API_EXPORT),
    ("get", "/api/v1/events/{pk}/exports/{doc_pk}"): (
        lambda w, t: {"pk": _e(w), "doc_pk": w.x["plan_document"].pk},
        None,
        API_REGION,
    ),
    ("get", "/api/v1/events/{pk}/exports/{doc_pk}/file"): (
        lambda w, t: {"pk": _e(w), "doc_pk": w.x["plan_document"].pk},
        None,
        API_REGION,
    ),
    ("get", "/api/v1/events/letter-numbering"): (lambda w, t: {}, None, API_SIGNED_IN),
    ("put", "/api/v1/events/letter-numbering/{unit_pk}"): (
        lambda w, t: {"unit_pk": w.x["event"].unit_id},
        {"pattern": "{number}/{year}"},
        API_UNIT_ADMIN,
    ),
    ("get", "/api/v1/events/register/{token}"): (
        lambda w, t: {"token": w.x["event"].registration_token},
        None,
        API_OPEN,
    ),
    ("post", "/api/v1/events/register/{token}"): (
        lambda w, t: {"token": w.x["event"].registration_token},
        {"full_name": "Warga", "phone": "081311112222"},
        row(0, 0, 0, 0, 0, 0, 0),  # open to anyone with the link: each call registers someone
    ),
}
FORM_BODIES: set[str] = set()
SNAPSHOT_MODELS: list[Any] = [Event, EventDay, Session, Speaker, Material, Invitation, Participant, LetterNumbering]


def build(ctx: MatrixContext) -> dict[str, Any]:
    from sinergi.events.services import plan as services
    from sinergi.events.services.plan_documents import document_make

    w, lurah = ctx.world, ctx.lurah
    event = services.event_create(
        by=lurah,
        unit=ctx.units.kel_gambir,
        region=ctx.territory.kel_gambir,
        kind="training",
        title="Pembekalan Ketua RT dan RW Kelurahan Gambir",
        venue="Aula Kantor Kelurahan Gambir",
        days=[services.DayInput(DAY, datetime.time(9), datetime.time(15))],
        capacity=40,
        open_registration=True,
        signatory_name="Lurah Gambir",
        signatory_position="Lurah",
    )
    services.event_publish(by=lurah, event=event)
    day = event.days.get()
    session = services.session_add(
        by=lurah, event=event, day=day, starts_at=datetime.time(9), ends_at=datetime.time(10), title="Pembukaan"
    )
    speaker = services.speaker_add(by=lurah, session=session, name="Camat Gambir", institution="Kecamatan Gambir")
    material = services.material_add(
        by=lurah,
        session=session,
        title="Paparan",
        file=SimpleUploadedFile("paparan.pdf", PDF, content_type="application/pdf"),
    )
    invitation = Invitation.objects.create(event=event, organisation=w.org, addressee="Ketua RT 001/RW 001 Gambir")
    services.invitation_answer(
        by=w.rt_chair, invitation=invitation, attending=True, delegates=[{"full_name": "Slamet", "phone": "0811223344"}]
    )
    pending = Invitation.objects.create(event=event, organisation=w.ormas, addressee="Ketua Perkumpulan Warga Gambir")
    participant = Participant.objects.get(invitation=invitation)
    document = GeneratedDocument.objects.create(
        event=event, kind=GeneratedDocument.Kind.PARTICIPANTS_XLSX, requested_by=lurah
    )
    document_make(document_id=document.pk)
    event.refresh_from_db()
    return {
        "event": event,
        "day": day,
        "invitation": invitation,
        "participant": participant,
        "session": session,
        "speaker": speaker,
        "material": material,
        "plan_pending_invitation": pending,
        "plan_document": document,
    }
