from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sinergi.core.http import AuthedRequest
from sinergi.core.selectors import health as health_state
from sinergi.territory import selectors as territory_selectors


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    """The start page per role: the user's territory at a glance and what needs action in it (staff,
    with a map and charts of the chosen area), or the to-dos of the organisations a representative
    answers for."""
    from sinergi.evaluation import dashboard
    from sinergi.evaluation import selectors as evaluation_selectors

    roots = territory_selectors.scope_roots(request.user)
    counts = territory_selectors.counts_by_code()
    areas = [(region, counts.get(region.code)) for region in roots]
    context = {
        "areas": areas,
        "roles": request.user.active_roles(),
        "results": evaluation_selectors.my_results(user=request.user, limit=5),
        **dashboard.home_context(request.user, request.GET.get("area")),
    }
    return render(request, "core/home.html", context)


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Database and worker state for load balancers and monitoring; 503 when the database is down."""
    state = health_state()
    status = 503 if state["status"] == "error" or (request.GET.get("strict") and state["status"] != "ok") else 200
    return JsonResponse(state, status=status)
