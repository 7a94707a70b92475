"""The computed indicators: each is a small function from a round's basis (territory, period, kind
of subject) to counts grouped by where they belong.

An indicator answers ``{key: (numerator, denominator)}``, where ``key`` is the code of the region an
organisation (or a case) sits in, or the organisation's id when the round evaluates organisations;
``services.rollup`` adds the counts up to each subject. The value shown is ``100 * numerator /
denominator``; with nothing to count (a denominator of 0) the subject has no value and the weight
of that indicator is left out of its total. Each runs a few aggregate queries for the whole round,
whatever the number of subjects.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import CharField, Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Concat
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sinergi.events.models import CheckIn, Event, EventDay, Invitation
from sinergi.registry.models import ActivityReport, Document, Officer, Organisation
from sinergi.territory.models import code_q

Key = str | int
Counts = dict[Key, tuple[int, int]]


@dataclass(frozen=True)
class Basis:
    """What an indicator is computed over: the round's territory, period and subjects."""

    area: str  # the round's region code
    start: datetime.date
    end: datetime.date
    by_organisation: bool = False  # keys are organisation ids, not region codes
    organisation_kind_id: int | None = None


@dataclass(frozen=True)
class Indicator:
    code: str
    name: Promise
    definition: Promise  # how it is computed, shown to the subject
    advice: Promise  # the recommendation when the value is low
    compute: Callable[[Basis], Counts]
    for_organisations: bool = True  # whether it can evaluate organisations one by one


REGISTRY: dict[str, Indicator] = {}


def indicator(
    code: str, name: Promise, definition: Promise, advice: Promise, *, for_organisations: bool = True
) -> Callable[[Callable[[Basis], Counts]], Callable[[Basis], Counts]]:
    def register(compute: Callable[[Basis], Counts]) -> Callable[[Basis], Counts]:
        REGISTRY[code] = Indicator(code, name, definition, advice, compute, for_organisations)
        return compute

    return register


def value_of(numerator: int, denominator: int) -> float | None:
    """The indicator's value from 0 to 100, or None when there was nothing to count."""
    return None if denominator <= 0 else round(100 * numerator / denominator, 2)


# Helpers -----------------------------------------------------------------------------------------


def organisations(basis: Basis, path: str = "") -> Q:
    """Active organisations of the round's territory (and kind), as a filter through ``path``."""
    q = code_q([basis.area], f"{path}region__code") & Q(**{f"{path}status": Organisation.Status.ACTIVE})
    if basis.organisation_kind_id is not None:
        q &= Q(**{f"{path}kind_id": basis.organisation_kind_id})
    return q


def group_field(basis: Basis, path: str = "") -> str:
    return f"{path}id" if basis.by_organisation else f"{path}region__code"


def _counts(queryset: QuerySet, field: str) -> dict[Key, int]:
    return {key: n for key, n in queryset.values_list(field).annotate(n=Count("pk")).values_list(field, "n")}


def combine(numerators: dict[Key, int], denominators: dict[Key, int]) -> Counts:
    return {key: (numerators.get(key, 0), denominator) for key, denominator in denominators.items()}


def _serving(on: datetime.date, path: str = "") -> Q:
    """Officers in their post on ``on``: appointed by then and not left."""
    return Q(**{f"{path}term_start__lte": on}) & (
        Q(**{f"{path}ended_on__isnull": True}) | Q(**{f"{path}ended_on__gt": on})
    )


# The register -------------------------------------------------------------------------------------


@indicator(
    "officers_present",
    _("Organisations with a chair"),
    _("Active organisations that have a chair in office at the end of the period, out of all active organisations."),
    _("Appoint a chair in every organisation without one and record the decree in Sinergi."),
)
def officers_present(basis: Basis) -> Counts:
    orgs = Organisation.objects.filter(organisations(basis))
    chair = Officer.objects.filter(
        _serving(basis.end), organisation=OuterRef("pk"), position=Officer.Position.CHAIR, term_end__gte=basis.end
    )
    field = group_field(basis)
    return combine(_counts(orgs.filter(Exists(chair)), field), _counts(orgs, field))


@indicator(
    "terms_current",
    _("Officers within their term"),
    _(
        "Officers still in their post at the end of the period whose term has not run out, out of all "
        "officers still in their post (a term that ran out without a new decree counts against)."
    ),
    _("Renew the decrees of officers whose term has run out, or record who replaces them."),
)
def terms_current(basis: Basis) -> Counts:
    officers = Officer.objects.filter(organisations(basis, "organisation__"), _serving(basis.end))
    field = group_field(basis, "organisation__")
    return combine(_counts(officers.filter(term_end__gte=basis.end), field), _counts(officers, field))


@indicator(
    "documents_valid",
    _("Documents valid"),
    _(
        "The latest document of each type with an expiry date that is still valid at the end of the "
        "period, out of all such documents."
    ),
    _("Ask the organisations to renew expired documents and upload the new ones."),
)
def documents_valid(basis: Basis) -> Counts:
    newer = Document.objects.filter(
        organisation=OuterRef("organisation"),
        type=OuterRef("type"),
        valid_until__gt=OuterRef("valid_until"),
        issued_on__lte=basis.end,
    )
    documents = Document.objects.filter(
        organisations(basis, "organisation__"), valid_until__isnull=False, uploaded_at__date__lte=basis.end
    ).filter(~Exists(newer))
    field = group_field(basis, "organisation__")
    return combine(_counts(documents.filter(valid_until__gte=basis.end), field), _counts(documents, field))


@indicator(
    "activity_reports",
    _("Activity reports filed"),
    _("Active organisations that filed at least one activity report held in the period, out of all active ones."),
    _("Remind the organisations to file a report of each activity they hold."),
)
def activity_reports(basis: Basis) -> Counts:
    orgs = Organisation.objects.filter(organisations(basis))
    reported = ActivityReport.objects.filter(organisation=OuterRef("pk"), held_on__range=(basis.start, basis.end))
    field = group_field(basis)
    return combine(_counts(orgs.filter(Exists(reported)), field), _counts(orgs, field))


# Events -------------------------------------------------------------------------------------------


@indicator(
    "event_attendance",
    _("Attendance at events"),
    _(
        "Invitations of the area's organisations to events held in the period (not cancelled) at which "
        "at least one of the organisation's delegates checked in, out of all such invitations."
    ),
    _("Follow up invitations that got no delegate and ask the organisations to send one next time."),
)
def event_attendance(basis: Basis) -> Counts:
    held = EventDay.objects.filter(event=OuterRef("event"), date__range=(basis.start, basis.end))
    invitations = Invitation.objects.filter(
        organisations(basis, "organisation__"),
        event__status__in=[Event.Status.PUBLISHED, Event.Status.RUNNING, Event.Status.FINISHED],
    ).filter(Exists(held))
    present = CheckIn.objects.filter(
        participant__event=OuterRef("event"), participant__organisation=OuterRef("organisation")
    )
    field = group_field(basis, "organisation__")
    return combine(_counts(invitations.filter(Exists(present)), field), _counts(invitations, field))


def _sum(queryset: QuerySet, field: str, total: str) -> dict[Key, int]:
    return {key: int(n or 0) for key, n in queryset.values_list(field).annotate(n=Sum(total)).values_list(field, "n")}


# Aspirations and complaints ---------------------------------------------------------------------------


def _cases(basis: Basis) -> QuerySet:
    """Cases received in the period in the round's territory (joined duplicates left out)."""
    from sinergi.cases.models import Case

    return Case.objects.filter(
        code_q([basis.area], "region_code"), created_at__date__range=(basis.start, basis.end)
    ).exclude(status=Case.Status.MERGED)


@indicator(
    "case_sla",
    _("Cases closed within the service level"),
    _(
        "Aspirations and complaints received in the period in the area that were closed by their due "
        "date, out of those closed or already due at the end of the period."
    ),
    _("Follow up open cases before their due date and close them with proof of the result."),
    for_organisations=False,
)
def case_sla(basis: Basis) -> Counts:
    from sinergi.cases.models import Case

    closed = Q(status__in=[Case.Status.DONE, Case.Status.REJECTED], closed_at__isnull=False)
    cases = _cases(basis).filter(closed | Q(due_on__lte=basis.end))
    on_time = cases.filter(closed, closed_at__date__lte=F("due_on"))
    return combine(_counts(on_time, "region_code"), _counts(cases, "region_code"))


@indicator(
    "case_rating",
    _("Residents' rating of the answers"),
    _(
        "The ratings residents gave (1 to 5 stars) to cases received in the period in the area, as a "
        "share of the best possible: 5 stars is 100, 1 star is 0."
    ),
    _("Ask the residents who rated low what was missing and improve the answers."),
    for_organisations=False,
)
def case_rating(basis: Basis) -> Counts:
    rated = _cases(basis).filter(rating__isnull=False)
    points = _sum(rated.annotate(points=F("rating") - 1), "region_code", "points")
    return {key: (points.get(key, 0), 4 * n) for key, n in _counts(rated, "region_code").items()}


# Announcements ------------------------------------------------------------------------------------------


def _deliveries(basis: Basis) -> QuerySet:
    """Deliveries to the area's organisations of announcements sent in the period."""
    from sinergi.announcements.models import Announcement, Delivery

    return Delivery.objects.filter(
        organisations(basis, "organisation__"),
        announcement__status=Announcement.Status.SENT,
        announcement__sent_at__date__range=(basis.start, basis.end),
    )


@indicator(
    "announcement_ack",
    _("Announcements acknowledged"),
    _(
        "Announcements sent in the period that asked for an acknowledgement, delivered to the area's "
        "organisations, that the organisation acknowledged, out of all such deliveries."
    ),
    _("Ask the organisations to acknowledge each announcement as soon as they read it."),
)
def announcement_ack(basis: Basis) -> Counts:
    deliveries = _deliveries(basis).filter(announcement__ack_required=True)
    field = group_field(basis, "organisation__")
    return combine(_counts(deliveries.filter(acknowledged_at__isnull=False), field), _counts(deliveries, field))


@indicator(
    "announcement_relay",
    _("Announcements passed on to residents"),
    _(
        "Announcements sent in the period that asked for a relay report, delivered to the area's "
        "organisations, for which the organisation reported how it passed them on, out of all such deliveries."
    ),
    _("Remind the organisations to pass announcements on and report how they did it."),
)
def announcement_relay(basis: Basis) -> Counts:
    deliveries = _deliveries(basis).filter(announcement__relay_required=True)
    field = group_field(basis, "organisation__")
    return combine(_counts(deliveries.filter(relayed_at__isnull=False), field), _counts(deliveries, field))


# Early warning ------------------------------------------------------------------------------------------


@indicator(
    "fkdm_reporting",
    _("FKDM members reporting daily"),
    _(
        "Days on which each active FKDM member of the area sent at least one report (a “nihil” "
        "counts), out of the member-days of the period up to today."
    ),
    _("Remind FKDM members to send a report every day, a “nihil” when there is nothing to report."),
)
def fkdm_reporting(basis: Basis) -> Counts:
    from sinergi.accounts.models import Role
    from sinergi.earlywarning.models import Report

    last = min(basis.end, datetime.date.today())
    days = max(0, (last - basis.start).days + 1)
    if not days:
        return {}
    field = group_field(basis, "organisation__")
    members = Role.objects.filter(organisations(basis, "organisation__"), kind=Role.Kind.FKDM_MEMBER, is_active=True)
    expected = {key: n * days for key, n in _counts(members, field).items()}
    reporter_days = Concat(Cast("reporter_id", CharField()), Value(":"), Cast("for_date", CharField()))
    reports = Report.objects.filter(
        organisations(basis, "organisation__"),
        for_date__range=(basis.start, last),
        reporter__in=members.values("user_id"),
    )
    sent = {
        key: n
        for key, n in reports.values_list(field).annotate(n=Count(reporter_days, distinct=True)).values_list(field, "n")
    }
    return {key: (min(sent.get(key, 0), total), total) for key, total in expected.items()}
