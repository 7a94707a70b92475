"""Bookkeeping of the background worker: heartbeats and periodic runs."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """The last sign of life of one worker process; the health endpoint reads it."""

    worker_id = models.CharField(_("worker id"), max_length=64, unique=True)
    hostname = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-last_seen_at"]
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.worker_id}@{self.hostname}"


class PeriodicRun(models.Model):
    """When a periodic task was last enqueued, so that several workers enqueue it once."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    last_enqueued_at = models.DateTimeField(_("last enqueued at"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("periodic run")
        verbose_name_plural = _("periodic runs")

    def __str__(self) -> str:
        return self.name


class PublicHoliday(models.Model):
    """A day Indonesia's government offices are closed: a national holiday or a collective leave day.

    Both kinds are set each year by the joint decree of the Ministers of Religious Affairs, Manpower
    and Administrative Reform (SKB 3 Menteri), and collective leave (cuti bersama) closes government
    offices just as a holiday does, so working-day deadlines skip both. The flag is kept for display.
    Weekends are not stored: they are never working days.
    """

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    is_collective_leave = models.BooleanField(_("collective leave (cuti bersama)"), default=False)

    class Meta:
        ordering = ["date"]
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
