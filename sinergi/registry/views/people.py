"""Officers and persons: appointing (an existing person by exact NIK or a new one inline), ending
a post, the person page with the masked NIK and its audited reveal, and representatives' access."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.accounts import services as account_services
from sinergi.accounts.models import Role, User
from sinergi.core.http import AuthedRequest
from sinergi.registry import forms, permissions, selectors, services
from sinergi.registry.models import Officer, Organisation, Person
from sinergi.registry.views.common import attach, editable_or_403, form_page, form_status, in_scope
from sinergi.territory.models import Region

# Officers and persons ------------------------------------------------------------------------------


def _new_person_place(organisation: Organisation) -> dict[str, Any]:
    """Where a new officer is taken to live: an RT's or RW's officers live in its kelurahan (Pergub
    DKI 22/2022 requires it); an Ormas officer's domicile is not known from the organisation."""
    if organisation.region.level == Region.Level.VILLAGE:
        return {"region": organisation.region, "rt": organisation.rt}
    return {}


@login_required
def officer_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Appoint an officer: a registered person found by exact NIK, or a new person entered here."""
    organisation = editable_or_403(request, pk)
    form = forms.OfficerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                person = _person_for(request, form, organisation)
                _officer, warnings = services.officer_appoint(
                    by=request.user, organisation=organisation, person=person, **form.appointment()
                )
        except ValidationError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("%(person)s appointed.") % {"person": person})
            for warning in warnings:
                messages.warning(request, warning)
            return redirect(reverse("registry:detail", args=[pk]) + "#officers")
    return form_page(
        request,
        form,
        title=_("Appoint an officer"),
        submit=_("Appoint"),
        organisation=organisation,
        intro=_("Type the NIK first: a person already registered is used as they are."),
        status=form_status(form),
    )


def _person_for(request: AuthedRequest, form: forms.OfficerForm, organisation: Organisation) -> Person:
    """The registered person with the form's NIK, or a new one made from the form."""
    person = selectors.person_by_nik(user=request.user, nik=form.cleaned_data["nik"])
    if person is not None:
        return person
    data = form.new_person()
    if not data["full_name"]:
        raise ValidationError({"full_name": _("No one with this NIK is registered yet: give the full name.")})
    return services.person_create(by=request.user, **data, **_new_person_place(organisation))


@login_required
def officer_end(request: AuthedRequest, pk: int) -> HttpResponse:
    officer = get_object_or_404(
        Officer.objects.filter(organisation__in=in_scope(request)).select_related("person", "organisation"), pk=pk
    )
    organisation = editable_or_403(request, officer.organisation_id)
    form = forms.OfficerEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.officer_end(by=request.user, officer=officer, **form.cleaned_data)
        except ValidationError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("%(person)s left the post.") % {"person": officer.person})
            return redirect(reverse("registry:detail", args=[organisation.pk]) + "#officers")
    return form_page(
        request,
        form,
        title=_("%(person)s leaves the post") % {"person": officer.person},
        submit=_("Record"),
        organisation=organisation,
        intro=str(officer),
        status=form_status(form),
    )


@login_required
def person_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(user=request.user, pk=pk)
    return _person_page(request, person)


def _person_page(request: AuthedRequest, person: Person, *, nik: str = "") -> HttpResponse:
    posts = (
        Officer.objects.filter(person=person, organisation__in=in_scope(request))
        .select_related("organisation__kind", "organisation__region")
        .order_by("-term_start")
    )
    return render(
        request,
        "registry/person_detail.html",
        {
            "person": person,
            "posts": posts,
            "nik": nik,
            "can_reveal": permissions.can_reveal_nik(request.user),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def person_reveal(request: AuthedRequest, pk: int) -> HttpResponse:
    """Show the full NIK once: a POST, allowed to few, written to the audit log, never cached."""
    person = selectors.person_get(user=request.user, pk=pk)
    nik = services.person_reveal_nik(by=request.user, person=person)
    response = _person_page(request, person, nik=nik)
    add_never_cache_headers(response)
    return response


# Representatives -----------------------------------------------------------------------------------


@login_required
def representative_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Give someone access to the organisation: an existing account, or a new one (the Ketua RT's,
    made from the officer's data with an initial password handed over in person)."""
    organisation = editable_or_403(request, pk)
    initial = _from_officer(organisation, request.GET.get("officer"))
    form = forms.RepresentativeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                user = User.objects.filter(username__iexact=data["username"]).first()
                if user is None:
                    if not data["password"]:
                        raise ValidationError({"password": _("A new account needs an initial password.")})
                    user = account_services.member_create(
                        by=request.user,
                        region=organisation.region,
                        username=data["username"],
                        full_name=data["full_name"] or data["username"],
                        password=data["password"],
                        email=data["email"],
                        phone=data["phone"],
                    )
                services.representative_grant(by=request.user, organisation=organisation, user=user)
        except ValidationError as exc:
            attach(form, exc)
        else:
            messages.success(
                request, _("%(user)s now represents %(organisation)s.") % {"user": user, "organisation": organisation}
            )
            return redirect(reverse("registry:detail", args=[pk]) + "#access")
    return form_page(
        request,
        form,
        title=_("Give access to %(name)s") % {"name": organisation},
        submit=_("Give access"),
        organisation=organisation,
        intro=_("Type an existing username, or choose a new one with an initial password to create the account."),
        status=form_status(form),
    )


def _from_officer(organisation: Organisation, officer_pk: str | None) -> dict[str, str]:
    if not officer_pk or not officer_pk.isdigit():
        return {}
    officer = organisation.officers.select_related("person").filter(pk=int(officer_pk)).first()
    if officer is None:
        return {}
    person = officer.person
    # A suggestion the operator may change: "slamet.rahardjo".
    username = slugify(person.full_name).replace("-", ".")[:150]
    return {"full_name": person.full_name, "phone": person.phone, "email": person.email, "username": username}


@login_required
@require_POST
def representative_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    role = get_object_or_404(
        Role.objects.filter(kind=Role.Kind.ORG_REPRESENTATIVE, organisation__in=in_scope(request)).select_related(
            "organisation__region", "user"
        ),
        pk=pk,
    )
    assert role.organisation is not None
    organisation = editable_or_403(request, role.organisation.pk)
    services.representative_revoke(by=request.user, role=role)
    messages.success(
        request,
        _("%(user)s no longer represents %(organisation)s.") % {"user": role.user, "organisation": organisation},
    )
    return redirect(reverse("registry:detail", args=[organisation.pk]) + "#access")
