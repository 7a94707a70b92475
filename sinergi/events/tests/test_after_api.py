"""The after stage's API: question banks, tests, survey, results, certificates, documents, and the
participant's own test and survey by token."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from conftest import Units
from sinergi.accounts.models import User
from sinergi.events.models import Event, EventDay, GeneratedDocument, Participant, QuestionBank, Survey
from sinergi.events.models import Test as EventTest
from sinergi.events.services import after_documents
from sinergi.events.tests.conftest_after import answer_all, check_in

pytest_plugins = ["sinergi.events.tests.conftest_after"]
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

E = "/api/v1/events"


def test_staff_build_a_bank_and_a_test_through_the_api(
    event: Event, units: Units, city_admin: User, api_client_for: Callable[[User], Client]
) -> None:
    client = api_client_for(city_admin)

    bank = client.post(
        f"{E}/library/question-banks", {"unit_id": units.jakpus.pk, "name": "JAKI"}, content_type="application/json"
    )
    assert bank.status_code == 201, bank.content
    question = client.post(
        f"{E}/library/question-banks/{bank.json()['id']}/questions",
        {"text": "Aplikasi aduan Jakarta?", "choices": ["JAKI", "Qlue lama"], "correct": 0},
        content_type="application/json",
    )
    assert question.status_code == 201
    put = client.put(
        f"{E}/{event.pk}/tests/pre", {"question_ids": [question.json()["id"]]}, content_type="application/json"
    )
    opened = client.post(f"{E}/{event.pk}/tests/pre/state", {"is_open": True}, content_type="application/json")

    assert put.status_code == 200
    assert opened.json() == {"kind": "pre", "is_open": True, "question_ids": [question.json()["id"]], "attempts": 0}


def test_a_bad_question_is_refused_with_422(bank: QuestionBank, city_admin: User, api_client_for: Callable) -> None:
    response = api_client_for(city_admin).post(
        f"{E}/library/question-banks/{bank.pk}/questions",
        {"text": "Soal", "choices": ["A", "B"], "correct": 5},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert "correct" in response.json()["errors"]


def test_a_participant_takes_a_test_and_answers_the_survey_by_token(
    pre_test: EventTest, survey_open: Survey, participant: Participant
) -> None:
    client = Client()
    url = f"{E}/by-token/{participant.token}/tests/pre"

    shown = client.get(url).json()
    assert [len(q["choices"]) for q in shown["questions"]] == [3, 3, 3]
    assert "is_correct" not in shown["questions"][0]["choices"][0]  # the answers are not given away

    done = client.post(url, {"answers": answer_all(pre_test, 2)}, content_type="application/json")
    again = client.post(url, {"answers": answer_all(pre_test, 3)}, content_type="application/json")
    survey = client.post(
        f"{E}/by-token/{participant.token}/survey",
        {f"u{i}": 4 for i in range(1, 10)},
        content_type="application/json",
    )

    assert done.status_code == 201
    assert (done.json()["score"], done.json()["questions"]) == ("66.67", [])
    assert again.status_code == 422
    assert survey.status_code == 201


def test_results_give_the_gain_and_the_ikm(
    event: Event,
    pre_test: EventTest,
    post_test: EventTest,
    survey_open: Survey,
    participant: Participant,
    city_viewer: User,
    api_client_for: Callable[[User], Client],
) -> None:
    client = Client()
    client.post(
        f"{E}/by-token/{participant.token}/tests/pre",
        {"answers": answer_all(pre_test, 1)},
        content_type="application/json",
    )
    client.post(
        f"{E}/by-token/{participant.token}/tests/post",
        {"answers": answer_all(post_test, 3)},
        content_type="application/json",
    )
    client.post(
        f"{E}/by-token/{participant.token}/survey",
        {**{f"u{i}": 3 for i in range(1, 10)}, "u4": 4},
        content_type="application/json",
    )

    results = api_client_for(city_viewer).get(f"{E}/{event.pk}/results").json()

    assert results["knowledge_gain"]["gain_mean"] == "66.67"
    assert results["participants"][0]["gain"] == "66.67"
    # Eight elements 3 and one 4: (8 x 3 + 4) / 9 x 25 = 77.78, quality B.
    assert (results["ikm"]["converted"], results["ikm"]["letter"]) == ("77.78", "B")


def test_the_public_verification_shows_name_event_and_status_only(
    event: Event, event_day: EventDay, participant: Participant, city_admin: User
) -> None:
    check_in(participant, event_day)
    (certificate,) = after_documents.certificates_issue(event=event)

    valid = Client().get(f"{E}/certificates/verify/{certificate.code}").json()
    after_documents.certificate_revoke(certificate=certificate, reason="Keliru", by=city_admin)
    revoked = Client().get(f"{E}/certificates/verify/{certificate.code}").json()

    assert (valid["status"], valid["name"], valid["event"]) == ("valid", participant.full_name, event.title)
    assert set(valid) == {"code", "valid", "status", "name", "event", "dates", "issuer", "issued_at", "revoked_at"}
    assert (revoked["status"], revoked["valid"]) == ("revoked", False)
    assert Client().get(f"{E}/certificates/verify/AAAAA-BBBBB").status_code == 404


def test_a_viewer_reads_but_cannot_make_documents(
    event: Event, city_viewer: User, api_client_for: Callable[[User], Client]
) -> None:
    client = api_client_for(city_viewer)

    assert client.get(f"{E}/{event.pk}/documents").status_code == 200
    refused = client.post(f"{E}/{event.pk}/documents", {"kind": "report"}, content_type="application/json")
    assert refused.status_code == 403
    assert not GeneratedDocument.objects.exists()


def test_a_report_is_requested_polled_and_downloaded(
    event: Event,
    city_admin: User,
    api_client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = api_client_for(city_admin)

    with django_capture_on_commit_callbacks(execute=True):
        requested = client.post(f"{E}/{event.pk}/documents", {"kind": "report"}, content_type="application/json")
    polled = client.get(f"{E}/documents/{requested.json()['id']}").json()
    file = client.get(polled["download_url"])

    assert requested.status_code == 202
    assert (polled["status"], polled["progress"]) == ("done", 100)
    assert b"".join(file.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]


def test_another_city_does_not_see_the_event(event: Event, west_admin: User, api_client_for: Callable) -> None:
    client = api_client_for(west_admin)
    for path in ("tests", "survey", "results", "certificates", "documents"):
        assert client.get(f"{E}/{event.pk}/{path}").status_code == 404


def test_a_kelurahan_operator_cannot_use_another_units_unit(
    units: Units, lurah_operator: User, api_client_for: Callable[[User], Client]
) -> None:
    response = api_client_for(lurah_operator).post(
        f"{E}/library/question-banks", {"unit_id": units.jakpus.pk, "name": "X"}, content_type="application/json"
    )

    assert response.status_code in (403, 422)
    assert not QuestionBank.objects.exists()
