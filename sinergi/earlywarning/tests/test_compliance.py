"""Reporting compliance: a report or a nihil counts for its day; reminders go once to who is behind."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.earlywarning import selectors, services, tasks
from sinergi.earlywarning.models import Report
from sinergi.notifications.models import Notification

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def test_a_day_counts_with_a_report_or_a_nihil(
    member: User, other_member: User, kesbangpol_admin: User, file_report: Callable[..., Report]
) -> None:
    services.nihil_submit(by=member, for_date=days_ago(3))
    file_report(member, for_date=days_ago(2))
    services.nihil_submit(by=member, for_date=days_ago(2))  # a second filing the same day adds nothing
    services.nihil_submit(by=other_member, for_date=days_ago(1))

    rows = {row.name: row for row in selectors.compliance(user=kesbangpol_admin, start=days_ago(4), end=days_ago(1))}

    assert (rows["Fkdm.Gambir"].met, rows["Fkdm.Gambir"].due) == (2, 4)
    assert (rows["Fkdm.Pasarbaru"].met, rows["Fkdm.Pasarbaru"].due) == (1, 4)
    assert rows["Fkdm.Gambir"].last_filed == days_ago(2)


def test_a_member_is_not_due_before_joining(member: User, kesbangpol_admin: User) -> None:
    member.roles.update(created_at=timezone.now() - datetime.timedelta(days=1))
    services.nihil_submit(by=member, for_date=days_ago(1))

    [row] = selectors.compliance(user=kesbangpol_admin, start=days_ago(10), end=days_ago(1))

    assert (row.met, row.due) == (1, 1)


def test_a_rhythm_of_two_filings_in_three_days(
    member: User, other_member: User, kesbangpol_admin: User, settings, file_report: Callable[..., Report]
) -> None:
    settings.SINERGI_FKDM_REPORTS_PER_DAYS = (2, 3)
    first = datetime.date.fromordinal(selectors.period_of(days_ago(5), 3) * 3)
    services.nihil_submit(by=member, for_date=first)
    file_report(member, for_date=first + datetime.timedelta(days=1))
    services.nihil_submit(by=other_member, for_date=first)

    rows = {
        row.name: row
        for row in selectors.compliance(user=kesbangpol_admin, start=first, end=first + datetime.timedelta(days=2))
    }

    assert (rows["Fkdm.Gambir"].met, rows["Fkdm.Gambir"].due) == (1, 1)
    assert (rows["Fkdm.Pasarbaru"].met, rows["Fkdm.Pasarbaru"].due) == (0, 1)


def test_the_lurah_sees_who_has_not_reported_today_in_their_kelurahan(
    member: User, other_member: User, chain_member: User, lurah_operator: User, client_for: Callable[[User], Client]
) -> None:
    services.nihil_submit(by=chain_member)

    page = client_for(lurah_operator).get(reverse("earlywarning:not-reported"))

    assert [row.name for row in page.context["rows"]] == ["Fkdm.Gambir"]
    assert client_for(lurah_operator).get(reverse("earlywarning:compliance")).status_code == 200


def test_reminders_go_once_to_members_behind(member: User, other_member: User) -> None:
    services.nihil_submit(by=other_member)

    assert tasks.send_compliance_reminders.call() == 1
    assert tasks.send_compliance_reminders.call() == 0
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["fkdm.gambir"]
