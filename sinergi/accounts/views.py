"""Account pages: sign-in (Django's views), staff management, API tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.accounts import services
from sinergi.accounts.forms import RoleGrantForm, StaffCreateForm, StaffUpdateForm, TokenCreateForm
from sinergi.accounts.models import ApiToken, Role, Unit, User
from sinergi.core.http import AuthedRequest


def _admin_only(request: AuthedRequest) -> None:
    if not request.user.is_administrator:
        raise Http404


def _units(request: AuthedRequest) -> QuerySet[Unit]:
    return Unit.objects.visible_to(request.user).filter(is_active=True).select_related("region")


def _access_staff(request: AuthedRequest, pk: int) -> User:
    """The staff account if the administrator may see it; 404 otherwise."""
    _admin_only(request)
    return get_object_or_404(User.objects.visible_to(request.user), pk=pk)


@login_required
def staff_list(request: AuthedRequest) -> HttpResponse:
    _admin_only(request)
    users = User.objects.visible_to(request.user).prefetch_related(
        Prefetch("roles", queryset=Role.objects.select_related("unit__region"))
    )
    if q := request.GET.get("q", "").strip():
        users = users.filter(Q(username__icontains=q) | Q(full_name__icontains=q) | Q(email__icontains=q))
    page = Paginator(users.order_by("full_name", "username"), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/staff_list.html", {"page": page, "q": q})


@login_required
def staff_create(request: AuthedRequest) -> HttpResponse:
    _admin_only(request)
    form = StaffCreateForm(request.POST or None, units=_units(request))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.staff_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("Account %(user)s created.") % {"user": user.username})
            return redirect("accounts:staff-detail", pk=user.pk)
    return render(request, "accounts/staff_form.html", {"form": form})


def _attach(form: object, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)  # type: ignore[attr-defined]
    else:
        form.add_error("password" if "password" in form.fields else None, exc)  # type: ignore[attr-defined]


@login_required
def staff_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = _access_staff(request, pk)
    form = StaffUpdateForm(request.POST or None, instance=User.objects.get(pk=user.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_update(user=user, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("accounts:staff-detail", pk=user.pk)
    roles = user.roles.select_related("unit__region")
    return render(
        request,
        "accounts/staff_detail.html",
        {"staff": user, "form": form, "roles": roles, "grant_form": RoleGrantForm(units=_units(request))},
    )


@login_required
@require_POST
def role_grant(request: AuthedRequest, pk: int) -> HttpResponse:
    user = _access_staff(request, pk)
    form = RoleGrantForm(request.POST, units=_units(request))
    if form.is_valid():
        try:
            services.role_grant(user=user, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Role granted."))
    else:
        messages.error(request, _("Choose a unit and a role."))
    return redirect("accounts:staff-detail", pk=user.pk)


@login_required
@require_POST
def role_revoke(request: AuthedRequest, pk: int, role_pk: int) -> HttpResponse:
    user = _access_staff(request, pk)
    role = get_object_or_404(Role.objects.select_related("unit__region"), pk=role_pk, user=user, unit__isnull=False)
    try:
        services.role_revoke(role=role, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Role removed."))
    return redirect("accounts:staff-detail", pk=user.pk)


@login_required
def token_list(request: AuthedRequest) -> HttpResponse:
    """The user's own API tokens; a new key is shown once, right after it is made."""
    form = TokenCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, key = services.token_create(
            user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
        )
        # Post/redirect/get so a reload cannot make a second token; the key survives one page view.
        request.session["new_api_key"] = key
        return redirect("accounts:tokens")
    new_key = request.session.pop("new_api_key", None)
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "accounts/token_list.html", {"tokens": tokens, "form": form, "new_key": new_key})


@login_required
@require_POST
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.token_revoke(token=token, by=request.user)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:tokens")
