"""Pages of early warning: the member's phone page, the staff's list, report, verification and
follow-up, compliance, the situation picture, alerts, and the settings of topics, rules and members.

Every read of a report starts from ``Report.objects.visible_to``; a report out of scope and one that
does not exist answer the same 404, and every read of a report is audited."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.accounts.models import Role, User
from sinergi.core.htmx import is_htmx
from sinergi.core.http import AuthedRequest
from sinergi.core.pdf import render_pdf
from sinergi.earlywarning import forms, permissions, selectors, services
from sinergi.earlywarning.models import (
    Alert,
    Attachment,
    EscalationRule,
    FollowUp,
    Report,
    SituationReport,
    Topic,
)
from sinergi.registry.models import Organisation
from sinergi.territory.models import code_q

PAGE_SIZE = 50


def _wants_json(request: AuthedRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _require_watcher(request: AuthedRequest) -> None:
    if not permissions.is_watcher(request.user):
        raise Http404


def _require_member(request: AuthedRequest) -> list[Organisation]:
    organisations = permissions.member_organisations(request.user)
    if not organisations:
        raise Http404
    return organisations


def _require_settings(request: AuthedRequest) -> None:
    if not permissions.is_watcher(request.user):
        raise Http404
    if not permissions.can_manage_settings(request.user):
        raise PermissionDenied


@login_required
def index(request: AuthedRequest) -> HttpResponse:
    """Members go to their phone page, office staff to the list; nobody else has early warning."""
    if permissions.is_watcher(request.user):
        return redirect("earlywarning:list")
    if permissions.is_member(request.user):
        return redirect("earlywarning:submit")
    raise Http404


# The member's phone page --------------------------------------------------------------------------


@login_required
def submit(request: AuthedRequest) -> HttpResponse:
    """Nihil in one tap, or a report. The page works offline: ``offline.js`` keeps what could not be
    sent and sends it when the connection returns; the client id makes it arrive once."""
    organisations = _require_member(request)
    form = forms.ReportForm(
        request.POST or None,
        request.FILES or None,
        organisations=organisations,
        initial={"client_uuid": uuid.uuid4()},
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                report, created = services.report_submit(
                    by=request.user,
                    client_uuid=data["client_uuid"],
                    organisation=data["organisation"],
                    for_date=data["for_date"],
                    athg=data["athg"],
                    domain=data["domain"],
                    topics=list(data["topics"]),
                    severity=data["severity"],
                    kelurahan=data["kelurahan"],
                    rw_number=data["rw"],
                    rt_number=data["rt"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                    occurred_at=data["occurred_at"],
                    description=data["description"],
                    source=data["source"],
                    source_link=data["source_link"],
                    attachments=data["attachments"],
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for name, errors in exc.message_dict.items():
                        form.add_error(name if name in form.fields else None, errors)
                else:
                    form.add_error(None, exc)
            else:
                if _wants_json(request):
                    return JsonResponse({"id": report.pk, "created": created}, status=201 if created else 200)
                messages.success(request, _("Your report was sent. Thank you."))
                return redirect("earlywarning:detail", pk=report.pk)
        if _wants_json(request):
            return JsonResponse({"errors": form.errors.get_json_data()}, status=422)
    today = timezone.localdate()
    mine = Report.objects.filter(reporter=request.user).select_related("kelurahan").order_by("-created_at")[:10]
    context = {
        "form": form,
        "nihil_form": forms.NihilForm(initial={"client_uuid": uuid.uuid4()}),
        "mine": mine,
        "filed_today": Report.objects.filter(reporter=request.user, for_date=today).exists(),
        "today": today,
    }
    return render(request, "earlywarning/submit.html", context, status=422 if form.errors else 200)


@login_required
@require_POST
def nihil(request: AuthedRequest) -> HttpResponse:
    organisations = _require_member(request)
    form = forms.NihilForm(request.POST)
    if not form.is_valid():
        if _wants_json(request):
            return JsonResponse({"errors": form.errors.get_json_data()}, status=422)
        messages.error(request, _("The nihil could not be sent; reload the page and try again."))
        return redirect("earlywarning:submit")
    try:
        report, created = services.nihil_submit(
            by=request.user,
            client_uuid=form.cleaned_data["client_uuid"],
            for_date=form.cleaned_data["for_date"],
            organisation=organisations[0],
        )
    except ValidationError as exc:
        if _wants_json(request):
            return JsonResponse({"errors": exc.messages}, status=422)
        messages.error(request, _errors(exc))
        return redirect("earlywarning:submit")
    if _wants_json(request):
        return JsonResponse({"id": report.pk, "created": created}, status=201 if created else 200)
    messages.success(request, _("Nihil sent for %(date)s. Thank you.") % {"date": report.for_date.strftime("%d-%m-%Y")})
    return redirect("earlywarning:submit")


# Reports ------------------------------------------------------------------------------------------


@login_required
def report_list(request: AuthedRequest) -> HttpResponse:
    if not (permissions.is_watcher(request.user) or permissions.is_member(request.user)):
        raise Http404
    areas = selectors.area_choices(request.user)
    form = forms.FilterForm(request.GET or None, areas=areas)
    filters = selectors.ReportFilter()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.ReportFilter(
            domain=data["domain"],
            topic=data["topic"],
            severity=data["severity"] or None,
            status=data["status"],
            area=data["area"],
            days=data["days"] or None,
        )
    page = Paginator(selectors.reports(user=request.user, filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "earlywarning/list.html",
        {"form": form, "page": page, "is_watcher": permissions.is_watcher(request.user)},
    )


def _report(request: AuthedRequest, pk: int) -> Report:
    report = selectors.report_get(user=request.user, pk=pk)
    if report is None:
        raise Http404
    return report


@login_required
def report_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    services.report_viewed(by=request.user, report=report, how="page")
    can_handle = permissions.can_handle(request.user, report.area_code)
    context = {
        "report": report,
        "can_handle": can_handle and not report.is_nihil,
        "verify_form": forms.VerifyForm(initial={"status": report.status, "note": report.verification_note}),
        "followup_form": forms.FollowUpForm(),
        "link_form": forms.LinkForm(initial={"link_kind": report.link_kind, "reference": report.link_reference}),
        "chain": services.fkdm_chain(report.area_code),
        "alerts": report.alerts.all(),
    }
    return render(request, "earlywarning/detail.html", context)


@login_required
def report_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    services.report_viewed(by=request.user, report=report, how="pdf")
    content = render_pdf("earlywarning/pdf/report.html", {"report": report, "printed_by": request.user})
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="laporan-kewaspadaan-{report.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def attachment(request: AuthedRequest, pk: int) -> FileResponse:
    item = get_object_or_404(Attachment.objects.filter(report__in=Report.objects.visible_to(request.user)), pk=pk)
    services.report_viewed(by=request.user, report=item.report, how="attachment")
    response = FileResponse(item.file.open("rb"), content_type=item.content_type, filename=item.original_name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def verify(request: AuthedRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    form = forms.VerifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a verification status."))
        return redirect("earlywarning:detail", pk=pk)
    try:
        services.report_verify(
            by=request.user, report=report, status=form.cleaned_data["status"], note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Verification saved."))
    return redirect("earlywarning:detail", pk=pk)


@login_required
@require_POST
def followup_add(request: AuthedRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    form = forms.FollowUpForm(request.POST)
    if not form.is_valid():
        if not permissions.can_handle(request.user, report.area_code):
            raise PermissionDenied
        messages.error(request, _("Say what will be done and who carries it out."))
        return redirect("earlywarning:detail", pk=pk)
    try:
        services.followup_add(by=request.user, report=report, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Follow-up added."))
    return redirect("earlywarning:detail", pk=pk)


@login_required
@require_POST
def followup_done(request: AuthedRequest, pk: int) -> HttpResponse:
    followup = get_object_or_404(
        FollowUp.objects.filter(report__in=Report.objects.visible_to(request.user)).select_related("report"), pk=pk
    )
    try:
        services.followup_done(by=request.user, followup=followup)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Follow-up marked done."))
    return redirect("earlywarning:detail", pk=followup.report_id)


@login_required
@require_POST
def link(request: AuthedRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    form = forms.LinkForm(request.POST)
    if form.is_valid():
        try:
            services.report_link(
                by=request.user,
                report=report,
                link_kind=form.cleaned_data["link_kind"],
                reference=form.cleaned_data["reference"],
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Link saved."))
    return redirect("earlywarning:detail", pk=pk)


# Compliance ---------------------------------------------------------------------------------------


@login_required
def compliance(request: AuthedRequest) -> HttpResponse:
    _require_watcher(request)
    areas = selectors.area_choices(request.user)
    form = forms.ComplianceForm(request.GET or None, areas=areas)
    area, days = "", 30
    if form.is_valid():
        area, days = form.cleaned_data["area"], form.cleaned_data["days"] or 30
    end = timezone.localdate() - datetime.timedelta(days=1)
    rows = selectors.compliance(user=request.user, start=end - datetime.timedelta(days=days - 1), end=end, area=area)
    needed, every = services.reports_per_days()
    context = {
        "form": form,
        "rows": rows,
        "by_area": selectors.compliance_by_area(rows),
        "start": end - datetime.timedelta(days=days - 1),
        "end": end,
        "needed": needed,
        "every": every,
    }
    return render(request, "earlywarning/compliance.html", context)


@login_required
def not_reported(request: AuthedRequest) -> HttpResponse:
    """For the Lurah: who has not filed a report or nihil in the current period."""
    _require_watcher(request)
    rows = selectors.not_reported(user=request.user)
    return render(request, "earlywarning/not_reported.html", {"rows": rows, "today": timezone.localdate()})


# Situation picture ---------------------------------------------------------------------------------


def _situation_filters(request: AuthedRequest) -> tuple[forms.SituationForm, selectors.SituationFilter | None]:
    areas = selectors.area_choices(request.user)
    form = forms.SituationForm(request.GET or None, areas=areas)
    code, days, domain, topic = (areas[0].code if areas else ""), 30, "", None
    if form.is_bound:
        if not form.is_valid():
            return form, None
        code, days = form.cleaned_data["area"], form.cleaned_data["days"]
        domain, topic = form.cleaned_data["domain"], form.cleaned_data["topic"]
    region = next((r for r in areas if r.code == code), None)
    if region is None:
        return form, None
    until = timezone.now()
    return form, selectors.SituationFilter(
        region=region, since=until - datetime.timedelta(days=days), until=until, domain=domain, topic=topic
    )


@login_required
def situation(request: AuthedRequest) -> HttpResponse:
    _require_watcher(request)
    form, filters = _situation_filters(request)
    return render(request, "earlywarning/situation.html", {"form": form, "filters": filters})


@login_required
def situation_data(request: AuthedRequest) -> JsonResponse:
    """The map's numbers per kelurahan and the trend, for ``situation.js``."""
    _require_watcher(request)
    _form, filters = _situation_filters(request)
    if filters is None:
        raise Http404
    areas, trend = selectors.picture(filters)
    response = JsonResponse({"areas": areas, "trend": trend, "total": sum(a["count"] for a in areas.values())})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def weekly(request: AuthedRequest) -> HttpResponse:
    _require_watcher(request)
    areas = selectors.area_choices(request.user)
    form = forms.WeeklyForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        region = next(r for r in areas if r.code == form.cleaned_data["area"])
        try:
            job = services.situation_request(by=request.user, region=region, week_start=form.cleaned_data["week_start"])
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            return redirect("earlywarning:weekly-detail", pk=job.pk)
    jobs = SituationReport.objects.filter(created_by=request.user).select_related("region")[:20]
    return render(request, "earlywarning/weekly.html", {"form": form, "jobs": jobs})


def _job(request: AuthedRequest, pk: int) -> SituationReport:
    return get_object_or_404(SituationReport.objects.filter(created_by=request.user).select_related("region"), pk=pk)


@login_required
def weekly_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    template = "earlywarning/weekly_detail.html#status" if is_htmx(request) else "earlywarning/weekly_detail.html"
    return TemplateResponse(request, template, {"job": job})


@login_required
def weekly_download(request: AuthedRequest, pk: int) -> FileResponse:
    job = _job(request, pk)
    if job.status != SituationReport.Status.DONE or not job.file:
        raise Http404
    response = FileResponse(
        job.file.open("rb"), content_type="application/pdf", filename=(job.file.name or "").rsplit("/", 1)[-1]
    )
    response["Cache-Control"] = "private, no-store"
    return response


# Alerts -------------------------------------------------------------------------------------------


def _alerts(request: AuthedRequest) -> Any:
    scope = permissions.area_scope(request.user)
    alerts = Alert.objects.select_related("rule")
    return alerts if scope is None else alerts.filter(scope)


@login_required
def alerts(request: AuthedRequest) -> HttpResponse:
    _require_watcher(request)
    page = Paginator(_alerts(request), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "earlywarning/alerts.html", {"page": page})


@login_required
def alert(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_watcher(request)
    item = get_object_or_404(_alerts(request), pk=pk)
    reports = item.reports.filter(pk__in=Report.objects.visible_to(request.user).values("pk")).select_related(
        "kelurahan"
    )
    return render(request, "earlywarning/alert.html", {"alert": item, "reports": reports.prefetch_related("topics")})


# Settings: topics, rules, members -------------------------------------------------------------------


@login_required
def topics(request: AuthedRequest) -> HttpResponse:
    _require_settings(request)
    form = forms.TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.topic_save(by=request.user, topic=None, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Topic saved."))
            return redirect("earlywarning:topics")
    return render(request, "earlywarning/topics.html", {"form": form, "topics": Topic.objects.all()})


@login_required
def topic_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_settings(request)
    topic = get_object_or_404(Topic, pk=pk)
    form = forms.TopicForm(request.POST or None, instance=topic)
    if request.method == "POST" and form.is_valid():
        try:
            services.topic_save(by=request.user, topic=Topic.objects.get(pk=pk), **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Topic saved."))
            return redirect("earlywarning:topics")
    return render(
        request, "earlywarning/form_page.html", {"form": form, "title": topic.name, "back": "earlywarning:topics"}
    )


@login_required
def rules(request: AuthedRequest) -> HttpResponse:
    _require_settings(request)
    form = forms.RuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_save(by=request.user, rule=None, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Rule saved."))
            return redirect("earlywarning:rules")
    return render(
        request, "earlywarning/rules.html", {"form": form, "rules": EscalationRule.objects.select_related("topic")}
    )


@login_required
def rule_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_settings(request)
    rule = get_object_or_404(EscalationRule, pk=pk)
    form = forms.RuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_save(by=request.user, rule=EscalationRule.objects.get(pk=pk), **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Rule saved."))
            return redirect("earlywarning:rules")
    return render(
        request, "earlywarning/form_page.html", {"form": form, "title": rule.name, "back": "earlywarning:rules"}
    )


def _fkdm_organisations(request: AuthedRequest) -> Any:
    scope = permissions.area_scope(request.user, "region__code")
    organisations = Organisation.objects.filter(kind__code=permissions.FKDM_KIND).select_related("region")
    return organisations if scope is None else organisations.filter(scope)


@login_required
def members(request: AuthedRequest) -> HttpResponse:
    """FKDM organisations in the user's territory, their members, and granting membership."""
    _require_watcher(request)
    area = request.GET.get("area", "")
    organisations = _fkdm_organisations(request).order_by("region__code")
    if area:
        organisations = organisations.filter(code_q([area], "region__code"))
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    roles = Role.objects.filter(
        kind=Role.Kind.FKDM_MEMBER, is_active=True, organisation__in=[o.pk for o in page]
    ).select_related("user")
    by_org: dict[int, list[Role]] = {}
    for role in roles:
        by_org.setdefault(role.organisation_id or 0, []).append(role)
    rows = [(o, by_org.get(o.pk, []), permissions.can_manage_members(request.user, o)) for o in page]
    context = {
        "page": page,
        "rows": rows,
        "form": forms.MemberGrantForm(),
        "areas": selectors.area_choices(request.user),
        "area": area,
    }
    return render(request, "earlywarning/members.html", context)


@login_required
@require_POST
def member_grant(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_watcher(request)
    organisation = get_object_or_404(_fkdm_organisations(request), pk=pk)
    form = forms.MemberGrantForm(request.POST)
    if not form.is_valid():
        if not permissions.can_manage_members(request.user, organisation):
            raise PermissionDenied
        messages.error(request, _("Give the username of the member's account."))
        return redirect("earlywarning:members")
    user = User.objects.filter(username=form.cleaned_data["username"].strip()).first()
    if user is None:
        if not permissions.can_manage_members(request.user, organisation):
            raise PermissionDenied
        messages.error(request, _("No account has this username."))
        return redirect("earlywarning:members")
    try:
        services.fkdm_member_grant(by=request.user, organisation=organisation, user=user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request, _("%(user)s is now a member of %(organisation)s.") % {"user": user, "organisation": organisation}
        )
    return redirect(f"{reverse('earlywarning:members')}?area={organisation.region.code}")


@login_required
@require_POST
def member_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_watcher(request)
    role = get_object_or_404(
        Role.objects.filter(kind=Role.Kind.FKDM_MEMBER, is_active=True, organisation__in=_fkdm_organisations(request)),
        pk=pk,
    )
    services.fkdm_member_revoke(by=request.user, role=role)
    messages.success(request, _("Membership ended."))
    return redirect("earlywarning:members")
