"""Writes of evaluation: create a round, compute it, score by hand, recommend, finish, report."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sinergi.accounts.models import User
from sinergi.audit.services import record
from sinergi.evaluation import indicators
from sinergi.evaluation.models import Round, RoundIndicator, Score, Subject
from sinergi.registry.models import Organisation, OrganisationKind
from sinergi.territory.models import Region, code_q

BATCH = 500
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = {"pdf", "jpg", "jpeg", "png", "docx", "xlsx"}
# A round is compared with the last finished round of the same kind of subjects ending before it.
LEVEL_ABOVE = {
    Round.SubjectKind.KELURAHAN: {Region.Level.DISTRICT, Region.Level.CITY, Region.Level.PROVINCE},
    Round.SubjectKind.KECAMATAN: {Region.Level.CITY, Region.Level.PROVINCE},
}


@dataclass(frozen=True)
class ManualIndicator:
    name: str
    weight: Decimal


def _check_writer(by: User, round_: Round) -> None:
    if not by.can_write(round_.region):
        raise PermissionDenied(_("You may not change this evaluation round."))


@transaction.atomic
def round_create(
    *,
    by: User,
    title: str,
    region: Region,
    subject_kind: str,
    period_start: datetime.date,
    period_end: datetime.date,
    computed: dict[str, Decimal],
    manual: list[ManualIndicator],
    organisation_kind: OrganisationKind | None = None,
) -> Round:
    """A draft round with its indicators and one subject for each kelurahan, kecamatan or active
    organisation of the kind in ``region``."""
    if not by.can_write(region):
        raise PermissionDenied(_("You may not evaluate this territory."))
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Enter a title.")]
    if period_end < period_start:
        errors["period_end"] = [_("The period must end on or after its start.")]
    if subject_kind == Round.SubjectKind.ORGANISATION:
        if organisation_kind is None:
            errors["organisation_kind"] = [_("Choose the kind of organisation to evaluate.")]
    elif subject_kind in LEVEL_ABOVE:
        organisation_kind = None
        if region.level not in LEVEL_ABOVE[Round.SubjectKind(subject_kind)]:
            errors["region"] = [_("Choose a territory that holds the subjects to evaluate.")]
    else:
        errors["subject_kind"] = [_("Choose what to evaluate.")]
    unknown = [code for code in computed if code not in indicators.REGISTRY]
    if unknown:
        errors["computed"] = [_("Unknown indicator: %(codes)s.") % {"codes": ", ".join(unknown)}]
    elif subject_kind == Round.SubjectKind.ORGANISATION and any(
        not indicators.REGISTRY[code].for_organisations for code in computed
    ):
        errors["computed"] = [_("Some indicators cannot evaluate organisations one by one.")]
    if any(weight <= 0 for weight in computed.values()) or any(m.weight <= 0 for m in manual):
        errors["computed"] = [*errors.get("computed", []), _("Every weight must be more than zero.")]
    if any(not m.name.strip() for m in manual):
        errors["manual"] = [_("Every manual indicator needs a name.")]
    if not computed and not manual:
        errors["computed"] = [*errors.get("computed", []), _("Choose at least one indicator.")]
    if errors:
        raise ValidationError(errors)

    round_ = Round.objects.create(
        title=title.strip(),
        region=region,
        subject_kind=subject_kind,
        organisation_kind=organisation_kind,
        period_start=period_start,
        period_end=period_end,
        created_by=by,
    )
    rows = [
        RoundIndicator(
            round=round_,
            code=code,
            kind=RoundIndicator.Kind.COMPUTED,
            name=str(indicators.REGISTRY[code].name),
            weight=weight,
            order=order,
        )
        for order, (code, weight) in enumerate(computed.items())
    ]
    rows += [
        RoundIndicator(
            round=round_,
            code=f"manual-{n}",
            kind=RoundIndicator.Kind.MANUAL,
            name=m.name.strip()[:200],
            weight=m.weight,
            order=len(computed) + n,
        )
        for n, m in enumerate(manual, start=1)
    ]
    RoundIndicator.objects.bulk_create(rows)
    if subject_kind == Round.SubjectKind.ORGANISATION:
        ids = Organisation.objects.filter(
            code_q([region.code], "region__code"), kind=organisation_kind, status=Organisation.Status.ACTIVE
        ).values_list("pk", flat=True)
        subjects = [Subject(round=round_, organisation_id=pk) for pk in ids]
    else:
        regions = Region.objects.filter(code__startswith=f"{region.code}.", level=subject_kind).values_list(
            "pk", flat=True
        )
        subjects = [Subject(round=round_, region_id=pk) for pk in regions]
    if not subjects:
        raise ValidationError({"region": [_("There is nothing to evaluate in this territory.")]})
    Subject.objects.bulk_create(subjects, batch_size=BATCH)
    manual_scores_template(round_)
    record(
        action="evaluation.round.create",
        obj=round_,
        changes={"subjects": len(subjects), "indicators": [r.code for r in rows]},
        region_code=region.code,
    )
    return round_


@transaction.atomic
def round_compute_start(*, round_: Round, by: User) -> Round:
    """Queue the computation of a round; while it runs, a second request changes nothing."""
    _check_writer(by, round_)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status == Round.Status.COMPUTING:
        return round_
    if round_.status == Round.Status.FINISHED:
        raise ValidationError(_("This round is finished; its scores no longer change."))
    computed = round_.indicators.filter(kind=RoundIndicator.Kind.COMPUTED).count()
    round_.status = Round.Status.COMPUTING
    round_.progress_total = computed + 1
    round_.progress_done = 0
    round_.error = ""
    round_.save(update_fields=["status", "progress_total", "progress_done", "error"])
    record(action="evaluation.round.compute", obj=round_, region_code=round_.region.code)

    from sinergi.evaluation.tasks import compute_round

    pk = round_.pk
    transaction.on_commit(lambda: compute_round.enqueue(round_id=pk))
    return round_


def basis_of(round_: Round) -> indicators.Basis:
    return indicators.Basis(
        area=round_.region.code,
        start=round_.period_start,
        end=round_.period_end,
        by_organisation=round_.subject_kind == Round.SubjectKind.ORGANISATION,
        organisation_kind_id=round_.organisation_kind_id,
    )


def rollup(counts: indicators.Counts, subjects: dict[indicators.Key, int]) -> dict[int, tuple[int, int]]:
    """Add counts keyed by region code (or organisation id) up to the subjects they belong to:
    ``subjects`` maps a subject's region code (or organisation id) to the subject's id."""
    totals: dict[int, tuple[int, int]] = {}
    for key, (numerator, denominator) in counts.items():
        if isinstance(key, int):
            targets = [subjects[key]] if key in subjects else []
        else:
            parts = key.split(".")
            targets = [subjects[c] for i in range(1, len(parts) + 1) if (c := ".".join(parts[:i])) in subjects]
        for subject_id in targets:
            n, d = totals.get(subject_id, (0, 0))
            totals[subject_id] = (n + numerator, d + denominator)
    return totals


def subject_keys(round_: Round) -> dict[indicators.Key, int]:
    if round_.subject_kind == Round.SubjectKind.ORGANISATION:
        return {org: pk for pk, org in round_.subjects.values_list("pk", "organisation_id") if org is not None}
    return dict(round_.subjects.values_list("region__code", "pk"))


def indicator_compute(*, round_: Round, indicator: RoundIndicator) -> int:
    """Compute one indicator for every subject of the round and store the scores; returns how many
    were written. Running it again writes the same values."""
    counts = indicators.REGISTRY[indicator.code].compute(basis_of(round_))
    keys = subject_keys(round_)
    totals = rollup(counts, keys)
    existing = {s.subject_id: s for s in Score.objects.filter(indicator=indicator)}
    new: list[Score] = []
    changed: list[Score] = []
    for subject_id in keys.values():
        numerator, denominator = totals.get(subject_id, (0, 0))
        value = indicators.value_of(numerator, denominator)
        score = existing.get(subject_id) or Score(subject_id=subject_id, indicator=indicator)
        score.numerator, score.denominator = numerator, denominator
        score.value = None if value is None else Decimal(str(value))
        (changed if score.pk else new).append(score)
    with transaction.atomic():
        Score.objects.bulk_create(new, batch_size=BATCH)
        Score.objects.bulk_update(changed, ["numerator", "denominator", "value"], batch_size=BATCH)
    return len(new) + len(changed)


def round_compute(*, round_id: int) -> Round:
    """Compute every indicator of the round, one after the other, then the totals and ranking. The
    round's progress counts the steps done, for the page that polls it."""
    round_ = Round.objects.select_related("region").get(pk=round_id)
    if round_.status == Round.Status.FINISHED:
        return round_
    try:
        for indicator in round_.indicators.filter(kind=RoundIndicator.Kind.COMPUTED):
            indicator_compute(round_=round_, indicator=indicator)
            Round.objects.filter(pk=round_.pk).update(progress_done=F("progress_done") + 1)
        with transaction.atomic():
            totals_compute(round_=round_)
            Round.objects.filter(pk=round_.pk).exclude(status=Round.Status.FINISHED).update(
                status=Round.Status.COMPUTED,
                progress_done=round_.progress_total,
                computed_at=timezone.now(),
            )
    except Exception as exc:
        Round.objects.filter(pk=round_.pk).update(status=Round.Status.FAILED, error=str(exc)[:1000])
        raise
    round_.refresh_from_db()
    return round_


def previous_round(round_: Round) -> Round | None:
    """The last finished round of the same kind of subjects that ended before this one began."""
    return (
        Round.objects.filter(
            subject_kind=round_.subject_kind,
            organisation_kind=round_.organisation_kind,
            status=Round.Status.FINISHED,
            period_end__lt=round_.period_start,
        )
        .exclude(pk=round_.pk)
        .order_by("-period_end", "-pk")
        .first()
    )


def totals_compute(*, round_: Round) -> None:
    """Each subject's weighted score (indicators without a value left out), rank and previous score."""
    weights = {i.pk: i.weight for i in round_.indicators.all()}
    sums: dict[int, tuple[Decimal, Decimal]] = {}
    for subject_id, indicator_id, value in Score.objects.filter(subject__round=round_, value__isnull=False).values_list(
        "subject_id", "indicator_id", "value"
    ):
        total, weight = sums.get(subject_id, (Decimal(0), Decimal(0)))
        assert value is not None
        sums[subject_id] = (total + value * weights[indicator_id], weight + weights[indicator_id])
    previous: dict[object, Decimal | None] = {}
    if (before := previous_round(round_)) is not None:
        for region_id, org_id, score in before.subjects.values_list("region_id", "organisation_id", "score"):
            previous[region_id or f"o{org_id}"] = score
    subjects = list(round_.subjects.all())
    for subject in subjects:
        total, weight = sums.get(subject.pk, (Decimal(0), Decimal(0)))
        subject.score = (total / weight).quantize(Decimal("0.01")) if weight else None
        subject.previous_score = previous.get(subject.region_id or f"o{subject.organisation_id}")
    ranked = sorted((s for s in subjects if s.score is not None), key=lambda s: s.score, reverse=True)  # type: ignore[arg-type,return-value]
    rank_of: dict[Decimal, int] = {}
    for position, subject in enumerate(ranked, start=1):
        assert subject.score is not None
        rank_of.setdefault(subject.score, position)
    for subject in subjects:
        subject.rank = rank_of.get(subject.score) if subject.score is not None else None
    Subject.objects.bulk_update(subjects, ["score", "previous_score", "rank"], batch_size=BATCH)


@transaction.atomic
def score_set(
    *,
    score: Score,
    by: User,
    value: Decimal,
    note: str = "",
    evidence: UploadedFile | None = None,
) -> Score:
    """An evaluator's score of a manual indicator, with a note and optionally evidence."""
    round_ = score.subject.round
    _check_writer(by, round_)
    if score.indicator.kind != RoundIndicator.Kind.MANUAL:
        raise ValidationError(_("This indicator is computed from Sinergi's data; it cannot be scored by hand."))
    if not round_.is_open:
        raise ValidationError(_("This round is finished or being computed; its scores cannot change now."))
    if not Decimal(0) <= value <= Decimal(100):
        raise ValidationError({"value": [_("Enter a score from 0 to 100.")]})
    if evidence is not None:
        ext = evidence.name.rsplit(".", 1)[-1].lower() if evidence.name and "." in evidence.name else ""
        if ext not in EVIDENCE_TYPES:
            raise ValidationError({"evidence": [_("Evidence must be a PDF, an image, a Word or an Excel file.")]})
        if evidence.size and evidence.size > MAX_EVIDENCE_BYTES:
            raise ValidationError({"evidence": [_("Evidence may be at most 10 MB.")]})
    before = {"value": str(score.value) if score.value is not None else None, "note": score.note}
    score.value = value
    score.note = note.strip()
    score.scored_by = by
    score.scored_at = timezone.now()
    fields = ["value", "note", "scored_by", "scored_at"]
    if evidence is not None:
        score.evidence_name = (evidence.name or "")[:255]
        score.evidence.save(evidence.name or "evidence", evidence, save=False)
        fields += ["evidence", "evidence_name"]
    score.save(update_fields=fields)
    totals_compute(round_=round_)
    record(
        action="evaluation.score.set",
        obj=score,
        changes={"before": before, "after": {"value": str(value), "note": score.note}},
        region_code=round_.region.code,
    )
    return score


@transaction.atomic
def recommendation_set(*, subject: Subject, by: User, text: str) -> Subject:
    """The evaluator's recommendations to a subject."""
    _check_writer(by, subject.round)
    if subject.round.status == Round.Status.FINISHED:
        raise ValidationError(_("This round is finished; its recommendations no longer change."))
    before = subject.recommendation
    subject.recommendation = text.strip()
    subject.save(update_fields=["recommendation"])
    record(
        action="evaluation.subject.recommend",
        obj=subject,
        changes={"recommendation": [before, subject.recommendation]},
        region_code=subject.round.region.code,
    )
    return subject


@transaction.atomic
def round_finish(*, round_: Round, by: User) -> Round:
    """Close a computed round: its results become visible to the subjects and its report is made."""
    _check_writer(by, round_)
    round_ = Round.objects.select_for_update().select_related("region").get(pk=round_.pk)
    if round_.status != Round.Status.COMPUTED:
        raise ValidationError(_("Only a computed round can be finished."))
    unscored = Score.objects.filter(
        subject__round=round_, indicator__kind=RoundIndicator.Kind.MANUAL, value__isnull=True
    ).count()
    if unscored:
        raise ValidationError(
            ngettext(
                "%(count)s manual score is still missing; score every subject first.",
                "%(count)s manual scores are still missing; score every subject first.",
                unscored,
            )
            % {"count": unscored}
        )
    round_.status = Round.Status.FINISHED
    round_.finished_at = timezone.now()
    round_.save(update_fields=["status", "finished_at"])
    record(action="evaluation.round.finish", obj=round_, region_code=round_.region.code)

    from sinergi.evaluation.tasks import make_report

    pk = round_.pk
    transaction.on_commit(lambda: make_report.enqueue(round_id=pk))
    return round_


def report_make(*, round_id: int) -> Round:
    """Render the round's report as PDF and keep it with the round; running it again replaces it."""
    from sinergi.core.pdf import render_pdf
    from sinergi.evaluation import selectors

    round_ = Round.objects.select_related("region", "organisation_kind", "created_by").get(pk=round_id)
    context = selectors.report_context(round_)
    pdf = render_pdf("evaluation/report.pdf.html", context)
    old = round_.report.name
    round_.report.save(f"evaluasi-{round_.pk}.pdf", ContentFile(pdf), save=False)
    Round.objects.filter(pk=round_.pk).update(report=round_.report.name)
    if old and old != round_.report.name:
        round_.report.storage.delete(old)
    return round_


def manual_scores_template(round_: Round) -> None:
    """Make the empty rows of manual indicators, so evaluators have something to fill in."""
    manual = list(round_.indicators.filter(kind=RoundIndicator.Kind.MANUAL))
    have = set(
        Score.objects.filter(subject__round=round_, indicator__in=manual).values_list("subject_id", "indicator_id")
    )
    Score.objects.bulk_create(
        [
            Score(subject_id=subject_id, indicator=indicator)
            for subject_id in round_.subjects.values_list("pk", flat=True)
            for indicator in manual
            if (subject_id, indicator.pk) not in have
        ],
        batch_size=BATCH,
    )
