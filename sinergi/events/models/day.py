"""On the day: check-in per day with a signature, commitments (integrity pact, pledge), minutes
with decisions and follow-ups, photos."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.territory.models import code_q

if TYPE_CHECKING:
    from sinergi.accounts.models import User


class CheckIn(models.Model):
    """A participant present on one day of the event; a second scan finds this row, it does not add one."""

    class Method(models.TextChoices):
        QR = "qr", _("QR code")
        SEARCH = "search", _("Search by name")

    participant = models.ForeignKey(
        "events.Participant", verbose_name=_("participant"), on_delete=models.CASCADE, related_name="check_ins"
    )
    day = models.ForeignKey(
        "events.EventDay", verbose_name=_("day"), on_delete=models.CASCADE, related_name="check_ins"
    )
    checked_in_at = models.DateTimeField(_("checked in at"), default=timezone.now)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    method = models.CharField(_("method"), max_length=6, choices=Method.choices)
    signature = models.TextField(_("signature"), blank=True, help_text=_("A PNG drawn on the screen, as a data URI."))
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)

    class Meta:
        ordering = ["checked_in_at"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [models.UniqueConstraint(fields=["participant", "day"], name="check_in_once_per_day")]

    def __str__(self) -> str:
        return f"{self.participant} @ {self.day}"


class CommitmentTextQuerySet(models.QuerySet["CommitmentText"]):
    def visible_to(self, user: User) -> CommitmentTextQuerySet:
        """Texts of the units in the user's territory and of the units above it: a city's staff use
        the province's integrity pact as well as their own."""
        if user.is_superuser:
            return self
        codes = user.scope_codes() or []
        if not codes:
            return self.none()
        ancestors = {code[:i] for code in codes for i in range(1, len(code) + 1) if i == len(code) or code[i] == "."}
        return self.filter(code_q(codes, "unit__region__code") | Q(unit__region__code__in=ancestors))


class CommitmentText(models.Model):
    """A versioned commitment text (Pakta Integritas, Ikrar Netralitas ASN). A new wording is a new
    version; a version that has been signed is never edited."""

    class Kind(models.TextChoices):
        INTEGRITY_PACT = "integrity_pact", _("Integrity pact (Pakta Integritas)")
        NEUTRALITY_PLEDGE = "neutrality_pledge", _("Pledge of ASN neutrality (Ikrar Netralitas ASN)")
        OTHER = "other", _("Other commitment")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    version = models.PositiveSmallIntegerField(_("version"))
    body = models.TextField(_("text"))
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="commitment_texts"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = CommitmentTextQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "title", "-version"]
        verbose_name = _("commitment text")
        verbose_name_plural = _("commitment texts")
        constraints = [models.UniqueConstraint(fields=["unit", "kind", "title", "version"], name="commitment_version")]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class EventCommitment(models.Model):
    """A commitment text, in one version, that the participants of an event sign."""

    event = models.ForeignKey(
        "events.Event", verbose_name=_("event"), on_delete=models.CASCADE, related_name="commitments"
    )
    text = models.ForeignKey(
        CommitmentText, verbose_name=_("text"), on_delete=models.PROTECT, related_name="event_uses"
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("event commitment")
        verbose_name_plural = _("event commitments")
        constraints = [models.UniqueConstraint(fields=["event", "text"], name="commitment_once_per_event")]

    def __str__(self) -> str:
        return str(self.text)


class CommitmentSignatureQuerySet(models.QuerySet["CommitmentSignature"]):
    """Signatures are written once: bulk updates and deletes are refused as ``save`` and ``delete`` are."""

    def update(self, **kwargs: Any) -> int:
        raise ValidationError(_("A signed commitment cannot be changed."))

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValidationError(_("A signed commitment cannot be deleted."))


class CommitmentSignature(models.Model):
    """A participant's signature under a commitment: typed name, drawn signature, time and address.
    Immutable once stored."""

    commitment = models.ForeignKey(
        EventCommitment, verbose_name=_("commitment"), on_delete=models.PROTECT, related_name="signatures"
    )
    participant = models.ForeignKey(
        "events.Participant", verbose_name=_("participant"), on_delete=models.PROTECT, related_name="signatures"
    )
    typed_name = models.CharField(_("name as typed"), max_length=150)
    drawn = models.TextField(_("drawn signature"), help_text=_("A PNG drawn on the screen, as a data URI."))
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("device"), max_length=255, blank=True)
    text_digest = models.CharField(
        _("digest of the signed text"), max_length=64, help_text=_("SHA-256 of the text as signed.")
    )

    objects = CommitmentSignatureQuerySet.as_manager()

    class Meta:
        ordering = ["signed_at"]
        verbose_name = _("commitment signature")
        verbose_name_plural = _("commitment signatures")
        constraints = [models.UniqueConstraint(fields=["commitment", "participant"], name="commitment_signed_once")]

    def __str__(self) -> str:
        return f"{self.typed_name}: {self.commitment}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("A signed commitment cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValidationError(_("A signed commitment cannot be deleted."))


class Minutes(models.Model):
    """The minutes (notulen) of an event."""

    event = models.OneToOneField(
        "events.Event", verbose_name=_("event"), on_delete=models.CASCADE, related_name="minutes"
    )
    summary = models.TextField(_("summary of the discussion"))
    decisions = models.TextField(_("decisions"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return str(self.event)


class FollowUp(models.Model):
    """A follow-up agreed at the event, with who does it and by when."""

    event = models.ForeignKey(
        "events.Event", verbose_name=_("event"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    action = models.CharField(_("action"), max_length=300)
    owner = models.CharField(_("who"), max_length=150)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return self.action


class Photo(models.Model):
    event = models.ForeignKey("events.Event", verbose_name=_("event"), on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to="events/photos/%Y%m/", max_length=255)
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.caption or str(self.image.name)
