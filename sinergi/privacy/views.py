"""Breach record pages, for administrators of the units concerned."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import Role, Unit
from sinergi.core.http import AuthedRequest
from sinergi.privacy import services
from sinergi.privacy.forms import BreachForm
from sinergi.privacy.models import Breach, administered_codes
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


def _attach(form: BreachForm, exc: ValidationError) -> None:
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
