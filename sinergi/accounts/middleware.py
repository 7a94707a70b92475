"""The second factor, enforced on every request."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from sinergi.accounts import selectors, signin

# What an administrator without an authenticator app may still reach: the set-up page, signing out,
# choosing the language, the health check.
ENROLMENT_OPEN = frozenset({"accounts:two-factor", "accounts:logout", "set_language", "javascript-catalog", "health"})


class SecondFactorMiddleware:
    """Every signed-in session has passed the second factor where one is needed.

    - A session marked verified (see ``sinergi.accounts.signin``) passes at no cost.
    - A session of a user with an authenticator app but no mark is signed out: it was made some other
      way than the two-step sign-in, or before the user switched the app on.
    - An administrator without an app reaches only the set-up page until they switch one on.

    API calls with a token do not pass here signed in (tokens are made from a verified session).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or signin.is_verified(request.session, user):
            return self.get_response(request)
        # One query per request, only for sessions signed in with a password alone (staff without an app).
        if selectors.has_second_factor(user):
            logout(request)
        elif user.second_factor_required:
            try:
                match = resolve(request.path_info)
            except Resolver404:
                match = None
            if match is None or match.view_name not in ENROLMENT_OPEN:
                if match is not None and "api" in match.namespaces:
                    return JsonResponse({"detail": _("Set up two-step sign-in first.")}, status=403)
                return redirect("accounts:two-factor")
        return self.get_response(request)
