"""Pages of who comes: the audience, invitations and their letters, the representative's answer on a
phone, participants with their waiting list and Excel export, and open registration by link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.core.htmx import is_htmx
from sinergi.core.http import AuthedRequest
from sinergi.core.pdf import qr_data_uri
from sinergi.events import forms_plan as forms
from sinergi.events import permissions
from sinergi.events.models import Event, GeneratedDocument, Invitation, Participant
from sinergi.events.selectors import plan as selectors
from sinergi.events.services import plan as services
from sinergi.events.services import plan_documents, plan_notify
from sinergi.events.views.plan_events import act, editable, form_page
from sinergi.registry.targeting import Audience, preview
from sinergi.registry.views.common import attach, file_response, form_status

# Audience and invitations ---------------------------------------------------------------------------


@login_required
def invitation_list(request: AuthedRequest, pk: int) -> HttpResponse:
    """The event's invitations, their answers and sending progress (polled by htmx while sending)."""
    event = permissions.event_get(request.user, pk)
    if not request.user.is_government_staff:
        raise Http404
    answer = request.GET.get("answer", "")
    rows = selectors.invitations(event, answer=answer)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    counts = selectors.event_counts(event)
    context = {
        "event": event,
        "can_edit": permissions.can_edit(request.user, event),
        "page": page,
        "answer": answer,
        "answers": Invitation.Answer.choices,
        "counts": counts,
        "sending": request.GET.get("sending") == "1" and counts["invitations_sent"] < counts["invitations_total"],
        "audience": Audience.from_json(event.audience),
        "preview": preview(Audience.from_json(event.audience), user=request.user) if event.audience else {},
        "letters": event.documents.filter(kind=GeneratedDocument.Kind.INVITATION_LETTERS).first(),
    }
    if is_htmx(request) and request.GET.get("part") == "progress":
        return render(request, "events/plan/invitations.html#progress", context)
    return render(request, "events/plan/invitations.html", context)


@login_required
def audience_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    event = editable(request, pk)
    current = Audience.from_json(event.audience)
    initial = {
        "kinds": list(current.kinds),
        "region_codes": list(current.region_codes),
        "organisation_ids": [str(i) for i in current.organisation_ids],
    }
    form = forms.AudienceForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        audience = Audience(
            kinds=tuple(data["kinds"]),
            region_codes=tuple(data["region_codes"]),
            organisation_ids=tuple(int(i) for i in data["organisation_ids"]),
        )
        try:
            services.audience_set(by=request.user, event=event, audience=audience)
        except ValidationError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("Audience saved."))
            return redirect("events:invitations", pk=event.pk)
    return render(request, "events/plan/audience.html", {"form": form, "event": event}, status=form_status(form))


@login_required
@require_POST
def invitations_create(request: AuthedRequest, pk: int) -> HttpResponse:
    event = editable(request, pk)
    try:
        made = services.invitations_create(by=request.user, event=event)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(count)s invitations made.") % {"count": made})
    return redirect("events:invitations", pk=event.pk)


@login_required
@require_POST
def invitations_send(request: AuthedRequest, pk: int) -> HttpResponse:
    event = editable(request, pk)
    try:
        count = plan_notify.invitations_send(by=request.user, event=event)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(count)s invitations are being sent.") % {"count": count})
        return redirect(reverse("events:invitations", args=[event.pk]) + "?sending=1")
    return redirect("events:invitations", pk=event.pk)


@login_required
def invitation_individual(request: AuthedRequest, pk: int) -> HttpResponse:
    event = editable(request, pk)
    form = forms.IndividualForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_add_individual(by=request.user, event=event, **form.cleaned_data)
        except ValidationError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("Person invited."))
            return redirect("events:invitations", pk=event.pk)
    return form_page(
        request,
        form,
        title=_("Invite a person"),
        submit=_("Invite"),
        event=event,
        intro=_("An official or a speaker; they are registered as a participant at once."),
        back=reverse("events:invitations", args=[event.pk]),
    )


@login_required
@require_POST
def invitation_remove(request: AuthedRequest, pk: int, invitation_pk: int) -> HttpResponse:
    event = editable(request, pk)
    invitation = get_object_or_404(Invitation, pk=invitation_pk, event=event)
    return act(
        request,
        lambda: services.invitation_remove(by=request.user, invitation=invitation),
        done=_("Invitation withdrawn."),
        then=reverse("events:invitations", args=[event.pk]),
    )


@login_required
def invitation_letter(request: AuthedRequest, invitation_pk: int) -> HttpResponse:
    """One invitation's letter as a PDF, for staff in scope and the organisation's representative."""
    invitation = selectors.invitation_for(request.user, invitation_pk)
    content = plan_documents.invitation_letter_pdf(invitation)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="undangan-{invitation.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def invitation_answer(request: AuthedRequest, invitation_pk: int) -> HttpResponse:
    """The representative answers on a phone: attending with delegates, or not; then sees each
    delegate's QR code for check-in."""
    invitation = selectors.invitation_for(request.user, invitation_pk)
    event = invitation.event
    may_answer = services.can_answer(request.user, invitation)
    delegates = list(invitation.participants.exclude(status=Participant.Status.CANCELLED))
    initial: dict[str, object] = {}
    if invitation.answer != Invitation.Answer.PENDING:
        initial["attending"] = "yes" if invitation.answer == Invitation.Answer.ATTENDING else "no"
        initial["reason"] = invitation.decline_reason
    for i, p in enumerate(delegates, start=1):
        initial |= {f"name_{i}": p.full_name, f"position_{i}": p.position, f"phone_{i}": p.phone}
        initial[f"substitute_for_{i}"] = p.substitute_for
    slots = max(event.delegates_per_organisation, len(delegates))
    form = forms.AnswerForm(request.POST or None, initial=initial, slots=slots)
    if request.method == "POST":
        if not may_answer:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.invitation_answer(
                    by=request.user,
                    invitation=invitation,
                    attending=form.cleaned_data["attending"],
                    delegates=form.delegates(),
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                attach(form, exc)
            else:
                messages.success(request, _("Thank you, your answer is recorded."))
                return redirect("events:invitation-answer", invitation_pk=invitation.pk)
    cards = [
        {
            "participant": p,
            "url": plan_notify.participant_page_url(p),
            "qr": qr_data_uri(plan_notify.participant_page_url(p)),
        }
        for p in delegates
    ]
    return render(
        request,
        "events/plan/answer.html",
        {
            "invitation": invitation,
            "event": event,
            "days": event.days.all(),
            "form": form,
            "may_answer": may_answer and event.status in services.ANSWERABLE,
            "cards": cards,
        },
        status=form_status(form),
    )


@login_required
def my_invitations(request: AuthedRequest) -> HttpResponse:
    """The invitations of the organisations the user represents."""
    rows = selectors.my_invitations(request.user)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "events/plan/mine.html", {"page": page})


# Participants ---------------------------------------------------------------------------------------


@login_required
def participant_list(request: AuthedRequest, pk: int) -> HttpResponse:
    event = permissions.event_get(request.user, pk)
    if not request.user.is_government_staff:
        raise Http404
    status = request.GET.get("status", "")
    q = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.participants(event, status=status, q=q), 50).get_page(request.GET.get("page"))
    context = {
        "event": event,
        "can_edit": permissions.can_edit(request.user, event),
        "page": page,
        "status": status,
        "q": q,
        "statuses": Participant.Status.choices,
        "counts": selectors.event_counts(event),
        "export": event.documents.filter(
            kind=GeneratedDocument.Kind.PARTICIPANTS_XLSX, requested_by=request.user
        ).first(),
    }
    return render(request, "events/plan/participants.html", context)


@login_required
def participant_add(request: AuthedRequest, pk: int) -> HttpResponse:
    event = editable(request, pk)
    form = forms.ParticipantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            participant = services.participant_register(
                by=request.user, event=event, source=Participant.Source.STAFF, **form.cleaned_data
            )
        except ValidationError as exc:
            attach(form, exc)
        else:
            if participant.status == Participant.Status.WAITLISTED:
                messages.warning(
                    request, _("The event is full: %(name)s is on the waiting list.") % {"name": participant.full_name}
                )
            else:
                messages.success(request, _("%(name)s is registered.") % {"name": participant.full_name})
            return redirect("events:participants", pk=event.pk)
    return form_page(
        request,
        form,
        title=_("Register a participant"),
        submit=_("Register"),
        event=event,
        back=reverse("events:participants", args=[event.pk]),
    )


@login_required
@require_POST
def participant_cancel(request: AuthedRequest, pk: int, participant_pk: int) -> HttpResponse:
    event = permissions.event_get(request.user, pk)
    participant = get_object_or_404(Participant, pk=participant_pk, event=event)
    try:
        services.participant_cancel(by=request.user, participant=participant)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Registration of %(name)s cancelled.") % {"name": participant.full_name})
    if permissions.can_edit(request.user, event):
        return redirect("events:participants", pk=event.pk)
    if participant.invitation_id:
        return redirect("events:invitation-answer", invitation_pk=participant.invitation_id)
    return redirect("events:detail", pk=event.pk)


# Documents made by tasks ----------------------------------------------------------------------------


@login_required
@require_POST
def document_request(request: AuthedRequest, pk: int, kind: str) -> HttpResponse:
    """Start making the invitation letters (staff who edit) or the participants' spreadsheet (staff)."""
    event = permissions.event_get(request.user, pk)
    if not request.user.is_government_staff:
        raise Http404
    kinds = {"surat": GeneratedDocument.Kind.INVITATION_LETTERS, "excel": GeneratedDocument.Kind.PARTICIPANTS_XLSX}
    if kind not in kinds:
        raise Http404
    document = plan_documents.document_request(by=request.user, event=event, kind=kinds[kind])
    return redirect("events:plan-document", pk=event.pk, doc_pk=document.pk)


def _document(request: AuthedRequest, pk: int, doc_pk: int) -> GeneratedDocument:
    event = permissions.event_get(request.user, pk)
    if not request.user.is_government_staff:
        raise Http404
    kinds = [GeneratedDocument.Kind.INVITATION_LETTERS, GeneratedDocument.Kind.PARTICIPANTS_XLSX]
    return get_object_or_404(GeneratedDocument, pk=doc_pk, event=event, kind__in=kinds)


@login_required
def document_status(request: AuthedRequest, pk: int, doc_pk: int) -> HttpResponse:
    """The document's progress; htmx polls the partial until it is ready."""
    document = _document(request, pk, doc_pk)
    template = "events/plan/document.html#status" if is_htmx(request) else "events/plan/document.html"
    return render(request, template, {"document": document, "event": document.event})


@login_required
def document_download(request: AuthedRequest, pk: int, doc_pk: int) -> FileResponse:
    document = _document(request, pk, doc_pk)
    if document.status != GeneratedDocument.Status.DONE:
        raise Http404
    ext = (document.file.name or "").rsplit(".", 1)[-1]
    name = "undangan" if document.kind == GeneratedDocument.Kind.INVITATION_LETTERS else "peserta"
    return file_response(document.file, filename=f"{name}-{document.event_id}.{ext}")


# Open registration (no account) ---------------------------------------------------------------------


def register_open(request: AuthedRequest, token: str) -> HttpResponse:
    """Anyone with the link registers, when the event takes open registrations."""
    event = get_object_or_404(
        Event.objects.select_related("unit", "region").filter(
            open_registration=True, status__in=[Event.Status.PUBLISHED, Event.Status.RUNNING]
        ),
        registration_token=token,
    )
    form = forms.OpenRegistrationForm(request.POST or None)
    participant = None
    if request.method == "POST" and form.is_valid():
        try:
            participant = services.participant_register(
                event=event,
                by=request.user if request.user.is_authenticated else None,
                source=Participant.Source.OPEN,
                **form.cleaned_data,
            )
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, ValidationError):
                attach(form, exc)
            else:
                form.add_error(None, str(exc))
    page_url = plan_notify.participant_page_url(participant) if participant else ""
    return render(
        request,
        "events/plan/register_open.html",
        {
            "event": event,
            "days": event.days.all(),
            "form": form,
            "participant": participant,
            "page_url": page_url,
            "qr": qr_data_uri(page_url) if participant else "",
        },
        status=form_status(form),
    )
