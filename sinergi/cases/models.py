"""Aspirations and complaints: the category tree, cases with their tracking number, every transition,
photos and proofs, ratings and disputes.

A case belongs to the kelurahan where it happened and sits with one government unit at a time
(``current_unit``): first the kelurahan office, then, by disposition, the agency the category names
(which may pass it down to its Suku Dinas). Each change of status or unit is a ``CaseTransition``.
The reporter's contact is stored encrypted and never shown on a public page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Role, Unit
from sinergi.territory.models import RT, RW, Region

if TYPE_CHECKING:
    from sinergi.accounts.models import User

KELURAHAN_DOTS = 3  # 31.71.01.1001
OPEN_STATUS_VALUES = ["waiting", "validated", "coordination", "disposition", "in_progress"]
# Territorial units see every case in their territory; agencies only the cases routed to them.
TERRITORIAL_KINDS = frozenset(
    {Unit.Kind.PROVINCE_OFFICE, Unit.Kind.CITY_OFFICE, Unit.Kind.DISTRICT_OFFICE, Unit.Kind.VILLAGE_OFFICE}
)


class Category(models.Model):
    """A kind of problem (flooding, rubbish, a damaged road ...), in a tree that administrators edit.

    It says who must act once the kelurahan has validated a case: a named unit (a provincial agency,
    whose Suku Dinas of the case's kota is offered first), or else a kind of unit whose territory
    holds the case (the kecamatan office, the kelurahan office itself). ``sla_days`` are working days.
    """

    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit that acts"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_categories",
        help_text=_("An agency; its Suku Dinas in the case's kota is offered first."),
    )
    unit_kind = models.CharField(
        _("kind of unit that acts"),
        max_length=20,
        choices=Unit.Kind.choices,
        blank=True,
        help_text=_("Used when no unit is named: the unit of this kind whose territory holds the case."),
    )
    sla_days = models.PositiveSmallIntegerField(_("service level (working days)"), default=7)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("case category")
        verbose_name_plural = _("case categories")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="case_category_unique_name"),
            models.CheckConstraint(condition=Q(sla_days__gte=1), name="case_category_sla_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id and self.parent else self.name


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: User) -> CaseQuerySet:
        """Cases a government user may see: those inside the territory of a territorial unit they work
        in, and those held by (or escalated to) a unit they work in or one of its branches (an agency
        sees what its Suku Dinas hold). Nobody else sees any.

        Every condition is on a column of the case itself (no join, no subquery), so the database
        answers it from indexes on a million cases.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        roles = [r for r in user.active_roles() if r.kind in Role.STAFF_KINDS and r.unit]
        if not roles:
            return self.none()
        own = {r.unit_id for r in roles if r.unit_id}
        unit_ids = sorted(own | set(Unit.objects.filter(parent_id__in=own).values_list("pk", flat=True)))
        codes = sorted({r.unit.region.code for r in roles if r.unit and r.unit.kind in TERRITORIAL_KINDS})
        q = Q(current_unit_id__in=unit_ids) | Q(escalated_to_id__in=unit_ids)
        if codes:
            # Cases sit in kelurahan, so a territory is the list of its kelurahan codes: an IN list the
            # database answers from an index, where a LIKE prefix would not use one under every collation.
            kelurahan = [c for c in codes if c.count(".") >= KELURAHAN_DOTS]
            larger = [c for c in codes if c.count(".") < KELURAHAN_DOTS]
            if larger:
                below = Q(pk__in=[])
                for code in larger:
                    below |= Q(code__startswith=f"{code}.")
                kelurahan += Region.objects.filter(below, level=Region.Level.VILLAGE).values_list("code", flat=True)
            q |= Q(region_code__in=sorted(set(kelurahan)))
        return self.filter(q)

    def open(self) -> CaseQuerySet:
        return self.filter(status__in=Case.OPEN_STATUSES)


class Case(models.Model):
    """One aspiration, complaint or information request, from intake to its result."""

    class Kind(models.TextChoices):
        ASPIRATION = "aspiration", _("Aspiration")
        COMPLAINT = "complaint", _("Complaint")
        INFORMATION = "information", _("Information request")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        VALIDATED = "validated", _("Validated")
        COORDINATION = "coordination", _("Coordination")
        DISPOSITION = "disposition", _("Disposition")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        REJECTED = "rejected", _("Follow-up rejected")
        MERGED = "merged", _("Joined with another case")

    class Channel(models.TextChoices):
        PUBLIC = "public", _("Public form")
        PORTAL = "portal", _("Organisation portal")
        STAFF = "staff", _("Staff")
        API = "api", _("API")

    OPEN_STATUSES = (
        Status.WAITING,
        Status.VALIDATED,
        Status.COORDINATION,
        Status.DISPOSITION,
        Status.IN_PROGRESS,
    )
    CLOSED_STATUSES = (Status.DONE, Status.REJECTED, Status.MERGED)

    number = models.CharField(_("tracking number"), max_length=20)  # unique: Meta.constraints
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.COMPLAINT)
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="cases")
    description = models.TextField(_("description"))
    region = models.ForeignKey(
        Region, verbose_name=_("kelurahan"), on_delete=models.PROTECT, related_name="cases", db_index=False
    )
    # The region's code, copied so scope filters (code prefixes) need no join on a million rows.
    region_code = models.CharField(_("region code"), max_length=13, editable=False)
    rw = models.ForeignKey(RW, verbose_name=_("RW"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    rt = models.ForeignKey(RT, verbose_name=_("RT"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(_("place description"), max_length=255, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.PUBLIC)
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("sent by organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    submitted_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The reporter's contact, encrypted (like a NIK); read only through an audited service.
    reporter_name_enc = models.TextField(_("reporter name (encrypted)"), blank=True)
    reporter_phone_enc = models.TextField(_("reporter phone (encrypted)"), blank=True)
    reporter_email_enc = models.TextField(_("reporter e-mail (encrypted)"), blank=True)
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.WAITING)
    status_note = models.TextField(_("last note"), blank=True)
    current_unit = models.ForeignKey(  # indexed by case_unit_created, which starts with it
        Unit, verbose_name=_("current unit"), on_delete=models.PROTECT, related_name="cases", db_index=False
    )
    escalated_to = models.ForeignKey(
        Unit, verbose_name=_("escalated to"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("joined with"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    # NULL, not "": many cases have no key, and the unique constraint counts only the keys given.
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(_("received at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    due_on = models.DateField(_("due on"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.TextField(_("rating comment"), blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            # The inbox: a unit's cases, newest first, by status, by due date (SLA state).
            models.Index(fields=["current_unit", "-created_at"], name="case_unit_created"),
            models.Index(fields=["current_unit", "status", "due_on"], name="case_unit_status_due"),
            models.Index(fields=["region_code", "-created_at"], name="case_region_created"),
            models.Index(fields=["region", "category", "status"], name="case_region_category_status"),
            models.Index(fields=["-created_at", "-id"], name="case_created"),
            # The inbox shows open cases by default: small partial indexes for its two scope conditions,
            # by due date so that an SLA filter (overdue, due soon) reads only its own rows.
            models.Index(
                fields=["region_code", "due_on"],
                condition=Q(status__in=OPEN_STATUS_VALUES),
                name="case_open_region_due",
            ),
            models.Index(
                fields=["current_unit", "due_on"],
                condition=Q(status__in=OPEN_STATUS_VALUES),
                name="case_open_unit_due",
            ),
            # Open cases by due date: an SLA filter of the inbox (most overdue first) and the SLA clock.
            models.Index(fields=["due_on", "id"], condition=Q(status__in=OPEN_STATUS_VALUES), name="case_open_due"),
        ]
        constraints = [
            # Constraints rather than unique=True: on PostgreSQL that would add a second (LIKE) index to
            # each, which no query uses and every submission would have to write.
            models.UniqueConstraint(fields=["number"], name="case_number_unique"),
            models.UniqueConstraint(fields=["idempotency_key"], name="case_idempotency_key_unique"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="case_rating_1_to_5"
            ),
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(duplicate_of__isnull=False), name="case_merged_has_target"
            ),
            models.CheckConstraint(
                condition=Q(duplicate_of__isnull=True) | ~Q(duplicate_of=models.F("pk")), name="case_not_own_duplicate"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class CaseTransition(models.Model):
    """One step of a case: its status before and after, the unit it went to, who did it and why."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=12, choices=Case.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Case.Status.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="case_transitions")
    actor = models.ForeignKey(
        "accounts.User", verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    is_escalation = models.BooleanField(_("escalation"), default=False)
    is_dispute = models.BooleanField(_("dispute by the reporter"), default=False)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("case transition")
        verbose_name_plural = _("case transitions")
        indexes = [models.Index(fields=["unit", "case"], name="case_transition_unit")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status or '-'} → {self.to_status}"


class Attachment(models.Model):
    """A photo sent with a case, or the proof (photo or document) of its result."""

    class Purpose(models.TextChoices):
        REPORT = "report", _("Photo of the problem")
        PROOF = "proof", _("Proof of the result")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="attachments")
    transition = models.ForeignKey(
        CaseTransition, verbose_name=_("step"), null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices, default=Purpose.REPORT)
    file = models.FileField(_("file"), upload_to="cases/%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    original_name = models.CharField(_("original name"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("case attachment")
        verbose_name_plural = _("case attachments")

    def __str__(self) -> str:
        return self.original_name or self.file.name or ""

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
