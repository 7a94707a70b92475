"""Information down: announcements from government units and agencies, their delivery to
organisations (RT, RW, LMK, Ormas ...), acknowledgement, relay to residents, and questions back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Role, Unit
from sinergi.registry.models import Organisation
from sinergi.territory.models import code_q

if TYPE_CHECKING:
    from sinergi.accounts.models import User


# Kemendagri codes are fixed width: a kota code has 5 characters, a kecamatan 8, a kelurahan 13.
CITY_LENGTH, DISTRICT_LENGTH, VILLAGE_LENGTH = 5, 8, 13


def area_columns(code: str) -> dict[str, str]:
    """The area columns of a delivery to an organisation placed in region ``code``."""
    return {"area_code": code, "city_code": code[:CITY_LENGTH], "district_code": code[:DISTRICT_LENGTH]}


def area_q(codes: list[str]) -> Q:
    """Deliveries to organisations at or below any of ``codes``, by equality on indexed columns."""
    q = Q(pk__in=[])
    for code in codes:
        if len(code) == CITY_LENGTH:
            q |= Q(city_code=code)
        elif len(code) == DISTRICT_LENGTH:
            q |= Q(district_code=code)
        elif len(code) == VILLAGE_LENGTH:
            q |= Q(area_code=code)
        else:
            q |= code_q([code], "area_code")
    return q


class AnnouncementQuerySet(models.QuerySet["Announcement"]):
    def visible_to(self, user: User) -> AnnouncementQuerySet:
        """Staff see what their own units sent, what units inside their territory sent, and what was
        delivered to an organisation inside their territory. Representatives read announcements only
        through their organisations' deliveries, never here."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        codes = user.scope_codes() or []
        if not codes:
            return self.none()
        own_units = [r.unit_id for r in user.active_roles() if r.kind in Role.STAFF_KINDS and r.unit_id]
        reaches = Delivery.objects.filter(Q(announcement=OuterRef("pk")) & area_q(codes))
        return self.filter(
            Q(unit_id__in=own_units)
            | code_q(codes, "unit__region__code")
            | (~Q(status=Announcement.Status.DRAFT) & Exists(reaches))
        )


class Announcement(models.Model):
    """One message a unit sends down to organisations, to be passed on to residents.

    ``unit`` is the government unit that sends it and answers questions; ``source_name`` names the
    agency it speaks for when that is not a Sinergi unit (BPS, a ministry). ``body`` holds formatted
    text already sanitised by the services (``services.sanitise``), so templates render it as is.
    ``audience`` is a ``sinergi.registry.targeting.Audience`` as JSON. The counters follow the
    fan-out so the page can show its progress without counting 33,000 rows on every poll.
    """

    class Category(models.TextChoices):
        CENSUS = "census", _("Census and data collection")
        WORKS = "works", _("Public works and infrastructure")
        ECONOMY = "economy", _("Economy and cooperatives")
        HEALTH = "health", _("Health")
        SECURITY = "security", _("Security and public order")
        DISASTER = "disaster", _("Disaster preparedness")
        SOCIAL = "social", _("Social affairs")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    unit = models.ForeignKey(Unit, verbose_name=_("sent by"), on_delete=models.PROTECT, related_name="announcements")
    source_name = models.CharField(
        _("on behalf of"),
        max_length=200,
        blank=True,
        help_text=_("The agency the message comes from, when it is not the sending unit (e.g. BPS)."),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"))
    category = models.CharField(_("category"), max_length=10, choices=Category.choices, default=Category.OTHER)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("valid until"), null=True, blank=True)
    ack_required = models.BooleanField(_("acknowledgement required"), default=True)
    relay_required = models.BooleanField(_("relay report required"), default=False)
    relay_due = models.DateField(_("relay report due"), null=True, blank=True)
    send_gateway = models.BooleanField(
        _("also by WhatsApp"), default=False, help_text=_("A short WhatsApp message to each organisation's phone.")
    )
    audience = models.JSONField(_("audience"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    recipients_total = models.PositiveIntegerField(_("recipients"), default=0)
    deliveries_done = models.PositiveIntegerField(_("delivered"), default=0)
    batches_total = models.PositiveIntegerField(_("batches"), default=0)
    batches_done = models.PositiveIntegerField(_("batches done"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("delivery finished at"), null=True, blank=True)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        indexes = [models.Index(fields=["status", "publish_at"]), models.Index(fields=["unit", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(relay_required=False) | Q(relay_due__isnull=False), name="announcement_relay_needs_due"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True)
                | Q(publish_at__isnull=True)
                | Q(expires_at__gt=models.F("publish_at")),
                name="announcement_expires_after_publish",
            ),
            models.CheckConstraint(
                condition=Q(deliveries_done__lte=models.F("recipients_total")), name="announcement_done_le_total"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def sender_label(self) -> str:
        return f"{self.source_name} · {self.unit}" if self.source_name else str(self.unit)

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def fanout_percent(self) -> int:
        if not self.recipients_total:
            return 100 if self.status == self.Status.SENT else 0
        return min(100, round(100 * self.deliveries_done / self.recipients_total))


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"announcements/{timezone.now():%Y%m}/{filename}"


class Attachment(models.Model):
    """A file sent with an announcement (a letter, a leaflet); served only through a scoped view."""

    announcement = models.ForeignKey(
        Announcement, verbose_name=_("announcement"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class FanoutBatch(models.Model):
    """One batch of recipients of an announcement, handled by one task.

    The batches are written when the announcement is sent, so a worker that dies midway loses
    nothing: ``tasks.resume_fanout`` enqueues again every batch not done after a while, and a batch
    run twice delivers nothing twice (deliveries are unique per organisation, and each delivery
    records when its representatives were told)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Done")

    announcement = models.ForeignKey(
        Announcement, verbose_name=_("announcement"), on_delete=models.CASCADE, related_name="batches"
    )
    number = models.PositiveIntegerField(_("number"))
    organisation_ids = models.JSONField(_("organisations"), default=list)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    enqueued_at = models.DateTimeField(_("enqueued at"), default=timezone.now)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        ordering = ["announcement", "number"]
        verbose_name = _("delivery batch")
        verbose_name_plural = _("delivery batches")
        constraints = [models.UniqueConstraint(fields=["announcement", "number"], name="fanout_batch_unique")]
        indexes = [models.Index(fields=["status", "enqueued_at"])]

    def __str__(self) -> str:
        return f"{self.announcement_id} #{self.number}"


class DeliveryQuerySet(models.QuerySet["Delivery"]):
    def of_representative(self, user: User) -> DeliveryQuerySet:
        """The deliveries to organisations the user represents, of announcements not cancelled."""
        ids = [
            r.organisation_id
            for r in user.active_roles()
            if r.kind == Role.Kind.ORG_REPRESENTATIVE and r.organisation_id
        ]
        return self.filter(organisation_id__in=ids).exclude(announcement__status=Announcement.Status.CANCELLED)


class Delivery(models.Model):
    """An announcement delivered to one organisation, and what the organisation did with it.

    ``area_code`` copies the organisation's region code, and ``city_code`` and ``district_code`` its
    kota and kecamatan (or the region itself when it is placed higher), so progress is grouped and
    filtered by area with equality on indexed columns, without a join to the register.
    ``relayed_at`` and ``residents_reached`` sum up the relay reports; filing one also acknowledges,
    so a relayed delivery is always acknowledged (a constraint), and "not relayed" includes "not
    acknowledged". ``notified_at`` is the channel state of the fan-out: set once the representatives
    were told. ``DeliveryTally`` keeps the counts of every area, for the progress page."""

    # Fewer indexes make the fan-out's inserts cheaper: the unique (announcement, organisation)
    # constraint and the (organisation, delivered_at) index serve the two foreign keys.
    announcement = models.ForeignKey(
        Announcement,
        verbose_name=_("announcement"),
        on_delete=models.CASCADE,
        related_name="deliveries",
        db_index=False,
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="announcement_deliveries",
        db_index=False,
    )
    area_code = models.CharField(_("area code"), max_length=13)
    city_code = models.CharField(_("kota code"), max_length=13)
    district_code = models.CharField(_("kecamatan code"), max_length=13)
    kind_code = models.CharField(_("kind"), max_length=30)
    delivered_at = models.DateTimeField(_("delivered at"), default=timezone.now)
    notified_at = models.DateTimeField(_("representatives told at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("read by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # read only through the delivery
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    relayed_at = models.DateTimeField(_("first relay report at"), null=True, blank=True)
    residents_reached = models.PositiveIntegerField(_("residents reached"), default=0)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-delivered_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["announcement", "organisation"], name="delivery_once_per_organisation"),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | Q(read_at__isnull=False), name="delivery_ack_after_read"
            ),
            models.CheckConstraint(
                condition=Q(relayed_at__isnull=True) | Q(acknowledged_at__isnull=False),
                name="delivery_relay_after_ack",
            ),
        ]
        indexes = [
            models.Index(fields=["announcement", "area_code"]),
            models.Index(fields=["announcement", "city_code"]),
            models.Index(fields=["announcement", "district_code"]),
            models.Index(fields=["organisation", "-delivered_at"]),
            # The "late" list and the reminders: waiting organisations in delivery order.
            models.Index(
                fields=["announcement", "delivered_at", "id"],
                condition=Q(acknowledged_at__isnull=True),
                name="delivery_waiting",
            ),
            # The "late" list once a relay report is overdue: who has not reported, in delivery order.
            models.Index(
                fields=["announcement", "delivered_at", "id"],
                condition=Q(relayed_at__isnull=True),
                name="delivery_unrelayed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.announcement} → {self.organisation}"


class DeliveryTally(models.Model):
    """The counts of an announcement's deliveries to the organisations placed in one region
    (``area_code``, with its kota and kecamatan as on ``Delivery``): delivered, read, acknowledged,
    relayed, and residents reached.

    The progress page sums these few hundred rows instead of grouping every delivery. A fan-out
    batch recounts the areas it delivered to (so a batch run twice counts once), and the services
    that mark a delivery read, acknowledged or relayed add to its area's row in the same transaction,
    only when the timestamp goes from empty to set. ``fanout.delivery_tallies_recount`` rebuilds
    them from the deliveries after a bulk change outside the services (demo data, a benchmark)."""

    announcement = models.ForeignKey(
        Announcement,
        verbose_name=_("announcement"),
        on_delete=models.CASCADE,
        related_name="tallies",
        db_index=False,  # the unique (announcement, area_code) constraint serves it
    )
    area_code = models.CharField(_("area code"), max_length=13)
    city_code = models.CharField(_("kota code"), max_length=13)
    district_code = models.CharField(_("kecamatan code"), max_length=13)
    total = models.PositiveIntegerField(_("delivered"), default=0)
    read = models.PositiveIntegerField(_("read"), default=0)
    acknowledged = models.PositiveIntegerField(_("acknowledged"), default=0)
    relayed = models.PositiveIntegerField(_("relayed"), default=0)
    reached = models.PositiveBigIntegerField(_("residents reached"), default=0)

    class Meta:
        ordering = ["announcement", "area_code"]
        verbose_name = _("delivery tally")
        verbose_name_plural = _("delivery tallies")
        constraints = [
            models.UniqueConstraint(fields=["announcement", "area_code"], name="delivery_tally_once_per_area")
        ]

    def __str__(self) -> str:
        return f"{self.announcement_id} {self.area_code}: {self.total}"


class DeliveryMessage(models.Model):
    """One message about a delivery on one channel: the in-app inbox of a representative, an
    e-mail, or a WhatsApp message through the gateway. ``outbound`` is the message log row, whose
    status says honestly what happened (the default gateway only logs)."""

    class Channel(models.TextChoices):
        IN_APP = "inapp", _("In-app inbox")
        EMAIL = "email", _("E-mail")
        WHATSAPP = "whatsapp", _("WhatsApp")

    class Purpose(models.TextChoices):
        ANNOUNCEMENT = "announcement", _("Announcement")
        REMINDER = "reminder", _("Reminder")

    delivery = models.ForeignKey(
        Delivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="messages"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    sequence = models.PositiveSmallIntegerField(_("number"), default=0)
    recipient = models.CharField(_("recipient"), max_length=254)
    outbound = models.ForeignKey(
        "notifications.OutboundMessage",
        verbose_name=_("message log"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["delivery", "created_at", "id"]
        verbose_name = _("delivery message")
        verbose_name_plural = _("delivery messages")
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "channel", "purpose", "sequence", "recipient"], name="delivery_message_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient}"


class RelayReport(models.Model):
    """How an organisation passed an announcement on to residents."""

    class Method(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        WHATSAPP = "whatsapp_group", _("WhatsApp group")
        BANNER = "banner", _("Banner or notice board")
        DOOR_TO_DOOR = "door_to_door", _("Door to door")
        OTHER = "other", _("Other")

    delivery = models.ForeignKey(
        Delivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="relay_reports"
    )
    method = models.CharField(_("how"), max_length=15, choices=Method.choices)
    held_on = models.DateField(_("when"))
    residents_reached = models.PositiveIntegerField(_("residents reached"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("relay report")
        verbose_name_plural = _("relay reports")

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.held_on}"


class RelayPhoto(models.Model):
    """A photo of a relay: the meeting, the banner, the WhatsApp message."""

    report = models.ForeignKey(RelayReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to="announcements/relay/%Y%m/", max_length=255)

    class Meta:
        ordering = ["id"]
        verbose_name = _("relay photo")
        verbose_name_plural = _("relay photos")

    def __str__(self) -> str:
        return self.image.name or ""


class Question(models.Model):
    """A question an organisation asks about an announcement; the sending unit answers, and every
    recipient sees the answered questions."""

    announcement = models.ForeignKey(
        Announcement, verbose_name=_("announcement"), on_delete=models.CASCADE, related_name="questions"
    )
    delivery = models.ForeignKey(
        Delivery, verbose_name=_("asked by organisation"), on_delete=models.CASCADE, related_name="questions"
    )
    text = models.TextField(_("question"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("asked by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now)

    class Meta:
        ordering = ["asked_at", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text[:60]


class Answer(models.Model):
    """The sending unit's answer to a question, visible to every recipient."""

    question = models.OneToOneField(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answer"
    )
    text = models.TextField(_("answer"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("answered by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)

    class Meta:
        ordering = ["answered_at"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return self.text[:60]
