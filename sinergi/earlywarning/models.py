"""Early warning (kewaspadaan dini): FKDM members' reports on ATHG, their verification and follow-up,
the alerts that escalation rules raise, and weekly situation reports.

Reports go to government only (Permendagri 2/2018 as amended by 46/2019; Pergub DKI 138/2019 and
13/2022): ``Report.objects.visible_to(user)`` is the one door to them (see ``permissions``).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.territory.models import RT, RW, Region

if TYPE_CHECKING:
    from sinergi.accounts.models import User


class Topic(models.Model):
    """What a report is about (hoax, hate speech, SARA ...); administrators edit the list."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name


class Severity(models.IntegerChoices):
    """Ordered, so rules can say "severity at least high"."""

    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")
    CRITICAL = 4, _("Critical")


class ReportQuerySet(models.QuerySet["Report"]):
    def visible_to(self, user: User) -> ReportQuerySet:
        """The reporter, members of the FKDM chain and the territorial offices' staff whose territory
        holds the report; nobody else (see ``permissions.report_scope``)."""
        from sinergi.earlywarning.permissions import report_scope

        scope = report_scope(user)
        return self if scope is None else self.filter(scope)


class Report(models.Model):
    """One FKDM member's report on a threat, challenge, obstacle or disturbance, or a "nihil" (nothing
    to report) for a day. ``area_code`` repeats the kelurahan's code so scope and aggregates need no
    join; ``client_uuid`` is made on the phone, so a report sent twice (offline, then again) is
    stored once."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Report")
        NIHIL = "nihil", _("Nothing to report (nihil)")

    class Athg(models.TextChoices):
        THREAT = "ancaman", _("Threat (ancaman)")
        CHALLENGE = "tantangan", _("Challenge (tantangan)")
        OBSTACLE = "hambatan", _("Obstacle (hambatan)")
        DISTURBANCE = "gangguan", _("Disturbance (gangguan)")

    class Domain(models.TextChoices):
        IDEOLOGY = "ideologi", _("Ideology")
        POLITICS = "politik", _("Politics")
        ECONOMY = "ekonomi", _("Economy")
        SOCIAL_CULTURE = "sosbud", _("Social and cultural")
        DEFENCE_SECURITY = "hankam", _("Defence and security")

    class Source(models.TextChoices):
        SEEN = "seen", _("Seen myself")
        HEARD = "heard", _("Heard from others")
        SOCIAL_MEDIA = "social_media", _("Social media")

    class Status(models.TextChoices):
        UNVERIFIED = "unverified", _("Not verified yet")
        CONFIRMED = "confirmed", _("Confirmed")
        UNCONFIRMED = "unconfirmed", _("Could not be confirmed")
        FALSE = "false", _("False")

    class LinkKind(models.TextChoices):
        NONE = "", _("None")
        CASE = "case", _("Aspiration or complaint")
        EVENT = "event", _("Event")

    client_uuid = models.UUIDField(_("client id"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices, default=Kind.REPORT)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reporter"), on_delete=models.PROTECT, related_name="fkdm_reports"
    )
    organisation = models.ForeignKey(
        "registry.Organisation", verbose_name=_("FKDM"), on_delete=models.PROTECT, related_name="fkdm_reports"
    )
    for_date = models.DateField(_("day reported for"), default=timezone.localdate)
    athg = models.CharField(_("ATHG type"), max_length=10, choices=Athg.choices, blank=True)
    domain = models.CharField(_("domain"), max_length=8, choices=Domain.choices, blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="reports")
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices, null=True, blank=True)
    # A nihil of a kecamatan's or city's FKDM has no kelurahan; ``area_code`` is then its organisation's.
    kelurahan = models.ForeignKey(
        Region, verbose_name=_("kelurahan"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    area_code = models.CharField(_("area code"), max_length=13, editable=False)
    rw = models.ForeignKey(RW, verbose_name=_("RW"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    rt = models.ForeignKey(RT, verbose_name=_("RT"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, blank=True)
    source_link = models.URLField(_("link"), max_length=500, blank=True)
    status = models.CharField(_("verification"), max_length=11, choices=Status.choices, default=Status.UNVERIFIED)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verification_note = models.TextField(_("verification note"), blank=True)
    link_kind = models.CharField(_("linked to"), max_length=5, choices=LinkKind.choices, blank=True)
    link_reference = models.CharField(_("reference"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("received at"), default=timezone.now)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("early-warning report")
        verbose_name_plural = _("early-warning reports")
        indexes = [
            # The situation map and trend: reports of a window that are not false, grouped by kelurahan,
            # day and severity. Every column they read is in the index (the id too, which they count
            # and join topics on), so PostgreSQL answers from the index alone.
            models.Index(
                fields=["occurred_at", "area_code", "severity", "domain", "id"],
                condition=Q(kind="report") & ~Q(status="false"),
                name="ew_report_window",
            ),
            models.Index(fields=["area_code", "occurred_at"], name="ew_report_area"),
            # Compliance: who filed for which day.
            models.Index(fields=["reporter", "for_date"], name="ew_report_reporter_day"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "for_date"],
                condition=Q(kind="nihil"),
                name="ew_one_nihil_per_day",
                violation_error_message=_("You already sent nihil for this day."),
            ),
            models.CheckConstraint(
                condition=Q(kind="nihil")
                | (Q(severity__isnull=False, kelurahan__isnull=False) & ~Q(athg="") & ~Q(domain="")),
                name="ew_report_is_complete",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90), name="ew_latitude_range"
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="ew_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.NIHIL:
            return f"Nihil {self.for_date:%d-%m-%Y}"
        return f"#{self.pk} {self.get_athg_display()} ({self.get_severity_display()})"

    @property
    def is_nihil(self) -> bool:
        return self.kind == self.Kind.NIHIL

    @property
    def kecamatan_code(self) -> str:
        return self.area_code.rsplit(".", 1)[0]


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"earlywarning/{instance.report.for_date:%Y/%m}/{filename}"


class Attachment(models.Model):
    """A photo or document sent with a report; served only through the report's scope."""

    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        ordering = ["report", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class FollowUp(models.Model):
    """An action taken on a report (tindak lanjut), with who carries it out and by when."""

    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="follow_ups")
    action = models.TextField(_("action"))
    owner = models.CharField(_("carried out by"), max_length=150)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["report", "done_at", "due_on", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return self.action[:60]

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_on is not None and self.due_on < timezone.localdate()


class EscalationRule(models.Model):
    """When reports raise an alert to Kesbangpol and the Camat. Administrators set them.

    - ``severity``: any report of at least ``min_severity``;
    - ``cluster``: ``count`` or more reports of at least ``min_severity`` in one kecamatan within
      ``hours`` hours;
    - ``trend``: reports on a topic (or on any topic) in one kecamatan in the last seven days are at
      least ``percent`` % more than in the seven days before, and at least ``count``.
    """

    class Kind(models.TextChoices):
        SEVERITY = "severity", _("Any report of a severity")
        CLUSTER = "cluster", _("Several reports in one kecamatan within hours")
        TREND = "trend", _("A topic trending up week on week")

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    min_severity = models.PositiveSmallIntegerField(
        _("severity at least"), choices=Severity.choices, default=Severity.HIGH
    )
    count = models.PositiveSmallIntegerField(_("number of reports"), default=3)
    hours = models.PositiveSmallIntegerField(_("within hours"), default=24)
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    percent = models.PositiveSmallIntegerField(_("increase of at least (%)"), default=50)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("escalation rule")
        verbose_name_plural = _("escalation rules")
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=1), name="ew_rule_count_positive"),
            models.CheckConstraint(condition=Q(hours__gte=1), name="ew_rule_hours_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Alert(models.Model):
    """An alert a rule raised. ``incident_key`` is unique: each incident alerts once, however often
    the rules are evaluated and however many workers do it. ``area_code`` is the kecamatan's (or
    kelurahan's) code, which scopes the alert like its reports."""

    rule = models.ForeignKey(EscalationRule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="alerts")
    incident_key = models.CharField(_("incident"), max_length=120, unique=True)
    area_code = models.CharField(_("area code"), max_length=13)
    title = models.CharField(_("title"), max_length=255)
    reports = models.ManyToManyField(Report, verbose_name=_("reports"), related_name="alerts")
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        indexes = [models.Index(fields=["rule", "area_code", "raised_at"], name="ew_alert_rule_area")]

    def __str__(self) -> str:
        return self.title


def situation_path(instance: SituationReport, filename: str) -> str:
    return f"earlywarning/situation/{filename}"


class SituationReport(models.Model):
    """A weekly situation report of a city or kecamatan, made as a PDF by a task."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    region = models.ForeignKey(Region, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    week_start = models.DateField(_("week starting"))
    status = models.CharField(_("status"), max_length=7, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(_("file"), upload_to=situation_path, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("situation report")
        verbose_name_plural = _("situation reports")

    def __str__(self) -> str:
        return f"{self.region} {self.week_start:%d-%m-%Y}"
