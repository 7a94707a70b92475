"""Minutes (notulen) with decisions and follow-ups, and the photos of the event."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sinergi.core.http import AuthedRequest
from sinergi.events import permissions
from sinergi.events.forms_day import FollowUpForm, MinutesForm, PhotoForm
from sinergi.events.models import Event, Minutes
from sinergi.events.services import day_records
from sinergi.events.views.day_commitments import attach_errors
from sinergi.registry.views.common import file_response


@login_required
def minutes_page(request: AuthedRequest, pk: int) -> HttpResponse:
    """The minutes and follow-ups; a POST saves the minutes."""
    event = permissions.event_get(request.user, pk)
    minutes = Minutes.objects.filter(event=event).first()
    initial = {"summary": minutes.summary, "decisions": minutes.decisions} if minutes else {}
    form = MinutesForm(request.POST or None, initial=initial)
    if request.method == "POST":
        permissions.require_edit(request.user, event)
        if form.is_valid():
            try:
                day_records.minutes_save(by=request.user, event=event, **form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("Minutes saved."))
                return redirect(reverse("events:minutes", args=[event.pk]))
    return _minutes(request, event, form=form, minutes=minutes)


def _minutes(
    request: AuthedRequest,
    event: Event,
    *,
    form: MinutesForm | None = None,
    follow_up_form: FollowUpForm | None = None,
    minutes: Minutes | None = None,
) -> HttpResponse:
    bound = (form is not None and form.is_bound and form.errors) or (
        follow_up_form is not None and follow_up_form.is_bound and follow_up_form.errors
    )
    return render(
        request,
        "events/day/minutes.html",
        {
            "event": event,
            "minutes": minutes if minutes is not None else Minutes.objects.filter(event=event).first(),
            "form": form or MinutesForm(),
            "follow_up_form": follow_up_form or FollowUpForm(),
            "follow_ups": event.follow_ups.all(),
            "can_edit": permissions.can_edit(request.user, event),
        },
        status=422 if bound else 200,
    )


@login_required
@require_POST
def follow_up_add(request: AuthedRequest, pk: int) -> HttpResponse:
    event = permissions.event_get(request.user, pk)
    permissions.require_edit(request.user, event)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            day_records.follow_up_add(by=request.user, event=event, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("Follow-up added."))
            return redirect(reverse("events:minutes", args=[event.pk]) + "#follow-ups")
    return _minutes(request, event, follow_up_form=form)


@login_required
@require_POST
def follow_up_done(request: AuthedRequest, pk: int, follow_up_pk: int) -> HttpResponse:
    event = permissions.event_get(request.user, pk)
    permissions.require_edit(request.user, event)
    follow_up = get_object_or_404(event.follow_ups, pk=follow_up_pk)
    day_records.follow_up_done(by=request.user, follow_up=follow_up)
    messages.success(request, _("Follow-up marked done."))
    return redirect(reverse("events:minutes", args=[event.pk]) + "#follow-ups")


@login_required
def photos_page(request: AuthedRequest, pk: int) -> HttpResponse:
    """The photos of the event; a POST uploads one."""
    event = permissions.event_get(request.user, pk)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        permissions.require_edit(request.user, event)
        if form.is_valid():
            try:
                day_records.photo_add(by=request.user, event=event, **form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("Photo added."))
                return redirect(reverse("events:photos", args=[event.pk]))
    return render(
        request,
        "events/day/photos.html",
        {
            "event": event,
            "photos": event.photos.select_related("uploaded_by"),
            "form": form,
            "can_edit": permissions.can_edit(request.user, event),
            "max_bytes": day_records.photo_max_bytes(),
        },
        status=422 if form.is_bound and form.errors else 200,
    )


@login_required
@require_GET
def photo_file(request: AuthedRequest, pk: int, photo_pk: int) -> HttpResponseBase:
    event = permissions.event_get(request.user, pk)
    photo = get_object_or_404(event.photos, pk=photo_pk)
    return file_response(photo.image, inline=True)


@login_required
@require_POST
def photo_delete(request: AuthedRequest, pk: int, photo_pk: int) -> HttpResponse:
    event = permissions.event_get(request.user, pk)
    permissions.require_edit(request.user, event)
    photo = get_object_or_404(event.photos, pk=photo_pk)
    day_records.photo_delete(by=request.user, photo=photo)
    messages.success(request, _("Photo removed."))
    return redirect(reverse("events:photos", args=[event.pk]))
