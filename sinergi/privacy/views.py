"""Breach record and data-subject request pages, for administrators of the territory concerned."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.accounts.models import Role, Unit
from sinergi.core.http import AuthedRequest
from sinergi.privacy import selectors, services
from sinergi.privacy.forms import BreachForm, CorrectionForm, DataSubjectRequestForm
from sinergi.privacy.models import Breach, DataSubjectRequest, administered_codes
from sinergi.territory.models import code_q


def _admin_only(request: AuthedRequest) -> None:
    if not request.user.is_administrator:
        raise Http404


def _access_breach(request: AuthedRequest, pk: int) -> Breach:
    """The breach if the user may see it; 404 for one that does not exist and one out of scope alike."""
    _admin_only(request)
    return get_object_or_404(Breach.objects.visible_to(request.user).select_related("unit__region"), pk=pk)


def _units(request: AuthedRequest) -> QuerySet[Unit]:
    """Units an administrator may record a breach for: those in the territory they administer."""
    units = Unit.objects.filter(is_active=True).select_related("region")
    codes = administered_codes(request.user)
    return units if codes is None else units.filter(code_q(codes, "region__code"))


def _attach(form: forms.BaseForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def breach_list(request: AuthedRequest) -> HttpResponse:
    _admin_only(request)
    breaches = Breach.objects.visible_to(request.user).select_related("unit")
    page = Paginator(breaches, 50).get_page(request.GET.get("page"))
    return render(request, "privacy/breach_list.html", {"page": page})


@login_required
def breach_create(request: AuthedRequest) -> HttpResponse:
    _admin_only(request)
    units = _units(request)
    form = BreachForm(request.POST or None, units=units, initial={"unit": _home_unit(request, units)})
    if request.method == "POST" and form.is_valid():
        try:
            breach = services.breach_record(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("Breach recorded. Notify by %(deadline)s.") % {"deadline": _when(breach)})
            return redirect("privacy:breach-detail", pk=breach.pk)
    return render(request, "privacy/breach_form.html", {"form": form})


def _home_unit(request: AuthedRequest, units: QuerySet[Unit]) -> Unit | None:
    admin_units = [r.unit for r in request.user.active_roles() if r.kind == Role.Kind.ADMIN and r.unit]
    return admin_units[0] if admin_units else units.first()


def _when(breach: Breach) -> str:
    return formats.date_format(timezone.localtime(breach.deadline), "SHORT_DATETIME_FORMAT")


@login_required
def breach_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    breach = _access_breach(request, pk)
    return render(request, "privacy/breach_detail.html", {"breach": breach})


@login_required
def breach_update(request: AuthedRequest, pk: int) -> HttpResponse:
    breach = _access_breach(request, pk)
    form = BreachForm(request.POST or None, instance=Breach.objects.get(pk=breach.pk), units=_units(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.breach_update(breach=breach, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("privacy:breach-detail", pk=breach.pk)
    return render(request, "privacy/breach_form.html", {"form": form, "breach": breach})


# Data-subject requests ---------------------------------------------------------------------------


def _access_request(request: AuthedRequest, pk: int) -> DataSubjectRequest:
    """The request if the user handles it; 404 for one that does not exist and one out of scope alike."""
    _admin_only(request)
    return get_object_or_404(selectors.request_list(user=request.user).select_related("person__region"), pk=pk)


@login_required
def request_list(request: AuthedRequest) -> HttpResponse:
    _admin_only(request)
    page = Paginator(selectors.request_list(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "privacy/request_list.html", {"page": page})


@login_required
def request_create(request: AuthedRequest) -> HttpResponse:
    _admin_only(request)
    form = DataSubjectRequestForm(request.POST or None, initial={"received_at": timezone.localtime()})
    if request.method == "POST" and form.is_valid():
        try:
            subject_request = services.request_record(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("Request recorded."))
            return redirect("privacy:request-detail", pk=subject_request.pk)
    return render(request, "privacy/request_form.html", {"form": form})


@login_required
def request_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    subject_request = _access_request(request, pk)
    context = {
        "subject_request": subject_request,
        "current_posts": selectors.current_posts(subject_request.person),
        "anonymised": selectors.is_anonymised(subject_request.person),
    }
    return render(request, "privacy/request_detail.html", context)


@login_required
def request_correct(request: AuthedRequest, pk: int) -> HttpResponse:
    subject_request = _access_request(request, pk)
    person = subject_request.person
    initial = {key: getattr(person, key) for key in ("full_name", "phone", "email", "address")}
    form = CorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_correct(by=request.user, request=subject_request, **form.changes())
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("Corrected; the request is done."))
            return redirect("privacy:request-detail", pk=pk)
    return render(request, "privacy/request_correct.html", {"form": form, "subject_request": subject_request})


@login_required
@require_POST
def request_anonymise(request: AuthedRequest, pk: int) -> HttpResponse:
    subject_request = _access_request(request, pk)
    try:
        services.request_anonymise(by=request.user, request=subject_request)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The person was anonymised; the request is done."))
    return redirect("privacy:request-detail", pk=pk)


@login_required
def request_download(request: AuthedRequest, pk: int, fmt: str) -> FileResponse:
    subject_request = _access_request(request, pk)
    try:
        file = services.request_file(by=request.user, request=subject_request, fmt=fmt)
    except ValidationError:
        raise Http404 from None
    response = FileResponse(file.open("rb"), as_attachment=True, filename=f"data-pribadi-{pk}.{fmt}")
    add_never_cache_headers(response)
    return response
