"""Plan-stage endpoints under /api/v1/events: events with their days and programme, the audience and
invitations, the representative's answer, participants, exports, letter numbering and open
registration.

The same services and selectors as the pages and the same scope: an event that does not exist and
one outside the caller's scope both answer 404; a viewer's write 403 (``PermissionDenied``); bad
input 422 (``ValidationError``), with the handlers of ``config/api.py``.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from sinergi.accounts.models import Unit
from sinergi.core.api import LocalTime, Pagination
from sinergi.core.http import ApiRequest
from sinergi.events import permissions
from sinergi.events.forms_plan import unit_filter, writable_units
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
from sinergi.events.selectors import plan as selectors
from sinergi.events.services import plan as services
from sinergi.events.services import plan_documents, plan_notify
from sinergi.registry.targeting import Audience, preview
from sinergi.registry.views.common import file_response
from sinergi.territory.models import Region

router = Router(tags=["events"])

# One event is ``/api/v1/events/{pk}/`` (with the slash, like the list): the three stages' routers
# share the prefix, and a bare ``/{pk}`` would also catch single-word paths such as
# ``/letter-numbering`` or the after stage's ``/question-banks``.


def _event(request: ApiRequest, pk: int) -> Event:
    return permissions.event_get(request.auth, pk)


def _editable(request: ApiRequest, pk: int) -> Event:
    event = _event(request, pk)
    permissions.require_edit(request.auth, event)
    return event


def _staff_event(request: ApiRequest, pk: int) -> Event:
    """Invitation and participant lists are for staff who see the event."""
    event = _event(request, pk)
    if not request.auth.is_government_staff:
        raise Http404
    return event


# Events ---------------------------------------------------------------------------------------------


class DayOut(Schema):
    id: int
    date: datetime.date
    starts_at: LocalTime
    ends_at: LocalTime


class EventOut(Schema):
    id: int
    kind: str
    status: str
    title: str
    theme: str
    unit_id: int
    unit_name: str
    region_code: str
    venue: str
    venue_address: str
    capacity: int | None
    delegates_per_organisation: int
    open_registration: bool
    letter_number: str
    letter_date: datetime.date | None
    first_date: datetime.date | None = None

    @staticmethod
    def resolve_unit_name(obj: Event) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_region_code(obj: Event) -> str:
        return obj.region.code


class EventDetailOut(EventOut):
    basis: str
    purpose: str
    budget_line: str
    cancel_reason: str
    letter_place: str
    signatory_name: str
    signatory_position: str
    signatory_nip: str
    audience: dict[str, Any]
    days: list[DayOut]
    counts: dict[str, int]

    @staticmethod
    def resolve_days(obj: Event) -> list[EventDay]:
        return list(obj.days.all())

    @staticmethod
    def resolve_counts(obj: Event) -> dict[str, int]:
        return selectors.event_counts(obj)


class DayIn(Schema):
    date: datetime.date
    starts_at: LocalTime
    ends_at: LocalTime


class EventFields(Schema):
    theme: str = ""
    basis: str = ""
    purpose: str = ""
    venue_address: str = ""
    capacity: int | None = Field(None, ge=1)
    delegates_per_organisation: int = Field(2, ge=1, le=50)
    open_registration: bool = False
    budget_line: str = Field("", max_length=200)
    letter_number: str = Field("", max_length=120)
    letter_date: datetime.date | None = None
    letter_place: str = Field("Jakarta", max_length=60)
    signatory_name: str = Field("", max_length=150)
    signatory_position: str = Field("", max_length=150)
    signatory_nip: str = Field("", max_length=21)


class EventIn(EventFields):
    kind: Literal["meeting", "training", "briefing", "coaching", "gathering", "other"]
    unit_id: int
    region: str = Field(description="Kemendagri code of the territory the event is for.")
    title: str = Field(max_length=200)
    venue: str = Field(max_length=200)
    days: list[DayIn] = Field(min_length=1, max_length=31)


class EventPatch(Schema):
    kind: Literal["meeting", "training", "briefing", "coaching", "gathering", "other"] | None = None
    title: str | None = Field(None, max_length=200)
    theme: str | None = None
    basis: str | None = None
    purpose: str | None = None
    venue: str | None = Field(None, max_length=200)
    venue_address: str | None = None
    capacity: int | None = Field(None, ge=1)
    delegates_per_organisation: int | None = Field(None, ge=1, le=50)
    open_registration: bool | None = None
    budget_line: str | None = Field(None, max_length=200)
    letter_number: str | None = Field(None, max_length=120)
    letter_date: datetime.date | None = None
    letter_place: str | None = Field(None, max_length=60)
    signatory_name: str | None = Field(None, max_length=150)
    signatory_position: str | None = Field(None, max_length=150)
    signatory_nip: str | None = Field(None, max_length=21)


@router.get("", response=list[EventOut], summary="Events in the caller's scope")
@paginate(Pagination)
def event_list(request: ApiRequest, q: str = "", status: str = "") -> QuerySet[Event]:
    return selectors.event_list(request.auth, q=q[:100], status=status)


@router.post("", response={201: EventDetailOut}, summary="Create an event (a draft)")
def event_create(request: ApiRequest, payload: EventIn) -> Status[Event]:
    if not permissions.can_create_in(request.auth):
        raise PermissionDenied(_("You may not create events."))
    data = payload.dict()
    unit = writable_units(request.auth).filter(pk=data.pop("unit_id")).first()
    if unit is None:
        raise ValidationError({"unit_id": _("Choose a unit you work for.")})
    region = Region.objects.filter(code=data.pop("region")).first()
    if region is None or not request.auth.can_write(region):
        raise ValidationError({"region": _("Choose a territory you work in.")})
    days = [services.DayInput(**d) for d in data.pop("days")]
    event = services.event_create(
        by=request.auth,
        unit=unit,
        region=region,
        kind=data.pop("kind"),
        title=data.pop("title"),
        venue=data.pop("venue"),
        days=days,
        **data,
    )
    return Status(201, _event(request, event.pk))


@router.get("/{pk}/", response=EventDetailOut, summary="One event")
def event_get(request: ApiRequest, pk: int) -> Event:
    return _event(request, pk)


@router.patch("/{pk}/", response=EventDetailOut, summary="Change an event (only the fields sent)")
def event_update(request: ApiRequest, pk: int, payload: EventPatch) -> Event:
    event = _editable(request, pk)
    fields = payload.dict(exclude_unset=True)
    services.event_update(by=request.auth, event=event, **fields)
    return _event(request, pk)


@router.post("/{pk}/publish", response=EventDetailOut, summary="Publish a draft (gives the letter number)")
def event_publish(request: ApiRequest, pk: int) -> Event:
    services.event_publish(by=request.auth, event=_editable(request, pk))
    return _event(request, pk)


@router.post("/{pk}/start", response=EventDetailOut, summary="Mark a published event as running")
def event_start(request: ApiRequest, pk: int) -> Event:
    services.event_start(by=request.auth, event=_editable(request, pk))
    return _event(request, pk)


@router.post("/{pk}/finish", response=EventDetailOut, summary="Finish an event")
def event_finish(request: ApiRequest, pk: int) -> Event:
    services.event_finish(by=request.auth, event=_editable(request, pk))
    return _event(request, pk)


class CancelIn(Schema):
    reason: str = Field(min_length=1, max_length=255)


@router.post("/{pk}/cancel", response=EventDetailOut, summary="Cancel an event, with a reason")
def event_cancel(request: ApiRequest, pk: int, payload: CancelIn) -> Event:
    services.event_cancel(by=request.auth, event=_editable(request, pk), reason=payload.reason)
    return _event(request, pk)


@router.post("/{pk}/days", response={201: DayOut}, summary="Add a day")
def day_add(request: ApiRequest, pk: int, payload: DayIn) -> Status[EventDay]:
    event = _editable(request, pk)
    return Status(201, services.event_day_add(by=request.auth, event=event, **payload.dict()))


@router.delete("/{pk}/days/{day_pk}", response={204: None}, summary="Remove a day")
def day_remove(request: ApiRequest, pk: int, day_pk: int) -> Status[None]:
    event = _editable(request, pk)
    services.event_day_remove(by=request.auth, day=get_object_or_404(EventDay, pk=day_pk, event=event))
    return Status(204, None)


# Programme ------------------------------------------------------------------------------------------


class SpeakerOut(Schema):
    id: int
    name: str
    position: str
    institution: str


class MaterialOut(Schema):
    id: int
    title: str
    uploaded_at: datetime.datetime


class SessionOut(Schema):
    id: int
    day_id: int
    starts_at: LocalTime
    ends_at: LocalTime
    title: str
    description: str
    speakers: list[SpeakerOut]
    materials: list[MaterialOut]

    @staticmethod
    def resolve_speakers(obj: Session) -> list[Speaker]:
        return list(obj.speakers.all())

    @staticmethod
    def resolve_materials(obj: Session) -> list[Material]:
        return list(obj.materials.all())


class SessionIn(Schema):
    day_id: int
    starts_at: LocalTime
    ends_at: LocalTime
    title: str = Field(max_length=200)
    description: str = ""


class SpeakerIn(Schema):
    name: str = Field(max_length=150)
    position: str = Field("", max_length=150)
    institution: str = Field("", max_length=150)


@router.get("/{pk}/sessions", response=list[SessionOut], summary="The programme")
def session_list(request: ApiRequest, pk: int) -> list[Session]:
    event = _event(request, pk)
    return list(event.sessions.select_related("day").prefetch_related("speakers", "materials"))


@router.post("/{pk}/sessions", response={201: SessionOut}, summary="Add a session")
def session_add(request: ApiRequest, pk: int, payload: SessionIn) -> Status[Session]:
    event = _editable(request, pk)
    data = payload.dict()
    day = event.days.filter(pk=data.pop("day_id")).first()
    if day is None:
        raise ValidationError({"day_id": _("Choose a day of this event.")})
    return Status(201, services.session_add(by=request.auth, event=event, day=day, **data))


@router.delete("/{pk}/sessions/{session_pk}", response={204: None}, summary="Remove a session")
def session_remove(request: ApiRequest, pk: int, session_pk: int) -> Status[None]:
    event = _editable(request, pk)
    services.session_remove(by=request.auth, session=get_object_or_404(Session, pk=session_pk, event=event))
    return Status(204, None)


@router.post("/{pk}/sessions/{session_pk}/speakers", response={201: SpeakerOut}, summary="Add a speaker")
def speaker_add(request: ApiRequest, pk: int, session_pk: int, payload: SpeakerIn) -> Status[Speaker]:
    event = _editable(request, pk)
    session = get_object_or_404(Session.objects.select_related("event"), pk=session_pk, event=event)
    return Status(201, services.speaker_add(by=request.auth, session=session, **payload.dict()))


@router.delete("/{pk}/speakers/{speaker_pk}", response={204: None}, summary="Remove a speaker")
def speaker_remove(request: ApiRequest, pk: int, speaker_pk: int) -> Status[None]:
    event = _editable(request, pk)
    speaker = get_object_or_404(Speaker.objects.select_related("session__event"), pk=speaker_pk, session__event=event)
    services.speaker_remove(by=request.auth, speaker=speaker)
    return Status(204, None)


@router.post("/{pk}/sessions/{session_pk}/materials", response={201: MaterialOut}, summary="Upload a material")
def material_add(
    request: ApiRequest, pk: int, session_pk: int, title: Form[str], file: File[UploadedFile]
) -> Status[Material]:
    event = _editable(request, pk)
    session = get_object_or_404(Session.objects.select_related("event"), pk=session_pk, event=event)
    return Status(201, services.material_add(by=request.auth, session=session, title=title, file=file))


@router.get("/{pk}/materials/{material_pk}/file", summary="Download a material")
def material_file(request: ApiRequest, pk: int, material_pk: int) -> FileResponse:
    event = _event(request, pk)
    material = get_object_or_404(Material, pk=material_pk, session__event=event)
    return file_response(material.file)


# Audience and invitations ---------------------------------------------------------------------------


class AudienceIn(Schema):
    kinds: list[str] = []
    region_codes: list[str] = []
    organisation_ids: list[int] = []


class AudiencePreviewOut(Schema):
    audience: dict[str, Any]
    by_kind: dict[str, int]


class InvitationOut(Schema):
    id: int
    event_id: int
    organisation_id: int | None
    addressee: str
    answer: str
    answered_at: datetime.datetime | None
    decline_reason: str
    sent_at: datetime.datetime | None


class DelegateOut(Schema):
    id: int
    full_name: str
    position: str
    status: str
    is_substitute: bool
    substitute_for: str
    page_url: str

    @staticmethod
    def resolve_page_url(obj: Participant) -> str:
        return plan_notify.participant_page_url(obj)


class InvitationDetailOut(InvitationOut):
    delegates: list[DelegateOut]

    @staticmethod
    def resolve_delegates(obj: Invitation) -> list[Participant]:
        return list(obj.participants.exclude(status=Participant.Status.CANCELLED))


class CountOut(Schema):
    count: int


class IndividualIn(Schema):
    full_name: str = Field(max_length=150)
    position: str = Field("", max_length=150)
    addressee: str = Field("", max_length=255)
    email: str = ""
    phone: str = Field("", max_length=30)


class DelegateIn(Schema):
    full_name: str = Field(max_length=150)
    position: str = Field("", max_length=150)
    phone: str = Field("", max_length=30)
    email: str = ""
    substitute_for: str = Field("", max_length=150)


class AnswerIn(Schema):
    attending: bool
    delegates: list[DelegateIn] = Field(default_factory=list, max_length=50)
    reason: str = Field("", max_length=255)


@router.put("/{pk}/audience", response=AudiencePreviewOut, summary="Set the audience (rule and/or named organisations)")
def audience_set(request: ApiRequest, pk: int, payload: AudienceIn) -> dict[str, Any]:
    event = _editable(request, pk)
    audience = Audience(
        kinds=tuple(payload.kinds),
        region_codes=tuple(payload.region_codes),
        organisation_ids=tuple(payload.organisation_ids),
    )
    services.audience_set(by=request.auth, event=event, audience=audience)
    return {"audience": audience.as_json(), "by_kind": preview(audience, user=request.auth)}


@router.get("/{pk}/audience", response=AudiencePreviewOut, summary="The audience and how many it reaches")
def audience_get(request: ApiRequest, pk: int) -> dict[str, Any]:
    event = _staff_event(request, pk)
    audience = Audience.from_json(event.audience)
    return {"audience": audience.as_json(), "by_kind": preview(audience, user=request.auth) if event.audience else {}}


@router.get("/{pk}/invitations", response=list[InvitationOut], summary="The event's invitations")
@paginate(Pagination)
def invitation_list(request: ApiRequest, pk: int, answer: str = "") -> QuerySet[Invitation]:
    return selectors.invitations(_staff_event(request, pk), answer=answer)


@router.post(
    "/{pk}/invitations", response={201: CountOut}, summary="Make one invitation per organisation of the audience"
)
def invitations_create(request: ApiRequest, pk: int) -> Status[dict[str, int]]:
    made = services.invitations_create(by=request.auth, event=_editable(request, pk))
    return Status(201, {"count": made})


@router.post("/{pk}/invitations/individual", response={201: InvitationOut}, summary="Invite a person")
def invitation_individual(request: ApiRequest, pk: int, payload: IndividualIn) -> Status[Invitation]:
    event = _editable(request, pk)
    return Status(201, services.invitation_add_individual(by=request.auth, event=event, **payload.dict()))


@router.post("/{pk}/invitations/send", response=CountOut, summary="Send the unsent invitations (in the background)")
def invitations_send(request: ApiRequest, pk: int) -> dict[str, int]:
    return {"count": plan_notify.invitations_send(by=request.auth, event=_editable(request, pk))}


@router.get("/invitations/mine", response=list[InvitationOut], summary="Invitations of the organisations I represent")
@paginate(Pagination)
def my_invitations(request: ApiRequest) -> QuerySet[Invitation]:
    return selectors.my_invitations(request.auth)


@router.get("/invitations/{invitation_pk}", response=InvitationDetailOut, summary="One invitation with its delegates")
def invitation_get(request: ApiRequest, invitation_pk: int) -> Invitation:
    return selectors.invitation_for(request.auth, invitation_pk)


@router.post("/invitations/{invitation_pk}/answer", response=InvitationDetailOut, summary="Answer an invitation")
def invitation_answer(request: ApiRequest, invitation_pk: int, payload: AnswerIn) -> Invitation:
    invitation = selectors.invitation_for(request.auth, invitation_pk)
    services.invitation_answer(
        by=request.auth,
        invitation=invitation,
        attending=payload.attending,
        delegates=[d.dict() for d in payload.delegates],
        reason=payload.reason,
    )
    return selectors.invitation_for(request.auth, invitation_pk)


@router.get("/invitations/{invitation_pk}/letter", summary="The invitation letter (PDF)")
def invitation_letter(request: ApiRequest, invitation_pk: int) -> HttpResponse:
    invitation = selectors.invitation_for(request.auth, invitation_pk)
    response = HttpResponse(plan_documents.invitation_letter_pdf(invitation), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="undangan-{invitation.pk}.pdf"'
    return response


# Participants ---------------------------------------------------------------------------------------


class ParticipantOut(Schema):
    id: int
    event_id: int
    full_name: str
    position: str
    organisation_id: int | None
    invitation_id: int | None
    is_substitute: bool
    substitute_for: str
    source: str
    status: str
    registered_at: datetime.datetime


class ParticipantIn(Schema):
    full_name: str = Field(max_length=150)
    position: str = Field("", max_length=150)
    phone: str = Field("", max_length=30)
    email: str = ""
    substitute_for: str = Field("", max_length=150)


class RegisteredOut(Schema):
    id: int
    full_name: str
    status: str
    page_url: str

    @staticmethod
    def resolve_page_url(obj: Participant) -> str:
        return plan_notify.participant_page_url(obj)


@router.get("/{pk}/participants", response=list[ParticipantOut], summary="The event's participants")
@paginate(Pagination)
def participant_list(request: ApiRequest, pk: int, status: str = "", q: str = "") -> QuerySet[Participant]:
    return selectors.participants(_staff_event(request, pk), status=status, q=q[:100])


@router.post("/{pk}/participants", response={201: RegisteredOut}, summary="Register a participant (staff)")
def participant_add(request: ApiRequest, pk: int, payload: ParticipantIn) -> Status[Participant]:
    event = _editable(request, pk)
    participant = services.participant_register(
        by=request.auth, event=event, source=Participant.Source.STAFF, **payload.dict()
    )
    return Status(201, participant)


@router.post("/{pk}/participants/{participant_pk}/cancel", response=ParticipantOut, summary="Cancel a registration")
def participant_cancel(request: ApiRequest, pk: int, participant_pk: int) -> Participant:
    event = _event(request, pk)
    participant = get_object_or_404(Participant, pk=participant_pk, event=event)
    return services.participant_cancel(by=request.auth, participant=participant)


class ExportIn(Schema):
    kind: Literal["invitation_letters", "participants_xlsx"]


class ExportOut(Schema):
    id: int
    kind: str
    status: str
    progress: int
    error: str
    created_at: datetime.datetime
    finished_at: datetime.datetime | None


def _export(request: ApiRequest, pk: int, doc_pk: int) -> GeneratedDocument:
    event = _staff_event(request, pk)
    kinds = [GeneratedDocument.Kind.INVITATION_LETTERS, GeneratedDocument.Kind.PARTICIPANTS_XLSX]
    return get_object_or_404(GeneratedDocument, pk=doc_pk, event=event, kind__in=kinds)


@router.post("/{pk}/exports", response={202: ExportOut}, summary="Make the letters PDF or participants' Excel")
def export_request(request: ApiRequest, pk: int, payload: ExportIn) -> Status[GeneratedDocument]:
    event = _staff_event(request, pk)
    return Status(202, plan_documents.document_request(by=request.auth, event=event, kind=payload.kind))


@router.get("/{pk}/exports/{doc_pk}", response=ExportOut, summary="An export's progress")
def export_get(request: ApiRequest, pk: int, doc_pk: int) -> GeneratedDocument:
    return _export(request, pk, doc_pk)


@router.get("/{pk}/exports/{doc_pk}/file", summary="Download a finished export")
def export_file(request: ApiRequest, pk: int, doc_pk: int) -> FileResponse:
    document = _export(request, pk, doc_pk)
    if document.status != GeneratedDocument.Status.DONE:
        raise Http404
    return file_response(document.file)


# Letter numbering -----------------------------------------------------------------------------------


class NumberingOut(Schema):
    unit_id: int
    pattern: str
    unit_code: str
    classification: str
    year: int
    last_number: int


class NumberingIn(Schema):
    pattern: str = Field(max_length=120)
    unit_code: str = Field("", max_length=40)
    classification: str = Field("005", max_length=20)


@router.get("/letter-numbering", response=list[NumberingOut], summary="Letter numbering of the units I administer")
def numbering_list(request: ApiRequest) -> list[LetterNumbering]:
    if not request.auth.is_administrator:
        return []
    return list(LetterNumbering.objects.filter(unit__in=Unit.objects.filter(unit_filter(request.auth))))


@router.put("/letter-numbering/{unit_pk}", response=NumberingOut, summary="Change a unit's letter numbering")
def numbering_update(request: ApiRequest, unit_pk: int, payload: NumberingIn) -> LetterNumbering:
    unit = get_object_or_404(Unit.objects.filter(unit_filter(request.auth)), pk=unit_pk)
    if not request.auth.can_administer(unit.region):
        raise Http404
    return services.letter_numbering_update(by=request.auth, unit=unit, **payload.dict())


# Open registration ----------------------------------------------------------------------------------


class OpenEventOut(Schema):
    title: str
    venue: str
    days: list[DayOut]
    unit_name: str

    @staticmethod
    def resolve_days(obj: Event) -> list[EventDay]:
        return list(obj.days.all())

    @staticmethod
    def resolve_unit_name(obj: Event) -> str:
        return obj.unit.name


def _open_event(token: str) -> Event:
    return get_object_or_404(
        Event.objects.select_related("unit", "region").filter(
            open_registration=True, status__in=[Event.Status.PUBLISHED, Event.Status.RUNNING]
        ),
        registration_token=token,
    )


@router.get("/register/{token}", auth=None, response=OpenEventOut, summary="An event open for registration")
def open_event(request: ApiRequest, token: str) -> Event:
    return _open_event(token)


@router.post("/register/{token}", auth=None, response={201: RegisteredOut}, summary="Register through the open link")
def open_register(request: ApiRequest, token: str, payload: ParticipantIn) -> Status[Participant]:
    event = _open_event(token)
    data = payload.dict()
    data.pop("substitute_for")
    try:
        participant = services.participant_register(event=event, by=None, source=Participant.Source.OPEN, **data)
    except PermissionDenied:
        raise Http404 from None
    return Status(201, participant)
