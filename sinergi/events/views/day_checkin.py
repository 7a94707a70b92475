"""The check-in page for staff on a phone: the camera reads a participant's QR code (vendored jsQR,
``static/events/day-checkin.js``), or staff find them by name; each day of the event separately. A
second scan shows when the participant came in and counts nothing. The participant may then sign
on the screen. Also the attendance lists (daftar hadir) as PDF and their making as a file."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_POST

from sinergi.core.htmx import is_htmx
from sinergi.core.http import AuthedRequest
from sinergi.events import permissions
from sinergi.events.forms_day import CodeForm, SignatureForm
from sinergi.events.models import CheckIn, Event, EventDay, GeneratedDocument
from sinergi.events.selectors import day as selectors
from sinergi.events.services import day_checkin, day_documents

PAGE = "events/day/check_in.html"


def _day(event: Event, day_pk: int | None) -> EventDay:
    try:
        return selectors.day_get(event, day_pk)
    except EventDay.DoesNotExist:
        raise Http404 from None


def _context(
    request: AuthedRequest, event: Event, day: EventDay, *, partial: bool = False, **extra: Any
) -> dict[str, Any]:
    """The page's context; an htmx answer (``partial``) shows only the result and the day's count."""
    counts = selectors.day_counts(event)
    current = next((c for c in counts if c.day.pk == day.pk), None)
    return {
        "event": event,
        "day": day,
        "counts": counts,
        "current": current,
        "registered": selectors.registered(event).count(),
        "recent": [] if partial else selectors.recent_check_ins(day),
        "form": CodeForm(),
        **extra,
    }


@login_required
@require_GET
def check_in_page(request: AuthedRequest, pk: int) -> HttpResponse:
    """The scanner, the name search and the day's count. Staff who may edit the event only."""
    event = permissions.event_get(request.user, pk)
    permissions.require_edit(request.user, event)
    day_param = request.GET.get("day", "")
    day = _day(event, int(day_param) if day_param.isdigit() else None)
    response = render(request, PAGE, _context(request, event, day))
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def check_in_submit(request: AuthedRequest, pk: int, day_pk: int) -> HttpResponse:
    """Check in whoever the scanned code (or the participant chosen by name) names."""
    event = permissions.event_get(request.user, pk)
    permissions.require_edit(request.user, event)
    day = _day(event, day_pk)
    form = CodeForm(request.POST)
    result: day_checkin.CheckInResult | None = None
    error = ""
    if form.is_valid():
        participant = None
        if form.cleaned_data["participant"]:
            participant = event.participants.filter(pk=form.cleaned_data["participant"]).first()
            if participant is None:
                raise Http404
        try:
            result = day_checkin.check_in(
                by=request.user,
                day=day,
                token=form.cleaned_data["code"] or "",
                participant=participant,
                method=CheckIn.Method.SEARCH if participant else CheckIn.Method.QR,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(str(m) for errors in form.errors.values() for m in errors)
    status = 422 if error else 200
    extra: dict[str, Any] = {"result": result, "error": error}
    if is_htmx(request):
        return render(request, PAGE + "#result", _context(request, event, day, partial=True, **extra), status=status)
    return render(request, PAGE, _context(request, event, day, **extra), status=status)


@login_required
@require_GET
def check_in_search(request: AuthedRequest, pk: int, day_pk: int) -> HttpResponse:
    """Registered participants by name or organisation, for the check-in by hand."""
    event = permissions.event_get(request.user, pk)
    permissions.require_edit(request.user, event)
    day = _day(event, day_pk)
    query = request.GET.get("q", "")
    return render(
        request,
        "events/day/_search.html",
        {"event": event, "day": day, "query": query, "found": selectors.search(event, day, query)},
    )


@login_required
@require_POST
def check_in_sign(request: AuthedRequest, pk: int, check_in_pk: int) -> HttpResponse:
    """The participant's signature drawn on the staff phone after check-in."""
    event = permissions.event_get(request.user, pk)
    permissions.require_edit(request.user, event)
    item = get_object_or_404(
        CheckIn.objects.select_related("participant__organisation", "day__event"), pk=check_in_pk, day__event=event
    )
    form = SignatureForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            day_checkin.check_in_sign(by=request.user, check_in=item, signature=form.cleaned_data["signature"])
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(str(m) for errors in form.errors.values() for m in errors)
    extra: dict[str, Any] = {
        "result": day_checkin.CheckInResult(item, created=False),
        "signed_now": not error,
        "error": error,
    }
    status = 422 if error else 200
    if is_htmx(request):
        return render(
            request, PAGE + "#result", _context(request, event, item.day, partial=True, **extra), status=status
        )
    return render(request, PAGE, _context(request, event, item.day, **extra), status=status)


# Documents --------------------------------------------------------------------------------------


def _staff_only(request: AuthedRequest) -> None:
    """Names and drawn signatures of every participant: for government staff, not for the other
    organisations invited (a representative sees its own delegates on the invitation)."""
    if not request.user.is_government_staff:
        raise Http404


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def attendance_pdf(request: AuthedRequest, pk: int, day_pk: int) -> HttpResponse:
    """The signed daftar hadir of one day; a large event's list is made as a file instead."""
    event = permissions.event_get(request.user, pk)
    _staff_only(request)
    day = _day(event, day_pk)
    if day_documents.is_large(event):
        return redirect(reverse("events:day-documents", args=[event.pk]))
    kind = GeneratedDocument.Kind.ATTENDANCE_SIGNED
    return _pdf(day_documents.attendance_pdf(event=event, day=day), day_documents.file_name(event, kind, day))


@login_required
@require_GET
def attendance_blank_pdf(request: AuthedRequest, pk: int, day_pk: int) -> HttpResponse:
    """The daftar hadir of one day with empty lines for wet signatures."""
    event = permissions.event_get(request.user, pk)
    _staff_only(request)
    day = _day(event, day_pk)
    if day_documents.is_large(event):
        return redirect(reverse("events:day-documents", args=[event.pk]))
    kind = GeneratedDocument.Kind.ATTENDANCE_BLANK
    content = day_documents.attendance_pdf(event=event, day=day, blank=True)
    return _pdf(content, day_documents.file_name(event, kind, day))


@login_required
@require_GET
def commitments_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    """Every commitment text of the event with every signature."""
    event = permissions.event_get(request.user, pk)
    _staff_only(request)
    if day_documents.is_large(event):
        return redirect(reverse("events:day-documents", args=[event.pk]))
    kind = GeneratedDocument.Kind.COMMITMENTS
    return _pdf(day_documents.commitments_pdf(event=event), day_documents.file_name(event, kind))


@login_required
def day_documents_page(request: AuthedRequest, pk: int) -> HttpResponse:
    """The attendance lists and signed commitments made as files (every day in one file), with
    their progress; a POST asks for a new one."""
    event = permissions.event_get(request.user, pk)
    error = ""
    if request.method == "POST":
        permissions.require_edit(request.user, event)
        try:
            day_documents.day_document_request(by=request.user, event=event, kind=request.POST.get("kind", ""))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return redirect(reverse("events:day-documents", args=[event.pk]))
    documents = list(event.documents.filter(kind__in=day_documents.DAY_KINDS).order_by("-created_at")[:20])
    context = {
        "event": event,
        "documents": documents,
        "kinds": [(k, GeneratedDocument.Kind(k).label) for k in day_documents.DAY_KINDS],
        "can_edit": permissions.can_edit(request.user, event),
        "pending": any(
            d.status in (GeneratedDocument.Status.PENDING, GeneratedDocument.Status.RUNNING) for d in documents
        ),
        "error": error,
    }
    template = "events/day/documents.html"
    if is_htmx(request):
        template += "#documents"
    return render(request, template, context, status=422 if error else 200)


@login_required
@require_GET
def day_document_file(request: AuthedRequest, pk: int, document_pk: int) -> HttpResponseBase:
    """A finished day document, through the event's scope."""
    from sinergi.registry.views.common import file_response

    event = permissions.event_get(request.user, pk)
    document = get_object_or_404(
        event.documents.filter(kind__in=day_documents.DAY_KINDS, status=GeneratedDocument.Status.DONE), pk=document_pk
    )
    return file_response(document.file, inline=True)
