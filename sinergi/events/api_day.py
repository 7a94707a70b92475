"""Day endpoints under /api/v1/events: check-in by the token of a participant's QR code (a second
scan answers 200 with the first check-in, a new one 201), the event's commitments and their
signatures, the library of commitment texts, and the participant's own page by token (no account:
the token is the key), where they sign.

The same services and scope as the pages: an event outside the caller's territory answers 404, a
viewer's write 403, a refused input 422 with the message."""

from __future__ import annotations

import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from pydantic import Field

from sinergi.accounts.models import Unit
from sinergi.core import context as request_context
from sinergi.core.http import ApiRequest
from sinergi.events import permissions
from sinergi.events.models import CheckIn, CommitmentSignature, CommitmentText, Event, EventCommitment, EventDay
from sinergi.events.selectors import day as selectors
from sinergi.events.services import day_checkin, day_commitments

router = Router(tags=["events: on the day"])


def _event(request: ApiRequest, pk: int) -> Event:
    return permissions.event_get(request.auth, pk)


def _day(event: Event, day_pk: int) -> EventDay:
    return get_object_or_404(event.days, pk=day_pk)


# Check-in ----------------------------------------------------------------------------------------


class CheckInIn(Schema):
    code: str = Field("", description="What the QR code holds (the participant page's URL) or the bare token.")
    participant_id: int | None = Field(None, description="A participant found by name, instead of a code.")
    signature: str = Field("", description="Optional: a PNG data URI drawn at check-in.")


class CheckInOut(Schema):
    id: int
    participant_id: int
    participant_name: str
    organisation: str
    day_id: int
    date: datetime.date
    checked_in_at: datetime.datetime
    method: str
    signed: bool
    already: bool = Field(False, description="True when the participant was already checked in on this day.")

    @staticmethod
    def resolve_participant_name(obj: CheckIn) -> str:
        return obj.participant.full_name

    @staticmethod
    def resolve_organisation(obj: CheckIn) -> str:
        organisation = obj.participant.organisation
        return organisation.name if organisation is not None else ""

    @staticmethod
    def resolve_date(obj: CheckIn) -> datetime.date:
        return obj.day.date

    @staticmethod
    def resolve_signed(obj: CheckIn) -> bool:
        return bool(obj.signature)


@router.get("/{pk}/days/{day_pk}/check-ins", response=list[CheckInOut], summary="Who is checked in on a day")
def check_in_list(request: ApiRequest, pk: int, day_pk: int) -> list[CheckIn]:
    event = _event(request, pk)
    day = _day(event, day_pk)
    return list(day.check_ins.select_related("participant__organisation", "day").order_by("checked_in_at"))


@router.post(
    "/{pk}/days/{day_pk}/check-ins",
    response={200: CheckInOut, 201: CheckInOut},
    summary="Check a participant in by QR code or by id (a second scan is answered, not counted)",
)
def check_in_create(request: ApiRequest, pk: int, day_pk: int, payload: CheckInIn) -> Status[CheckInOut]:
    event = _event(request, pk)
    day = _day(event, day_pk)
    participant = None
    if payload.participant_id is not None:
        participant = event.participants.filter(pk=payload.participant_id).first()
        if participant is None:
            raise Http404
    result = day_checkin.check_in(
        by=request.auth,
        day=day,
        token=payload.code,
        participant=participant,
        method=CheckIn.Method.SEARCH if participant else CheckIn.Method.QR,
        signature=payload.signature,
    )
    out = CheckInOut.from_orm(result.check_in)
    out.already = not result.created
    return Status(201 if result.created else 200, out)


# Commitments -------------------------------------------------------------------------------------


class TextOut(Schema):
    id: int
    unit_id: int
    kind: str
    title: str
    version: int
    body: str
    digest: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_digest(obj: CommitmentText) -> str:
        return day_commitments.text_digest(obj)


class TextIn(Schema):
    unit_id: int
    kind: str
    title: str
    body: str


class CommitmentOut(Schema):
    id: int
    text: TextOut
    signed: int = 0


class AttachIn(Schema):
    text_id: int


class SignatureOut(Schema):
    id: int
    commitment_id: int
    participant_id: int
    typed_name: str
    signed_at: datetime.datetime
    text_digest: str


@router.get("/library/commitment-texts", response=list[TextOut], summary="Commitment texts the caller may use")
def text_list(request: ApiRequest) -> list[CommitmentText]:
    return list(selectors.texts_for(request.auth).order_by("unit__name", "kind", "title", "-version"))


@router.post("/library/commitment-texts", response={201: TextOut}, summary="Add a text (or its next version)")
def text_create(request: ApiRequest, payload: TextIn) -> Status[CommitmentText]:
    unit = get_object_or_404(Unit.objects.filter(is_active=True), pk=payload.unit_id)
    text = day_commitments.commitment_text_create(
        by=request.auth, unit=unit, kind=payload.kind, title=payload.title, body=payload.body
    )
    return Status(201, text)


@router.get("/{pk}/commitments", response=list[CommitmentOut], summary="The texts the event's participants sign")
def commitment_list(request: ApiRequest, pk: int) -> list[EventCommitment]:
    return selectors.commitments(_event(request, pk))


@router.post("/{pk}/commitments", response={201: CommitmentOut}, summary="Attach a text from the library")
def commitment_attach(request: ApiRequest, pk: int, payload: AttachIn) -> Status[EventCommitment]:
    event = _event(request, pk)
    text = get_object_or_404(selectors.texts_for(request.auth), pk=payload.text_id)
    commitment = day_commitments.event_commitment_attach(by=request.auth, event=event, text=text)
    return Status(201, commitment)


@router.get(
    "/{pk}/commitments/{commitment_pk}/signatures", response=list[SignatureOut], summary="Who signed a commitment"
)
def signature_list(request: ApiRequest, pk: int, commitment_pk: int) -> list[CommitmentSignature]:
    event = _event(request, pk)
    commitment = get_object_or_404(event.commitments, pk=commitment_pk)
    return list(commitment.signatures.order_by("signed_at", "pk"))


# The participant, by token -----------------------------------------------------------------------


class DayStateOut(Schema):
    day_id: int
    date: datetime.date
    checked_in_at: datetime.datetime | None


class CommitmentStateOut(Schema):
    id: int
    title: str
    version: int
    body: str
    digest: str
    signed_at: datetime.datetime | None


class ParticipantPageOut(Schema):
    full_name: str
    event_id: int
    event_title: str
    status: str
    days: list[DayStateOut]
    commitments: list[CommitmentStateOut]


class SignIn(Schema):
    typed_name: str
    drawn: str = Field(description="The drawn signature: a PNG data URI.")
    digest: str = Field(description="The SHA-256 of the text as read (``digest`` in the participant's page).")


@router.get("/by-token/{token}", auth=None, response=ParticipantPageOut, summary="A participant's page (no account)")
def participant_get(request: ApiRequest, token: str) -> ParticipantPageOut:
    participant = permissions.participant_by_token(token)
    state = selectors.participant_state(participant)
    return ParticipantPageOut(
        full_name=participant.full_name,
        event_id=participant.event_id,
        event_title=participant.event.title,
        status=participant.status,
        days=[
            DayStateOut(day_id=d.pk, date=d.date, checked_in_at=c.checked_in_at if c else None) for d, c in state.days
        ],
        commitments=[
            CommitmentStateOut(
                id=c.pk,
                title=c.text.title,
                version=c.text.version,
                body=c.text.body,
                digest=day_commitments.text_digest(c.text),
                signed_at=s.signed_at if s else None,
            )
            for c, s in state.commitments
        ],
    )


@router.post(
    "/by-token/{token}/commitments/{commitment_pk}/sign",
    auth=None,
    response={201: SignatureOut},
    summary="The participant signs a commitment (no account: the token is the key)",
)
def participant_sign(
    request: ApiRequest, token: str, commitment_pk: int, payload: SignIn
) -> Status[CommitmentSignature]:
    participant = permissions.participant_by_token(token)
    commitment = get_object_or_404(
        participant.event.commitments.select_related("text", "event__region"), pk=commitment_pk
    )
    signature = day_commitments.commitment_sign(
        participant=participant,
        commitment=commitment,
        typed_name=payload.typed_name,
        drawn=payload.drawn,
        digest=payload.digest,
        ip_address=request_context.current().ip or None,
        user_agent=request.headers.get("User-Agent", ""),
    )
    return Status(201, signature)
