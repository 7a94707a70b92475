"""Reads of the in-app inbox. A user only ever sees their own notifications."""

from __future__ import annotations

from django.db.models import QuerySet

from sinergi.accounts.models import User
from sinergi.notifications.models import Notification

INBOX_FIELDS = ["id", "user_id", "title", "body", "url", "created_at", "read_at"]


def inbox(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    """``user``'s notifications, newest first."""
    notifications = Notification.objects.filter(user=user)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.only(*INBOX_FIELDS)


def unread_count(*, user: User) -> int:
    """How many of ``user``'s notifications are unread (uses the partial index on unread rows)."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
