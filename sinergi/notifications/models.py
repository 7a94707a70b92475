"""In-app notifications and the log of messages sent by e-mail or through the SMS/WhatsApp gateway."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message in a user's in-app inbox. ``key`` makes a notification idempotent per user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(_("key"), max_length=150)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key")]
        indexes = [
            models.Index(fields=["user", "read_at"], condition=Q(read_at__isnull=True), name="notification_unread")
        ]

    def __str__(self) -> str:
        return self.title


class OutboundMessage(models.Model):
    """A message handed to a channel. ``status`` says honestly what happened to it: the default
    gateway only writes it to the log, and records ``logged`` rather than ``sent``.

    A delivery task claims a queued message by moving it to ``sending`` before it hands it over,
    so two runs of the task never send it twice; a message a killed worker left ``sending`` may or
    may not have gone out and is not retried, because a duplicate is worse than a gap in the log.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")
        WHATSAPP = "whatsapp", _("WhatsApp")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Being handed over")
        SENT = "sent", _("Sent")
        LOGGED = "logged", _("Logged only (no gateway configured)")
        FAILED = "failed", _("Failed")

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("message"))
    key = models.CharField(_("key"), max_length=150)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    gateway = models.CharField(_("gateway"), max_length=100, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        constraints = [
            models.UniqueConstraint(fields=["channel", "recipient", "key"], name="outbound_once_per_key"),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient}"
