"""The organisation list (search, filters, htmx results), the expiry and reporting lists, the
organisation page with its history, and the forms that register and change an organisation."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import CharField, Model, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.vary import vary_on_headers

from sinergi.accounts.models import Role, User
from sinergi.audit.models import AuditEvent
from sinergi.core.htmx import is_htmx
from sinergi.core.http import AuthedRequest
from sinergi.registry import forms, selectors, services
from sinergi.registry.models import (
    ActivityReport,
    ChangeRequest,
    CoachingNote,
    Document,
    Officer,
    Organisation,
    OrmasProfile,
    RuleMode,
    Sanction,
)
from sinergi.registry.views.common import (
    PER_PAGE,
    attach,
    editable_or_403,
    form_page,
    form_status,
    in_scope,
    organisation_or_404,
    writes_somewhere,
)
from sinergi.registry.views.records import next_sanction_step
from sinergi.territory.models import Region

HISTORY_SHOWN = 50


# Lists -------------------------------------------------------------------------------------------


def _areas(user: User) -> QuerySet[Region]:
    """Kota, kecamatan and kelurahan of the user's scope, for the area filter."""
    return Region.objects.visible_to(user).exclude(level=Region.Level.PROVINCE)


@login_required
@vary_on_headers("HX-Request")
def organisation_list(request: AuthedRequest) -> HttpResponse:
    """Search and filter the organisations of the user's territory; htmx swaps only the results."""
    form = forms.OrganisationFilter(request.GET or None, regions=_areas(request.user))
    filters = form.filters() if form.is_valid() else {}
    organisations = selectors.organisation_list(user=request.user, **filters)
    page = Paginator(organisations, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "today": timezone.localdate(),
        "can_create": request.user.is_government_staff and writes_somewhere(request.user),
    }
    template = "registry/organisation_list.html"
    return render(request, f"{template}#results" if is_htmx(request) else template, context)


@login_required
def expiring(request: AuthedRequest) -> HttpResponse:
    """What expires in the next 30, 60 or 90 days: Ormas registrations (SKT), documents, terms."""
    form = forms.ExpiringFilter(request.GET or None)
    days = (form.cleaned_data.get("days") if form.is_valid() else None) or 30
    items = selectors.expiring(user=request.user, days=days)
    return render(request, "registry/expiring.html", {"form": form, "items": items, "days": days})


@login_required
def terms_ending(request: AuthedRequest) -> HttpResponse:
    """Officers whose term ends this year (or a year chosen with ``?year=``)."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, today.year - 5), today.year + 10)
    officers = selectors.officers_ending(user=request.user, year=year)
    page = Paginator(officers, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/terms_ending.html",
        {"page": page, "year": year, "years": [today.year, today.year + 1], "today": today},
    )


@login_required
def not_reported(request: AuthedRequest) -> HttpResponse:
    """Organisations that must report activities (Ormas) and filed none in the period."""
    form = forms.NotReportedFilter(request.GET or None)
    since = form.cleaned_data.get("since") if form.is_valid() else None
    organisations = selectors.not_reported(user=request.user, since=since).order_by("region__code", "name")
    page = Paginator(organisations, 50).get_page(request.GET.get("page"))
    return render(request, "registry/not_reported.html", {"form": form, "page": page, "since": since})


# The organisation page -----------------------------------------------------------------------------


def _other_posts(organisation: Organisation, officers: list[Officer], today: datetime.date) -> dict[int, list[str]]:
    """For a lembaga: the other lembaga where its current officers hold a post today (Permendagri
    18/2018 allows one at a time), by person id. One query."""
    if not organisation.kind.is_lembaga or organisation.kind.double_post_rule == RuleMode.OFF or not officers:
        return {}
    others = (
        Officer.objects.filter(
            person__in=[o.person_id for o in officers],
            organisation__kind__is_lembaga=True,
            ended_on__isnull=True,
            term_start__lte=today,
            term_end__gte=today,
        )
        .exclude(organisation=organisation)
        .values_list("person_id", "organisation__name")
    )
    posts: dict[int, list[str]] = {}
    for person_id, name in others:
        posts.setdefault(person_id, []).append(name)
    return posts


@login_required
def organisation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    detail = selectors.organisation_detail(user=request.user, pk=pk)
    organisation = detail.organisation
    today = timezone.localdate()
    is_staff = request.user.is_government_staff
    next_step = next_sanction_step(organisation) if organisation.kind.is_ormas and detail.can_edit else None
    other_posts = _other_posts(organisation, detail.current_officers, today)
    officer_rows = [
        (officer, _officer_notes(officer, organisation, other_posts.get(officer.person_id, [])))
        for officer in detail.current_officers
    ]
    steps, earlier = _sanction_path(detail.sanctions, next_step)
    context = {
        "d": detail,
        "organisation": organisation,
        "today": today,
        "is_staff": is_staff,
        "officer_rows": officer_rows,
        "steps": steps,
        "earlier_sanctions": earlier,
        "next_step": next_step,
        "show_history": request.user.is_administrator,
        "has_profile": _has_profile(organisation),
    }
    return render(request, "registry/organisation_detail.html", context)


def _has_profile(organisation: Organisation) -> bool:
    try:
        return organisation.ormas is not None
    except OrmasProfile.DoesNotExist:
        return False


def _officer_notes(officer: Officer, organisation: Organisation, elsewhere: list[str]) -> list[str]:
    """Rule warnings shown next to a current officer."""
    notes = []
    if organisation.kind.party_statement_rule != RuleMode.OFF and not officer.no_party_statement:
        notes.append(_("No statement of not being a political party member."))
    for name in elsewhere:
        notes.append(_("Also holds a post in %(organisation)s.") % {"organisation": name})
    return notes


def _sanction_path(sanctions: list[Sanction], next_step: int | None) -> tuple[list[dict[str, Any]], list[Sanction]]:
    """The three steps of the present path in order, each with its record if issued and whether it
    is the one allowed next; and the steps of earlier paths (each begins with a warning and ends
    when the Ormas complied)."""
    current: dict[int, Sanction] = {}
    for sanction in sanctions:  # oldest first
        if sanction.step == Sanction.Step.WARNING:
            current = {}
        current[sanction.step] = sanction
    if any(s.outcome == Sanction.Outcome.COMPLIED for s in current.values()):
        current = {}  # that path is over: the next begins with a new warning
    steps = [{"step": step, "sanction": current.get(step), "is_next": step == next_step} for step in Sanction.Step]
    shown = {s.pk for s in current.values()}
    return steps, [s for s in sanctions if s.pk not in shown]


@login_required
@vary_on_headers("HX-Request")
def organisation_history(request: AuthedRequest, pk: int) -> HttpResponse:
    """The audit events of the organisation and of its officers, documents, sanctions and requests;
    for administrators, as the audit log is."""
    organisation = organisation_or_404(request, pk)
    if not request.user.is_administrator:
        raise Http404
    events = list(_history(request.user, organisation)[:HISTORY_SHOWN])
    template = "registry/history.html"
    return render(
        request,
        f"{template}#events" if is_htmx(request) else template,
        {"organisation": organisation, "events": events},
    )


def _history(user: User, organisation: Organisation) -> QuerySet[AuditEvent]:
    def ids(queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.annotate(text_pk=Cast("pk", CharField())).values("text_pk")

    q = Q(object_type=Organisation._meta.label_lower, object_id=str(organisation.pk))
    owned: list[type[Model]] = [OrmasProfile, Officer, Document, CoachingNote, Sanction, ActivityReport, ChangeRequest]
    for model in owned:
        q |= Q(
            object_type=model._meta.label_lower,
            object_id__in=ids(model._default_manager.filter(organisation=organisation)),
        )
    q |= Q(object_type=Role._meta.label_lower, object_id__in=ids(Role.objects.filter(organisation=organisation)))
    return AuditEvent.objects.visible_to(user).filter(q, region_code=organisation.region.code)


# Organisation forms --------------------------------------------------------------------------------


def _parents(request: AuthedRequest, organisation: Organisation | None = None) -> QuerySet[Organisation]:
    """Organisations a branch may hang under: the Ormas central and regional boards the user sees,
    and the organisation's present parent, so that saving the form keeps it."""
    boards = Q(kind__is_ormas=True, ormas__board_level__in=[OrmasProfile.BoardLevel.DPP, OrmasProfile.BoardLevel.DPD])
    if organisation is not None and organisation.parent_id:
        boards |= Q(pk=organisation.parent_id)
    parents = in_scope(request).filter(boards).select_related("region").order_by("name")
    return parents.exclude(pk=organisation.pk) if organisation is not None else parents


def _writable_regions(request: AuthedRequest) -> QuerySet[Region]:
    return Region.objects.visible_to(request.user)


@login_required
def organisation_create(request: AuthedRequest) -> HttpResponse:
    if not writes_somewhere(request.user):
        raise PermissionDenied
    form = forms.OrganisationCreateForm(
        request.POST or None, regions=_writable_regions(request), parents=_parents(request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(by=request.user, **form.service_kwargs())
        except ValidationError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("%(organisation)s registered.") % {"organisation": organisation})
            return redirect("registry:detail", pk=organisation.pk)
    return form_page(
        request,
        form,
        title=_("New organisation"),
        submit=pgettext("verb", "Register"),
        back=reverse("registry:list"),
        intro=_("An RT sits in its RT: give the kelurahan, RW and RT numbers. An RW needs the RW number only."),
        status=form_status(form),
    )


@login_required
def organisation_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    organisation = editable_or_403(request, pk)
    form = forms.OrganisationFieldsForm(
        request.POST or None, instance=organisation, parents=_parents(request, organisation)
    )
    if not organisation.kind.is_ormas and not organisation.parent_id:
        del form.fields["parent"]  # only Ormas have branches
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(by=request.user, organisation=organisation, **form.changed())
        except ValidationError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("registry:detail", pk=pk)
    return form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": organisation},
        submit=_("Save"),
        organisation=organisation,
        status=form_status(form),
    )


@login_required
def organisation_status(request: AuthedRequest, pk: int) -> HttpResponse:
    organisation = editable_or_403(request, pk)
    form = forms.StatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_set_status(by=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("Status changed."))
            return redirect("registry:detail", pk=pk)
    return form_page(
        request,
        form,
        title=_("Change the status of %(name)s") % {"name": organisation},
        submit=_("Change status"),
        organisation=organisation,
        intro=_("Now: %(status)s since %(day)s.")
        % {"status": organisation.get_status_display(), "day": organisation.status_since},
        status=form_status(form),
    )


@login_required
def ormas_profile(request: AuthedRequest, pk: int) -> HttpResponse:
    organisation = editable_or_403(request, pk)
    if not organisation.kind.is_ormas:
        raise Http404
    profile = OrmasProfile.objects.filter(organisation=organisation).first()
    form = forms.OrmasProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.ormas_profile_save(by=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("Legal record saved."))
            return redirect(reverse("registry:detail", args=[pk]) + "#legal")
    return form_page(
        request,
        form,
        title=_("Ormas legal record"),
        submit=_("Save"),
        organisation=organisation,
        status=form_status(form),
    )
