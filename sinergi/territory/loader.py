"""Reading and checking a region's Kemendagri files before anything is written.

A region is described by three files of the shape Sinergi ships for Jakarta:
- codes (CSV ``code,name,level,parent_code``), required;
- population (CSV with ``code`` or ``code_kemendagri``, ``population`` or ``total``,
  optionally ``area_km2``);
- boundaries (GeoJSON FeatureCollection whose features carry ``properties.code``).
Every problem is collected with its file, line and reason; the caller loads
nothing unless the list is empty.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

LEVELS = ("province", "city", "district", "village")
CODE_PATTERNS = {
    "province": re.compile(r"^\d{2}$"),
    "city": re.compile(r"^\d{2}\.\d{2}$"),
    "district": re.compile(r"^\d{2}\.\d{2}\.\d{2}$"),
    "village": re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$"),
}


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass
class RegionRow:
    code: str
    name: str
    level: str
    parent_code: str
    population: int | None = None
    area_km2: Decimal | None = None
    boundary: dict[str, Any] | None = None
    centroid: tuple[float, float] | None = None
    line: int = 0


@dataclass
class RegionFile:
    """Parsed regions: ``rows`` from the codes file, ``existing`` for codes already loaded that
    the population or boundary files add data to."""

    rows: dict[str, RegionRow] = field(default_factory=dict)
    existing: dict[str, RegionRow] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def target(self, code: str, known_codes: set[str]) -> RegionRow | None:
        if code in self.rows:
            return self.rows[code]
        if code in known_codes:
            return self.existing.setdefault(code, RegionRow(code=code, name="", level="", parent_code=""))
        return None


class RegionFileError(Exception):
    """The files were refused; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RegionFileError([Problem(path.name, 1, _("the file is not UTF-8 text"))]) from None


def parse_codes(path: Path, known_parents: dict[str, str] | None = None) -> RegionFile:
    """Parse and check the codes file. ``known_parents`` maps codes already in the database to their level."""
    result = RegionFile()
    known_parents = known_parents or {}
    reader = csv.DictReader(io.StringIO(_read_text(path)))
    required = {"code", "name", "level", "parent_code"}
    missing = required - set(reader.fieldnames or [])
    if missing:
        result.problems.append(
            Problem(path.name, 1, _("missing columns: %(cols)s") % {"cols": ", ".join(sorted(missing))})
        )
        return result
    for row in reader:
        line = reader.line_num
        code = (row["code"] or "").strip()
        name = (row["name"] or "").strip()
        level = (row["level"] or "").strip()
        parent_code = (row["parent_code"] or "").strip()

        def bad(reason: str, line: int = line) -> None:
            result.problems.append(Problem(path.name, line, reason))

        if level not in LEVELS:
            bad(_("unknown level %(level)r (expected province, city, district or village)") % {"level": level})
            continue
        if not CODE_PATTERNS[level].match(code):
            bad(_("code %(code)r is not a valid %(level)s code") % {"code": code, "level": level})
            continue
        if not name:
            bad(_("code %(code)s has no name") % {"code": code})
            continue
        if code in result.rows:
            bad(_("code %(code)s appears twice") % {"code": code})
            continue
        expected_parent = code.rsplit(".", 1)[0] if level != "province" else ""
        if parent_code != expected_parent:
            bad(
                _("parent of %(code)s must be %(expected)r, not %(parent)r")
                % {"code": code, "expected": expected_parent, "parent": parent_code}
            )
            continue
        result.rows[code] = RegionRow(code=code, name=name, level=level, parent_code=parent_code, line=line)

    for code, region in result.rows.items():
        if region.level == "province":
            continue
        parent_level = LEVELS[LEVELS.index(region.level) - 1]
        in_file = result.rows.get(region.parent_code)
        if in_file is None and known_parents.get(region.parent_code) != parent_level:
            result.problems.append(
                Problem(
                    path.name,
                    region.line,
                    _("parent %(parent)s of %(code)s is neither in the file nor already loaded")
                    % {"parent": region.parent_code, "code": code},
                )
            )
    return result


def _first(row: dict[str, str], *names: str) -> str:
    for name in names:
        if name in row and row[name] is not None:
            return row[name].strip()
    return ""


def apply_population(region_file: RegionFile, path: Path, known_codes: set[str]) -> None:
    """Add population and area from ``path`` to the parsed regions (or to codes already loaded)."""
    reader = csv.DictReader(io.StringIO(_read_text(path)))
    cols = set(reader.fieldnames or [])
    if not cols & {"code", "code_kemendagri"} or not cols & {"population", "total"}:
        region_file.problems.append(
            Problem(path.name, 1, _("needs a code (or code_kemendagri) column and a population (or total) column"))
        )
        return
    for row in reader:
        line = reader.line_num
        code = _first(row, "code", "code_kemendagri")
        region = region_file.target(code, known_codes)
        if region is None:
            region_file.problems.append(Problem(path.name, line, _("unknown code %(code)r") % {"code": code}))
            continue
        raw = _first(row, "population", "total")
        try:
            population = int(Decimal(raw))
            if population < 0:
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            region_file.problems.append(
                Problem(path.name, line, _("population %(value)r is not a whole number ≥ 0") % {"value": raw})
            )
            continue
        area: Decimal | None = None
        if raw_area := _first(row, "area_km2"):
            try:
                area = Decimal(raw_area)
            except InvalidOperation:
                region_file.problems.append(
                    Problem(path.name, line, _("area %(value)r is not a number") % {"value": raw_area})
                )
                continue
        region.population = population
        if area is not None:
            region.area_km2 = area


def apply_boundaries(region_file: RegionFile, path: Path, known_codes: set[str]) -> None:
    """Add GeoJSON geometries (made valid) and centroids from ``path``."""
    from shapely.geometry import MultiPolygon, mapping, shape
    from shapely.validation import make_valid

    try:
        data = json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        region_file.problems.append(Problem(path.name, exc.lineno, _("not valid JSON: %(msg)s") % {"msg": exc.msg}))
        return
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list) or data.get("type") != "FeatureCollection":
        region_file.problems.append(Problem(path.name, 1, _("not a GeoJSON FeatureCollection")))
        return
    for index, feature in enumerate(features, start=1):
        # GeoJSON has no useful line numbers; the feature's position stands in for one.
        if not isinstance(feature, dict):
            region_file.problems.append(Problem(path.name, index, _("feature is not a GeoJSON object")))
            continue
        code = str((feature.get("properties") or {}).get("code", ""))
        region = region_file.target(code, known_codes)
        if region is None:
            region_file.problems.append(
                Problem(path.name, index, _("feature with unknown code %(code)r") % {"code": code})
            )
            continue
        try:
            geometry = shape(feature["geometry"])
        except Exception:  # shapely raises many kinds for malformed input
            region_file.problems.append(
                Problem(path.name, index, _("feature %(code)s has no valid geometry") % {"code": code})
            )
            continue
        if geometry.geom_type not in {"Polygon", "MultiPolygon"}:
            region_file.problems.append(
                Problem(
                    path.name,
                    index,
                    _("feature %(code)s is a %(type)s, not a polygon") % {"code": code, "type": geometry.geom_type},
                )
            )
            continue
        if not geometry.is_valid:
            # The source's Kepulauan Seribu Utara has nested shells; repair rather than refuse.
            geometry = make_valid(geometry)
            if geometry.geom_type == "GeometryCollection":
                polys = [g for g in geometry.geoms if g.geom_type in {"Polygon", "MultiPolygon"}]
                flat = [p for g in polys for p in (g.geoms if g.geom_type == "MultiPolygon" else [g])]
                geometry = MultiPolygon(flat)
        region.boundary = json.loads(json.dumps(mapping(geometry)))  # tuples to lists
        point = geometry.representative_point() if not geometry.centroid.within(geometry) else geometry.centroid
        region.centroid = (round(point.y, 6), round(point.x, 6))
