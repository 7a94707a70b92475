"""Writes to the territory: loading a region's files, adding and renumbering RW and RT."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from sinergi.audit.services import record
from sinergi.territory import loader, selectors
from sinergi.territory.models import RT, RW, Region

if TYPE_CHECKING:
    from sinergi.accounts.models import User


@dataclass(frozen=True)
class LoadSummary:
    created: int
    updated: int
    root_code: str


def region_load(
    *,
    codes: Path,
    population: list[Path] | None = None,
    boundaries: list[Path] | None = None,
    renames: dict[str, str] | None = None,
) -> LoadSummary:
    """Load or refresh a region from its files, all or nothing.

    Raises ``loader.RegionFileError`` listing every bad line; then nothing is written.
    ``renames`` replaces source names by code (Jakarta's province was renamed in 2024).
    """
    existing = dict(Region.objects.values_list("code", "level"))
    parsed = loader.parse_codes(codes, known_parents=existing)
    known = set(existing)
    for path in population or []:
        loader.apply_population(parsed, path, known)
    for path in boundaries or []:
        loader.apply_boundaries(parsed, path, known)
    if parsed.problems:
        raise loader.RegionFileError(parsed.problems)
    if not parsed.rows:
        raise loader.RegionFileError([loader.Problem(codes.name, 1, _("the file holds no region"))])
    for code, name in (renames or {}).items():
        if code in parsed.rows:
            parsed.rows[code].name = name

    created = updated = 0
    with transaction.atomic():
        # Parents already in the database are needed too: a file may add children to a loaded region.
        parent_codes = {row.parent_code for row in parsed.rows.values() if row.parent_code}
        by_code = {r.code: r for r in Region.objects.filter(code__in=[*parsed.rows, *parsed.existing, *parent_codes])}
        # Parents before children: codes sort by level because deeper codes are longer.
        for row in sorted(parsed.rows.values(), key=lambda r: (r.code.count("."), r.code)):
            values: dict[str, object] = {
                "name": row.name,
                "level": row.level,
                "parent": by_code.get(row.parent_code) if row.parent_code else None,
            }
            values |= _optional_values(row)
            region = by_code.get(row.code)
            if region is None:
                region = Region.objects.create(code=row.code, **values)
                by_code[row.code] = region
                created += 1
            else:
                for key, value in values.items():
                    setattr(region, key, value)
                region.save(update_fields=list(values))
                updated += 1
        for row in parsed.existing.values():
            region = by_code[row.code]
            values = _optional_values(row)
            for key, value in values.items():
                setattr(region, key, value)
            region.save(update_fields=list(values))
            updated += 1
        _fill_missing_population()
        root = min(parsed.rows, key=lambda c: (c.count("."), c))
        record(
            action="territory.region.load",
            object_type="territory.region",
            object_id=root,
            object_repr=str(by_code[root]),
            region_code=root,
            changes={"file": codes.name, "created": created, "updated": updated},
        )
        transaction.on_commit(selectors.invalidate)
    return LoadSummary(created=created, updated=updated, root_code=root)


def _optional_values(row: loader.RegionRow) -> dict[str, object]:
    values: dict[str, object] = {}
    if row.population is not None:
        values["population"] = row.population
    if row.area_km2 is not None:
        values["area_km2"] = row.area_km2
    if row.boundary is not None:
        values["boundary"] = row.boundary
    if row.centroid is not None:
        values["centroid_lat"], values["centroid_lng"] = row.centroid
    return values


def _fill_missing_population() -> None:
    """Sum children's population into regions whose files gave none (kecamatan, usually)."""
    for level in (Region.Level.DISTRICT, Region.Level.CITY, Region.Level.PROVINCE):
        for region in Region.objects.filter(level=level, population__isnull=True):
            total = region.children.aggregate(total=Sum("population"))["total"]
            if total is not None:
                region.population = total
                region.save(update_fields=["population"])


def _check_write(by: User, kelurahan: Region) -> None:
    if not by.can_write(kelurahan):
        raise PermissionDenied(_("You may not change the territory of %(region)s.") % {"region": kelurahan})


def rw_create(*, kelurahan: Region, number: int, by: User) -> RW:
    """Add an RW to a kelurahan."""
    _check_write(by, kelurahan)
    if kelurahan.level != Region.Level.VILLAGE:
        raise ValidationError(_("An RW belongs to a kelurahan or desa."))
    try:
        with transaction.atomic():
            rw = RW.objects.create(kelurahan=kelurahan, number=number)
            record(
                action="territory.rw.create",
                obj=rw,
                actor=by,
                region_code=kelurahan.code,
                changes={"number": [None, number]},
            )
    except IntegrityError:
        raise ValidationError(
            _("%(region)s already has RW %(number)03d.") % {"region": kelurahan, "number": number}
        ) from None
    transaction.on_commit(selectors.invalidate)
    return rw


def rt_create(*, rw: RW, number: int, by: User) -> RT:
    """Add an RT to an RW."""
    _check_write(by, rw.kelurahan)
    try:
        with transaction.atomic():
            rt = RT.objects.create(rw=rw, number=number)
            record(
                action="territory.rt.create",
                obj=rt,
                actor=by,
                region_code=rw.kelurahan.code,
                changes={"number": [None, number]},
            )
    except IntegrityError:
        raise ValidationError(_("%(rw)s already has RT %(number)03d.") % {"rw": rw, "number": number}) from None
    transaction.on_commit(selectors.invalidate)
    return rt
