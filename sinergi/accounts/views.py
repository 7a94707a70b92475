"""Account pages: the two-step sign-in, staff management, API tokens."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from sinergi.accounts import lockout, otp, selectors, services, signin
from sinergi.accounts.forms import (
    CodeForm,
    DisableForm,
    EnrolForm,
    LoginForm,
    RoleGrantForm,
    StaffCreateForm,
    StaffUpdateForm,
    TokenCreateForm,
)
from sinergi.accounts.models import ApiToken, Role, Unit, User
from sinergi.core.http import AuthedRequest
from sinergi.core.middleware import client_ip

NEW_RECOVERY_CODES = "new_recovery_codes"


class LoginView(auth_views.LoginView):
    """Step one, the password. A user with an authenticator app goes on to the code, still signed out;
    an administrator without one is signed in to the set-up page only."""

    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        user = form.get_user()
        signin.abandon(self.request)  # a sign-in left half-way in this browser is over
        if selectors.has_second_factor(user):
            signin.begin(self.request, user, next_url=self.get_success_url())
            return redirect("accounts:login-code")
        lockout.succeed(username=user.get_username())
        response = super().form_valid(form)
        return redirect("accounts:two-factor") if user.second_factor_required else response


@sensitive_post_parameters("code")
@never_cache
def login_code(request: HttpRequest) -> HttpResponse:
    """Step two: the code the authenticator app shows, or a recovery code. Wrong codes count towards the
    same lockout as wrong passwords."""
    waiting = signin.pending(request)
    if waiting is None:
        signin.abandon(request)
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username, ip = waiting.user.get_username(), client_ip(request)
        lock = lockout.check(username=username, ip=ip)
        if lock is None:
            try:
                services.two_factor_verify(user=waiting.user, code=form.cleaned_data["code"])
            except ValidationError as exc:
                lock = lockout.fail(username=username, ip=ip)
                if lock is None:
                    form.add_error("code", exc)
            else:
                lockout.succeed(username=username)
                signin.complete(request, waiting)
                return redirect(waiting.next_url)
        if lock is not None:
            form.add_error(None, lock.message())
    return render(request, "registration/login_code.html", {"form": form})


@login_required
@sensitive_post_parameters("code")
@never_cache  # the page shows the secret, or the recovery codes
def two_factor(request: AuthedRequest) -> HttpResponse:
    """Two-step sign-in: set it up (QR code or key, then a code to confirm), or see it and switch it off."""
    device = selectors.second_factor(request.user)
    if device is not None:
        codes = request.session.pop(NEW_RECOVERY_CODES, None)
        return render(
            request,
            "accounts/two_factor.html",
            {"device": device, "recovery_codes": codes, "disable_form": DisableForm()},
        )
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.two_factor_confirm(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            # The session now holds more than a password proved: give it a new key, and mark it.
            request.session.cycle_key()
            signin.mark_verified(request.session, request.user)
            request.session[NEW_RECOVERY_CODES] = codes
            messages.success(request, _("Two-step sign-in is on."))
            return redirect("accounts:two-factor")
    new_device = services.two_factor_prepare(user=request.user)
    secret = otp.decrypt_secret(new_device.secret_encrypted)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "form": form,
            "qr_code": otp.qr_data_uri(otp.provisioning_uri(secret, request.user.get_username())),
            "secret": otp.group_secret(secret),
            "required": request.user.second_factor_required,
        },
    )


@login_required
@require_POST
@sensitive_post_parameters("password", "code")
@never_cache
def two_factor_disable(request: AuthedRequest) -> HttpResponse:
    device = selectors.second_factor(request.user)
    if device is None:
        return redirect("accounts:two-factor")
    form = DisableForm(request.POST)
    if form.is_valid():
        username, ip = request.user.get_username(), client_ip(request)
        lock = lockout.check(username=username, ip=ip)
        if lock is None:
            try:
                services.two_factor_disable(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _attach(form, exc)
                lock = lockout.fail(username=username, ip=ip)
            else:
                # Unmarked, the session of an administrator goes back to the set-up page.
                signin.clear_verified(request.session)
                messages.success(request, _("Two-step sign-in is off."))
                return redirect("accounts:two-factor")
        if lock is not None:
            form.add_error(None, lock.message())
    return render(request, "accounts/two_factor.html", {"device": device, "disable_form": form})


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
        {
            "staff": user,
            "form": form,
            "roles": roles,
            "grant_form": RoleGrantForm(units=_units(request)),
            "two_factor": selectors.has_second_factor(user),
        },
    )


@login_required
@require_POST
def staff_two_factor_reset(request: AuthedRequest, pk: int) -> HttpResponse:
    """Switch off a staff member's two-step sign-in, for one who lost their phone and recovery codes."""
    user = _access_staff(request, pk)
    services.two_factor_reset(user=user, by=request.user)
    messages.success(request, _("Two-step sign-in of %(user)s is off.") % {"user": user})
    return redirect("accounts:staff-detail", pk=user.pk)


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
        _token, key = services.token_create(user=request.user, **form.cleaned_data)
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
