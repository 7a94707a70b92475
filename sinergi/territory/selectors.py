"""Reads of the territory: counts rolled up the hierarchy, and boundaries as GeoJSON.

Both are derived from tens of thousands of RW/RT rows and hundreds of polygons
and change rarely, so they are computed once and kept in the shared cache,
under a version number that every territory write bumps.

Each process also keeps what it last read for the current version: the
province's GeoJSON is 600 KB to fetch, decode and unpickle from the shared
cache, while checking the version is one small read, so every process still
sees a write at its next request.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count

from sinergi.territory.models import RT, RW, Region

VERSION_KEY = "territory:version"
CACHE_SECONDS = 24 * 3600
LOCAL_MAX_ENTRIES = 32  # a few MB of GeoJSON at most per process

_local: dict[str, Any] = {}


def _version() -> str:
    """The territory's current version.

    Versions are random rather than counted, so a cache that lost the key (an
    eviction, a flush, a test's rollback) starts a version no process has seen.
    """
    version = cache.get(VERSION_KEY)
    if version is None:
        fresh = uuid.uuid4().hex
        version = fresh if cache.add(VERSION_KEY, fresh, None) else cache.get(VERSION_KEY, fresh)
    return str(version)


def invalidate() -> None:
    """Forget cached counts and boundaries after a territory write."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def _remember(key: str, value: Any) -> None:
    """Keep ``value`` in this process; keys carry the version, so old entries are simply never asked for."""
    if len(_local) >= LOCAL_MAX_ENTRIES:
        _local.clear()
    _local[key] = value


@dataclass(frozen=True)
class Counts:
    rw: int = 0
    rt: int = 0
    kelurahan: int = 0
    kecamatan: int = 0


def counts_by_code() -> dict[str, Counts]:
    """RW, RT, kelurahan and kecamatan counts for every region, keyed by code.

    The dictionary is shared by every caller in the process until the territory changes: read it only.
    """
    key = f"territory:counts:{_version()}"
    if (local := _local.get(key)) is not None:
        return local
    totals: dict[str, list[int]] | None = cache.get(key)
    if totals is None:
        totals = _count_totals()
        cache.set(key, totals, CACHE_SECONDS)
    counts = {code: Counts(*values) for code, values in totals.items()}
    _remember(key, counts)
    return counts


def _count_totals() -> dict[str, list[int]]:
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
    return totals


def children_with_counts(region: Region) -> list[tuple[Region, Counts]]:
    counts = counts_by_code()
    return [(child, counts.get(child.code, Counts())) for child in region.children.order_by("code")]


def rws_with_counts(kelurahan: Region) -> list[tuple[RW, int]]:
    rws = RW.objects.filter(kelurahan=kelurahan).annotate(n_rt=Count("rts")).order_by("number")
    return [(rw, rw.n_rt) for rw in rws]


def kelurahan_geojson(region: Region) -> str:
    """Every kelurahan polygon inside ``region`` as a GeoJSON FeatureCollection string."""
    key = f"territory:geojson:{region.code}:{_version()}"
    if (local := _local.get(key)) is not None:
        return local
    cached: str | None = cache.get(key)
    if cached is not None:
        _remember(key, cached)
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
    _remember(key, body)
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
