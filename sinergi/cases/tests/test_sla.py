"""Service level: due dates in working days across a public holiday, the SLA state, and the
escalation of an overdue case, once, to the unit above."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from unittest import mock

import pytest
from django.utils import timezone

from conftest import Units
from sinergi.accounts.models import Unit, User
from sinergi.audit.models import AuditEvent
from sinergi.cases import selectors, services, tasks
from sinergi.cases.models import Case, CaseTransition
from sinergi.core import workdays
from sinergi.core.models import PublicHoliday
from sinergi.notifications.models import Notification

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2031, 3, 3)


def on(day: datetime.date) -> mock._patch[mock.MagicMock]:
    """Run as if today were ``day`` (the services read ``timezone.localdate``)."""
    return mock.patch.object(timezone, "localdate", return_value=day)


def test_the_due_date_counts_working_days_and_skips_a_public_holiday(
    file_case: Callable[..., services.Submission],
) -> None:
    without = workdays.add_working_days(MONDAY, 7)
    with on(MONDAY):
        assert file_case().case.due_on == without

    # A holiday on the Wednesday in between pushes the due date one working day on.
    PublicHoliday.objects.get_or_create(date=MONDAY + datetime.timedelta(days=2), defaults={"name": "Libur uji"})
    workdays.forget([MONDAY.year])
    with on(MONDAY):
        case = file_case().case

    assert case.due_on == workdays.add_working_days(without, 1)
    assert workdays.working_days_between(MONDAY, case.due_on) == 7


def test_the_sla_state_is_on_time_then_due_soon_then_overdue(file_case: Callable[..., services.Submission]) -> None:
    with on(MONDAY):
        case = file_case().case
    due = case.due_on

    assert selectors.sla_state(case, today=MONDAY) == selectors.Sla.ON_TIME
    assert selectors.sla_state(case, today=workdays.add_working_days(due, -1)) == selectors.Sla.DUE_SOON
    assert selectors.sla_state(case, today=due + datetime.timedelta(days=1)) == selectors.Sla.OVERDUE
    with on(due + datetime.timedelta(days=1)):
        assert Case.objects.filter(selectors.sla_filter(selectors.Sla.OVERDUE)).get() == case


def test_an_overdue_case_escalates_once_to_the_unit_above_whose_staff_are_told(
    file_case: Callable[..., services.Submission], units: Units, camat_operator: User, lurah_operator: User
) -> None:
    with on(MONDAY):
        case = file_case().case
        fresh = file_case(description="Lain hal, belum lewat waktu").case
    Case.objects.filter(pk=fresh.pk).update(due_on=MONDAY + datetime.timedelta(days=60))
    late = case.due_on + datetime.timedelta(days=3)

    with on(late):
        first = tasks.check_sla.call()
        second = tasks.check_sla.call()

    assert (first, second) == (1, 0)
    case.refresh_from_db()
    assert case.escalated_to == units.kec_gambir
    assert case.escalated_at is not None
    assert case.status == Case.Status.WAITING  # the clock escalates; it does not change the status
    assert CaseTransition.objects.filter(case=case, is_escalation=True).count() == 1
    assert AuditEvent.objects.filter(action="cases.case.escalate", object_id=str(case.pk)).count() == 1
    assert Notification.objects.filter(user=camat_operator, key=f"cases:{case.pk}:escalated").count() == 1
    assert Notification.objects.filter(user=lurah_operator, key=f"cases:{case.pk}:overdue").count() == 1
    assert Case.objects.get(pk=fresh.pk).escalated_at is None
    # The unit above now sees it in its inbox and may act on it.
    assert Case.objects.visible_to(camat_operator).filter(pk=case.pk).exists()
    services.case_transition(case=case, to_status=Case.Status.VALIDATED, by=camat_operator)


def test_a_suku_dinas_escalates_to_its_agency(
    file_case: Callable[..., services.Submission], lurah_operator: User, sudin: Unit, agency: Unit
) -> None:
    with on(MONDAY):
        case = file_case().case
        services.case_transition(case=case, to_status=Case.Status.VALIDATED, by=lurah_operator)
        services.case_transition(case=case, to_status=Case.Status.DISPOSITION, by=lurah_operator, unit=sudin)

    with on(case.due_on + datetime.timedelta(days=1)):
        assert services.escalate_overdue() == 1

    assert Case.objects.get(pk=case.pk).escalated_to == agency


def test_closed_cases_never_escalate(file_case: Callable[..., services.Submission], lurah_operator: User) -> None:
    with on(MONDAY):
        case = file_case().case
        services.case_transition(case=case, to_status=Case.Status.REJECTED, by=lurah_operator, note="Bukan wewenang")

    with on(case.due_on + datetime.timedelta(days=10)):
        assert services.escalate_overdue() == 0
