"""Reads of the territory: counts rolled up the hierarchy, and boundaries as GeoJSON.

Both are derived from tens of thousands of RW/RT rows and hundreds of polygons
and change rarely, so they are computed once and kept in the shared cache,
under a version number that every territory write bumps.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count

from sinergi.territory.models import RT, RW, Region

VERSION_KEY = "territory:version"
CACHE_SECONDS = 24 * 3600


def _version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, None)
    return int(version)


def invalidate() -> None:
    """Forget cached counts and boundaries after a territory write."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


@dataclass(frozen=True)
class Counts:
    rw: int = 0
    rt: int = 0
    kelurahan: int = 0
    kecamatan: int = 0


def counts_by_code() -> dict[str, Counts]:
    """RW, RT, kelurahan and kecamatan counts for every region, keyed by code."""
    key = f"territory:counts:{_version()}"
    cached = cache.get(key)
    if cached is not None:
        return {code: Counts(*values) for code, values in cached.items()}

    parents = dict(Region.objects.values_list("code", "parent__code"))
    levels = dict(Region.objects.values_list("code", "level"))
    rw_by_kel = dict(RW.objects.values("kelurahan__code").annotate(n=Count("id")).values_list("kelurahan__code", "n"))
    rt_by_kel = dict(
        RT.objects.values("rw__kelurahan__code").annotate(n=Count("id")).values_list("rw__kelurahan__code", "n")
    )
    totals: dict[str, list[int]] = {code: [0, 0, 0, 0] for code in parents}
    for code, level in levels.items():
        own = [rw_by_kel.get(code, 0), rt_by_kel.get(code, 0), int(level == "village"), int(level == "district")]
        # Add this region's own numbers to itself and every ancestor.
        walk: str | None = code
        while walk is not None:
            totals[walk] = [a + b for a, b in zip(totals[walk], own, strict=True)]
            walk = parents.get(walk)
    cache.set(key, totals, CACHE_SECONDS)
    return {code: Counts(*values) for code, values in totals.items()}


def children_with_counts(region: Region) -> list[tuple[Region, Counts]]:
    counts = counts_by_code()
    return [(child, counts.get(child.code, Counts())) for child in region.children.order_by("code")]


def rws_with_counts(kelurahan: Region) -> list[tuple[RW, int]]:
    rws = RW.objects.filter(kelurahan=kelurahan).annotate(n_rt=Count("rts")).order_by("number")
    return [(rw, rw.n_rt) for rw in rws]


def kelurahan_geojson(region: Region) -> str:
    """Every kelurahan polygon inside ``region`` as a GeoJSON FeatureCollection string."""
    key = f"territory:geojson:{region.code}:{_version()}"
    cached: str | None = cache.get(key)
    if cached is not None:
        return cached
    counts = counts_by_code()
    villages = (
        Region.objects.filter(level=Region.Level.VILLAGE, boundary__isnull=False)
        .filter(code__startswith=f"{region.code}.")
        .select_related("parent__parent")
        .order_by("code")
    )
    if region.level == Region.Level.VILLAGE:
        villages = Region.objects.filter(pk=region.pk, boundary__isnull=False).select_related("parent__parent")
    features: list[dict[str, Any]] = []
    for village in villages:
        c = counts.get(village.code, Counts())
        district = village.parent
        features.append(
            {
                "type": "Feature",
                "geometry": village.boundary,
                "properties": {
                    "code": village.code,
                    "name": village.display_name,
                    "kecamatan": district.name if district else "",
                    "city_code": district.parent.code if district and district.parent else "",
                    "population": village.population,
                    "rw": c.rw,
                    "rt": c.rt,
                },
            }
        )
    body = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
    cache.set(key, body, CACHE_SECONDS)
    return body


def ancestors(region: Region) -> list[Region]:
    """The region's ancestors from the province down, in one query."""
    codes = []
    parts = region.code.split(".")
    for i in range(1, len(parts)):
        codes.append(".".join(parts[:i]))
    return list(Region.objects.filter(code__in=codes).order_by("code"))


def scope_roots(user: Any) -> list[Region]:
    """The highest regions the user may see: the province for Kesbangpol, the kelurahan for a Lurah."""
    codes = user.scope_codes()
    if codes is None:
        return list(Region.objects.filter(parent__isnull=True).order_by("code"))
    tops = [c for c in codes if not any(c.startswith(f"{other}.") for other in codes)]
    return list(Region.objects.filter(code__in=tops).order_by("code"))
