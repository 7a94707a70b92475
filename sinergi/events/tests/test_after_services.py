"""The after stage's services: question bank, tests and attempts, survey, certificates."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import Territory, Units
from sinergi.accounts.models import User
from sinergi.audit.models import AuditEvent
from sinergi.events.models import (
    Certificate,
    Event,
    EventDay,
    Participant,
    QuestionBank,
    Survey,
    SurveyResponse,
)
from sinergi.events.models import (
    Test as EventTest,
)
from sinergi.events.models import (
    TestAttempt as EventTestAttempt,
)
from sinergi.events.selectors import after
from sinergi.events.services import after_documents, after_survey, after_tests
from sinergi.events.tests.conftest import make_event, make_participant
from sinergi.events.tests.conftest_after import answer_all, check_in

pytest_plugins = ["sinergi.events.tests.conftest_after"]
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

GOOD = dict.fromkeys(SurveyResponse.ELEMENTS, 4)


# Question bank -----------------------------------------------------------------------------------


def test_staff_build_a_bank_of_questions(units: Units, city_admin: User) -> None:
    bank = after_tests.bank_create(unit=units.jakpus, name="Netralitas ASN", by=city_admin)
    question = after_tests.question_add(
        bank=bank, text="ASN harus ...", choices=["Netral", "", "Berpihak", ""], correct=0, by=city_admin
    )

    assert [(c.text, c.is_correct) for c in question.choices.all()] == [("Netral", True), ("Berpihak", False)]
    assert AuditEvent.objects.filter(action="events.question.create").count() == 1


@pytest.mark.parametrize(
    ("choices", "correct", "field"),
    [
        (["Satu"], 0, "choices"),
        (["Sama", "sama"], 0, "choices"),
        (["A", "B"], 3, "correct"),
        (["A", "", "B"], 1, "correct"),
    ],
)
def test_a_question_needs_two_distinct_answers_and_a_right_one(
    bank: QuestionBank, city_admin: User, choices: list[str], correct: int, field: str
) -> None:
    count = bank.questions.count()
    with pytest.raises(ValidationError) as exc:
        after_tests.question_add(bank=bank, text="Soal", choices=choices, correct=correct, by=city_admin)

    assert field in exc.value.message_dict
    assert bank.questions.count() == count


def test_a_viewer_and_a_lower_unit_cannot_change_a_city_bank(
    bank: QuestionBank, city_viewer: User, lurah_operator: User
) -> None:
    for user in (city_viewer, lurah_operator):
        with pytest.raises(PermissionDenied):
            after_tests.question_add(bank=bank, text="X", choices=["A", "B"], correct=0, by=user)


def test_a_kelurahan_sees_the_banks_above_it_but_another_city_does_not(
    bank: QuestionBank, lurah_operator: User, west_admin: User, sawah_rt_chair: User
) -> None:
    assert list(after.banks_visible_to(lurah_operator)) == [bank]
    assert list(after.banks_visible_to(west_admin)) == []
    assert list(after.banks_visible_to(sawah_rt_chair)) == []


def test_a_question_in_a_test_cannot_be_removed(bank: QuestionBank, pre_test: EventTest, city_admin: User) -> None:
    question = bank.questions.first()
    assert question is not None

    with pytest.raises(ValidationError, match="part of an event's test"):
        after_tests.question_delete(question=question, by=city_admin)


# Tests and attempts ------------------------------------------------------------------------------


def test_an_attempt_is_scored_and_taken_once(pre_test: EventTest, participant: Participant) -> None:
    attempt = after_tests.attempt_submit(test=pre_test, participant=participant, answers=answer_all(pre_test, 2))

    assert (attempt.correct, attempt.total, attempt.score) == (2, 3, Decimal("66.67"))
    assert attempt.answers.count() == 3
    with pytest.raises(ValidationError, match="already taken"):
        after_tests.attempt_submit(test=pre_test, participant=participant, answers=answer_all(pre_test, 3))
    assert EventTestAttempt.objects.filter(participant=participant).count() == 1


def test_an_attempt_must_answer_every_question_with_its_own_choices(
    pre_test: EventTest, post_test: EventTest, participant: Participant
) -> None:
    partial = answer_all(pre_test, 3)
    partial.pop(next(iter(partial)))
    foreign = {q: c + 10_000 if c else None for q, c in answer_all(pre_test, 3).items()}

    for answers in (partial, foreign, {}):
        with pytest.raises(ValidationError, match="Answer every question"):
            after_tests.attempt_submit(test=pre_test, participant=participant, answers=answers)
    assert not EventTestAttempt.objects.exists()


def test_a_closed_test_and_a_waitlisted_participant_are_refused(pre_test: EventTest, event: Event) -> None:
    waiting = make_participant(event, "Budi Menunggu", status=Participant.Status.WAITLISTED)
    with pytest.raises(ValidationError, match="registered participants"):
        after_tests.attempt_submit(test=pre_test, participant=waiting, answers=answer_all(pre_test, 1))

    pre_test.is_open = False
    pre_test.save()
    registered = make_participant(event, "Ani Terdaftar")
    with pytest.raises(ValidationError, match="closed"):
        after_tests.attempt_submit(test=pre_test, participant=registered, answers=answer_all(pre_test, 1))


def test_knowledge_gain_per_participant_and_per_event(pre_test: EventTest, post_test: EventTest, event: Event) -> None:
    people = [make_participant(event, name) for name in ("Ani", "Budi", "Citra")]
    for person, (before, after_) in zip(people, [(1, 3), (2, 2), (0, 2)], strict=True):
        after_tests.attempt_submit(test=pre_test, participant=person, answers=answer_all(pre_test, before))
        after_tests.attempt_submit(test=post_test, participant=person, answers=answer_all(post_test, after_))

    summary, rows = after.knowledge_gain(event)

    gains = {r.participant.full_name: r.gain for r in rows}
    assert gains == {"Ani": Decimal("66.67"), "Budi": Decimal("0.00"), "Citra": Decimal("66.67")}
    assert summary.pre_mean == Decimal("33.33")  # (33.33 + 66.67 + 0) / 3
    assert summary.post_mean == Decimal("77.78")  # (100 + 66.67 + 66.67) / 3
    assert (summary.paired, summary.improved, summary.improved_share) == (3, 2, Decimal("66.67"))


def test_questions_are_set_until_someone_answers(
    event: Event, bank: QuestionBank, city_admin: User, city_viewer: User, participant: Participant
) -> None:
    questions = list(bank.questions.all())
    with pytest.raises(PermissionDenied):
        after_tests.test_set_questions(event=event, kind="pre", questions=questions, by=city_viewer)

    test = after_tests.test_set_questions(event=event, kind="pre", questions=questions[:2], by=city_admin)
    test = after_tests.test_set_questions(event=event, kind="pre", questions=questions, by=city_admin)
    after_tests.test_set_open(test=test, is_open=True, by=city_admin)
    after_tests.attempt_submit(test=test, participant=participant, answers=answer_all(test, 1))

    with pytest.raises(ValidationError, match="already answered"):
        after_tests.test_set_questions(event=event, kind="pre", questions=questions[:1], by=city_admin)
    assert test.questions.count() == 3


def test_a_test_without_questions_cannot_open(event: Event, city_admin: User) -> None:
    test = EventTest.objects.create(event=event, kind=EventTest.Kind.POST)
    with pytest.raises(ValidationError, match="Choose the test's questions"):
        after_tests.test_set_open(test=test, is_open=True, by=city_admin)


# Survey ------------------------------------------------------------------------------------------


def test_the_survey_takes_one_answer_per_participant_while_open(
    event: Event, participant: Participant, city_admin: User
) -> None:
    with pytest.raises(ValidationError, match="closed"):
        after_survey.survey_submit(participant=participant, answers=GOOD)

    after_survey.survey_set_open(event=event, is_open=True, by=city_admin)
    after_survey.survey_submit(participant=participant, answers=GOOD, suggestion="  Ruangan dingin sekali.  ")
    with pytest.raises(ValidationError, match="already answered"):
        after_survey.survey_submit(participant=participant, answers=GOOD)

    result = after.ikm_of(event)
    assert result is not None
    assert (result.converted, result.letter) == (Decimal("100.00"), "A")
    assert after.suggestions_of(event) == ["Ruangan dingin sekali."]


def test_a_survey_answer_outside_1_to_4_is_refused_whole(participant: Participant, survey_open: Survey) -> None:
    for bad in ({**GOOD, "u3": 5}, {**GOOD, "u9": 0}, {k: v for k, v in GOOD.items() if k != "u1"}):
        with pytest.raises(ValidationError):
            after_survey.survey_submit(participant=participant, answers=bad)
    assert not SurveyResponse.objects.exists()


def test_a_viewer_cannot_open_the_survey(event: Event, city_viewer: User) -> None:
    with pytest.raises(PermissionDenied):
        after_survey.survey_set_open(event=event, is_open=True, by=city_viewer)
    assert not Survey.objects.exists()


# Certificates ------------------------------------------------------------------------------------


def test_a_one_day_event_certifies_who_checked_in(event: Event, event_day: EventDay, participant: Participant) -> None:
    absent = make_participant(event, "Tidak Datang")
    check_in(participant, event_day)

    issued = after_documents.certificates_issue(event=event)
    again = after_documents.certificates_issue(event=event)

    assert [c.participant for c in issued] == [participant]
    assert again == []
    assert not Certificate.objects.filter(participant=absent).exists()


def test_a_multi_day_training_certifies_only_who_came_every_day(
    territory: Territory, units: Units, city_admin: User
) -> None:
    training = make_event(unit=units.jakpus, region=territory.jakpus, created_by=city_admin, days=3)
    meeting = make_event(
        unit=units.jakpus, region=territory.jakpus, created_by=city_admin, days=2, kind=Event.Kind.MEETING
    )
    days = list(training.days.all())
    every_day = make_participant(training, "Hadir Tiga Hari")
    two_days = make_participant(training, "Hadir Dua Hari")
    for day in days:
        check_in(every_day, day)
    for day in days[:2]:
        check_in(two_days, day)
    once = make_participant(meeting, "Sekali Datang")
    check_in(once, meeting.days.first())  # type: ignore[arg-type]

    assert list(after.eligible_for_certificate(training)) == [every_day]
    assert list(after.eligible_for_certificate(meeting)) == [once]


def test_a_revoked_certificate_keeps_its_code_and_says_why(
    event: Event, event_day: EventDay, participant: Participant, city_admin: User, city_viewer: User
) -> None:
    check_in(participant, event_day)
    (certificate,) = after_documents.certificates_issue(event=event)

    with pytest.raises(PermissionDenied):
        after_documents.certificate_revoke(certificate=certificate, reason="Salah cetak", by=city_viewer)
    with pytest.raises(ValidationError):
        after_documents.certificate_revoke(certificate=certificate, reason="  ", by=city_admin)
    after_documents.certificate_revoke(certificate=certificate, reason="Tidak hadir penuh", by=city_admin)

    found = after.certificate_verify(certificate.code.lower().replace("-", ""))
    assert found == certificate
    assert found.revoked_at is not None
    assert found.revoke_reason == "Tidak hadir penuh"
    with pytest.raises(ValidationError, match="already revoked"):
        after_documents.certificate_revoke(certificate=certificate, reason="Lagi", by=city_admin)
    assert after.participant_certificate(participant) is None


def test_certificate_codes_avoid_ambiguous_letters(event: Event, event_day: EventDay) -> None:
    people = [make_participant(event, f"Peserta {i}") for i in range(30)]
    for person in people:
        check_in(person, event_day)

    codes = [c.code for c in after_documents.certificates_issue(event=event)]

    assert len(set(codes)) == 30
    for code in codes:
        assert len(code) == 11
        assert code[5] == "-"
        assert not set(code) & set("01OIL")
