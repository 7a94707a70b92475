"""Escalation rules raise an alert to Kesbangpol and the Camat, exactly once per incident."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core import mail
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.earlywarning import escalation, tasks
from sinergi.earlywarning.models import Alert, EscalationRule, Report, Topic
from sinergi.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(kesbangpol_admin: User, camat_operator: User, lurah_operator: User, city_viewer: User) -> None:
    """Who could be told: only Kesbangpol and the Camat are."""


def recipients_of(alert: Alert) -> set[str]:
    return set(
        Notification.objects.filter(key=f"earlywarning.alert:{alert.pk}").values_list("user__username", flat=True)
    )


def test_a_critical_report_alerts_kesbangpol_and_the_camat_once(
    staff: None, member: User, file_report: Callable[..., Report], django_capture_on_commit_callbacks
) -> None:
    EscalationRule.objects.create(name="Kritis", kind="severity", min_severity=4)

    with django_capture_on_commit_callbacks(execute=True):
        report = file_report(member, severity=4)
    file_report(member, severity=3)
    tasks.evaluate_rules.call()
    tasks.evaluate_rules.call()

    alert = Alert.objects.get()
    assert list(alert.reports.all()) == [report]
    assert recipients_of(alert) == {"kesbangpol", "camat.gambir"}
    assert len(mail.outbox) == 2
    assert "Ujaran" not in mail.outbox[0].body  # what the report says stays behind the sign-in


def test_three_high_reports_in_one_kecamatan_within_24_hours_alert_once(
    staff: None, member: User, chain_member: User, other_member: User, file_report: Callable[..., Report], territory
) -> None:
    EscalationRule.objects.create(name="Tiga tinggi", kind="cluster", min_severity=3, count=3, hours=24)

    file_report(member, severity=3)
    file_report(other_member, severity=4)  # another kecamatan
    file_report(member, severity=2)  # too low
    file_report(chain_member, severity=3, kelurahan=territory.kel_cideng)
    assert Alert.objects.count() == 0
    third = file_report(member, severity=4)
    fourth = file_report(member, severity=3)
    tasks.evaluate_rules.call()

    alert = Alert.objects.get()
    assert alert.area_code == "31.71.01"
    assert alert.reports.count() == 4
    assert fourth in alert.reports.all()
    assert third in alert.reports.all()


def test_old_reports_do_not_make_a_burst(staff: None, member: User, file_report: Callable[..., Report]) -> None:
    EscalationRule.objects.create(name="Tiga tinggi", kind="cluster", min_severity=3, count=3, hours=24)
    for hours in (30, 28, 1):
        file_report(member, severity=3, occurred_at=timezone.now() - datetime.timedelta(hours=hours))

    tasks.evaluate_rules.call()

    assert Alert.objects.count() == 0


def test_a_topic_trending_up_week_on_week_alerts_once_a_week(
    staff: None, member: User, file_report: Callable[..., Report], topics: dict[str, Topic]
) -> None:
    EscalationRule.objects.create(name="Hoaks naik", kind="trend", topic=topics["hoax"], count=3, percent=100)
    now = timezone.now()
    file_report(member, severity=1, topic="hoax", occurred_at=now - datetime.timedelta(days=9))
    for hours in (5, 4, 3):
        file_report(member, severity=1, topic="hoax", occurred_at=now - datetime.timedelta(hours=hours))
    file_report(member, severity=1, topic="crime")

    assert len(escalation.evaluate_rules(now)) == 1
    assert escalation.evaluate_rules(now) == []
    alert = Alert.objects.get()
    assert alert.reports.count() == 3
    assert recipients_of(alert) == {"kesbangpol", "camat.gambir"}


def test_a_topic_that_did_not_grow_enough_does_not_alert(
    staff: None, member: User, file_report: Callable[..., Report], topics: dict[str, Topic]
) -> None:
    EscalationRule.objects.create(name="Hoaks naik", kind="trend", topic=topics["hoax"], count=2, percent=100)
    now = timezone.now()
    for days in (9, 10):
        file_report(member, severity=1, topic="hoax", occurred_at=now - datetime.timedelta(days=days))
    for hours in (5, 4, 3):
        file_report(member, severity=1, topic="hoax", occurred_at=now - datetime.timedelta(hours=hours))

    assert escalation.evaluate_rules(now) == []


def test_a_report_shown_false_no_longer_counts(
    staff: None, member: User, lurah_operator: User, file_report: Callable[..., Report]
) -> None:
    from sinergi.earlywarning import services

    EscalationRule.objects.create(name="Dua tinggi", kind="cluster", min_severity=3, count=2, hours=24)
    first = file_report(member, severity=3)
    services.report_verify(by=lurah_operator, report=first, status="false", note="Pesan lama")
    file_report(member, severity=3)

    assert Alert.objects.count() == 0
