import datetime
from typing import Annotated

from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import WithJsonSchema

from sinergi.core.http import ApiRequest
from sinergi.core.selectors import health

router = Router(tags=["system"])

# A time of day without a zone (Jakarta's wall clock). JSON Schema's "time" format demands an offset
# ("09:00:00+07:00"), which no agenda has, so the schema says what the API really sends and takes.
LocalTime = Annotated[
    datetime.time,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$",
            "description": "Local time of day, HH:MM or HH:MM:SS",
            "examples": ["09:00"],
        }
    ),
]


class Pagination(LimitOffsetPagination):
    """Ninja's limit and offset, both bounded: a number too large for the database answers 422,
    not a server error, and no single page asks for the whole register."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=1000)
        offset: int = Field(0, ge=0, le=2**31 - 1)


class WhoAmI(Schema):
    username: str
    full_name: str
    scope: list[str] | None


@router.get("/me", response=WhoAmI, summary="The authenticated user and their territorial scope")
def me(request: ApiRequest) -> WhoAmI:
    user = request.auth
    return WhoAmI(username=user.username, full_name=user.full_name, scope=user.scope_codes())


@router.get("/health", auth=None, summary="Database and worker state")
def api_health(request: ApiRequest) -> dict[str, object]:
    return health()
