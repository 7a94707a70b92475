"""Request types for views behind ``login_required`` and for authenticated API calls."""

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from sinergi.accounts.models import User


class AuthedRequest(HttpRequest):
    """A request whose user is signed in (views behind ``login_required``)."""

    user: "User"


class ApiRequest(HttpRequest):
    """A django-ninja request after authentication: ``auth`` is the acting user."""

    auth: "User"
