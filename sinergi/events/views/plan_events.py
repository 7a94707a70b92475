"""Pages of the event itself: list and calendar of the events in scope, create and edit, the hub
detail page, publish, finish, cancel, its days and programme (sessions, speakers, materials), and
the unit's letter numbering."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.accounts.models import Unit
from sinergi.core.http import AuthedRequest
from sinergi.events import forms_plan as forms
from sinergi.events import permissions
from sinergi.events.models import Event, EventDay, LetterNumbering, Material, Session, Speaker
from sinergi.events.selectors import plan as selectors
from sinergi.events.services import plan as services
from sinergi.registry.views.common import attach, file_response, form_status

MONTHS_BACK = 24


def form_page(
    request: AuthedRequest,
    form: Any,
    *,
    title: str,
    submit: str,
    event: Event | None = None,
    intro: str = "",
    back: str = "",
) -> HttpResponse:
    """The one form page of the events: a narrow column that reads well on a phone."""
    if not back and event is not None:
        back = reverse("events:detail", args=[event.pk])
    return render(
        request,
        "events/plan/form.html",
        {"form": form, "title": title, "submit": submit, "event": event, "intro": intro, "back": back},
        status=form_status(form),
    )


def act(request: AuthedRequest, step: Callable[[], object], *, done: str, then: str) -> HttpResponse:
    """A one-click step (remove, withdraw, finish): run it, tell the user its refusal or ``done``, and
    go back to ``then``."""
    try:
        step()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect(then)


def editable(request: AuthedRequest, pk: int) -> Event:
    """The event if the user sees it (404 otherwise) and may change it (403 otherwise)."""
    event = permissions.event_get(request.user, pk)
    permissions.require_edit(request.user, event)
    return event


# List and calendar ----------------------------------------------------------------------------------


@login_required
def event_list(request: AuthedRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    events = selectors.event_list(request.user, q=q, status=status)
    page = Paginator(events, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "events/plan/list.html",
        {
            "page": page,
            "q": q,
            "status": status,
            "statuses": Event.Status.choices,
            "can_create": permissions.can_create_in(request.user),
        },
    )


@login_required
def event_calendar(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
        month = int(request.GET.get("month", today.month))
        first = datetime.date(year, month, 1)
    except ValueError:
        raise Http404 from None
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "events/plan/calendar.html",
        {
            "weeks": selectors.calendar_month(request.user, year, month),
            "first": first,
            "previous": previous,
            "following": following,
            "today": today,
            "can_create": permissions.can_create_in(request.user),
        },
    )


# The event ------------------------------------------------------------------------------------------


@login_required
def event_create(request: AuthedRequest) -> HttpResponse:
    if not permissions.can_create_in(request.user):
        raise PermissionDenied
    form = forms.EventForm(request.POST or None, user=request.user, creating=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = services.event_create(
                by=request.user,
                unit=data["unit"],
                region=data["region"],
                kind=data["kind"],
                title=data["title"],
                venue=data["venue"],
                days=form.days(),
                **form.event_fields(),
            )
        except ValidationError as exc:
            attach(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Event saved as a draft."))
            return redirect("events:detail", pk=event.pk)
    return form_page(request, form, title=_("New event"), submit=_("Save draft"), back=reverse("events:list"))


@login_required
def event_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    event = permissions.event_get(request.user, pk)
    can_edit = permissions.can_edit(request.user, event)
    sessions = event.sessions.select_related("day").prefetch_related("speakers", "materials")
    mine = []
    if not can_edit and (orgs := request.user.represented_organisation_ids()):
        mine = list(event.invitations.filter(organisation_id__in=orgs).select_related("organisation"))
    return render(
        request,
        "events/plan/detail.html",
        {
            "event": event,
            "can_edit": can_edit,
            "is_staff": request.user.is_government_staff,
            "days": event.days.all(),
            "sessions": sessions,
            "counts": selectors.event_counts(event),
            "my_invitations": mine,
            "registration_url": request.build_absolute_uri(
                reverse("events:register-open", args=[event.registration_token])
            )
            if can_edit and event.open_registration
            else "",
        },
    )


@login_required
def event_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    event = editable(request, pk)
    names = [n for n in services.EVENT_FIELDS if n != "venue_region"]
    initial = {n: getattr(event, n) for n in names}
    form = forms.EventForm(request.POST or None, initial=initial, user=request.user, creating=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(by=request.user, event=event, **form.cleaned_data)
        except ValidationError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("Event updated."))
            return redirect("events:detail", pk=event.pk)
    return form_page(request, form, title=_("Edit event"), submit=_("Save"), event=event)


def _status_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    event = editable(request, pk)
    done = {
        "publish": (services.event_publish, _("Event published.")),
        "start": (services.event_start, _("The event is running.")),
        "finish": (services.event_finish, _("Event finished.")),
    }
    service, message = done[action]
    return act(
        request,
        lambda: service(by=request.user, event=event),
        done=message,
        then=reverse("events:detail", args=[event.pk]),
    )


@login_required
@require_POST
def event_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    return _status_action(request, pk, "publish")


@login_required
@require_POST
def event_start(request: AuthedRequest, pk: int) -> HttpResponse:
    return _status_action(request, pk, "start")


@login_required
@require_POST
def event_finish(request: AuthedRequest, pk: int) -> HttpResponse:
    return _status_action(request, pk, "finish")


@login_required
def event_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    event = editable(request, pk)
    form = forms.CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_cancel(by=request.user, event=event, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("Event cancelled."))
            return redirect("events:detail", pk=event.pk)
    return form_page(
        request,
        form,
        title=_("Cancel the event"),
        submit=_("Cancel the event"),
        event=event,
        intro=_("Invited organisations and registered participants are told."),
    )


# Days -----------------------------------------------------------------------------------------------


@login_required
def date_add(request: AuthedRequest, pk: int) -> HttpResponse:
    event = editable(request, pk)
    form = forms.DayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_day_add(by=request.user, event=event, **form.cleaned_data)
        except ValidationError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("Day added."))
            return redirect("events:detail", pk=event.pk)
    return form_page(request, form, title=_("Add a day"), submit=_("Add"), event=event)


@login_required
def date_edit(request: AuthedRequest, pk: int, day_pk: int) -> HttpResponse:
    event = editable(request, pk)
    day = get_object_or_404(EventDay, pk=day_pk, event=event)
    initial = {"date": day.date, "starts_at": day.starts_at, "ends_at": day.ends_at}
    form = forms.DayForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_day_update(by=request.user, day=day, **form.cleaned_data)
        except ValidationError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("Day changed."))
            return redirect("events:detail", pk=event.pk)
    return form_page(request, form, title=_("Change a day"), submit=_("Save"), event=event)


@login_required
@require_POST
def date_remove(request: AuthedRequest, pk: int, day_pk: int) -> HttpResponse:
    event = editable(request, pk)
    day = get_object_or_404(EventDay, pk=day_pk, event=event)
    return act(
        request,
        lambda: services.event_day_remove(by=request.user, day=day),
        done=_("Day removed."),
        then=reverse("events:detail", args=[event.pk]),
    )


# Programme ------------------------------------------------------------------------------------------


@login_required
def session_add(request: AuthedRequest, pk: int) -> HttpResponse:
    event = editable(request, pk)
    form = forms.SessionForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_add(by=request.user, event=event, **form.cleaned_data)
        except ValidationError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("Session added."))
            return redirect(reverse("events:detail", args=[event.pk]) + "#programme")
    return form_page(request, form, title=_("Add a session"), submit=_("Add"), event=event)


def _session(event: Event, session_pk: int) -> Session:
    return get_object_or_404(Session.objects.select_related("event", "day"), pk=session_pk, event=event)


@login_required
def session_edit(request: AuthedRequest, pk: int, session_pk: int) -> HttpResponse:
    event = editable(request, pk)
    session = _session(event, session_pk)
    initial = {f: getattr(session, f) for f in ("day", "starts_at", "ends_at", "title", "description")}
    form = forms.SessionForm(request.POST or None, initial=initial, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(by=request.user, session=session, **form.cleaned_data)
        except ValidationError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("Session changed."))
            return redirect(reverse("events:detail", args=[event.pk]) + "#programme")
    return form_page(request, form, title=_("Change a session"), submit=_("Save"), event=event)


@login_required
@require_POST
def session_remove(request: AuthedRequest, pk: int, session_pk: int) -> HttpResponse:
    event = editable(request, pk)
    session = _session(event, session_pk)
    return act(
        request,
        lambda: services.session_remove(by=request.user, session=session),
        done=_("Session removed."),
        then=reverse("events:detail", args=[event.pk]) + "#programme",
    )


@login_required
def speaker_add(request: AuthedRequest, pk: int, session_pk: int) -> HttpResponse:
    event = editable(request, pk)
    session = _session(event, session_pk)
    form = forms.SpeakerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.speaker_add(by=request.user, session=session, **form.cleaned_data)
        except ValidationError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("Speaker added."))
            return redirect(reverse("events:detail", args=[event.pk]) + "#programme")
    return form_page(request, form, title=_("Add a speaker"), submit=_("Add"), event=event, intro=f"{session.title}")


@login_required
@require_POST
def speaker_remove(request: AuthedRequest, pk: int, speaker_pk: int) -> HttpResponse:
    event = editable(request, pk)
    speaker = get_object_or_404(Speaker.objects.select_related("session__event"), pk=speaker_pk, session__event=event)
    return act(
        request,
        lambda: services.speaker_remove(by=request.user, speaker=speaker),
        done=_("Speaker removed."),
        then=reverse("events:detail", args=[event.pk]) + "#programme",
    )


@login_required
def material_add(request: AuthedRequest, pk: int, session_pk: int) -> HttpResponse:
    event = editable(request, pk)
    session = _session(event, session_pk)
    form = forms.MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.material_add(by=request.user, session=session, **form.cleaned_data)
        except ValidationError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("Material added."))
            return redirect(reverse("events:detail", args=[event.pk]) + "#programme")
    return form_page(request, form, title=_("Add a material"), submit=_("Upload"), event=event, intro=session.title)


@login_required
@require_POST
def material_remove(request: AuthedRequest, pk: int, material_pk: int) -> HttpResponse:
    event = editable(request, pk)
    material = get_object_or_404(
        Material.objects.select_related("session__event"), pk=material_pk, session__event=event
    )
    return act(
        request,
        lambda: services.material_remove(by=request.user, material=material),
        done=_("Material removed."),
        then=reverse("events:detail", args=[event.pk]) + "#programme",
    )


@login_required
def material_file(request: AuthedRequest, pk: int, material_pk: int) -> FileResponse:
    """A material, for whoever sees the event."""
    event = permissions.event_get(request.user, pk)
    material = get_object_or_404(Material, pk=material_pk, session__event=event)
    ext = (material.file.name or "").rsplit(".", 1)[-1]
    return file_response(material.file, filename=f"{material.title[:80]}.{ext}")


# Letter numbering -----------------------------------------------------------------------------------


@login_required
def numbering_list(request: AuthedRequest) -> HttpResponse:
    units = Unit.objects.filter(forms.unit_filter(request.user)).select_related("region", "letter_numbering")
    if not request.user.is_administrator:
        raise Http404
    return render(request, "events/plan/numbering.html", {"units": units})


@login_required
def numbering_edit(request: AuthedRequest, unit_pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.filter(forms.unit_filter(request.user)), pk=unit_pk)
    if not request.user.can_administer(unit.region):
        raise Http404
    numbering = LetterNumbering.objects.filter(unit=unit).first() or LetterNumbering(
        unit=unit, unit_code=services.default_unit_code(unit)
    )
    form = forms.NumberingForm(request.POST or None, instance=numbering)
    if request.method == "POST" and form.is_valid():
        try:
            services.letter_numbering_update(
                by=request.user,
                unit=unit,
                pattern=form.cleaned_data["pattern"],
                unit_code=form.cleaned_data["unit_code"],
                classification=form.cleaned_data["classification"],
            )
        except ValidationError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("Letter numbering saved."))
            return redirect("events:numbering")
    example = services.letter_number_format(numbering, numbering.last_number + 1, timezone.localdate())
    return form_page(
        request,
        form,
        title=_("Letter numbering: %(unit)s") % {"unit": unit.name},
        submit=_("Save"),
        back=reverse("events:numbering"),
        intro=_("Placeholders: %(names)s. Next number: %(example)s")
        % {"names": services.PLACEHOLDERS, "example": example},
    )
