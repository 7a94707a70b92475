"""An organisation's records: documents, Ormas coaching notes and sanction path, activity reports,
and their files."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from sinergi.core.http import AuthedRequest
from sinergi.registry import forms, rules, services
from sinergi.registry.models import ActivityPhoto, CoachingNote, Document, Organisation, Sanction
from sinergi.registry.views.common import (
    attach,
    editable_or_403,
    file_response,
    form_page,
    form_status,
    home_of,
    in_scope,
    represented_or_editable,
)


def next_sanction_step(organisation: Organisation) -> int | None:
    """The step the sanction path allows next, asked of the rule itself (deadlines aside), or None
    once a recommendation of revocation was sent."""
    for step in Sanction.Step:
        try:
            rules.sanction_previous(organisation=organisation, step=step, issued_on=datetime.date.max)
        except ValidationError:
            continue
        return int(step)
    return None


# Documents, coaching, sanctions, activities ---------------------------------------------------------


@login_required
def document_add(request: AuthedRequest, pk: int) -> HttpResponse:
    organisation = editable_or_403(request, pk)
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_add(by=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("Document added."))
            return redirect(reverse("registry:detail", args=[pk]) + "#documents")
    return form_page(
        request,
        form,
        title=_("Add a document"),
        submit=_("Upload"),
        organisation=organisation,
        status=form_status(form),
    )


@login_required
def document_file(request: AuthedRequest, pk: int) -> FileResponse:
    document = get_object_or_404(Document.objects.filter(organisation__in=in_scope(request)), pk=pk)
    inline = document.content_type.startswith("image/")
    return file_response(document.file, filename=document.original_name, inline=inline)


@login_required
def coaching_add(request: AuthedRequest, pk: int) -> HttpResponse:
    organisation = editable_or_403(request, pk)
    if not organisation.kind.is_ormas:
        raise Http404
    form = forms.CoachingNoteForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.coaching_note_add(by=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("Coaching note recorded."))
            return redirect(reverse("registry:detail", args=[pk]) + "#coaching")
    return form_page(
        request, form, title=_("Coaching note"), submit=_("Save"), organisation=organisation, status=form_status(form)
    )


@login_required
def coaching_file(request: AuthedRequest, pk: int) -> FileResponse:
    note = get_object_or_404(_staff_only(request, CoachingNote.objects.all()), pk=pk)
    return file_response(note.attachment)


def _staff_only(request: AuthedRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Coaching notes and sanctions are the government's records of an Ormas: staff in scope only."""
    if not request.user.is_government_staff:
        raise Http404
    return queryset.filter(organisation__in=in_scope(request))


@login_required
def sanction_add(request: AuthedRequest, pk: int) -> HttpResponse:
    organisation = editable_or_403(request, pk)
    if not organisation.kind.is_ormas:
        raise Http404
    step = next_sanction_step(organisation)
    if step is None:
        messages.info(request, _("The sanction path has ended with the recommendation of revocation."))
        return redirect(reverse("registry:detail", args=[pk]) + "#sanctions")
    form = forms.SanctionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sanction_issue(by=request.user, organisation=organisation, step=step, **form.cleaned_data)
        except ValidationError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("%(step)s recorded.") % {"step": Sanction.Step(step).label})
            return redirect(reverse("registry:detail", args=[pk]) + "#sanctions")
    return form_page(
        request,
        form,
        title=str(Sanction.Step(step).label),
        submit=_("Record"),
        organisation=organisation,
        intro=_(
            "Steps come in order: written warning (7 working days to comply), order to stop activities, "
            "recommendation of revocation to the ministry."
        ),
        status=form_status(form),
    )


@login_required
def sanction_resolve(request: AuthedRequest, pk: int) -> HttpResponse:
    sanction = get_object_or_404(_staff_only(request, Sanction.objects.select_related("organisation")), pk=pk)
    organisation = editable_or_403(request, sanction.organisation_id)
    form = forms.SanctionResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sanction_resolve(by=request.user, sanction=sanction, **form.cleaned_data)
        except ValidationError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("The Ormas complied; the sanction path is closed."))
            return redirect(reverse("registry:detail", args=[organisation.pk]) + "#sanctions")
    return form_page(
        request,
        form,
        title=_("%(step)s: complied") % {"step": sanction.get_step_display()},
        submit=_("Record compliance"),
        organisation=organisation,
        status=form_status(form),
    )


@login_required
def sanction_file(request: AuthedRequest, pk: int, which: str) -> FileResponse:
    sanction = get_object_or_404(_staff_only(request, Sanction.objects.all()), pk=pk)
    if which not in ("letter", "evidence"):
        raise Http404
    return file_response(sanction.letter if which == "letter" else sanction.evidence)


@login_required
def activity_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """An activity report, by staff or by the organisation's representative (often on a phone)."""
    organisation = represented_or_editable(request, pk)
    form = forms.ActivityReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_report_add(by=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("Activity reported. Thank you."))
            return redirect(home_of(request, organisation) + "#activities")
    return form_page(
        request,
        form,
        title=_("Report an activity"),
        submit=_("Send report"),
        organisation=organisation,
        back=home_of(request, organisation),
        status=form_status(form),
    )


@login_required
def photo_file(request: AuthedRequest, pk: int) -> FileResponse:
    photo = get_object_or_404(ActivityPhoto.objects.filter(report__organisation__in=in_scope(request)), pk=pk)
    return file_response(photo.image, inline=True)
