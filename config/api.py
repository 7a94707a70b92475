"""The HTTP API: /api/v1, documented at /api/docs."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.security import django_auth

from sinergi.accounts.api import TokenAuth
from sinergi.accounts.api import router as accounts_router
from sinergi.announcements.api import router as announcements_router
from sinergi.cases.api import router as cases_router
from sinergi.core.api import router as core_router
from sinergi.earlywarning.api import router as earlywarning_router
from sinergi.evaluation.api import router as evaluation_router
from sinergi.events.api import router as events_router
from sinergi.opendata.api import router as opendata_router
from sinergi.registry.api import router as registry_router
from sinergi.territory.api import router as territory_router

ERROR = {
    "type": "object",
    "properties": {"detail": {"description": "A message, or a list of problems with the input."}},
    "required": ["detail"],
}
ERRORS = {
    "400": "The request body cannot be parsed.",
    "401": "No valid token or session.",
    "403": "The caller sees the object but may not make this change, or the token only reads.",
    "404": "No such object, or one outside the caller's territory.",
    "422": "The input is not valid.",
}


class SinergiAPI(NinjaAPI):
    """Ninja documents only the success of each operation; the errors every operation can answer
    (handlers above and in Ninja) are added so clients, and the schema tests, know them."""

    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, description in ERRORS.items():
                    if status == "401" and not operation.get("security"):
                        continue
                    operation["responses"].setdefault(
                        int(status),
                        {"description": description, "content": {"application/json": {"schema": ERROR}}},
                    )
        return schema


api = SinergiAPI(
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
api.add_router("/registry", registry_router)
api.add_router("/events", events_router)
api.add_router("/cases", cases_router)
api.add_router("/announcements", announcements_router)
api.add_router("/early-warning", earlywarning_router)
api.add_router("/evaluation", evaluation_router)
api.add_router("/open-data", opendata_router)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A service refused the input: 422 with the messages, by field where the service named one."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": exc.messages, "errors": errors}, status=422)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    """The caller sees the object but may not make this change."""
    return api.create_response(request, {"detail": str(exc) or "Forbidden"}, status=403)
