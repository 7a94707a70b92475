"""Reads of the after stage: question banks in scope, test results and knowledge gain, the survey's
IKM, who earned a certificate, and the documents of an event."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet

from sinergi.events.models import (
    Certificate,
    CheckIn,
    Event,
    GeneratedDocument,
    Participant,
    Question,
    QuestionBank,
    SurveyResponse,
    Test,
    TestAttempt,
)
from sinergi.events.selectors import after_scoring
from sinergi.events.selectors.after_scoring import GainSummary, IkmResult
from sinergi.territory.models import code_q

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from sinergi.accounts.models import User


# Question banks ----------------------------------------------------------------------------------


def ancestors_and_self(codes: list[str]) -> set[str]:
    """Every code above each of ``codes`` and the codes themselves (``31.71.01`` -> 31, 31.71, 31.71.01)."""
    return {code[:i] for code in codes for i in range(1, len(code) + 1) if i == len(code) or code[i] == "."}


def banks_visible_to(user: User | AnonymousUser) -> QuerySet[QuestionBank]:
    """Staff see the banks of units in their territory and of the units above it (a province bank
    serves every city); a representative sees none."""
    banks = QuestionBank.objects.select_related("unit__region")
    if not user.is_authenticated:
        return banks.none()
    codes = user.scope_codes()
    if codes is None:
        return banks
    if not codes:
        return banks.none()
    return banks.filter(code_q(codes, "unit__region__code") | Q(unit__region__code__in=ancestors_and_self(codes)))


def bank_questions(bank: QuestionBank) -> QuerySet[Question]:
    return bank.questions.prefetch_related("choices").annotate(used=Count("tests", distinct=True))


def questions_visible_to(user: User | AnonymousUser) -> QuerySet[Question]:
    return Question.objects.filter(bank__in=banks_visible_to(user)).select_related("bank")


# Tests and knowledge gain ------------------------------------------------------------------------


def tests_of(event: Event) -> dict[str, Test]:
    """The event's tests by kind (``pre``, ``post``), with their questions and choices."""
    tests = event.tests.prefetch_related(
        Prefetch("questions", queryset=Question.objects.prefetch_related("choices").order_by("order", "pk"))
    ).annotate(attempt_count=Count("attempts"))
    return {test.kind: test for test in tests}


@dataclass(frozen=True)
class ParticipantResult:
    participant: Participant
    pre: Decimal | None
    post: Decimal | None

    @property
    def gain(self) -> Decimal | None:
        return after_scoring.gain(self.pre, self.post)


def scores_by_participant(event: Event, kind: str) -> dict[int, Decimal]:
    return dict(TestAttempt.objects.filter(test__event=event, test__kind=kind).values_list("participant_id", "score"))


def knowledge_gain(event: Event) -> tuple[GainSummary, list[ParticipantResult]]:
    """The event's summary and each participant's pre, post and gain (those with any attempt)."""
    pre = scores_by_participant(event, Test.Kind.PRE)
    post = scores_by_participant(event, Test.Kind.POST)
    ids = set(pre) | set(post)
    participants = Participant.objects.filter(pk__in=ids).select_related("organisation").order_by("full_name", "pk")
    rows = [ParticipantResult(participant=p, pre=pre.get(p.pk), post=post.get(p.pk)) for p in participants]
    return after_scoring.gain_summary(pre, post), rows


def attempt_of(test: Test | None, participant: Participant) -> TestAttempt | None:
    if test is None:
        return None
    return TestAttempt.objects.filter(test=test, participant=participant).first()


# Survey ------------------------------------------------------------------------------------------


def ikm_of(event: Event) -> IkmResult | None:
    """The event's IKM from every survey response (None before the first)."""
    rows = SurveyResponse.objects.filter(event=event).values(*SurveyResponse.ELEMENTS)
    return after_scoring.ikm(rows.iterator())


def survey_is_open(event: Event) -> bool:
    from sinergi.events.models import Survey

    return Survey.objects.filter(event=event, is_open=True).exists()


def suggestions_of(event: Event) -> list[str]:
    """The survey's free-text suggestions, without who wrote them (the survey is anonymous to staff)."""
    return [
        s
        for s in SurveyResponse.objects.filter(event=event).exclude(suggestion="").values_list("suggestion", flat=True)
    ]


# Attendance and certificates ---------------------------------------------------------------------


def needs_every_day(event: Event, day_count: int) -> bool:
    """A certificate of a multi-day training needs a check-in on every day (it attests the whole
    course); for every other event one day present is enough."""
    return event.kind == Event.Kind.TRAINING and day_count > 1


def eligible_for_certificate(event: Event) -> QuerySet[Participant]:
    """Registered participants who attended: checked in on every day of a multi-day training, on
    at least one day of anything else."""
    days = event.days.count()
    registered = event.participants.filter(status=Participant.Status.REGISTERED)
    if days == 0:
        return registered.none()
    present = registered.annotate(
        days_present=Count("check_ins__day", distinct=True, filter=Q(check_ins__day__event=event))
    )
    required = days if needs_every_day(event, days) else 1
    return present.filter(days_present__gte=required)


def certificates_of(event: Event) -> QuerySet[Certificate]:
    return Certificate.objects.filter(participant__event=event).select_related("participant__organisation")


def certificate_verify(code: str) -> Certificate | None:
    """The certificate with this code (case and spaces forgiven), for the public page."""
    normalised = code.strip().upper().replace(" ", "")
    if len(normalised) == 10 and "-" not in normalised:
        normalised = f"{normalised[:5]}-{normalised[5:]}"
    return (
        Certificate.objects.select_related("participant__event__unit")
        .prefetch_related("participant__event__days")
        .filter(code=normalised)
        .first()
    )


def participant_certificate(participant: Participant) -> Certificate | None:
    """The participant's certificate if it is valid (not revoked)."""
    return Certificate.objects.filter(participant=participant, revoked_at__isnull=True).first()


def check_ins_of(event: Event) -> QuerySet[CheckIn]:
    return CheckIn.objects.filter(day__event=event).select_related("participant__organisation", "day")


# Documents ---------------------------------------------------------------------------------------


def documents_of(event: Event) -> QuerySet[GeneratedDocument]:
    return event.documents.select_related("requested_by")


def document_get(event_ids: QuerySet[Event], pk: int) -> GeneratedDocument | None:
    """A document of an event among ``event_ids`` (the user's visible events)."""
    return GeneratedDocument.objects.filter(pk=pk, event__in=event_ids).select_related("event").first()
