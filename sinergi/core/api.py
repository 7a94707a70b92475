from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination

from sinergi.core.http import ApiRequest
from sinergi.core.selectors import health

router = Router(tags=["system"])


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
