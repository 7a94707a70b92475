"""Self-service: a representative's own organisation page, contact data they change themselves,
officer changes they propose with the SK; and the staff queue where proposals are decided."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.core.http import AuthedRequest
from sinergi.registry import forms, permissions, selectors, services
from sinergi.registry.models import ChangeRequest, Officer, Organisation, Person
from sinergi.registry.views.common import (
    attach,
    file_response,
    form_page,
    form_status,
    home_of,
    in_scope,
    represented,
    represented_or_editable,
)


@login_required
def mine(request: AuthedRequest) -> HttpResponse:
    """A representative's start: their organisation, or the list when they represent several."""
    organisations = list(represented(request))
    if len(organisations) == 1:
        return redirect("registry:mine-detail", pk=organisations[0].pk)
    return render(request, "registry/mine_list.html", {"organisations": organisations})


@login_required
def mine_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """My organisation, on a phone: contact data to keep current, officers, proposals and reports."""
    organisation = get_object_or_404(represented(request), pk=pk)
    today = timezone.localdate()
    officers = [
        o
        for o in organisation.officers.select_related("person").order_by("position", "-term_start")
        if o.is_current(today)
    ]
    context = {
        "organisation": organisation,
        "officers": officers,
        "contact_form": forms.ContactForm(instance=organisation),
        "requests": organisation.change_requests.select_related("decided_by")[:20],
        "activities": organisation.activity_reports.all()[:5],
        "today": today,
    }
    return render(request, "registry/mine.html", context)


@login_required
def contact_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Representatives keep the contact data current themselves: it applies at once and is audited,
    as staff could not check a phone number any better than the Ketua RT who owns it."""
    organisation = represented_or_editable(request, pk)
    form = forms.ContactForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(by=request.user, organisation=organisation, **form.changed())
        except ValidationError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("Contact data saved."))
            return redirect(home_of(request, organisation))
    return form_page(
        request,
        form,
        title=_("Contact data"),
        submit=_("Save"),
        organisation=organisation,
        back=home_of(request, organisation),
        status=form_status(form),
    )


@login_required
def propose_officer(request: AuthedRequest, pk: int) -> HttpResponse:
    """A representative proposes a new officer with the SK attached; staff decide."""
    organisation = represented_or_editable(request, pk)
    form = forms.OfficerProposalForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        attachment = data.pop("attachment")
        try:
            services.change_request_submit(
                by=request.user,
                organisation=organisation,
                kind=ChangeRequest.Kind.OFFICER_APPOINT,
                payload=data,
                attachment=attachment,
            )
        except ValidationError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("Proposal sent. The kelurahan will decide on it."))
            return redirect(home_of(request, organisation))
    return form_page(
        request,
        form,
        title=_("Propose a new officer"),
        submit=_("Send proposal"),
        organisation=organisation,
        back=home_of(request, organisation),
        intro=_("Attach a photo of the SK. The kelurahan checks it and approves or rejects the proposal."),
        status=form_status(form),
    )


@login_required
def propose_officer_end(request: AuthedRequest, pk: int) -> HttpResponse:
    """A representative reports that an officer left (resigned, moved, died); staff decide."""
    officer = get_object_or_404(
        Officer.objects.filter(organisation__in=in_scope(request)).select_related("person", "organisation"), pk=pk
    )
    organisation = represented_or_editable(request, officer.organisation_id)
    form = forms.OfficerEndProposalForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        attachment = data.pop("attachment")
        try:
            services.change_request_submit(
                by=request.user,
                organisation=organisation,
                kind=ChangeRequest.Kind.OFFICER_END,
                payload={"officer_id": officer.pk, **data},
                attachment=attachment,
            )
        except ValidationError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("Proposal sent. The kelurahan will decide on it."))
            return redirect(home_of(request, organisation))
    return form_page(
        request,
        form,
        title=_("%(person)s leaves the post") % {"person": officer.person},
        submit=_("Send proposal"),
        organisation=organisation,
        back=home_of(request, organisation),
        intro=str(officer),
        status=form_status(form),
    )


ORGANISATION_LABELS = {field.name: field.verbose_name for field in Organisation._meta.fields}


@login_required
def request_list(request: AuthedRequest) -> HttpResponse:
    """Staff's queue: change requests of organisations in their territory, waiting ones first."""
    if not request.user.is_government_staff:
        raise Http404
    decided = request.GET.get("status") == "decided"
    requests = selectors.change_request_list(user=request.user, status=None)
    requests = (
        requests.exclude(status=ChangeRequest.Status.PENDING).order_by("-decided_at")
        if decided
        else requests.filter(status=ChangeRequest.Status.PENDING).order_by("submitted_at")
    )
    page = Paginator(requests, 50).get_page(request.GET.get("page"))
    return render(request, "registry/request_list.html", {"page": page, "decided": decided})


def _request(request: AuthedRequest, pk: int) -> ChangeRequest:
    return get_object_or_404(
        ChangeRequest.objects.filter(organisation__in=in_scope(request)).select_related(
            "organisation__kind", "organisation__region", "submitted_by", "decided_by"
        ),
        pk=pk,
    )


@login_required
def request_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A change request with what it changes, and for staff who may decide, approve or reject."""
    change_request = _request(request, pk)
    organisation = change_request.organisation
    can_decide = (
        permissions.can_edit(request.user, organisation) and change_request.status == ChangeRequest.Status.PENDING
    )
    form = forms.DecisionForm(request.POST or None)
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.change_request_decide(
                    by=request.user,
                    change_request=change_request,
                    approve=form.cleaned_data["approve"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                attach(form, exc)
            else:
                if form.cleaned_data["approve"]:
                    messages.success(request, _("Approved and applied."))
                else:
                    messages.success(request, _("Rejected; the representative is told why."))
                return redirect("registry:requests")
    context = {
        "change_request": change_request,
        "organisation": organisation,
        "summary": _summary(change_request),
        "form": form,
        "can_decide": can_decide,
    }
    return render(request, "registry/request_detail.html", context, status=form_status(form))


def _summary(change_request: ChangeRequest) -> list[tuple[str, Any]]:
    """The proposed change as label and value rows; a NIK only masked."""
    payload = change_request.payload
    rows: list[tuple[str, Any]] = []
    if change_request.kind == ChangeRequest.Kind.CONTACT:
        for name in services.CONTACT_FIELDS:
            if name in payload:
                rows.append((str(ORGANISATION_LABELS[name]), payload[name]))
        return rows
    if change_request.kind == ChangeRequest.Kind.OFFICER_END:
        officer = Officer.objects.select_related("person").filter(pk=payload.get("officer_id")).first()
        rows.append((_("Officer"), f"{officer.person} — {officer.get_position_display()}" if officer else "—"))
        rows.append((_("Left on"), payload.get("ended_on")))
        rows.append((_("Reason"), Officer.EndReason(payload["reason"]).label if payload.get("reason") else "—"))
        return rows
    person = Person.objects.filter(pk=payload["person_id"]).first() if payload.get("person_id") else None
    rows.append((_("Person"), str(person) if person else payload.get("full_name", "—")))
    rows.append((_("NIK"), person.nik_masked if person else payload.get("nik_masked", "—")))
    if not person:
        rows.append((_("New person"), _("Registered when the proposal is approved.")))
    labels = {
        "position": _("Position"),
        "position_title": _("Title"),
        "term_start": _("Term start"),
        "term_end": _("Term end"),
        "sk_number": _("SK number"),
        "sk_date": _("SK date"),
        "sk_issuer": _("SK issued by"),
    }
    for key, label in labels.items():
        value = payload.get(key)
        if key == "position" and value in Officer.Position.values:
            value = Officer.Position(value).label
        rows.append((label, value or "—"))
    rows.append((_("Acting (Plt.)"), _("yes") if payload.get("is_acting") else _("no")))
    rows.append((_("No-party statement"), _("signed") if payload.get("no_party_statement") else _("not signed")))
    return rows


@login_required
def request_file(request: AuthedRequest, pk: int) -> FileResponse:
    return file_response(_request(request, pk).attachment)
