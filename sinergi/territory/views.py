"""The territory browser: province, kota, kecamatan, kelurahan, RW; a map at each level."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.core.http import AuthedRequest
from sinergi.territory import selectors, services
from sinergi.territory.forms import NumberForm
from sinergi.territory.models import RW, Region


@login_required
def index(request: AuthedRequest) -> HttpResponse:
    """Start at the top of the user's territory."""
    roots = selectors.scope_roots(request.user)
    if len(roots) == 1:
        return redirect("territory:region", code=roots[0].code)
    counts = selectors.counts_by_code()
    return render(request, "territory/index.html", {"roots": [(r, counts.get(r.code)) for r in roots]})


@login_required
def region(request: AuthedRequest, code: str) -> HttpResponse:
    region = get_object_or_404(Region.objects.visible_to(request.user).select_related("parent"), code=code)
    counts = selectors.counts_by_code()
    context = {
        "region": region,
        "counts": counts.get(region.code, selectors.Counts()),
        "ancestors": [a for a in selectors.ancestors(region) if _visible(request, a)],
        "children": selectors.children_with_counts(region),
        "can_write": request.user.can_write(region),
        "form": NumberForm(),
    }
    if region.level == Region.Level.VILLAGE:
        context["rws"] = selectors.rws_with_counts(region)
    return render(request, "territory/region.html", context)


def _visible(request: AuthedRequest, region: Region) -> bool:
    codes = request.user.scope_codes()
    return codes is None or any(region.code == c or region.code.startswith(f"{c}.") for c in codes)


@login_required
def region_geojson(request: AuthedRequest, code: str) -> HttpResponse:
    region = get_object_or_404(Region.objects.visible_to(request.user), code=code)
    response = HttpResponse(selectors.kelurahan_geojson(region), content_type="application/geo+json")
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
def rw_detail(request: AuthedRequest, code: str, number: int) -> HttpResponse:
    rw = get_object_or_404(
        RW.objects.visible_to(request.user).select_related("kelurahan"), kelurahan__code=code, number=number
    )
    return render(
        request,
        "territory/rw.html",
        {
            "rw": rw,
            "rts": rw.rts.order_by("number"),
            "ancestors": [a for a in [*selectors.ancestors(rw.kelurahan), rw.kelurahan] if _visible(request, a)],
            "can_write": request.user.can_write(rw.kelurahan),
            "form": NumberForm(),
        },
    )


@login_required
@require_POST
def rw_create(request: AuthedRequest, code: str) -> HttpResponse:
    kelurahan = get_object_or_404(Region.objects.visible_to(request.user), code=code, level=Region.Level.VILLAGE)
    form = NumberForm(request.POST)
    if form.is_valid():
        try:
            rw = services.rw_create(kelurahan=kelurahan, number=form.cleaned_data["number"], by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(rw)s added.") % {"rw": rw})
    else:
        messages.error(request, _("Enter an RW number from 1 to 999."))
    return redirect("territory:region", code=kelurahan.code)


@login_required
@require_POST
def rt_create(request: AuthedRequest, code: str, number: int) -> HttpResponse:
    rw = get_object_or_404(
        RW.objects.visible_to(request.user).select_related("kelurahan"), kelurahan__code=code, number=number
    )
    form = NumberForm(request.POST)
    if form.is_valid():
        try:
            rt = services.rt_create(rw=rw, number=form.cleaned_data["number"], by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(rt)s added.") % {"rt": rt})
    else:
        messages.error(request, _("Enter an RT number from 1 to 999."))
    return redirect("territory:rw", code=code, number=number)
