"""Evaluation rounds of kelurahan, kecamatan or organisations: weighted indicators, scores, ranking.

A round evaluates every subject of one kind inside its territory over a period. Its indicators are
either computed from Sinergi's own data (``sinergi.evaluation.indicators``) or scored by hand by an
evaluator with evidence. Each score keeps the numerator and denominator it came from, so a subject
sees how its result was computed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.registry.models import organisation_scope
from sinergi.territory.models import Region, code_q

if TYPE_CHECKING:
    from sinergi.accounts.models import User


def ancestors_of(codes: list[str]) -> set[str]:
    """Every code at or above each of ``codes`` (``31.71.01`` -> ``31``, ``31.71``, ``31.71.01``)."""
    return {code[:i] for code in codes for i in range(1, len(code) + 1) if i == len(code) or code[i] == "."}


class RoundQuerySet(models.QuerySet["Round"]):
    def visible_to(self, user: User) -> RoundQuerySet:
        """Staff whose territory covers the round's whole territory see the round and its ranking.

        A kelurahan inside a city-wide round sees only its own result (``Subject.visible_to``).
        """
        if not user.is_authenticated:
            return self.none()
        codes = user.scope_codes()
        if codes is None:
            return self
        return self.filter(code_q(codes, "region__code"))


class Round(models.Model):
    """One evaluation of the subjects of a kind in a territory over a period."""

    class SubjectKind(models.TextChoices):
        KELURAHAN = "village", _("Kelurahan")
        KECAMATAN = "district", _("Kecamatan")
        ORGANISATION = "organisation", _("Organisations of a kind")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        COMPUTING = "computing", _("Computing")
        COMPUTED = "computed", _("Computed")
        FAILED = "failed", _("Failed")
        FINISHED = "finished", _("Finished")

    title = models.CharField(_("title"), max_length=200)
    region = models.ForeignKey(
        Region, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="evaluation_rounds"
    )
    subject_kind = models.CharField(_("subjects"), max_length=12, choices=SubjectKind.choices)
    organisation_kind = models.ForeignKey(
        "registry.OrganisationKind",
        verbose_name=_("kind of organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    progress_total = models.PositiveIntegerField(_("steps"), default=0)
    progress_done = models.PositiveIntegerField(_("steps done"), default=0)
    error = models.TextField(_("error"), blank=True)
    report = models.FileField(_("report (PDF)"), upload_to="evaluation/reports/%Y%m/", blank=True, max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "-id"]
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        indexes = [models.Index(fields=["subject_kind", "status", "period_end"])]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="round_period_order"),
            models.CheckConstraint(
                condition=Q(subject_kind="organisation", organisation_kind__isnull=False)
                | Q(~Q(subject_kind="organisation"), organisation_kind__isnull=True),
                name="round_org_kind_for_org_subjects",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def progress_percent(self) -> int:
        return 100 if not self.progress_total else min(100, round(100 * self.progress_done / self.progress_total))

    @property
    def is_open(self) -> bool:
        """Scores may still change: not finished and not being computed."""
        return self.status in (self.Status.DRAFT, self.Status.COMPUTED, self.Status.FAILED)


class RoundIndicator(models.Model):
    """An indicator of a round with its weight: computed (``code`` names it) or manual."""

    class Kind(models.TextChoices):
        COMPUTED = "computed", _("Computed from Sinergi's data")
        MANUAL = "manual", _("Scored by an evaluator")

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField(_("code"), max_length=40)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["round", "order", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["round", "code"], name="round_indicator_unique_code"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="round_indicator_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class SubjectQuerySet(models.QuerySet["Subject"]):
    def visible_to(self, user: User) -> SubjectQuerySet:
        """Who sees the round sees every subject; once the round is finished, staff of the subject's
        area (a Lurah: their kelurahan) and an organisation's representatives see its own result."""
        if not user.is_authenticated:
            return self.none()
        codes = user.scope_codes()
        if codes is None:
            return self
        finished = Q(round__status=Round.Status.FINISHED)
        q = code_q(codes, "round__region__code") | finished & code_q(codes, "region__code")
        scope = organisation_scope(user, "organisation__")
        if scope is not None:
            q |= finished & Q(organisation__isnull=False) & scope
        return self.filter(q)


class Subject(models.Model):
    """One evaluated kelurahan, kecamatan or organisation in a round, with its result."""

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="subjects")
    region = models.ForeignKey(Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT)
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    previous_score = models.DecimalField(
        _("score in the previous round"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    recommendation = models.TextField(_("recommendations"), blank=True)

    objects = SubjectQuerySet.as_manager()

    class Meta:
        ordering = ["round", "rank", "id"]
        verbose_name = _("evaluated subject")
        verbose_name_plural = _("evaluated subjects")
        constraints = [
            models.UniqueConstraint(fields=["round", "region"], name="subject_once_per_region"),
            models.UniqueConstraint(fields=["round", "organisation"], name="subject_once_per_organisation"),
            models.CheckConstraint(
                condition=Q(region__isnull=False, organisation__isnull=True)
                | Q(region__isnull=True, organisation__isnull=False),
                name="subject_region_or_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if self.region_id:
            return self.region.display_name  # type: ignore[union-attr]
        return str(self.organisation)

    @property
    def change(self) -> object:
        if self.score is None or self.previous_score is None:
            return None
        return self.score - self.previous_score


def evidence_path(instance: Score, filename: str) -> str:
    # The stored name never uses the uploaded name, which a user controls.
    ext = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"evaluation/evidence/{timezone.now():%Y%m}/{instance.subject_id}-{instance.indicator_id}.{ext}"


class Score(models.Model):
    """A subject's value for one indicator (0-100) and how it was reached."""

    subject = models.ForeignKey(Subject, verbose_name=_("subject"), on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(
        RoundIndicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="scores"
    )
    value = models.DecimalField(_("value"), max_digits=5, decimal_places=2, null=True, blank=True)
    numerator = models.PositiveIntegerField(_("counted"), null=True, blank=True)
    denominator = models.PositiveIntegerField(_("out of"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, blank=True, max_length=255)
    evidence_name = models.CharField(_("evidence file name"), max_length=255, blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scored by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)

    class Meta:
        ordering = ["subject", "indicator__order", "indicator_id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["subject", "indicator"], name="score_once_per_indicator"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0, value__lte=100), name="score_value_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"
