"""API authentication and the caller's own tokens."""

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.security import HttpBearer

from sinergi.accounts import services
from sinergi.accounts.models import User
from sinergi.core import context
from sinergi.core.http import ApiRequest


class TokenAuth(HttpBearer):
    """``Authorization: Bearer sng_…``: the token's user acts, scoped like in the browser.

    A read-only token making a request that changes data (POST, PUT, PATCH, DELETE) gets 403.
    """

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = services.token_authenticate(token, method=request.method or "GET")
        if user is not None:
            context.update(user=user, channel="api")
        return user


router = Router(tags=["accounts"])


@router.get("/roles", summary="The caller's roles", response=list[dict[str, Any]])
def my_roles(request: ApiRequest) -> list[dict[str, Any]]:
    user = request.auth
    return [
        {"kind": r.kind, "unit": r.unit.name if r.unit else None, "region": r.unit.region.code if r.unit else None}
        for r in user.active_roles()
    ]
