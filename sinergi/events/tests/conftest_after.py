"""Fixtures of the events' after stage, loaded with ``pytest_plugins`` by its test modules.

    bank           a question bank of the Jakarta Pusat unit with three questions (first answer right)
    pre_test       the event's pre-test on those questions, open
    post_test      the event's post-test on the same questions, open
    survey_open    the event's satisfaction survey, open

``answer_all(test, right=n)`` builds the answers of an attempt with ``n`` right; ``check_in`` marks
a participant present on a day."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import timezone

from conftest import Units
from sinergi.accounts.models import Unit, User
from sinergi.events.models import (
    CheckIn,
    Choice,
    Event,
    EventDay,
    Participant,
    Question,
    QuestionBank,
    Survey,
    Test,
)

QUESTIONS = [
    ("Kapan pemungutan suara Pemilu 2024?", ["14 Februari 2024", "17 April 2024", "27 November 2024"]),
    ("Kanal aduan warga Jakarta adalah ...", ["JAKI", "Lapor Pak", "Kotak surat"]),
    ("ASN dalam Pemilu harus ...", ["Netral", "Mendukung petahana", "Ikut berkampanye"]),
]


def make_bank(unit: Unit, created_by: User, name: str = "Pemilu 2024 dan JAKI") -> QuestionBank:
    bank = QuestionBank.objects.create(unit=unit, name=name, created_by=created_by)
    for order, (text, choices) in enumerate(QUESTIONS, start=1):
        question = Question.objects.create(bank=bank, text=text, order=order)
        for i, choice in enumerate(choices):
            Choice.objects.create(question=question, text=choice, is_correct=i == 0)
    return bank


def make_test(event: Event, kind: str, bank: QuestionBank, *, is_open: bool = True) -> Test:
    test = Test.objects.create(event=event, kind=kind, is_open=is_open)
    test.questions.set(bank.questions.all())
    return test


def answer_all(test: Test, right: int) -> dict[int, int | None]:
    """Answers to every question of ``test``, the first ``right`` of them right."""
    answers: dict[int, int | None] = {}
    for i, question in enumerate(test.questions.order_by("order", "pk")):
        choices = list(question.choices.order_by("pk"))
        answers[question.pk] = next(c.pk for c in choices if c.is_correct == (i < right))
    return answers


def check_in(participant: Participant, day: EventDay) -> CheckIn:
    return CheckIn.objects.create(
        participant=participant, day=day, method=CheckIn.Method.QR, checked_in_at=timezone.now()
    )


@pytest.fixture
def bank(units: Units, city_admin: User) -> QuestionBank:
    return make_bank(units.jakpus, city_admin)


@pytest.fixture
def pre_test(event: Event, bank: QuestionBank) -> Test:
    return make_test(event, Test.Kind.PRE, bank)


@pytest.fixture
def post_test(event: Event, bank: QuestionBank) -> Test:
    return make_test(event, Test.Kind.POST, bank)


@pytest.fixture
def survey_open(event: Event) -> Survey:
    return Survey.objects.create(event=event, is_open=True, opened_at=timezone.now())


@pytest.fixture
def answers() -> Callable[[Test, int], dict[int, int | None]]:
    return answer_all
