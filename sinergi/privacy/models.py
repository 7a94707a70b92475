"""Personal-data protection (UU 27/2022): the record of suspected breaches and their notification,
and the requests of data subjects."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Role, Unit
from sinergi.territory.models import code_q

if TYPE_CHECKING:
    from sinergi.accounts.models import User

# UU 27/2022 art. 46(1): written notice to the data subjects and the agency "paling lambat 3 x 24 jam".
NOTIFICATION_PERIOD = datetime.timedelta(hours=3 * 24)


def administered_codes(user: User) -> list[str] | None:
    """Region codes of the user's administrator roles; None for a superuser (everything)."""
    if user.is_superuser and user.is_active:
        return None
    return sorted({r.unit.region.code for r in user.active_roles() if r.kind == Role.Kind.ADMIN and r.unit})


class BreachQuerySet(models.QuerySet["Breach"]):
    def visible_to(self, user: User) -> BreachQuerySet:
        """Breaches of units inside the territory the user administers; nobody else sees any."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        codes = administered_codes(user)
        if codes is None:
            return self
        return self.filter(code_q(codes, "unit__region__code"))


class Breach(models.Model):
    """A suspected failure to protect personal data (kegagalan pelindungan data pribadi) and its handling.

    The controller must notify the data subjects and the supervising agency in writing within
    3 x 24 hours of learning of it (UU 27/2022 art. 46): the deadline runs from ``discovered_at``.
    ``notified_at`` and ``notified_to`` are filled in together once that is done.
    """

    unit = models.ForeignKey(
        Unit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="breaches"
    )
    title = models.CharField(_("title"), max_length=200)
    discovered_at = models.DateTimeField(_("discovered at"), help_text=_("When the unit learned of it."))
    description = models.TextField(_("what happened"))
    data_affected = models.TextField(_("personal data affected"), help_text=_("Which kinds of data, which records."))
    persons_affected = models.PositiveIntegerField(
        _("persons affected (estimate)"), null=True, blank=True, help_text=_("Leave empty while unknown.")
    )
    measures = models.TextField(_("measures taken"), blank=True, help_text=_("To stop it, recover, and prevent it."))
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)
    notified_to = models.TextField(
        _("notified whom"),
        blank=True,
        help_text=_("The data subjects and the agency notified, and how (letter number, e-mail)."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    objects = BreachQuerySet.as_manager()

    class Meta:
        ordering = ["-discovered_at", "-id"]
        verbose_name = _("personal-data breach")
        verbose_name_plural = _("personal-data breaches")
        constraints = [
            models.CheckConstraint(
                condition=Q(notified_at__isnull=True) | Q(notified_at__gte=F("discovered_at")),
                name="breach_notified_after_discovery",
            ),
            models.CheckConstraint(
                condition=Q(notified_at__isnull=True, notified_to="")
                | (Q(notified_at__isnull=False) & ~Q(notified_to="")),
                name="breach_notification_when_and_whom",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def deadline(self) -> datetime.datetime:
        """When the data subjects and the agency must have been notified."""
        return self.discovered_at + NOTIFICATION_PERIOD

    @property
    def is_overdue(self) -> bool:
        """Not notified, and the deadline has passed."""
        return self.notified_at is None and timezone.now() > self.deadline

    @property
    def was_notified_late(self) -> bool:
        return self.notified_at is not None and self.notified_at > self.deadline


def request_files_path(instance: DataSubjectRequest, filename: str) -> str:
    # Random names under the request: the person's name never appears in a path.
    return f"privacy/requests/{instance.pk}/{filename}"


class DataSubjectRequestQuerySet(models.QuerySet["DataSubjectRequest"]):
    def visible_to(self, user: User) -> DataSubjectRequestQuerySet:
        """Requests about persons living in, or holding a post in an organisation of, the territory
        the user administers; only administrators see any."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        codes = administered_codes(user)
        if codes is None:
            return self
        if not codes:
            return self.none()
        from sinergi.registry.models import Officer

        serving = Officer.objects.filter(code_q(codes, "organisation__region__code")).values("person_id")
        return self.filter(code_q(codes, "person__region__code") | Q(person_id__in=serving))


class DataSubjectRequest(models.Model):
    """A person's request to exercise their rights over their data (UU 27/2022 art. 5-8, 32-33, 43-44).

    Staff record it after checking the requester's identity against the NIK on their KTP. The answer
    is due ``SINERGI_DSR_RESPONSE_HOURS`` after ``received_at``: the law gives the controller
    3 x 24 hours for access (art. 32(2)) and correction (art. 30(2)), and the same clock is used for
    anonymisation so every request has one visible deadline.
    """

    class Kind(models.TextChoices):
        ACCESS = "access", _("Access: a copy of the data and its processing")
        CORRECTION = "correction", _("Correction")
        ERASURE = "erasure", _("Deletion or anonymisation")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    person = models.ForeignKey(
        "registry.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="data_requests"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=4, choices=Status.choices, default=Status.OPEN)
    received_at = models.DateTimeField(_("received at"))
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("How the identity was checked, what exactly was asked for.")
    )
    export_json = models.FileField(_("data file (JSON)"), upload_to=request_files_path, blank=True, max_length=255)
    export_xlsx = models.FileField(_("data file (Excel)"), upload_to=request_files_path, blank=True, max_length=255)
    export_built_at = models.DateTimeField(_("file built at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    objects = DataSubjectRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", completed_at__isnull=True) | Q(status="done", completed_at__isnull=False),
                name="dsr_completed_when_done",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def deadline(self) -> datetime.datetime:
        """When the answer is due."""
        return self.received_at + datetime.timedelta(hours=settings.SINERGI_DSR_RESPONSE_HOURS)

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and timezone.now() > self.deadline
