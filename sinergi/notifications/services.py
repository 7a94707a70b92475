"""Telling people things: the in-app inbox, e-mail, and the SMS/WhatsApp gateway.

Every message carries a ``key`` naming what it is about (``registry.expiry:document:12:2027-01-31``).
A user gets one inbox entry per key and an address one message per channel and key, however often a
task runs, so callers may retry freely. E-mails and gateway messages are written as
``OutboundMessage`` rows first and handed over by a task after the transaction commits, in batches.

Notifications are not audit events: they change nothing in the register, and the outbound rows are
their own log of what went where.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import itertools
import logging
from collections.abc import Iterable, Iterator, Sequence

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.notifications.gateways import Delivery, Gateway, get_gateway
from sinergi.notifications.models import Notification, OutboundMessage

logger = logging.getLogger(__name__)

BATCH_SIZE = 200  # users or messages per query and per delivery task
KEY_MAX = 150
GATEWAY_CHANNELS = frozenset({OutboundMessage.Channel.SMS, OutboundMessage.Channel.WHATSAPP})
# Django's e-mail backends that only print or drop a message: what they handle is "logged", not "sent".
NON_SENDING_BACKENDS = frozenset({"console", "dummy", "filebased"})


def _batches[T](items: Iterable[T]) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, BATCH_SIZE)):
        yield batch


def _check_key(key: str) -> None:
    if not key or len(key) > KEY_MAX:
        raise ValueError(f"a notification key has 1 to {KEY_MAX} characters: {key!r}")


def _user_ids(users: Iterable[User]) -> list[int]:
    if isinstance(users, QuerySet):
        return list(dict.fromkeys(users.values_list("pk", flat=True)))
    return list(dict.fromkeys(user.pk for user in users))


def absolute_url(url: str) -> str:
    """``url`` as a link that works from an e-mail: site paths get ``settings.SITE_URL`` in front."""
    if url.startswith("/") and not url.startswith("//"):
        return settings.SITE_URL.rstrip("/") + url
    return url


@transaction.atomic
def notify(*, users: Iterable[User], key: str, title: str, body: str = "", url: str = "", email: bool = True) -> int:
    """Put a notification in the inbox of each active user in ``users`` who has none with ``key`` yet,
    and (with ``email``) queue an e-mail to each of them. Returns how many users were newly notified.

    ``url`` is where the notification leads, a site path such as ``/ormas/12/``. Running it again
    with the same key notifies nobody twice.
    """
    _check_key(key)
    title = title[:200]
    created = 0
    for batch in _batches(_user_ids(users)):
        active = dict(User.objects.filter(pk__in=batch, is_active=True).values_list("pk", "email"))
        done = set(Notification.objects.filter(key=key, user_id__in=active).values_list("user_id", flat=True))
        new = [pk for pk in active if pk not in done]
        if not new:
            continue
        now = timezone.now()
        Notification.objects.bulk_create(
            [Notification(user_id=pk, key=key, title=title, body=body, url=url, created_at=now) for pk in new],
            ignore_conflicts=True,  # a concurrent run may have written some of them
        )
        created += len(new)
        if email:
            text = render_to_string(
                "notifications/email/notification.txt", {"title": title, "body": body, "link": absolute_url(url)}
            )
            message_send(
                channel=OutboundMessage.Channel.EMAIL,
                recipients=[active[pk] for pk in new if active[pk]],
                subject=title,
                body=text,
                key=key,
            )
    return created


@transaction.atomic
def message_send(*, channel: str, recipients: Iterable[str], body: str, key: str, subject: str = "") -> int:
    """Queue ``body`` for each recipient (e-mail addresses, or phone numbers for SMS and WhatsApp)
    that has no message on ``channel`` with ``key`` yet; they are handed over after commit, in batches.
    Returns how many messages were newly queued."""
    _check_key(key)
    if channel not in OutboundMessage.Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    queued = 0
    wanted = dict.fromkeys(r.strip() for r in recipients if r and r.strip())
    for batch in _batches(wanted):
        done = set(
            OutboundMessage.objects.filter(channel=channel, key=key, recipient__in=batch).values_list(
                "recipient", flat=True
            )
        )
        new = [recipient for recipient in batch if recipient not in done]
        if not new:
            continue
        now = timezone.now()
        OutboundMessage.objects.bulk_create(
            [
                OutboundMessage(channel=channel, recipient=r, subject=subject[:200], body=body, key=key, created_at=now)
                for r in new
            ],
            ignore_conflicts=True,
        )
        ids = list(
            OutboundMessage.objects.filter(
                channel=channel, key=key, recipient__in=new, status=OutboundMessage.Status.QUEUED
            ).values_list("pk", flat=True)
        )
        transaction.on_commit(functools.partial(_enqueue, ids))
        queued += len(new)
    return queued


def gateway_send(*, channel: str, recipient: str, body: str, key: str) -> int:
    """Queue one SMS or WhatsApp message for the configured gateway, once per recipient and key."""
    if channel not in GATEWAY_CHANNELS:
        raise ValueError(f"the gateway carries SMS and WhatsApp, not {channel!r}")
    return message_send(channel=channel, recipients=[recipient], body=body, key=key)


DELIVER_SOON_SECONDS = 2


def deliver_soon() -> None:
    """Hand over, within a few seconds, messages written straight into the outbox without a delivery
    task of their own (the PostgreSQL intake of cases writes its receipt in the same statement as
    the case). At most one sweep is queued per ``DELIVER_SOON_SECONDS``, through a gate in the
    shared cache, and it runs at the end of that window, so it also takes what was written during
    it; the periodic requeue takes anything that still slipped through."""
    from sinergi.notifications.tasks import deliver_queued

    if not cache.add("notifications:deliver-soon", 1, DELIVER_SOON_SECONDS):
        return
    if deliver_queued.get_backend().supports_defer:
        run_after = timezone.now() + datetime.timedelta(seconds=DELIVER_SOON_SECONDS)
        deliver_queued.using(run_after=run_after).enqueue()
    else:
        deliver_queued.enqueue()


def _enqueue(ids: list[int]) -> None:
    from sinergi.notifications.tasks import deliver_messages

    deliver_messages.enqueue(message_ids=ids)


class _Channels:
    """The e-mail connection and the gateway of one delivery run, opened when first needed."""

    def __init__(self, stack: contextlib.ExitStack) -> None:
        self._stack = stack
        self._mailer: BaseEmailBackend | None = None
        self._gateway: Gateway | None = None

    def deliver(self, message: OutboundMessage) -> tuple[str, Delivery]:
        if message.channel == OutboundMessage.Channel.EMAIL:
            if self._mailer is None:
                self._mailer = self._stack.enter_context(mailers.default)
            self._mailer.send_messages([EmailMessage(message.subject, message.body, to=[message.recipient])])
            backend = type(self._mailer).__module__.rsplit(".", 1)[-1]
            status = OutboundMessage.Status.LOGGED if backend in NON_SENDING_BACKENDS else OutboundMessage.Status.SENT
            return "email", Delivery(status=status)
        if self._gateway is None:
            self._gateway = get_gateway()
        return self._gateway.name, self._gateway.send(
            channel=message.channel, recipient=message.recipient, body=message.body
        )


def messages_deliver(*, message_ids: Sequence[int]) -> None:
    """Hand each queued message among ``message_ids`` to its channel and record what happened.

    Deliberately not one transaction: each message is claimed (``queued`` → ``sending``) and
    finished in its own statement, so a crash halfway never un-claims a message already handed over.
    """
    with contextlib.ExitStack() as stack:
        channels = _Channels(stack)
        for pk in message_ids:
            claimed = OutboundMessage.objects.filter(pk=pk, status=OutboundMessage.Status.QUEUED).update(
                status=OutboundMessage.Status.SENDING, sent_at=timezone.now()
            )
            if not claimed:
                continue  # handled by another run
            message = OutboundMessage.objects.get(pk=pk)
            try:
                via, result = channels.deliver(message)
            except Exception as exc:
                logger.exception("delivery of outbound message %s failed", pk)
                via, result = "", Delivery(status=OutboundMessage.Status.FAILED, error=f"{type(exc).__name__}: {exc}")
            OutboundMessage.objects.filter(pk=pk).update(
                status=result.status, error=result.error, gateway=via[:100], sent_at=timezone.now()
            )


def messages_requeue_stale(*, older_than_seconds: int = 300) -> int:
    """Enqueue delivery again for messages still ``queued`` well after they were written: their task
    was lost (a worker killed before it ran, a failed enqueue). Safe: delivery claims each message."""
    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    stale = OutboundMessage.objects.filter(status=OutboundMessage.Status.QUEUED, created_at__lt=cutoff)
    count = 0
    for batch in _batches(stale.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=BATCH_SIZE)):
        _enqueue(batch)
        count += len(batch)
    return count


@transaction.atomic
def notification_mark_read(*, user: User, notification: Notification) -> Notification:
    """Mark one of ``user``'s own notifications read."""
    if notification.user_id != user.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of ``user`` read; returns how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
