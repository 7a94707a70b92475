"""Pages of the register's imports and exports: templates, upload, dry-run report, progress, downloads.

An import or export job belongs to the user who started it: anyone else gets 404. Views parse
the input, call one service in ``imports`` or ``exports``, and render; htmx polls a job's status
partial while a task works on it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sinergi.core.htmx import is_htmx
from sinergi.core.http import AuthedRequest
from sinergi.registry import exports, imports, permissions
from sinergi.registry.models import ExportJob, ImportJob
from sinergi.registry.spreadsheets import CONTENT_TYPES, CSV, FORMATS, XLSX, TableWriter

PROBLEMS_SHOWN = 500
FORMAT_CHOICES = [(XLSX, gettext_lazy("Excel (.xlsx)")), (CSV, gettext_lazy("CSV (.csv)"))]


class ImportUploadForm(forms.Form):
    target = forms.ChoiceField(label=gettext_lazy("What the file holds"), choices=ImportJob.Target.choices)
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("Excel (.xlsx) or CSV, filled in from the template."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class ImportStartForm(forms.Form):
    mode = forms.ChoiceField(choices=ImportJob.Mode.choices)


class ExportForm(forms.Form):
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=FORMAT_CHOICES, initial=XLSX)
    reveal_nik = forms.BooleanField(
        label=gettext_lazy("Show full NIK"),
        required=False,
        help_text=gettext_lazy("Recorded in the audit log as a view of every NIK in the file."),
    )


def _import_job(request: AuthedRequest, pk: int) -> ImportJob:
    return get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk, created_by=request.user)


def _export_job(request: AuthedRequest, pk: int) -> ExportJob:
    return get_object_or_404(ExportJob, pk=pk, created_by=request.user)


def _target(value: str) -> str:
    if value not in ImportJob.Target.values:
        raise Http404
    return value


# --- imports -------------------------------------------------------------------------------------


@login_required
def import_list(request: AuthedRequest) -> HttpResponse:
    """Templates to download, the upload form, and the user's recent imports."""
    if not imports.can_import(request.user):
        raise PermissionDenied
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = imports.import_job_create(
                by=request.user, target=form.cleaned_data["target"], file=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            by_field = exc.error_dict if hasattr(exc, "error_dict") else {"file": exc.error_list}
            for field, errors in by_field.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("registry:import", pk=job.pk)
    jobs = ImportJob.objects.filter(created_by=request.user)[:20]
    return render(
        request,
        "registry/io/import_list.html",
        {"form": form, "jobs": jobs, "targets": ImportJob.Target.choices, "formats": FORMAT_CHOICES},
    )


@login_required
def import_template(request: AuthedRequest, target: str, fmt: str) -> HttpResponse:
    """The empty template of an import, with an example row (and in Excel a guide sheet)."""
    if fmt not in FORMATS:
        raise Http404
    content = imports.template(_target(target), fmt)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="sinergi-template-{target}.{fmt}"'
    return response


@login_required
def import_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The job's progress, then its report and the choice of how to import; htmx polls the partial."""
    job = _import_job(request, pk)
    lines = imports.problem_lines(job)
    shown, count = [], 0
    for line, problems in lines:
        if count >= PROBLEMS_SHOWN:
            break
        shown.append((line, problems))
        count += len(problems)
    context: dict[str, Any] = {
        "job": job,
        "lines": shown,
        "more": len(job.errors) - count,
        "running": job.status in (ImportJob.Status.UPLOADED, ImportJob.Status.CHECKING, ImportJob.Status.IMPORTING),
        "warnings": sum(1 for p in job.errors if p.get("warning")),
        "good_rows": max(job.total_rows - job.bad_rows, 0),
    }
    template = "registry/io/import_detail.html"
    return render(request, f"{template}#status" if is_htmx(request) else template, context)


@login_required
@require_POST
def import_start(request: AuthedRequest, pk: int) -> HttpResponse:
    job = _import_job(request, pk)
    form = ImportStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose all rows or only the good rows."))
        return redirect("registry:import", pk=job.pk)
    try:
        imports.import_job_start(by=request.user, job=job, mode=form.cleaned_data["mode"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("registry:import", pk=job.pk)


@login_required
def import_report(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    """Every problem of the job as a spreadsheet, to work through beside the file."""
    job = _import_job(request, pk)
    if fmt not in FORMATS:
        raise Http404
    response = HttpResponse(content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="sinergi-import-{job.pk}-problems.{fmt}"'
    writer = TableWriter(
        response,  # type: ignore[arg-type]
        fmt,
        sheet_title=_("Problems"),
        headers=[_("Line"), _("Column"), _("Header"), _("Problem"), _("Only a warning")],
    )
    for problem in job.errors:
        writer.write(
            [problem["line"], problem["column"], problem["header"], problem["message"], bool(problem["warning"])]
        )
    writer.close()
    return response


# --- exports -------------------------------------------------------------------------------------


@login_required
def export(request: AuthedRequest) -> HttpResponse:
    """Export the list the user sees. ``?target=`` organisations (default), officers or persons, with
    the list's filters; a GET with ``format`` exports at once with masked NIKs, the form (POST) can
    ask for full NIKs. Short lists download at once, long ones go to a job page."""
    data = request.POST if request.method == "POST" else request.GET
    target = _target(data.get("target") or ImportJob.Target.ORGANISATIONS)
    filters = exports.clean_filters(target, data)
    may_reveal = target != ImportJob.Target.ORGANISATIONS and permissions.can_reveal_nik(request.user)
    form = ExportForm(data if "format" in data else None)
    if not may_reveal:
        del form.fields["reveal_nik"]
    if form.is_bound and form.is_valid():
        reveal = request.method == "POST" and bool(form.cleaned_data.get("reveal_nik"))
        result = exports.export_start(
            by=request.user, target=target, fmt=form.cleaned_data["format"], filters=filters, reveal_nik=reveal
        )
        if isinstance(result, ExportJob):
            return redirect("registry:export-job", pk=result.pk)
        response = HttpResponse(result.content, content_type=result.content_type)
        response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
        return response
    count = exports.export_queryset(user=request.user, target=target, filters=filters).count()
    return render(
        request,
        "registry/io/export.html",
        {
            "form": form,
            "target": target,
            "target_label": ImportJob.Target(target).label,
            "filters": filters,
            "count": count,
            "direct_limit": exports.DIRECT_LIMIT,
        },
    )


@login_required
def export_job(request: AuthedRequest, pk: int) -> HttpResponse:
    job = _export_job(request, pk)
    context = {"job": job, "running": job.status in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING)}
    template = "registry/io/export_job.html"
    return render(request, f"{template}#status" if is_htmx(request) else template, context)


@login_required
def export_download(request: AuthedRequest, pk: int) -> FileResponse:
    job = _export_job(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=exports.filename(job.target, job.format),
        content_type=CONTENT_TYPES[job.format],
    )
