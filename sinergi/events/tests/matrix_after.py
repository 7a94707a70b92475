"""The permission-matrix rows of the events' after stage (merged by tests/matrix.py).

``build`` makes its own event in Kelurahan Gambir, organised by the kelurahan office (so the lurah
operator edits it, the Jakarta Pusat viewer reads it, Pasar Baru and Jakarta Barat do not see it),
with a registered participant checked in, a question bank, an open pre-test, an open survey, an
issued certificate and a finished activity report."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from sinergi.core.tests.matrix_rows import (
    API_OPEN,
    API_REGION,
    API_SIGNED_IN,
    OPEN,
    POST_ONLY,
    REFUSED,
    REGION,
    STAFF_ONLY,
    MatrixContext,
    row,
)
from sinergi.events.models import (
    Answer,
    Certificate,
    CheckIn,
    Choice,
    Event,
    EventDay,
    GeneratedDocument,
    Participant,
    Question,
    QuestionBank,
    Survey,
    SurveyResponse,
    Test,
    TestAttempt,
)
from sinergi.events.services import after_documents, after_survey, after_tests

# Staff writes through the API: the viewer sees and is refused (403), who does not see gets 404, and
# a representative is not staff (404).
API_STAFF_WRITE = row(401, 0, 403, 0, 404, 404, 404)
# A participant's own answers by token: anyone holding the token may send them (they change the world).
API_TOKEN_WRITE = row(0, 0, 0, 0, 0, 0, 0)


def _x(name: str) -> Any:
    return lambda w, t: [w.x[name].pk]


PAGES: dict[str, Any] = {
    "events:banks": (lambda w, t: [], STAFF_ONLY),
    "events:bank": (_x("after_bank"), REGION),
    "events:question-delete": (_x("after_question"), POST_ONLY),
    "events:tests": (_x("after_event"), REGION),
    "events:test-questions": (lambda w, t: [w.x["after_event"].pk, "pre"], REGION),
    "events:test-state": (lambda w, t: [w.x["after_event"].pk, "pre"], POST_ONLY),
    "events:survey-results": (_x("after_event"), REGION),
    "events:survey-state": (_x("after_event"), POST_ONLY),
    "events:certificates": (_x("after_event"), REGION),
    "events:certificates-issue": (_x("after_event"), POST_ONLY),
    "events:certificate-revoke": (lambda w, t: [w.x["after_event"].pk, w.x["after_certificate"].pk], REGION),
    "events:report": (_x("after_event"), POST_ONLY),
    "events:documents": (_x("after_event"), REGION),
    "events:document-download": (_x("after_document"), REGION),
    "events:test-take": (lambda w, t: [w.x["after_participant"].token, "pre"], OPEN),
    "events:survey": (lambda w, t: [w.x["after_participant"].token], OPEN),
    "events:certificate-download": (lambda w, t: [w.x["after_participant"].token], OPEN),
    "events:certificate-lookup": (lambda w, t: [], OPEN),
    "events:certificate-verify": (lambda w, t: [w.x["after_certificate"].code], OPEN),
}

QUESTION = {"text": "Soal baru", "choice_1": "Ya", "choice_2": "Tidak", "correct": "0"}

WRITES: dict[str, Any] = {
    "events:banks": ({"name": "Bank baru"}, ("viewer", "chair")),
    "events:bank": (QUESTION, REFUSED),
    "events:question-delete": ({}, REFUSED),
    "events:test-questions": ({}, REFUSED),
    "events:test-state": ({"open": "0"}, REFUSED),
    "events:survey-state": ({"open": "0"}, REFUSED),
    "events:certificates-issue": ({}, REFUSED),
    "events:certificate-revoke": ({"reason": "Salah cetak"}, REFUSED),
    "events:report": ({}, REFUSED),
}

_E = "/api/v1/events"
API: dict[tuple[str, str], Any] = {
    ("get", f"{_E}/library/question-banks"): (lambda w, t: {}, None, API_SIGNED_IN),
    ("post", f"{_E}/library/question-banks"): (
        lambda w, t: {},
        lambda w: {"unit_id": w.x["after_event"].unit_id, "name": "Bank baru"},
        # Outside one's territory the unit is refused as an unknown one.
        row(401, 0, 403, 0, 422, 422, 404),
    ),
    ("get", f"{_E}/library/question-banks/{{pk}}"): (lambda w, t: {"pk": w.x["after_bank"].pk}, None, API_REGION),
    ("post", f"{_E}/library/question-banks/{{pk}}/questions"): (
        lambda w, t: {"pk": w.x["after_bank"].pk},
        {"text": "Soal baru", "choices": ["Ya", "Tidak"], "correct": 0},
        API_STAFF_WRITE,
    ),
    ("delete", f"{_E}/library/questions/{{pk}}"): (
        lambda w, t: {"pk": w.x["after_spare_question"].pk},
        None,
        API_STAFF_WRITE,
    ),
    ("get", f"{_E}/{{pk}}/tests"): (lambda w, t: {"pk": w.x["after_event"].pk}, None, API_REGION),
    ("put", f"{_E}/{{pk}}/tests/{{kind}}"): (
        lambda w, t: {"pk": w.x["after_event"].pk, "kind": "post"},
        lambda w: {"question_ids": [w.x["after_question"].pk]},
        API_STAFF_WRITE,
    ),
    ("post", f"{_E}/{{pk}}/tests/{{kind}}/state"): (
        lambda w, t: {"pk": w.x["after_event"].pk, "kind": "pre"},
        {"is_open": False},
        API_STAFF_WRITE,
    ),
    ("get", f"{_E}/{{pk}}/tests/{{kind}}/attempts"): (
        lambda w, t: {"pk": w.x["after_event"].pk, "kind": "pre"},
        None,
        API_REGION,
    ),
    ("get", f"{_E}/{{pk}}/survey"): (lambda w, t: {"pk": w.x["after_event"].pk}, None, API_REGION),
    ("post", f"{_E}/{{pk}}/survey/state"): (
        lambda w, t: {"pk": w.x["after_event"].pk},
        {"is_open": False},
        API_STAFF_WRITE,
    ),
    ("get", f"{_E}/{{pk}}/results"): (lambda w, t: {"pk": w.x["after_event"].pk}, None, API_REGION),
    ("get", f"{_E}/{{pk}}/certificates"): (lambda w, t: {"pk": w.x["after_event"].pk}, None, API_REGION),
    ("post", f"{_E}/{{pk}}/certificates"): (lambda w, t: {"pk": w.x["after_event"].pk}, None, API_STAFF_WRITE),
    ("post", f"{_E}/certificates/{{pk}}/revoke"): (
        lambda w, t: {"pk": w.x["after_certificate"].pk},
        {"reason": "Salah cetak"},
        API_STAFF_WRITE,
    ),
    ("get", f"{_E}/certificates/verify/{{code}}"): (
        lambda w, t: {"code": w.x["after_certificate"].code},
        None,
        API_OPEN,
    ),
    ("get", f"{_E}/{{pk}}/documents"): (lambda w, t: {"pk": w.x["after_event"].pk}, None, API_REGION),
    ("post", f"{_E}/{{pk}}/documents"): (
        lambda w, t: {"pk": w.x["after_event"].pk},
        {"kind": "report"},
        API_STAFF_WRITE,
    ),
    ("get", f"{_E}/documents/{{pk}}"): (lambda w, t: {"pk": w.x["after_document"].pk}, None, API_REGION),
    ("get", f"{_E}/documents/{{pk}}/file"): (lambda w, t: {"pk": w.x["after_document"].pk}, None, API_REGION),
    ("get", f"{_E}/by-token/{{token}}/tests/{{kind}}"): (
        lambda w, t: {"token": w.x["after_participant"].token, "kind": "pre"},
        None,
        API_OPEN,
    ),
    ("post", f"{_E}/by-token/{{token}}/tests/{{kind}}"): (
        lambda w, t: {"token": w.x["after_participant"].token, "kind": "pre"},
        {"answers": {}},
        API_TOKEN_WRITE,
    ),
    ("post", f"{_E}/by-token/{{token}}/survey"): (
        lambda w, t: {"token": w.x["after_participant"].token},
        {**{f"u{i}": 4 for i in range(1, 10)}},
        API_TOKEN_WRITE,
    ),
}
FORM_BODIES: set[str] = set()
SNAPSHOT_MODELS: list[Any] = [
    QuestionBank,
    Question,
    Choice,
    Test,
    TestAttempt,
    Answer,
    Survey,
    SurveyResponse,
    Certificate,
    GeneratedDocument,
]


def build(ctx: MatrixContext) -> dict[str, Any]:
    units, lurah = ctx.units, ctx.lurah
    event = Event.objects.create(
        kind=Event.Kind.TRAINING,
        unit=units.kel_gambir,
        region=ctx.territory.kel_gambir,
        title="Pembekalan Ketua RT/RW Kelurahan Gambir",
        venue="Aula Kantor Kelurahan Gambir",
        status=Event.Status.PUBLISHED,
        published_at=timezone.now(),
        created_by=lurah,
    )
    day = EventDay.objects.create(
        event=event, date=timezone.localdate(), starts_at=datetime.time(9), ends_at=datetime.time(12)
    )
    participant = Participant.objects.create(
        event=event,
        full_name="Rahmat Hidayat",
        phone="081200000001",
        identity="phone:081200000001",
        source=Participant.Source.STAFF,
    )
    CheckIn.objects.create(participant=participant, day=day, method=CheckIn.Method.SEARCH, checked_in_by=lurah)
    bank = after_tests.bank_create(unit=units.kel_gambir, name="Tugas RT/RW", by=lurah)
    question = after_tests.question_add(
        bank=bank, text="Masa bakti Ketua RT?", choices=["5 tahun", "2 tahun"], correct=0, by=lurah
    )
    spare = after_tests.question_add(
        bank=bank, text="Siapa menerbitkan SK RT?", choices=["Lurah", "Camat"], correct=0, by=lurah
    )
    test = after_tests.test_set_questions(event=event, kind=Test.Kind.PRE, questions=[question], by=lurah)
    after_tests.test_set_open(test=test, is_open=True, by=lurah)
    after_survey.survey_set_open(event=event, is_open=True, by=lurah)
    (certificate,) = after_documents.certificates_issue(event=event)
    document = after_documents.document_request(event=event, kind=GeneratedDocument.Kind.REPORT, by=lurah)
    after_documents.document_build(document_id=document.pk)
    document.refresh_from_db()
    return {
        "after_event": event,
        "after_participant": participant,
        "after_bank": bank,
        "after_question": question,
        "after_spare_question": spare,
        "after_certificate": certificate,
        "after_document": document,
    }
