"""Evaluation pages: rounds and their ranking, a subject's result and how it was computed,
manual scores, reports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.accounts.models import Role
from sinergi.core.htmx import is_htmx
from sinergi.core.http import AuthedRequest
from sinergi.evaluation import selectors, services
from sinergi.evaluation.forms import RecommendationForm, RoundForm, ScoreForm
from sinergi.evaluation.models import Round, RoundIndicator, Score
from sinergi.registry.spreadsheets import CONTENT_TYPES, XLSX
from sinergi.territory.models import Region


def _may_create(request: AuthedRequest) -> bool:
    return request.user.is_superuser or any(r.kind in Role.WRITE_KINDS for r in request.user.active_roles())


@login_required
def index(request: AuthedRequest) -> HttpResponse:
    """The rounds the user may read and the results of their own area or organisation."""
    rounds = list(selectors.round_list(user=request.user)[:100]) if request.user.is_government_staff else []
    return render(
        request,
        "evaluation/index.html",
        {
            "rounds": rounds,
            "results": selectors.my_results(user=request.user),
            "can_create": _may_create(request),
        },
    )


@login_required
def round_create(request: AuthedRequest) -> HttpResponse:
    if not request.user.is_government_staff:
        raise Http404
    if not _may_create(request):
        raise PermissionDenied(_("Viewers cannot start an evaluation."))
    regions = Region.objects.visible_to(request.user).order_by("code")
    form = RoundForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = services.round_create(
                by=request.user,
                title=data["title"],
                region=data["region"],
                subject_kind=data["subject_kind"],
                organisation_kind=data["organisation_kind"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                computed=form.computed(),
                manual=data["manual"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Evaluation round created. Compute it when the period is over."))
            return redirect("evaluation:round", pk=round_.pk)
    return render(request, "evaluation/round_form.html", {"form": form})


@login_required
def round_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_get(user=request.user, pk=pk)
    context = {
        "round": round_,
        "indicators": list(round_.indicators.all()),
        "subjects": selectors.ranking(round_),
        "can_write": request.user.can_write(round_.region),
        "previous": services.previous_round(round_),
    }
    if is_htmx(request):
        response = render(request, "evaluation/round_detail.html#progress", context)
        if round_.status != Round.Status.COMPUTING:
            response["HX-Refresh"] = "true"  # done: show the ranking
        return response
    return render(request, "evaluation/round_detail.html", context)


@login_required
@require_POST
def round_compute(request: AuthedRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_get(user=request.user, pk=pk)
    try:
        services.round_compute_start(round_=round_, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The computation has started."))
    return redirect("evaluation:round", pk=round_.pk)


@login_required
@require_POST
def round_finish(request: AuthedRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_get(user=request.user, pk=pk)
    try:
        services.round_finish(round_=round_, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The round is finished; each subject can now see its result."))
    return redirect("evaluation:round", pk=round_.pk)


@login_required
def round_pdf(request: AuthedRequest, pk: int) -> FileResponse:
    round_ = selectors.round_get(user=request.user, pk=pk)
    if not round_.report:
        raise Http404(_("The report is not ready yet."))
    return FileResponse(round_.report.open("rb"), as_attachment=True, filename=f"evaluasi-{round_.pk}.pdf")


@login_required
def round_xlsx(request: AuthedRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_get(user=request.user, pk=pk)
    response = HttpResponse(selectors.report_xlsx(round_), content_type=CONTENT_TYPES[XLSX])
    response["Content-Disposition"] = f'attachment; filename="evaluasi-{round_.pk}.xlsx"'
    return response


@login_required
def subject_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A subject's result: its total, rank and change, each indicator with how it was computed."""
    subject = selectors.subject_get(user=request.user, pk=pk)
    lines = selectors.score_lines(subject)
    can_write = request.user.can_write(subject.round.region)
    return render(
        request,
        "evaluation/subject_detail.html",
        {
            "subject": subject,
            "round": subject.round,
            "lines": lines,
            "suggestions": selectors.suggestions(lines),
            "count": subject.round.subjects.count(),
            "can_see_round": selectors.round_list(user=request.user).filter(pk=subject.round_id).exists(),
            "can_write": can_write and subject.round.is_open,
            "recommendation_form": RecommendationForm(initial={"text": subject.recommendation}),
        },
    )


@login_required
def score_edit(request: AuthedRequest, pk: int, indicator: int) -> HttpResponse:
    subject = selectors.subject_get(user=request.user, pk=pk)
    selectors.round_get(user=request.user, pk=subject.round_id)
    score = get_object_or_404(
        Score.objects.select_related("indicator", "subject__round__region"),
        subject=subject,
        indicator_id=indicator,
        indicator__kind=RoundIndicator.Kind.MANUAL,
    )
    if not request.user.can_write(subject.round.region):
        raise PermissionDenied(_("You may not score this round."))
    form = ScoreForm(request.POST or None, request.FILES or None, initial={"value": score.value, "note": score.note})
    if request.method == "POST" and form.is_valid():
        try:
            services.score_set(
                score=score,
                by=request.user,
                value=form.cleaned_data["value"],
                note=form.cleaned_data["note"],
                evidence=form.cleaned_data["evidence"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Score saved."))
            return redirect("evaluation:subject", pk=subject.pk)
    return render(request, "evaluation/score_form.html", {"form": form, "score": score, "subject": subject})


@login_required
@require_POST
def subject_recommend(request: AuthedRequest, pk: int) -> HttpResponse:
    subject = selectors.subject_get(user=request.user, pk=pk)
    selectors.round_get(user=request.user, pk=subject.round_id)
    form = RecommendationForm(request.POST)
    if form.is_valid():
        try:
            services.recommendation_set(subject=subject, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Recommendations saved."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("evaluation:subject", pk=subject.pk)


@login_required
def evidence(request: AuthedRequest, pk: int) -> FileResponse:
    """The evidence of a manual score, for whoever sees the result."""
    score = get_object_or_404(Score.objects.exclude(evidence=""), pk=pk)
    selectors.subject_get(user=request.user, pk=score.subject_id)
    return FileResponse(score.evidence.open("rb"), as_attachment=True, filename=score.evidence_name or "bukti")
