"""notify, e-mail and the gateway: once per key, honest statuses, batched delivery that is safe to repeat."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from typing import Any, ClassVar

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.utils import timezone

from conftest import Units
from sinergi.accounts.models import User
from sinergi.notifications import services, tasks
from sinergi.notifications.checks import check_gateway
from sinergi.notifications.gateways import Delivery
from sinergi.notifications.models import Notification, OutboundMessage

pytestmark = pytest.mark.django_db

Status = OutboundMessage.Status


class RecordingGateway:
    """A provider that accepts everything and remembers what it was given."""

    name = "recording"
    sent: ClassVar[list[tuple[str, str, str]]] = []

    def send(self, *, channel: str, recipient: str, body: str) -> Delivery:
        self.sent.append((channel, recipient, body))
        return Delivery(status=Status.SENT)


class RefusingGateway:
    name = "refusing"

    def send(self, *, channel: str, recipient: str, body: str) -> Delivery:
        raise ConnectionError("provider unreachable")


@pytest.fixture(autouse=True)
def forget_recorded() -> None:
    RecordingGateway.sent.clear()


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks: Callable[..., Any]) -> Callable[..., Any]:
    """Run the callbacks a block registers for after commit, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_it_notifies_each_user_once_per_key_in_the_inbox_and_by_e_mail(
    lurah_operator: User, camat_operator: User, run_on_commit: Callable[..., Any]
) -> None:
    users = [lurah_operator, camat_operator]
    with run_on_commit():
        created = services.notify(
            users=users, key="test:expiry:1", title="SKT berakhir", body="Segera perpanjang.", url="/ormas/1/"
        )

    assert created == 2
    assert Notification.objects.filter(key="test:expiry:1").count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["camat.gambir@sinergi.test", "lurah.gambir@sinergi.test"]
    assert mail.outbox[0].subject == "SKT berakhir"
    assert "Segera perpanjang." in mail.outbox[0].body
    assert "http://127.0.0.1:8000/ormas/1/" in mail.outbox[0].body
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {Status.SENT}

    with run_on_commit():
        again = services.notify(users=users, key="test:expiry:1", title="SKT berakhir")

    assert again == 0
    assert Notification.objects.filter(key="test:expiry:1").count() == 2
    assert len(mail.outbox) == 2


def test_it_skips_inactive_users_and_mails_only_those_with_an_address(
    lurah_operator: User, camat_operator: User, city_admin: User, run_on_commit: Callable[..., Any]
) -> None:
    camat_operator.is_active = False
    camat_operator.save(update_fields=["is_active"])
    city_admin.email = ""
    city_admin.save(update_fields=["email"])

    with run_on_commit():
        created = services.notify(
            users=User.objects.filter(pk__in=[lurah_operator.pk, camat_operator.pk, city_admin.pk]),
            key="test:k",
            title="Hello",
        )

    assert created == 2
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"lurah.gambir", "jakpus.admin"}
    assert [m.to for m in mail.outbox] == [["lurah.gambir@sinergi.test"]]


def test_it_leaves_e_mail_out_when_asked(lurah_operator: User, run_on_commit: Callable[..., Any]) -> None:
    with run_on_commit():
        services.notify(users=[lurah_operator], key="test:k", title="Only in the inbox", email=False)

    assert Notification.objects.count() == 1
    assert not OutboundMessage.objects.exists()
    assert mail.outbox == []


def test_it_records_mail_through_the_console_backend_as_logged_not_sent(
    lurah_operator: User, run_on_commit: Callable[..., Any]
) -> None:
    console = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    with override_settings(MAILERS=console), run_on_commit():
        services.notify(users=[lurah_operator], key="test:k", title="Printed, not sent")

    assert OutboundMessage.objects.get().status == Status.LOGGED


def test_the_default_gateway_only_logs_and_says_so(
    caplog: pytest.LogCaptureFixture, run_on_commit: Callable[..., Any]
) -> None:
    with caplog.at_level(logging.INFO, logger="sinergi.notifications.gateways"), run_on_commit():
        queued = services.gateway_send(
            channel=OutboundMessage.Channel.WHATSAPP, recipient="+6281234567890", body="Undangan rapat", key="test:k"
        )

    message = OutboundMessage.objects.get()
    assert queued == 1
    assert message.status == Status.LOGGED
    assert message.gateway == "log"
    assert message.sent_at is not None
    assert "Undangan rapat" in caplog.text
    assert "+62812" in caplog.text
    assert "+6281234567890" not in caplog.text  # the number is masked in the log


@override_settings(SINERGI_MESSAGE_GATEWAY="sinergi.notifications.tests.test_services.RecordingGateway")
def test_a_configured_gateway_sends_each_message_once_however_often_delivery_runs(
    run_on_commit: Callable[..., Any],
) -> None:
    with run_on_commit():
        services.gateway_send(channel="sms", recipient="+628111", body="Pengingat", key="test:k")
        services.gateway_send(channel="sms", recipient="+628111", body="Pengingat", key="test:k")
    message = OutboundMessage.objects.get()

    tasks.deliver_messages.call(message_ids=[message.pk])
    services.messages_deliver(message_ids=[message.pk])

    assert RecordingGateway.sent == [("sms", "+628111", "Pengingat")]
    message.refresh_from_db()
    assert (message.status, message.gateway) == (Status.SENT, "recording")


@override_settings(SINERGI_MESSAGE_GATEWAY="sinergi.notifications.tests.test_services.RefusingGateway")
def test_a_gateway_error_marks_the_message_failed_with_the_reason(run_on_commit: Callable[..., Any]) -> None:
    with run_on_commit():
        services.gateway_send(channel="sms", recipient="+628111", body="Pengingat", key="test:k")

    message = OutboundMessage.objects.get()
    assert message.status == Status.FAILED
    assert message.error == "ConnectionError: provider unreachable"


def test_it_refuses_e_mail_through_the_gateway_and_overlong_keys() -> None:
    with pytest.raises(ValueError, match="gateway"):
        services.gateway_send(channel="email", recipient="a@b.test", body="x", key="k")
    with pytest.raises(ValueError, match="key"):
        services.message_send(channel="sms", recipients=["+628111"], body="x", key="k" * 151)


def test_it_hands_messages_over_in_batches(
    units: Units, monkeypatch: pytest.MonkeyPatch, run_on_commit: Callable[..., Any]
) -> None:
    User.objects.bulk_create([User(username=f"warga{i}", email=f"warga{i}@sinergi.test") for i in range(450)])
    batches: list[list[int]] = []
    monkeypatch.setattr(services, "_enqueue", batches.append)

    with run_on_commit():
        created = services.notify(users=User.objects.filter(username__startswith="warga"), key="test:k", title="Hi")

    assert created == 450
    assert [len(batch) for batch in batches] == [200, 200, 50]
    assert OutboundMessage.objects.filter(status=Status.QUEUED).count() == 450


def test_it_notifies_in_a_fixed_number_of_queries_per_batch(
    units: Units, django_assert_num_queries: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    User.objects.bulk_create([User(username=f"warga{i}", email=f"warga{i}@sinergi.test") for i in range(150)])
    monkeypatch.setattr(services, "_enqueue", lambda ids: None)
    few = list(User.objects.filter(username__in=["warga1", "warga2"]))
    many = User.objects.filter(username__startswith="warga")

    # users, notified already, insert notifications, mailed already, insert messages, their ids,
    # and two savepoints to open and release
    with django_assert_num_queries(10):
        services.notify(users=few, key="test:few", title="Hi")
    with django_assert_num_queries(11):  # one more to read the ids of the queryset
        services.notify(users=many, key="test:many", title="Hi")


def test_it_delivers_messages_whose_task_was_lost(run_on_commit: Callable[..., Any]) -> None:
    old = timezone.now() - datetime.timedelta(minutes=30)
    lost = OutboundMessage.objects.create(
        channel="email", recipient="lost@sinergi.test", subject="S", body="B", key="test:lost", created_at=old
    )
    fresh = OutboundMessage.objects.create(
        channel="email", recipient="fresh@sinergi.test", subject="S", body="B", key="test:fresh"
    )

    assert tasks.requeue_stale_messages.call() == 1

    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert (lost.status, fresh.status) == (Status.SENT, Status.QUEUED)
    assert [m.to for m in mail.outbox] == [["lost@sinergi.test"]]


def test_a_user_marks_only_their_own_notifications_read(lurah_operator: User, outsider_operator: User) -> None:
    services.notify(users=[lurah_operator, outsider_operator], key="test:k", title="Hi", email=False)
    mine = Notification.objects.get(user=lurah_operator)
    theirs = Notification.objects.get(user=outsider_operator)

    with pytest.raises(PermissionDenied):
        services.notification_mark_read(user=lurah_operator, notification=theirs)
    services.notification_mark_read(user=lurah_operator, notification=mine)

    assert Notification.objects.get(pk=mine.pk).read_at is not None
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert services.notifications_mark_all_read(user=outsider_operator) == 1


def test_it_checks_that_the_gateway_setting_imports() -> None:
    assert check_gateway() == []
    with override_settings(SINERGI_MESSAGE_GATEWAY="sinergi.notifications.gateways.Missing"):
        assert [error.id for error in check_gateway()] == ["sinergi.notifications.E001"]
