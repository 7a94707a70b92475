"""Sending: one delivery per organisation, representatives told once, whatever the worker does."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.announcements import services, tasks
from sinergi.announcements.models import Announcement, Delivery, DeliveryMessage, FanoutBatch, area_columns
from sinergi.notifications.models import Notification, OutboundMessage
from sinergi.registry.models import Organisation

pytestmark = pytest.mark.django_db


def test_it_delivers_once_to_each_targeted_organisation_and_tells_its_representatives(
    sent: Callable[..., Announcement], rt_chair: User, neighbour_chair: User, rt_org: Organisation, rw_org: Organisation
) -> None:
    announcement = sent()

    delivered = set(Delivery.objects.filter(announcement=announcement).values_list("organisation__name", flat=True))
    assert delivered == {"RT 001/RW 001", "RT 002/RW 001", "RW 001"}  # not the Ormas of the kecamatan
    assert announcement.status == Announcement.Status.SENT
    assert (announcement.recipients_total, announcement.deliveries_done) == (3, 3)
    assert Notification.objects.filter(user=rt_chair, title__contains="Sensus Ekonomi 2026").count() == 1
    assert OutboundMessage.objects.filter(channel="email", recipient="wawan@sinergi.test").count() == 1
    assert Delivery.objects.filter(announcement=announcement, notified_at__isnull=True).count() == 0
    assert DeliveryMessage.objects.filter(delivery__organisation=rt_org, channel="inapp").count() == 1


def test_a_batch_run_twice_sends_nothing_twice(
    sent: Callable[..., Announcement], rt_chair: User, neighbour_chair: User
) -> None:
    announcement = sent()
    counts = (
        Delivery.objects.count(),
        Notification.objects.count(),
        OutboundMessage.objects.count(),
        DeliveryMessage.objects.count(),
    )

    for batch in FanoutBatch.objects.filter(announcement=announcement):
        FanoutBatch.objects.filter(pk=batch.pk).update(status=FanoutBatch.Status.PENDING)  # as if never marked done
        tasks.deliver_batch.call(batch_id=batch.pk)
        tasks.deliver_batch.call(batch_id=batch.pk)

    after = (
        Delivery.objects.count(),
        Notification.objects.count(),
        OutboundMessage.objects.count(),
        DeliveryMessage.objects.count(),
    )
    assert after == counts


def test_a_worker_killed_midway_is_resumed_without_double_delivery(
    draft: Callable[..., Announcement],
    lurah_operator: User,
    rt_chair: User,
    neighbour_chair: User,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.SINERGI_ANNOUNCEMENT_BATCH_SIZE = 1
    announcement = draft()
    # The worker dies before any batch task ran: the batches are written, their tasks are lost.
    with django_capture_on_commit_callbacks(execute=False):
        services.announcement_send(by=lurah_operator, announcement=announcement)
    batches = list(FanoutBatch.objects.filter(announcement=announcement).order_by("number"))
    assert len(batches) == 3
    # One batch got as far as writing its deliveries, then the worker was killed before telling anyone.
    first_org = batches[0].organisation_ids[0]
    Delivery.objects.create(
        announcement=announcement, organisation_id=first_org, kind_code="rt", **area_columns("31.71.01.1001")
    )
    # Another batch finished completely.
    tasks.deliver_batch.call(batch_id=batches[1].pk)
    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.SENDING

    FanoutBatch.objects.update(enqueued_at=timezone.now() - datetime.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        resumed = tasks.resume_fanout.call()

    assert resumed == 2  # the two batches not done
    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.SENT
    assert announcement.deliveries_done == 3
    assert Delivery.objects.filter(announcement=announcement).count() == 3
    for user in (rt_chair, neighbour_chair):
        assert Notification.objects.filter(user=user).count() == 1
    assert OutboundMessage.objects.filter(recipient="wawan@sinergi.test").count() == 1
    # Nothing is left to resume.
    FanoutBatch.objects.update(enqueued_at=timezone.now() - datetime.timedelta(hours=1))
    assert tasks.resume_fanout.call() == 0


def test_a_scheduled_announcement_goes_out_at_its_publish_time(
    draft: Callable[..., Announcement], lurah_operator: User, rt_chair: User, django_capture_on_commit_callbacks: Any
) -> None:
    later = timezone.now() + datetime.timedelta(hours=2)
    announcement = draft(publish_at=later)
    services.announcement_send(by=lurah_operator, announcement=announcement)
    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.SCHEDULED
    assert tasks.publish_due.call() == 0
    assert not Delivery.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        started = services.publish_due(now=later + datetime.timedelta(minutes=1))

    assert started == 1
    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.SENT
    assert Notification.objects.filter(user=rt_chair).count() == 1


def test_whatsapp_through_the_default_gateway_is_recorded_as_logged_not_sent(
    sent: Callable[..., Announcement], rt_org: Organisation, rt_chair: User, django_capture_on_commit_callbacks: Any
) -> None:
    Organisation.objects.filter(pk=rt_org.pk).update(phone="081234567890")

    announcement = sent(send_gateway=True)

    message = OutboundMessage.objects.get(channel="whatsapp", recipient="081234567890")
    assert message.status == OutboundMessage.Status.LOGGED
    link = DeliveryMessage.objects.get(delivery__announcement=announcement, channel="whatsapp")
    assert link.outbound == message


def test_an_inactive_organisation_receives_nothing(
    sent: Callable[..., Announcement], rt_org: Organisation, other_rt_org: Organisation
) -> None:
    Organisation.objects.filter(pk=other_rt_org.pk).update(status=Organisation.Status.DISSOLVED)

    announcement = sent()

    assert not Delivery.objects.filter(announcement=announcement, organisation=other_rt_org).exists()


def test_a_sent_announcement_cannot_be_sent_or_changed_again(
    sent: Callable[..., Announcement], lurah_operator: User
) -> None:
    from django.core.exceptions import ValidationError

    announcement = sent()

    with pytest.raises(ValidationError):
        services.announcement_send(by=lurah_operator, announcement=announcement)
    with pytest.raises(ValidationError):
        services.announcement_update(by=lurah_operator, announcement=announcement, title="Lain")
    with pytest.raises(ValidationError):
        services.announcement_cancel(by=lurah_operator, announcement=announcement)
