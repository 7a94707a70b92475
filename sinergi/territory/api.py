"""Territory endpoints: regions, their children, RW/RT and boundaries, scoped to the caller."""

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from sinergi.core.api import Pagination
from sinergi.core.http import ApiRequest
from sinergi.territory import selectors
from sinergi.territory.models import RT, Region

router = Router(tags=["territory"])


class RegionOut(Schema):
    code: str
    name: str
    display_name: str
    level: str
    parent_code: str | None
    population: int | None
    area_km2: float | None
    centroid_lat: float | None
    centroid_lng: float | None
    rw_count: int
    rt_count: int


def region_out(region: Region, counts: selectors.Counts) -> dict[str, Any]:
    """A region as ``RegionOut`` fields. A dict, not a ``RegionOut``: Ninja validates the response
    against the schema anyway, and building schemas here would validate every region twice."""
    return {
        "code": region.code,
        "name": region.name,
        "display_name": region.display_name,
        "level": region.level,
        "parent_code": region.code.rsplit(".", 1)[0] if region.parent_id else None,
        "population": region.population,
        "area_km2": float(region.area_km2) if region.area_km2 is not None else None,
        "centroid_lat": region.centroid_lat,
        "centroid_lng": region.centroid_lng,
        "rw_count": counts.rw,
        "rt_count": counts.rt,
    }


class RegionFilter(Schema):
    level: Region.Level | None = None
    parent: str | None = None
    q: str | None = None


class RWOut(Schema):
    id: int
    number: int
    kelurahan_code: str
    rt_count: int


class RTOut(Schema):
    id: int
    number: int
    rw_number: int
    kelurahan_code: str


def _region(request: ApiRequest, code: str) -> Region:
    """The region if it exists and is inside the caller's scope; 404 for both other cases."""
    return get_object_or_404(Region.objects.visible_to(request.auth), code=code)


def _list_fields() -> list[str]:
    # The boundary is large; lists never carry it.
    return ["id", "code", "name", "level", "parent_id", "population", "area_km2", "centroid_lat", "centroid_lng"]


@router.get("/regions", response=list[RegionOut], summary="Regions in scope")
@paginate(Pagination)
def region_list(request: ApiRequest, filters: Query[RegionFilter]) -> list[RegionOut]:
    regions = Region.objects.visible_to(request.auth).only(*_list_fields()).order_by("code")
    if filters.level:
        regions = regions.filter(level=filters.level)
    if filters.parent:
        regions = regions.filter(parent__code=filters.parent)
    if filters.q:
        regions = regions.filter(name__icontains=filters.q)
    counts = selectors.counts_by_code()
    return _LazyRegions(regions, counts)  # type: ignore[return-value]


class _LazyRegions:
    """Lets the paginator slice the queryset before regions are turned into schemas."""

    def __init__(self, queryset: object, counts: dict[str, selectors.Counts]) -> None:
        self.queryset = queryset
        self.counts = counts

    def __len__(self) -> int:
        return self.queryset.count()  # type: ignore[attr-defined]

    def count(self) -> int:
        return len(self)

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        return [region_out(r, self.counts.get(r.code, selectors.Counts())) for r in self.queryset[item]]  # type: ignore[index]


@router.get("/regions/{code}", response=RegionOut, summary="One region")
def region_detail(request: ApiRequest, code: str) -> dict[str, Any]:
    region = _region(request, code)
    return region_out(region, selectors.counts_by_code().get(region.code, selectors.Counts()))


@router.get("/regions/{code}/children", response=list[RegionOut], summary="The region's children")
def region_children(request: ApiRequest, code: str) -> list[dict[str, Any]]:
    region = _region(request, code)
    return [region_out(child, counts) for child, counts in selectors.children_with_counts(region)]


@router.get("/regions/{code}/geojson", summary="Kelurahan boundaries inside the region (GeoJSON)")
def region_geojson(request: ApiRequest, code: str) -> HttpResponse:
    region = _region(request, code)
    return HttpResponse(selectors.kelurahan_geojson(region), content_type="application/geo+json")


@router.get("/regions/{code}/rw", response=list[RWOut], summary="RW units of a kelurahan")
def region_rws(request: ApiRequest, code: str) -> list[RWOut]:
    region = _region(request, code)
    if region.level != Region.Level.VILLAGE:
        raise Http404
    return [
        RWOut(id=rw.pk, number=rw.number, kelurahan_code=region.code, rt_count=n)
        for rw, n in selectors.rws_with_counts(region)
    ]


@router.get("/regions/{code}/rt", response=list[RTOut], summary="RT units of a kelurahan")
def region_rts(request: ApiRequest, code: str) -> list[RTOut]:
    region = _region(request, code)
    if region.level != Region.Level.VILLAGE:
        raise Http404
    rts = RT.objects.filter(rw__kelurahan=region).select_related("rw").order_by("rw__number", "number")
    return [RTOut(id=rt.pk, number=rt.number, rw_number=rt.rw.number, kelurahan_code=region.code) for rt in rts]
