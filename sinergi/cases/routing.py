"""Where a case goes: the kelurahan office first, then the unit its category names, and who is above.

Pergub 128/2017 (Jakarta's CRM): a report goes first to the kelurahan where it happened, which acts
itself or passes it on (disposition) to the agency that must act; a provincial agency may pass it
down to its Suku Dinas of the kota. An overdue case escalates to the unit above the one holding it.
"""

from __future__ import annotations

from sinergi.accounts.models import Unit
from sinergi.cases.models import TERRITORIAL_KINDS, Case
from sinergi.territory.models import Region

OFFICE_BY_LEVEL: dict[str, str] = {
    Region.Level.VILLAGE: Unit.Kind.VILLAGE_OFFICE,
    Region.Level.DISTRICT: Unit.Kind.DISTRICT_OFFICE,
    Region.Level.CITY: Unit.Kind.CITY_OFFICE,
    Region.Level.PROVINCE: Unit.Kind.PROVINCE_OFFICE,
}


def ancestor_codes(code: str) -> list[str]:
    """``31.71.01.1001`` → ``["31.71.01.1001", "31.71.01", "31.71", "31"]``: the region and those above."""
    parts = code.split(".")
    return [".".join(parts[:n]) for n in range(len(parts), 0, -1)]


def office_for(region: Region) -> Unit | None:
    """The government office of ``region``, or of the nearest region above it that has one."""
    codes = ancestor_codes(region.code)
    offices = {
        u.region.code: u
        for u in Unit.objects.filter(
            is_active=True, region__code__in=codes, kind__in=list(OFFICE_BY_LEVEL.values())
        ).select_related("region")
        if u.kind == OFFICE_BY_LEVEL.get(u.region.level)
    }
    for code in codes:
        if code in offices:
            return offices[code]
    return None


def first_unit(region: Region) -> Unit | None:
    """The unit a new case of ``region`` goes to: the kelurahan office (or the nearest above)."""
    return office_for(region)


def disposition_targets(case: Case) -> list[Unit]:
    """The units the holder of ``case`` may pass it on to, best first.

    The category's named agency (its Suku Dinas covering the case first), or the unit of the
    category's unit kind covering the case; and the holder's own branches covering the case (an
    agency passing down to its Suku Dinas). Never the holder itself.
    """
    codes = ancestor_codes(case.region_code)
    holder = case.current_unit
    found: list[Unit] = []
    category = case.category
    if category.unit_id:
        branches = Unit.objects.filter(parent_id=category.unit_id, is_active=True, region__code__in=codes)
        found.extend(branches.order_by("name"))
        if category.unit and category.unit.is_active:
            found.append(category.unit)
    elif category.unit_kind:
        found.extend(
            Unit.objects.filter(kind=category.unit_kind, is_active=True, region__code__in=codes).order_by(
                "-region__code"
            )
        )
    found.extend(Unit.objects.filter(parent=holder, is_active=True, region__code__in=codes).order_by("name"))
    unique: dict[int, Unit] = {}
    for unit in found:
        if unit.pk != holder.pk:
            unique.setdefault(unit.pk, unit)
    return list(unique.values())


def unit_above(unit: Unit) -> Unit | None:
    """Where an overdue case of ``unit`` escalates: its parent unit, else the office of the region above."""
    if unit.parent_id and unit.parent and unit.parent.is_active:
        return unit.parent
    if unit.kind in TERRITORIAL_KINDS and unit.region.parent_id and unit.region.parent:
        return office_for(unit.region.parent)
    return None
