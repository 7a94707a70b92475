"""After-stage endpoints under /api/v1/events: question banks, tests and attempts, the survey and its
IKM, results (knowledge gain), certificates and their public verification, generated documents;
and, without an account, the participant's own test and survey by their token.

The same services and selectors as the pages: staff who see the event read, who may edit it write
(a viewer gets 403); anyone else gets 404."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from sinergi.accounts.models import Unit
from sinergi.core.http import ApiRequest
from sinergi.events.models import (
    Certificate,
    Event,
    GeneratedDocument,
    Participant,
    Question,
    QuestionBank,
    SurveyResponse,
    Test,
    TestAttempt,
)
from sinergi.events.permissions import event_get, participant_by_token
from sinergi.events.selectors import after
from sinergi.events.selectors.after_scoring import GainSummary, IkmResult
from sinergi.events.services import after_documents, after_survey, after_tests

router = Router(tags=["Events: tests, survey, certificates"])


def _event(request: ApiRequest, pk: int) -> Event:
    if not request.auth.is_government_staff:
        raise Http404
    return event_get(request.auth, pk)


def _kind(kind: str) -> str:
    if kind not in Test.Kind.values:
        raise Http404
    return kind


# Question banks ----------------------------------------------------------------------------------


class ChoiceOut(Schema):
    id: int
    text: str
    is_correct: bool


class QuestionOut(Schema):
    id: int
    text: str
    order: int
    choices: list[ChoiceOut]

    @staticmethod
    def resolve_choices(obj: Question) -> list[Any]:
        return list(obj.choices.all())


class BankOut(Schema):
    id: int
    name: str
    unit_id: int
    unit_name: str

    @staticmethod
    def resolve_unit_name(obj: QuestionBank) -> str:
        return obj.unit.name


class BankDetailOut(BankOut):
    questions: list[QuestionOut]

    @staticmethod
    def resolve_questions(obj: QuestionBank) -> list[Any]:
        return list(obj.questions.prefetch_related("choices"))


class BankIn(Schema):
    unit_id: int
    name: str = Field(max_length=200)


class QuestionIn(Schema):
    text: str
    choices: list[str] = Field(min_length=2, max_length=after_tests.MAX_CHOICES)
    correct: int = Field(ge=0, description="Index of the right answer in `choices`.")


def _staff(request: ApiRequest) -> None:
    if not request.auth.is_government_staff:
        raise Http404


@router.get("/library/question-banks", response=list[BankOut], summary="Question banks the caller may use")
def bank_list(request: ApiRequest) -> list[QuestionBank]:
    return list(after.banks_visible_to(request.auth))


@router.post("/library/question-banks", response={201: BankOut}, summary="Create a question bank")
def bank_create(request: ApiRequest, payload: BankIn) -> Status[QuestionBank]:
    _staff(request)
    unit = Unit.objects.visible_to(request.auth).filter(pk=payload.unit_id).select_related("region").first()
    if unit is None:
        raise ValidationError({"unit_id": _("No such unit.")})
    return Status(201, after_tests.bank_create(unit=unit, name=payload.name, by=request.auth))


def _bank(request: ApiRequest, pk: int) -> QuestionBank:
    _staff(request)
    return get_object_or_404(after.banks_visible_to(request.auth), pk=pk)


@router.get("/library/question-banks/{pk}", response=BankDetailOut, summary="A question bank with its questions")
def bank_detail(request: ApiRequest, pk: int) -> QuestionBank:
    return _bank(request, pk)


@router.post("/library/question-banks/{pk}/questions", response={201: QuestionOut}, summary="Add a question")
def question_add(request: ApiRequest, pk: int, payload: QuestionIn) -> Status[Question]:
    bank = _bank(request, pk)
    question = after_tests.question_add(
        bank=bank, text=payload.text, choices=payload.choices, correct=payload.correct, by=request.auth
    )
    return Status(201, question)


@router.delete("/library/questions/{pk}", response={204: None}, summary="Remove a question no test uses")
def question_delete(request: ApiRequest, pk: int) -> Status[None]:
    _staff(request)
    question = get_object_or_404(after.questions_visible_to(request.auth).select_related("bank__unit__region"), pk=pk)
    after_tests.question_delete(question=question, by=request.auth)
    return Status(204, None)


# Tests -------------------------------------------------------------------------------------------


class TestOut(Schema):
    kind: str
    is_open: bool
    question_ids: list[int]
    attempts: int

    @staticmethod
    def resolve_question_ids(obj: Test) -> list[int]:
        return [q.pk for q in obj.questions.all()]

    @staticmethod
    def resolve_attempts(obj: Test) -> int:
        return obj.attempts.count()


class TestQuestionsIn(Schema):
    question_ids: list[int] = Field(min_length=1)


class OpenIn(Schema):
    is_open: bool


class AttemptOut(Schema):
    participant_id: int
    participant_name: str
    submitted_at: datetime.datetime
    correct: int
    total: int
    score: Decimal

    @staticmethod
    def resolve_participant_name(obj: TestAttempt) -> str:
        return obj.participant.full_name


@router.get("/{pk}/tests", response=list[TestOut], summary="The event's pre-test and post-test")
def test_list(request: ApiRequest, pk: int) -> list[Test]:
    return list(after.tests_of(_event(request, pk)).values())


@router.put("/{pk}/tests/{kind}", response=TestOut, summary="Set a test's questions (before anyone answers)")
def test_set_questions(request: ApiRequest, pk: int, kind: str, payload: TestQuestionsIn) -> Test:
    event = _event(request, pk)
    questions = list(after.questions_visible_to(request.auth).filter(pk__in=payload.question_ids))
    if len(questions) != len(set(payload.question_ids)):
        raise ValidationError({"question_ids": _("Some questions do not exist or are not yours to use.")})
    return after_tests.test_set_questions(event=event, kind=_kind(kind), questions=questions, by=request.auth)


@router.post("/{pk}/tests/{kind}/state", response=TestOut, summary="Open or close a test")
def test_state(request: ApiRequest, pk: int, kind: str, payload: OpenIn) -> Test:
    event = _event(request, pk)
    test = get_object_or_404(Test, event=event, kind=_kind(kind))
    return after_tests.test_set_open(test=test, is_open=payload.is_open, by=request.auth)


@router.get("/{pk}/tests/{kind}/attempts", response=list[AttemptOut], summary="Who answered a test, with scores")
def attempt_list(request: ApiRequest, pk: int, kind: str) -> list[TestAttempt]:
    event = _event(request, pk)
    return list(
        TestAttempt.objects.filter(test__event=event, test__kind=_kind(kind))
        .select_related("participant")
        .order_by("participant__full_name", "pk")
    )


# Survey and results ------------------------------------------------------------------------------


class ElementOut(Schema):
    element: str
    nrr: Decimal
    weighted: Decimal
    converted: Decimal
    letter: str


class IkmOut(Schema):
    respondents: int
    index: Decimal = Field(description="Sum of the weighted NRRs (1-4).")
    converted: Decimal = Field(description="The IKM, 25-100.")
    letter: str = Field(description="Quality category A, B, C or D (PermenPAN-RB 14/2017).")
    label: str
    elements: list[ElementOut]


class SurveyOut(Schema):
    is_open: bool
    ikm: IkmOut | None


class GainOut(Schema):
    pre_count: int
    post_count: int
    pre_mean: Decimal | None
    post_mean: Decimal | None
    paired: int
    gain_mean: Decimal | None
    improved: int
    improved_share: Decimal | None


class ParticipantResultOut(Schema):
    participant_id: int
    name: str
    pre: Decimal | None
    post: Decimal | None
    gain: Decimal | None


class ResultsOut(Schema):
    knowledge_gain: GainOut
    participants: list[ParticipantResultOut]
    ikm: IkmOut | None
    certificates: int


def _ikm(result: IkmResult | None) -> dict[str, Any] | None:
    if result is None:
        return None
    return {
        "respondents": result.respondents,
        "index": result.index,
        "converted": result.converted,
        "letter": result.letter,
        "label": result.label,
        "elements": [vars(e) for e in result.elements],
    }


def _gain(summary: GainSummary) -> dict[str, Any]:
    return vars(summary)


@router.get("/{pk}/survey", response=SurveyOut, summary="The satisfaction survey's state and IKM")
def survey_get(request: ApiRequest, pk: int) -> dict[str, Any]:
    event = _event(request, pk)
    return {"is_open": after.survey_is_open(event), "ikm": _ikm(after.ikm_of(event))}


@router.post("/{pk}/survey/state", response=SurveyOut, summary="Open or close the satisfaction survey")
def survey_state(request: ApiRequest, pk: int, payload: OpenIn) -> dict[str, Any]:
    event = _event(request, pk)
    survey = after_survey.survey_set_open(event=event, is_open=payload.is_open, by=request.auth)
    return {"is_open": survey.is_open, "ikm": _ikm(after.ikm_of(event))}


@router.get("/{pk}/results", response=ResultsOut, summary="Knowledge gain, IKM and certificates of an event")
def results(request: ApiRequest, pk: int) -> dict[str, Any]:
    event = _event(request, pk)
    summary, rows = after.knowledge_gain(event)
    return {
        "knowledge_gain": _gain(summary),
        "participants": [
            {
                "participant_id": r.participant.pk,
                "name": r.participant.full_name,
                "pre": r.pre,
                "post": r.post,
                "gain": r.gain,
            }
            for r in rows
        ],
        "ikm": _ikm(after.ikm_of(event)),
        "certificates": after.certificates_of(event).filter(revoked_at__isnull=True).count(),
    }


# Certificates ------------------------------------------------------------------------------------


class CertificateOut(Schema):
    id: int
    code: str
    participant_id: int
    participant_name: str
    issued_at: datetime.datetime
    valid_until: datetime.date | None
    revoked_at: datetime.datetime | None
    revoke_reason: str

    @staticmethod
    def resolve_participant_name(obj: Certificate) -> str:
        return obj.participant.full_name


class RevokeIn(Schema):
    reason: str = Field(max_length=255)


class VerifyOut(Schema):
    code: str
    valid: bool
    status: str = Field(description="`valid`, `revoked` or `expired`.")
    name: str
    event: str
    dates: list[datetime.date]
    issuer: str
    issued_at: datetime.datetime
    revoked_at: datetime.datetime | None


class EventDocumentOut(Schema):
    id: int
    event_id: int
    kind: str
    status: str
    progress: int
    error: str
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    download_url: str | None

    @staticmethod
    def resolve_download_url(obj: GeneratedDocument) -> str | None:
        if obj.status != GeneratedDocument.Status.DONE:
            return None
        return f"/api/v1/events/documents/{obj.pk}/file"


class EventDocumentIn(Schema):
    kind: str = Field(description="`report` (activity report) or `certificates`.")


@router.get("/{pk}/certificates", response=list[CertificateOut], summary="The event's certificates")
def certificate_list(request: ApiRequest, pk: int) -> list[Certificate]:
    return list(after.certificates_of(_event(request, pk)).order_by("participant__full_name", "pk"))


@router.post("/{pk}/certificates", response={202: EventDocumentOut}, summary="Issue and print certificates (a task)")
def certificates_issue(request: ApiRequest, pk: int) -> Status[GeneratedDocument]:
    event = _event(request, pk)
    document = after_documents.document_request(event=event, kind=GeneratedDocument.Kind.CERTIFICATES, by=request.auth)
    document.refresh_from_db()
    return Status(202, document)


@router.post("/certificates/{pk}/revoke", response=CertificateOut, summary="Revoke a certificate")
def certificate_revoke(request: ApiRequest, pk: int, payload: RevokeIn) -> Certificate:
    _staff(request)
    certificate = get_object_or_404(
        Certificate.objects.filter(participant__event__in=Event.objects.visible_to(request.auth)).select_related(
            "participant__event__region", "participant__event__unit__region"
        ),
        pk=pk,
    )
    return after_documents.certificate_revoke(certificate=certificate, reason=payload.reason, by=request.auth)


@router.get("/certificates/verify/{code}", auth=None, response=VerifyOut, summary="Verify a certificate (public)")
def certificate_verify(request: Any, code: str) -> dict[str, Any]:
    certificate = after.certificate_verify(code)
    if certificate is None:
        raise Http404
    event = certificate.participant.event
    expired = bool(certificate.valid_until and certificate.valid_until < datetime.date.today())
    status = "revoked" if certificate.revoked_at else "expired" if expired else "valid"
    return {
        "code": certificate.code,
        "valid": status == "valid",
        "status": status,
        "name": certificate.participant.full_name,
        "event": event.title,
        "dates": [d.date for d in event.days.all()],
        "issuer": event.unit.name,
        "issued_at": certificate.issued_at,
        "revoked_at": certificate.revoked_at,
    }


# Documents ---------------------------------------------------------------------------------------


@router.get("/{pk}/documents", response=list[EventDocumentOut], summary="The event's generated documents")
def document_list(request: ApiRequest, pk: int) -> list[GeneratedDocument]:
    return list(after.documents_of(_event(request, pk)))


@router.post(
    "/{pk}/documents", response={202: EventDocumentOut}, summary="Make the activity report or certificates (a task)"
)
def document_request(request: ApiRequest, pk: int, payload: EventDocumentIn) -> Status[GeneratedDocument]:
    event = _event(request, pk)
    document = after_documents.document_request(event=event, kind=payload.kind, by=request.auth)
    document.refresh_from_db()
    return Status(202, document)


def _document(request: ApiRequest, pk: int) -> GeneratedDocument:
    _staff(request)
    document = after.document_get(Event.objects.visible_to(request.auth), pk)
    if document is None:
        raise Http404
    return document


@router.get("/documents/{pk}", response=EventDocumentOut, summary="A generated document's progress")
def document_get(request: ApiRequest, pk: int) -> GeneratedDocument:
    return _document(request, pk)


@router.get("/documents/{pk}/file", summary="Download a generated document")
def document_file(request: ApiRequest, pk: int) -> FileResponse:
    document = _document(request, pk)
    if document.status != GeneratedDocument.Status.DONE or not document.file:
        raise Http404
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=(document.file.name or "").rsplit("/", 1)[-1]
    )
    add_never_cache_headers(response)
    return response


# The participant, by token (no account) ----------------------------------------------------------


class PublicChoiceOut(Schema):
    id: int
    text: str


class PublicQuestionOut(Schema):
    id: int
    text: str
    choices: list[PublicChoiceOut]

    @staticmethod
    def resolve_choices(obj: Question) -> list[Any]:
        return list(obj.choices.all())


class ParticipantTestOut(Schema):
    kind: str
    is_open: bool
    questions: list[PublicQuestionOut] = Field(description="Empty once answered or while closed.")
    score: Decimal | None
    correct: int | None
    total: int | None


class AnswersIn(Schema):
    answers: dict[int, int] = Field(description="Question id -> chosen choice id, for every question.")


class SurveyIn(Schema):
    u1: int = Field(ge=1, le=4)
    u2: int = Field(ge=1, le=4)
    u3: int = Field(ge=1, le=4)
    u4: int = Field(ge=1, le=4)
    u5: int = Field(ge=1, le=4)
    u6: int = Field(ge=1, le=4)
    u7: int = Field(ge=1, le=4)
    u8: int = Field(ge=1, le=4)
    u9: int = Field(ge=1, le=4)
    suggestion: str = ""


class SurveyDoneOut(Schema):
    submitted_at: datetime.datetime


def _participant_test(token: str, kind: str) -> tuple[Participant, Test]:
    participant = participant_by_token(token)
    test = after.tests_of(participant.event).get(_kind(kind))
    if test is None:
        raise Http404
    return participant, test


def _participant_view(participant: Participant, test: Test) -> dict[str, Any]:
    attempt = after.attempt_of(test, participant)
    show = attempt is None and test.is_open
    return {
        "kind": test.kind,
        "is_open": test.is_open,
        "questions": list(test.questions.all()) if show else [],
        "score": attempt.score if attempt else None,
        "correct": attempt.correct if attempt else None,
        "total": attempt.total if attempt else None,
    }


@router.get(
    "/by-token/{token}/tests/{kind}", auth=None, response=ParticipantTestOut, summary="A test, for the participant"
)
def participant_test(request: Any, token: str, kind: str) -> dict[str, Any]:
    participant, test = _participant_test(token, kind)
    return _participant_view(participant, test)


@router.post(
    "/by-token/{token}/tests/{kind}", auth=None, response={201: ParticipantTestOut}, summary="Submit a test's answers"
)
def participant_test_submit(request: Any, token: str, kind: str, payload: AnswersIn) -> Status[dict[str, Any]]:
    participant, test = _participant_test(token, kind)
    after_tests.attempt_submit(test=test, participant=participant, answers=payload.answers)
    return Status(201, _participant_view(participant, test))


@router.post("/by-token/{token}/survey", auth=None, response={201: SurveyDoneOut}, summary="Answer the survey")
def participant_survey(request: Any, token: str, payload: SurveyIn) -> Status[SurveyResponse]:
    participant = participant_by_token(token)
    data = payload.dict()
    suggestion = data.pop("suggestion")
    return Status(201, after_survey.survey_submit(participant=participant, answers=data, suggestion=suggestion))
