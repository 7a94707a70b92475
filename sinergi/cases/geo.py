"""Kelurahan boundaries for the intake: which kelurahan holds a map point, and a light public map.

Boundaries change only when a region is loaded again, which bumps the territory's version
(``territory.selectors``); both the point index (kept per process, it is not picklable cheaply)
and the simplified GeoJSON (kept in the shared cache) are keyed by that version, so every process
sees a new boundary at its next request.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import shapely
from django.core.cache import cache
from shapely.geometry import Point, mapping, shape
from shapely.strtree import STRtree

from sinergi.territory import selectors as territory_selectors
from sinergi.territory.models import Region

CACHE_SECONDS = 24 * 3600
# About 50 m, coordinates to about 10 m: the public map stays light on a phone (the full boundaries are
# 600 KB) while the kelurahan of a point is always decided on the full boundaries.
SIMPLIFY_DEGREES = 0.0005
DECIMALS = 4


@dataclass(frozen=True)
class _Index:
    version: str
    tree: STRtree
    ids: list[int]
    geometries: list[Any]


_index: list[_Index] = []


def _build(version: str) -> _Index:
    ids, geometries = [], []
    for pk, boundary in Region.objects.filter(level=Region.Level.VILLAGE, boundary__isnull=False).values_list(
        "pk", "boundary"
    ):
        try:
            geometry = shapely.make_valid(shape(boundary))
        except (ValueError, TypeError, KeyError, AttributeError):
            continue
        ids.append(pk)
        geometries.append(geometry)
    return _Index(version=version, tree=STRtree(geometries), ids=ids, geometries=geometries)


def locate_kelurahan(latitude: float, longitude: float) -> Region | None:
    """The kelurahan whose boundary holds the point, or None when it falls outside all of them."""
    version = territory_selectors._version()
    if not _index or _index[0].version != version:
        _index[:] = [_build(version)]
    index = _index[0]
    point = Point(longitude, latitude)
    for position in index.tree.query(point, predicate="intersects"):
        return Region.objects.filter(pk=index.ids[int(position)]).first()
    return None


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, DECIMALS)
    if isinstance(value, (list, tuple)):
        return [_rounded(v) for v in value]
    return value


def public_boundaries() -> str:
    """Every kelurahan as a simplified GeoJSON FeatureCollection (code and name only): public data."""
    key = f"cases:boundaries:{SIMPLIFY_DEGREES}:{DECIMALS}:{territory_selectors._version()}"
    cached: str | None = cache.get(key)
    if cached is not None:
        return cached
    features = []
    villages = Region.objects.filter(level=Region.Level.VILLAGE, boundary__isnull=False).order_by("code")
    for village in villages.only("code", "name", "level", "boundary"):
        try:
            geometry = shapely.make_valid(shape(village.boundary)).simplify(SIMPLIFY_DEGREES, preserve_topology=True)
        except (ValueError, TypeError, KeyError, AttributeError):
            continue
        geo = mapping(geometry)
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": geo["type"], "coordinates": _rounded(geo.get("coordinates", []))}
                if "coordinates" in geo
                else geo,
                "properties": {"code": village.code, "name": village.display_name},
            }
        )
    body = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
    cache.set(key, body, CACHE_SECONDS)
    return body
