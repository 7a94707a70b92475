"""The library of commitment texts (versioned, per unit) and the texts an event's participants sign."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.core.http import AuthedRequest
from sinergi.events import permissions
from sinergi.events.forms_day import AttachForm, CommitmentTextForm, ReviseForm, writable_units
from sinergi.events.models import CommitmentText
from sinergi.events.selectors import day as selectors
from sinergi.events.services import day_commitments


def attach_errors(form: BaseForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _require_staff(request: AuthedRequest) -> None:
    # The library belongs to government units; a representative has none (the same 404 as elsewhere).
    if not request.user.is_government_staff:
        from django.http import Http404

        raise Http404


@login_required
def text_list(request: AuthedRequest) -> HttpResponse:
    """The texts of the user's units and of the units above them, newest version first."""
    _require_staff(request)
    texts = selectors.texts_for(request.user).order_by("unit__name", "kind", "title", "-version")
    return render(
        request,
        "events/day/texts.html",
        {"texts": texts, "can_create": writable_units(request.user).exists()},
    )


@login_required
def text_create(request: AuthedRequest) -> HttpResponse:
    if not writable_units(request.user).exists():
        raise PermissionDenied
    form = CommitmentTextForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            text = day_commitments.commitment_text_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("%(text)s saved.") % {"text": text})
            return redirect(reverse("events:commitment-text", args=[text.pk]))
    return render(
        request,
        "events/day/form.html",
        {
            "form": form,
            "title": _("New commitment text"),
            "submit": _("Save"),
            "back": reverse("events:commitment-texts"),
        },
        status=422 if form.is_bound and form.errors else 200,
    )


@login_required
def text_detail(request: AuthedRequest, text_pk: int) -> HttpResponse:
    """One version of a text; a POST saves a new wording as the next version."""
    _require_staff(request)
    text = get_object_or_404(selectors.texts_for(request.user), pk=text_pk)
    can_revise = request.user.can_write(text.unit.region)
    form = ReviseForm(request.POST or None, initial={"body": text.body})
    if request.method == "POST":
        if not can_revise:
            raise PermissionDenied
        if form.is_valid():
            try:
                new = day_commitments.commitment_text_revise(by=request.user, text=text, body=form.cleaned_data["body"])
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("%(text)s saved.") % {"text": new})
                return redirect(reverse("events:commitment-text", args=[new.pk]))
    versions = CommitmentText.objects.filter(unit=text.unit, kind=text.kind, title=text.title).order_by("-version")
    return render(
        request,
        "events/day/text_detail.html",
        {
            "text": text,
            "digest": day_commitments.text_digest(text),
            "versions": versions,
            "form": form,
            "can_revise": can_revise,
            "events": text.event_uses.select_related("event").order_by("-pk")[:20],
        },
        status=422 if form.is_bound and form.errors else 200,
    )


@login_required
def event_commitments(request: AuthedRequest, pk: int) -> HttpResponse:
    """The texts the event's participants sign, with how many signed; a POST attaches one."""
    event = permissions.event_get(request.user, pk)
    can_edit = permissions.can_edit(request.user, event)
    form = AttachForm(request.POST or None, texts=selectors.texts_for(request.user))
    if request.method == "POST":
        permissions.require_edit(request.user, event)
        if form.is_valid():
            try:
                day_commitments.event_commitment_attach(by=request.user, event=event, text=form.cleaned_data["text"])
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(
                    request, _("The participants can now sign %(text)s.") % {"text": form.cleaned_data["text"]}
                )
                return redirect(reverse("events:commitments", args=[event.pk]))
    return render(
        request,
        "events/day/commitments.html",
        {
            "event": event,
            "items": selectors.commitments(event),
            "registered": selectors.registered(event).count(),
            "form": form,
            "can_edit": can_edit,
        },
        status=422 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def event_commitment_detach(request: AuthedRequest, pk: int, commitment_pk: int) -> HttpResponse:
    event = permissions.event_get(request.user, pk)
    permissions.require_edit(request.user, event)
    commitment = get_object_or_404(event.commitments.select_related("text"), pk=commitment_pk)
    try:
        day_commitments.event_commitment_detach(by=request.user, commitment=commitment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(text)s removed from the event.") % {"text": commitment.text})
    return redirect(reverse("events:commitments", args=[event.pk]))
