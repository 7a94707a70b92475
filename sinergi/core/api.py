from ninja import Router, Schema

from sinergi.core.http import ApiRequest
from sinergi.core.selectors import health

router = Router(tags=["system"])


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
