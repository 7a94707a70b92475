"""Reminders to organisations that have not acknowledged: at most one every N days each."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.announcements import services, tasks
from sinergi.announcements.models import Announcement, Delivery
from sinergi.notifications.models import Notification
from sinergi.registry.models import Organisation

pytestmark = pytest.mark.django_db


def _age(announcement: Announcement, days: int) -> None:
    Delivery.objects.filter(announcement=announcement).update(
        delivered_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_it_reminds_those_who_have_not_acknowledged_once_per_period(
    sent: Callable[..., Announcement],
    rt_chair: User,
    neighbour_chair: User,
    rt_org: Organisation,
    settings: Any,
) -> None:
    settings.SINERGI_ANNOUNCEMENT_REMINDER_DAYS = 3
    announcement = sent()
    services.delivery_acknowledge(
        by=rt_chair, delivery=Delivery.objects.get(announcement=announcement, organisation=rt_org)
    )

    assert tasks.send_reminders.call() == 0  # nobody waited three days yet
    _age(announcement, 4)
    first = tasks.send_reminders.call()
    again = tasks.send_reminders.call()

    assert (first, again) == (2, 0)  # the neighbour RT and the RW; not the RT that acknowledged
    assert Notification.objects.filter(user=neighbour_chair, title__startswith="Reminder:").count() == 1
    assert Notification.objects.filter(user=rt_chair, title__startswith="Reminder:").count() == 0

    later = timezone.now() + datetime.timedelta(days=4)
    assert services.reminders_send(now=later) == 2
    assert Notification.objects.filter(user=neighbour_chair, title__startswith="Reminder:").count() == 2


def test_it_stops_after_the_last_reminder_and_after_expiry(
    sent: Callable[..., Announcement], neighbour_chair: User, settings: Any
) -> None:
    settings.SINERGI_ANNOUNCEMENT_MAX_REMINDERS = 1
    announcement = sent(expires_at=timezone.now() + datetime.timedelta(days=10))
    _age(announcement, 5)

    assert services.reminders_send() == 3  # two RT and the RW; none acknowledged
    assert services.reminders_send(now=timezone.now() + datetime.timedelta(days=5)) == 0
    Delivery.objects.update(reminders_sent=0, last_reminded_at=None)
    assert services.reminders_send(now=timezone.now() + datetime.timedelta(days=11)) == 0
