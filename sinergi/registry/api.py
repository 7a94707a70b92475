"""Register endpoints under /api/v1/registry: organisations, officers, persons, documents, activity
reports and change requests.

The same services and selectors as the pages, the same scope: an object that does not exist and
one outside the caller's territory both answer 404. A service's ``ValidationError`` answers 422 and
its ``PermissionDenied`` 403 (handlers in ``config/api.py``).
"""

import datetime
import json
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from sinergi.core.api import Pagination
from sinergi.core.http import ApiRequest
from sinergi.registry import selectors, services
from sinergi.registry.forms import resolve_place
from sinergi.registry.models import (
    ActivityReport,
    ChangeRequest,
    Document,
    Officer,
    Organisation,
    OrganisationKind,
    Person,
)
from sinergi.territory.models import Region

router = Router(tags=["registry"])

MissingData = Literal["chair", "contact", "address", "location", "registration", "documents"]


# Access ------------------------------------------------------------------------------------------


def _organisation(request: ApiRequest, pk: int) -> Organisation:
    """The organisation if the caller sees it; 404 for one that does not exist and one out of scope."""
    return get_object_or_404(
        Organisation.objects.visible_to(request.auth).select_related("kind", "region", "rw", "rt__rw"), pk=pk
    )


def _visible(request: ApiRequest) -> QuerySet[Organisation]:
    return Organisation.objects.visible_to(request.auth)


# Organisations -----------------------------------------------------------------------------------


class OrganisationOut(Schema):
    id: int
    name: str
    abbreviation: str
    kind: str
    kind_name: str
    region_code: str
    rw_number: int | None
    rt_number: int | None
    parent_id: int | None
    status: str
    status_since: datetime.date
    status_reason: str
    phone: str
    email: str
    address: str
    latitude: float | None
    longitude: float | None
    founded_on: datetime.date | None
    member_count: int | None
    field_of_activity: str

    @staticmethod
    def resolve_kind(obj: Organisation) -> str:
        return obj.kind.code

    @staticmethod
    def resolve_kind_name(obj: Organisation) -> str:
        return obj.kind.name

    @staticmethod
    def resolve_region_code(obj: Organisation) -> str:
        return obj.region.code

    @staticmethod
    def resolve_rw_number(obj: Organisation) -> int | None:
        return obj.rw.number if obj.rw_id and obj.rw else None

    @staticmethod
    def resolve_rt_number(obj: Organisation) -> int | None:
        return obj.rt.number if obj.rt_id and obj.rt else None


class OrganisationListOut(OrganisationOut):
    chairs: list[str] = Field(description="Names of the current chair(s).")

    @staticmethod
    def resolve_chairs(obj: Organisation) -> list[str]:
        return [officer.person.full_name for officer in getattr(obj, "current_chairs", [])]


class OrmasOut(Schema):
    legal_form: str
    registration_number: str
    registration_issued_on: datetime.date | None
    registration_expires_on: datetime.date | None
    local_receipt_number: str
    local_receipt_date: datetime.date | None
    npwp: str
    scope: str
    board_level: str


class OrganisationDetailOut(OrganisationOut):
    ormas: OrmasOut | None = None

    @staticmethod
    def resolve_ormas(obj: Organisation) -> Any:
        return getattr(obj, "ormas", None) if obj.kind.is_ormas else None


class OrganisationFilter(Schema):
    q: str = Field("", description="Name, abbreviation, registration number, officer name, or an exact 16-digit NIK.")
    kind: str | None = Field(None, description="An organisation kind's code, e.g. `rt`, `ormas`.")
    region: str | None = Field(None, description="A region code: that region and everything in it.")
    status: Organisation.Status | None = None
    expiring_days: int | None = Field(None, ge=1, le=366)
    missing: MissingData | None = None


@router.get("/organisations", response=list[OrganisationListOut], summary="Organisations in scope")
@paginate(Pagination)
def organisation_list(request: ApiRequest, filters: Query[OrganisationFilter]) -> QuerySet[Organisation]:
    return selectors.organisation_list(
        user=request.auth,
        q=filters.q,
        kind=filters.kind,
        region_code=filters.region,
        status=filters.status,
        expiring_days=filters.expiring_days,
        missing=filters.missing,
    )


class OrganisationFields(Schema):
    abbreviation: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    founded_on: datetime.date | None = None
    member_count: int | None = Field(None, ge=0)
    field_of_activity: str = ""
    parent_id: int | None = None


class OrganisationIn(OrganisationFields):
    kind: str = Field(description="The kind's code, e.g. `rt`, `lmk`, `ormas`.")
    name: str
    region: str = Field(description="Region code; for an RT or RW organisation, its kelurahan.")
    rw_number: int | None = None
    rt_number: int | None = None


def _parent(request: ApiRequest, pk: int | None) -> Organisation | None:
    if pk is None:
        return None
    parent = _visible(request).select_related("kind").filter(pk=pk).first()
    if parent is None:
        raise ValidationError({"parent_id": _("No such organisation.")})
    return parent


@router.post("/organisations", response={201: OrganisationDetailOut}, summary="Register an organisation")
def organisation_create(request: ApiRequest, payload: OrganisationIn) -> Status[Organisation]:
    data = payload.dict()
    kind = OrganisationKind.objects.filter(code=data.pop("kind")).first()
    if kind is None:
        raise ValidationError({"kind": _("No such organisation kind.")})
    region, rw, rt = resolve_place(
        Region.objects.visible_to(request.auth), data.pop("region"), data.pop("rw_number"), data.pop("rt_number")
    )
    parent = _parent(request, data.pop("parent_id"))
    fields = {k: v for k, v in data.items() if v not in (None, "")}
    organisation = services.organisation_create(
        by=request.auth, kind=kind, region=region, rw=rw, rt=rt, parent=parent, **fields
    )
    return Status(201, selectors.organisation_get(user=request.auth, pk=organisation.pk))


@router.get("/organisations/{pk}", response=OrganisationDetailOut, summary="One organisation")
def organisation_detail(request: ApiRequest, pk: int) -> Organisation:
    return selectors.organisation_get(user=request.auth, pk=pk)


class OrganisationPatch(Schema):
    name: str | None = None
    abbreviation: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    founded_on: datetime.date | None = None
    member_count: int | None = Field(None, ge=0)
    field_of_activity: str | None = None
    parent_id: int | None = None
    region: str | None = Field(None, description="Move the organisation (not an RT or RW one) to this region.")


@router.patch("/organisations/{pk}", response=OrganisationDetailOut, summary="Change an organisation")
def organisation_update(request: ApiRequest, pk: int, payload: OrganisationPatch) -> Organisation:
    """Only the fields sent change. A representative may change the contact fields only."""
    organisation = _organisation(request, pk)
    fields = payload.dict(exclude_unset=True)
    if "parent_id" in fields:
        fields["parent"] = _parent(request, fields.pop("parent_id"))
    if "region" in fields:
        fields["region"] = Region.objects.visible_to(request.auth).filter(code=fields["region"] or "").first()
        if fields["region"] is None:
            raise ValidationError({"region": _("Choose a territory you work in.")})
    services.organisation_update(by=request.auth, organisation=organisation, **fields)
    return selectors.organisation_get(user=request.auth, pk=pk)


class StatusIn(Schema):
    status: Organisation.Status
    reason: str
    on: datetime.date | None = None


@router.post("/organisations/{pk}/status", response=OrganisationDetailOut, summary="Change an organisation's status")
def organisation_status(request: ApiRequest, pk: int, payload: StatusIn) -> Organisation:
    organisation = _organisation(request, pk)
    services.organisation_set_status(
        by=request.auth, organisation=organisation, status=payload.status, reason=payload.reason, on=payload.on
    )
    return selectors.organisation_get(user=request.auth, pk=pk)


# Officers ----------------------------------------------------------------------------------------


class OfficerOut(Schema):
    id: int
    organisation_id: int
    person_id: int
    person_name: str
    nik_masked: str
    position: str
    position_title: str
    sk_number: str
    sk_date: datetime.date | None
    sk_issuer: str
    term_start: datetime.date
    term_end: datetime.date
    is_acting: bool
    no_party_statement: bool
    ended_on: datetime.date | None
    end_reason: str
    is_current: bool

    @staticmethod
    def resolve_person_name(obj: Officer) -> str:
        return obj.person.full_name

    @staticmethod
    def resolve_nik_masked(obj: Officer) -> str:
        return obj.person.nik_masked

    @staticmethod
    def resolve_is_current(obj: Officer) -> bool:
        return obj.is_current()


@router.get("/organisations/{pk}/officers", response=list[OfficerOut], summary="An organisation's officers")
def officer_list(request: ApiRequest, pk: int, current: bool | None = None) -> list[Officer]:
    organisation = _organisation(request, pk)
    officers = list(organisation.officers.select_related("person").order_by("position", "-term_start"))
    if current is not None:
        officers = [o for o in officers if o.is_current() == current]
    return officers


class OfficerIn(Schema):
    person_id: int | None = Field(None, description="A person you see; or give `nik`.")
    nik: str | None = Field(None, description="The exact NIK of a registered person.")
    position: Officer.Position
    position_title: str = ""
    term_start: datetime.date
    term_end: datetime.date | None = Field(None, description="Empty: a full term of the organisation's kind.")
    sk_number: str = ""
    sk_date: datetime.date | None = None
    sk_issuer: str = ""
    is_acting: bool = False
    no_party_statement: bool = False


class AppointOut(Schema):
    officer: OfficerOut
    warnings: list[str]


def _person_for(request: ApiRequest, person_id: int | None, nik: str | None) -> Person:
    if nik:
        person = selectors.person_by_nik(user=request.auth, nik=nik)
    elif person_id is not None:
        person = Person.objects.visible_to(request.auth).filter(pk=person_id).first()
    else:
        raise ValidationError({"person_id": _("Give the person's id or NIK.")})
    if person is None:
        raise ValidationError({"person_id": _("No such person; register them first.")})
    return person


@router.post(
    "/organisations/{pk}/officers", response={201: AppointOut}, summary="Appoint an officer (rule warnings returned)"
)
def officer_appoint(request: ApiRequest, pk: int, payload: OfficerIn) -> Status[dict[str, Any]]:
    organisation = _organisation(request, pk)
    data = payload.dict()
    person = _person_for(request, data.pop("person_id"), data.pop("nik"))
    officer, warnings = services.officer_appoint(by=request.auth, organisation=organisation, person=person, **data)
    return Status(201, {"officer": officer, "warnings": warnings})


class OfficerEndIn(Schema):
    ended_on: datetime.date
    reason: Officer.EndReason


@router.post("/officers/{pk}/end", response=OfficerOut, summary="An officer leaves the post")
def officer_end(request: ApiRequest, pk: int, payload: OfficerEndIn) -> Officer:
    officer = get_object_or_404(
        Officer.objects.filter(organisation__in=_visible(request)).select_related("person", "organisation__region"),
        pk=pk,
    )
    return services.officer_end(by=request.auth, officer=officer, ended_on=payload.ended_on, reason=payload.reason)


# Persons -----------------------------------------------------------------------------------------


class PersonOut(Schema):
    """A person; the NIK only masked. The date of birth is left out: the mask hides it for a reason."""

    id: int
    full_name: str
    nik_masked: str
    sex: str
    phone: str
    email: str
    address: str
    region_code: str | None

    @staticmethod
    def resolve_region_code(obj: Person) -> str | None:
        return obj.region.code if obj.region_id and obj.region else None


class PersonFilter(Schema):
    q: str = Field("", description="Part of the name, or an exact 16-digit NIK.")
    nik: str | None = Field(None, description="An exact NIK: finds the registered person wherever they live.")


@router.get("/persons", response=list[PersonOut], summary="Persons in scope, by name or exact NIK")
@paginate(Pagination)
def person_list(request: ApiRequest, filters: Query[PersonFilter]) -> Any:
    if filters.nik:
        person = selectors.person_by_nik(user=request.auth, nik=filters.nik)
        return [person] if person else []
    return selectors.person_list(user=request.auth, q=filters.q)


class PersonIn(Schema):
    full_name: str
    nik: str
    phone: str = ""
    email: str = ""
    address: str = ""
    region: str | None = Field(None, description="The kelurahan of domicile (code).")
    rw_number: int | None = None
    rt_number: int | None = None


@router.post("/persons", response={201: PersonOut}, summary="Register a person")
def person_create(request: ApiRequest, payload: PersonIn) -> Status[Person]:
    data = payload.dict()
    code, rw_number, rt_number = data.pop("region"), data.pop("rw_number"), data.pop("rt_number")
    if code:
        data["region"], _rw, data["rt"] = resolve_place(
            Region.objects.visible_to(request.auth), code, rw_number, rt_number
        )
    return Status(201, services.person_create(by=request.auth, **data))


@router.get("/persons/{pk}", response=PersonOut, summary="One person (NIK masked)")
def person_detail(request: ApiRequest, pk: int) -> Person:
    return selectors.person_get(user=request.auth, pk=pk)


class NikOut(Schema):
    nik: str


@router.post("/persons/{pk}/reveal-nik", response=NikOut, summary="The full NIK (permission needed; audited)")
def person_reveal_nik(request: ApiRequest, pk: int, response: HttpResponse) -> dict[str, str]:
    person = selectors.person_get(user=request.auth, pk=pk)
    nik = services.person_reveal_nik(by=request.auth, person=person)
    add_never_cache_headers(response)
    return {"nik": nik}


# Documents ---------------------------------------------------------------------------------------


class DocumentOut(Schema):
    id: int
    type: str
    number: str
    issued_on: datetime.date | None
    valid_until: datetime.date | None
    original_name: str
    content_type: str
    size: int
    uploaded_at: datetime.datetime
    download_url: str

    @staticmethod
    def resolve_download_url(obj: Document) -> str:
        return reverse("api:registry_document_file", args=[obj.pk])


@router.get("/organisations/{pk}/documents", response=list[DocumentOut], summary="An organisation's documents")
def document_list(request: ApiRequest, pk: int) -> QuerySet[Document]:
    return _organisation(request, pk).documents.order_by("type", "-issued_on", "-id")


class DocumentIn(Schema):
    type: Document.Type
    number: str = ""
    issued_on: datetime.date | None = None
    valid_until: datetime.date | None = None


@router.post("/organisations/{pk}/documents", response={201: DocumentOut}, summary="Upload a document")
def document_add(request: ApiRequest, pk: int, payload: Form[DocumentIn], file: File[UploadedFile]) -> Status[Document]:
    organisation = _organisation(request, pk)
    return Status(201, services.document_add(by=request.auth, organisation=organisation, file=file, **payload.dict()))


@router.get("/documents/{pk}/file", url_name="registry_document_file", summary="A document's file")
def document_file(request: ApiRequest, pk: int) -> FileResponse:
    document = get_object_or_404(Document.objects.filter(organisation__in=_visible(request)), pk=pk)
    name = document.original_name or (document.file.name or "").rsplit("/", 1)[-1]
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=name)


# Activity reports --------------------------------------------------------------------------------


class ActivityReportOut(Schema):
    id: int
    organisation_id: int
    held_on: datetime.date
    kind: str
    title: str
    place: str
    participants: int
    description: str
    photo_count: int
    created_at: datetime.datetime

    @staticmethod
    def resolve_photo_count(obj: ActivityReport) -> int:
        return len(obj.photos.all())


@router.get(
    "/organisations/{pk}/activity-reports", response=list[ActivityReportOut], summary="An organisation's activities"
)
@paginate(Pagination)
def activity_report_list(request: ApiRequest, pk: int) -> QuerySet[ActivityReport]:
    return _organisation(request, pk).activity_reports.prefetch_related("photos")


class ActivityReportIn(Schema):
    held_on: datetime.date
    kind: ActivityReport.Kind
    title: str
    place: str
    participants: int = Field(ge=0)
    description: str = ""


@router.post(
    "/organisations/{pk}/activity-reports", response={201: ActivityReportOut}, summary="Report an activity with photos"
)
def activity_report_add(
    request: ApiRequest, pk: int, payload: Form[ActivityReportIn], photos: File[list[UploadedFile] | None] = None
) -> Status[ActivityReport]:
    organisation = _organisation(request, pk)
    report = services.activity_report_add(
        by=request.auth, organisation=organisation, photos=photos or [], **payload.dict()
    )
    return Status(201, report)


# Change requests ---------------------------------------------------------------------------------


class ChangeRequestOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str
    kind: str
    payload: dict[str, Any] = Field(description="The proposed change; a new person's NIK only masked.")
    status: str
    submitted_by: str
    submitted_at: datetime.datetime
    decided_by: str | None
    decided_at: datetime.datetime | None
    decision_reason: str
    has_attachment: bool

    @staticmethod
    def resolve_organisation_name(obj: ChangeRequest) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_payload(obj: ChangeRequest) -> dict[str, Any]:
        return {k: v for k, v in obj.payload.items() if k != "nik_encrypted"}

    @staticmethod
    def resolve_submitted_by(obj: ChangeRequest) -> str:
        return str(obj.submitted_by)

    @staticmethod
    def resolve_decided_by(obj: ChangeRequest) -> str | None:
        return str(obj.decided_by) if obj.decided_by_id else None

    @staticmethod
    def resolve_has_attachment(obj: ChangeRequest) -> bool:
        return bool(obj.attachment)


class ChangeRequestFilter(Schema):
    status: ChangeRequest.Status | Literal["all"] = ChangeRequest.Status.PENDING


@router.get("/change-requests", response=list[ChangeRequestOut], summary="Change requests in scope")
@paginate(Pagination)
def change_request_list(request: ApiRequest, filters: Query[ChangeRequestFilter]) -> QuerySet[ChangeRequest]:
    status = None if filters.status == "all" else filters.status
    return selectors.change_request_list(user=request.auth, status=status).order_by("-submitted_at", "-id")


class ChangeRequestIn(Schema):
    kind: ChangeRequest.Kind
    payload: str = Field(
        description=(
            "JSON. contact: phone, email, address, latitude, longitude. officer_appoint: position, "
            "term_start, and person_id or nik and full_name; SK fields. officer_end: officer_id, ended_on, reason."
        )
    )


@router.post(
    "/organisations/{pk}/change-requests", response={201: ChangeRequestOut}, summary="Propose a change (with the SK)"
)
def change_request_submit(
    request: ApiRequest, pk: int, data: Form[ChangeRequestIn], attachment: File[UploadedFile | None] = None
) -> Status[ChangeRequest]:
    organisation = _organisation(request, pk)
    try:
        payload = json.loads(data.payload)
    except json.JSONDecodeError:
        raise ValidationError({"payload": _("The payload is not valid JSON.")}) from None
    if not isinstance(payload, dict):
        raise ValidationError({"payload": _("The payload must be a JSON object.")})
    change_request = services.change_request_submit(
        by=request.auth, organisation=organisation, kind=data.kind, payload=payload, attachment=attachment
    )
    return Status(201, change_request)


class DecisionIn(Schema):
    approve: bool
    reason: str = ""


@router.post("/change-requests/{pk}/decide", response=ChangeRequestOut, summary="Approve or reject a change request")
def change_request_decide(request: ApiRequest, pk: int, payload: DecisionIn) -> ChangeRequest:
    change_request = get_object_or_404(
        ChangeRequest.objects.filter(organisation__in=_visible(request)).select_related("organisation__region"), pk=pk
    )
    services.change_request_decide(
        by=request.auth, change_request=change_request, approve=payload.approve, reason=payload.reason
    )
    return ChangeRequest.objects.select_related("organisation", "submitted_by", "decided_by").get(pk=pk)
