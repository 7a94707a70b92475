"""The two-step sign-in's state, kept in the session.

After a right password, a user with an authenticator app is *pending*: the session holds who they
are, but it is not signed in (``request.user`` stays anonymous) until the code step calls
``complete``. A session that passed the second factor is marked *verified*; the
``SecondFactorMiddleware`` signs out any session of a user with an app that lacks the mark (one made
some other way, or before the user switched the app on) and keeps an administrator without an app on
the enrolment page.

Tests that sign in with ``Client.force_login`` and should act as a fully signed-in user call
``mark_verified`` themselves; the root conftest's ``client_for`` does.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import login
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest

if TYPE_CHECKING:
    from sinergi.accounts.models import User

VERIFIED_KEY = "sinergi_second_factor"
PENDING_KEY = "sinergi_pending_sign_in"
PENDING_SECONDS = 5 * 60


@dataclass(frozen=True)
class Pending:
    """A sign-in waiting for its code."""

    user: User
    backend: str
    next_url: str


def mark_verified(session: SessionBase, user: User) -> None:
    """Note that this session's user passed the second factor."""
    session[VERIFIED_KEY] = user.pk


def is_verified(session: SessionBase, user: User) -> bool:
    return session.get(VERIFIED_KEY) == user.pk


def clear_verified(session: SessionBase) -> None:
    session.pop(VERIFIED_KEY, None)


def begin(request: HttpRequest, user: User, *, next_url: str) -> None:
    """Hold ``user`` (whose password was right) until the code step; a fresh session key, as on a sign-in."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", "django.contrib.auth.backends.ModelBackend"),
        "next": next_url,
        "since": int(time.time()),
    }


def pending(request: HttpRequest) -> Pending | None:
    """The sign-in waiting for its code, if it is recent and its user still active."""
    from sinergi.accounts.models import User

    data = request.session.get(PENDING_KEY)
    if not isinstance(data, dict) or not isinstance(data.get("user"), int):
        return None
    if time.time() - data.get("since", 0) > PENDING_SECONDS:
        return None
    user = User.objects.filter(pk=data["user"], is_active=True).first()
    if user is None:
        return None
    return Pending(user=user, backend=data["backend"], next_url=data["next"])


def abandon(request: HttpRequest) -> None:
    request.session.pop(PENDING_KEY, None)


def complete(request: HttpRequest, waiting: Pending) -> None:
    """Sign the pending user in, now that the second factor is verified."""
    abandon(request)
    login(request, waiting.user, backend=waiting.backend)
    mark_verified(request.session, waiting.user)
