from django.http import HttpRequest
from ninja import Router, Schema

from sinergi.core.selectors import health

router = Router(tags=["system"])


class WhoAmI(Schema):
    username: str
    full_name: str
    scope: list[str] | None


@router.get("/me", response=WhoAmI, summary="The authenticated user and their territorial scope")
def me(request: HttpRequest) -> WhoAmI:
    user = request.auth
    return WhoAmI(username=user.username, full_name=user.full_name, scope=user.scope_codes())


@router.get("/health", auth=None, summary="Database and worker state")
def api_health(request: HttpRequest) -> dict[str, object]:
    return health()
