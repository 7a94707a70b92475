"""The event, its days, programme, invitation letter, invitations and participants."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.territory.models import Region, code_q

if TYPE_CHECKING:
    from sinergi.accounts.models import User


def new_token() -> str:
    """A secret for links that need no account (a participant's page, open registration)."""
    return secrets.token_urlsafe(24)


class LetterNumbering(models.Model):
    """How a unit numbers its letters (Tata Naskah Dinas): a pattern with ``{number}``,
    ``{classification}``, ``{unit}``, ``{month_roman}``, ``{month}`` and ``{year}``, and the running
    number, which starts again at 1 each year."""

    unit = models.OneToOneField(
        "accounts.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="letter_numbering"
    )
    pattern = models.CharField(
        _("numbering pattern"), max_length=120, default="{number}/{classification}/{unit}/{month_roman}/{year}"
    )
    unit_code = models.CharField(_("unit code in letter numbers"), max_length=40, blank=True)
    classification = models.CharField(
        _("classification code"), max_length=20, default="005", help_text=_("005 is the code for invitations.")
    )
    year = models.PositiveSmallIntegerField(_("year"), default=0)
    last_number = models.PositiveIntegerField(_("last number used"), default=0)

    class Meta:
        verbose_name = _("letter numbering")
        verbose_name_plural = _("letter numberings")

    def __str__(self) -> str:
        return f"{self.unit}: {self.pattern}"


class EventQuerySet(models.QuerySet["Event"]):
    def visible_to(self, user: User) -> EventQuerySet:
        """Staff see events of their territory and events of the territories above it (a provincial
        training concerns every kelurahan); a representative sees the events its organisations are
        invited to or registered in."""
        if user.is_superuser:
            return self
        codes = user.scope_codes()
        q = Q(pk__in=[])
        if codes:
            ancestors = {
                code[:i] for code in codes for i in range(1, len(code) + 1) if i == len(code) or code[i] == "."
            }
            q |= code_q(codes, "region__code") | Q(region__code__in=ancestors)
        if orgs := user.represented_organisation_ids():
            invited = Q(invitations__organisation_id__in=orgs) | Q(participants__organisation_id__in=orgs)
            q |= invited & ~Q(status=Event.Status.DRAFT)
        return self.filter(q).distinct()


class Event(models.Model):
    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        TRAINING = "training", _("Training")
        BRIEFING = "briefing", _("Briefing")
        COACHING = "coaching", _("Coaching and evaluation")
        GATHERING = "gathering", _("Gathering")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("organising unit"), on_delete=models.PROTECT, related_name="events"
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("territory"),
        on_delete=models.PROTECT,
        related_name="events",
        help_text=_("The territory the event is for; it decides who sees it."),
    )
    title = models.CharField(_("title"), max_length=200)
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    basis = models.TextField(_("basis"), blank=True, help_text=_("The programme, regulation or letter it rests on."))
    purpose = models.TextField(_("purpose"), blank=True)
    venue = models.CharField(_("venue"), max_length=200)
    venue_address = models.CharField(_("venue address"), max_length=255, blank=True)
    venue_region = models.ForeignKey(
        Region,
        verbose_name=_("venue's territory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty when the venue is outside the territory (a hotel in Bogor)."),
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True, help_text=_("Empty: no limit."))
    delegates_per_organisation = models.PositiveSmallIntegerField(_("delegates per organisation"), default=2)
    open_registration = models.BooleanField(_("open registration by link"), default=False)
    registration_token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    budget_line = models.CharField(_("budget line"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True)
    audience = models.JSONField(_("audience rule"), default=dict, blank=True)
    # The invitation letter (one number for the event; each invitation is a copy to its addressee).
    letter_number = models.CharField(_("letter number"), max_length=120, blank=True)
    letter_date = models.DateField(_("letter date"), null=True, blank=True)
    letter_place = models.CharField(_("place of the letter"), max_length=60, default="Jakarta")
    signatory_name = models.CharField(_("signatory's name"), max_length=150, blank=True)
    signatory_position = models.CharField(_("signatory's position"), max_length=150, blank=True)
    signatory_nip = models.CharField(_("signatory's NIP"), max_length=21, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="events_created", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["status", "created_at"]), models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return self.title


class EventDay(models.Model):
    """One day of an event; each day is checked in separately."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))

    class Meta:
        ordering = ["date"]
        verbose_name = _("event day")
        verbose_name_plural = _("event days")
        constraints = [
            models.UniqueConstraint(fields=["event", "date"], name="event_day_once"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="event_day_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.event}: {self.date}"


class Session(models.Model):
    """A part of the programme (opening, a speaker's talk, discussion)."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="sessions")
    day = models.ForeignKey(EventDay, verbose_name=_("day"), on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["day__date", "starts_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return self.title


class Speaker(models.Model):
    """A speaker (narasumber) of a session; needs no account."""

    session = models.ForeignKey(Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=150, blank=True)
    institution = models.CharField(_("institution"), max_length=150, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self) -> str:
        return self.name


class Material(models.Model):
    session = models.ForeignKey(Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="events/materials/%Y%m/", max_length=255)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    """One invitation: to an organisation (addressed to its chair) or to an individual (an official,
    a speaker). The organisation answers with its delegates."""

    class Answer(models.TextChoices):
        PENDING = "pending", _("Not answered")
        ATTENDING = "attending", _("Attending")
        DECLINED = "declined", _("Not attending")

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invitations",
    )
    addressee = models.CharField(_("addressee"), max_length=255, help_text=_("Kepada Yth.: the chair, by position."))
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, default=Answer.PENDING)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decline_reason = models.CharField(_("reason"), max_length=255, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organisation"],
                condition=Q(organisation__isnull=False),
                name="invitation_once_per_org",
            )
        ]

    def __str__(self) -> str:
        return self.addressee


class Participant(models.Model):
    """A person taking part: a delegate named by an invited organisation (or its substitute), an
    invited individual, or someone registered through the open link. Their secret ``token`` opens
    their own page (QR code, commitments, tests, survey, certificate) without an account."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        INVITATION = "invitation", _("Delegate of an invited organisation")
        INDIVIDUAL = "individual", _("Invited individual")
        OPEN = "open", _("Open registration")
        STAFF = "staff", _("Registered by staff")

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="participants")
    invitation = models.ForeignKey(
        Invitation,
        verbose_name=_("invitation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participants",
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="event_participants",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person in the register"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="event_participations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_participations",
    )
    full_name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(_("position"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # One person once per event: "person:<id>", else "phone:<digits>", "email:<address>" or
    # "name:<normalised name>|org:<id>" (see services); unique among those not cancelled.
    identity = models.CharField(max_length=200, editable=False)
    is_substitute = models.BooleanField(_("substitute"), default=False)
    substitute_for = models.CharField(_("stands in for"), max_length=150, blank=True)
    source = models.CharField(_("registered through"), max_length=10, choices=Source.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REGISTERED)
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)

    class Meta:
        ordering = ["registered_at", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "identity"], condition=~Q(status="cancelled"), name="participant_once_per_event"
            )
        ]
        indexes = [models.Index(fields=["event", "status", "registered_at"])]

    def __str__(self) -> str:
        return self.full_name
