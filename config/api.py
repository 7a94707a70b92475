"""The HTTP API: /api/v1, documented at /api/docs."""

from ninja import NinjaAPI
from ninja.security import django_auth

from sinergi.accounts.api import TokenAuth
from sinergi.accounts.api import router as accounts_router
from sinergi.core.api import router as core_router
from sinergi.territory.api import router as territory_router

api = NinjaAPI(
    title="Sinergi API",
    version="1",
    description=(
        "Sinergi's API for integrations. Authenticate with `Authorization: Bearer <token>` "
        "(tokens are made on the account page) or with a browser session. "
        "Every list and object is limited to the caller's territory; anything outside it answers 404."
    ),
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
    docs_url=None,
)
api.add_router("/", core_router)
api.add_router("/territory", territory_router)
api.add_router("/accounts", accounts_router)
