"""Jakarta's territory and its RW/RT units for a new installation or a benchmark.

No public list of individual RW and RT exists, so they are generated: the 2013
per-kecamatan counts (Satu Data Jakarta) are spread over each kecamatan's
kelurahan in proportion to 2024 population, each kelurahan getting at least one
RW, and each kelurahan's RT are spread evenly over its RW.
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from sinergi.audit.services import record
from sinergi.territory import selectors, services
from sinergi.territory.models import RT, RW, Region

DATA = Path(__file__).resolve().parent / "data" / "jakarta"
JAKARTA_CODE = "31"
# UU 2/2024 renamed "Daerah Khusus Ibukota Jakarta"; the code stays 31.
JAKARTA_RENAMES = {JAKARTA_CODE: "Daerah Khusus Jakarta"}


def load_jakarta() -> services.LoadSummary:
    """Load DKI Jakarta's codes, population and boundaries from the files shipped with Sinergi."""
    return services.region_load(
        codes=DATA / "dki_wilayah_kemendagri_2025.csv",
        population=[
            DATA / "dki_city_population_area_2024.csv",
            DATA / "jakarta_population_density_per_kelurahan_2024_satudata.csv",
        ],
        boundaries=[
            DATA / "dki_kota_boundaries_cahyadsn.geojson",
            DATA / "dki_kecamatan_boundaries_cahyadsn.geojson",
            DATA / "dki_kelurahan_boundaries_cahyadsn.geojson",
        ],
        renames=JAKARTA_RENAMES,
    )


def spread(total: int, weights: list[int], minimum: int = 0) -> list[int]:
    """Split ``total`` into whole parts proportional to ``weights`` (largest remainder),
    each part at least ``minimum`` when the total allows it. A zero weight (a kelurahan
    without a population figure) counts as the average of the others."""
    n = len(weights)
    if n == 0:
        return []
    floor = minimum if total >= minimum * n else 0
    rest = total - floor * n
    known = [w for w in weights if w]
    # Whole-number arithmetic, scaled by len(known) so the average weight stays whole.
    effective = [w * len(known) if w else sum(known) for w in weights] if known else [1] * n
    weight_sum = sum(effective)
    parts = [rest * w // weight_sum for w in effective]
    remainders = [rest * w % weight_sum for w in effective]
    leftover = rest - sum(parts)
    by_remainder = sorted(range(n), key=lambda i: (remainders[i], -i), reverse=True)
    for i in by_remainder[:leftover]:
        parts[i] += 1
    return [p + floor for p in parts]


def rw_rt_counts_2013() -> dict[str, tuple[int, int]]:
    """``{kecamatan code: (RW, RT)}`` from the 2013 table."""
    with (DATA / "jakarta_rt_rw_kk_per_kecamatan_2013_satudata.csv").open(encoding="utf-8") as f:
        return {
            row["code_kemendagri"].strip(): (int(float(row["jumlah_rw"])), int(float(row["jumlah_rt"])))
            for row in csv.DictReader(f)
        }


def generate_rw_rt() -> tuple[int, int]:
    """Create RW and RT for every Jakarta kelurahan that has none yet; return how many were made."""
    counts = rw_rt_counts_2013()
    rws_made = rts_made = 0
    with transaction.atomic():
        kecamatan = Region.objects.filter(level=Region.Level.DISTRICT, code__in=counts).prefetch_related("children")
        has_rw = set(RW.objects.values_list("kelurahan_id", flat=True).distinct())
        for district in kecamatan:
            n_rw, n_rt = counts[district.code]
            villages = sorted(district.children.all(), key=lambda v: v.code)
            weights = [v.population or 0 for v in villages]
            rw_parts = spread(n_rw, weights, minimum=1)
            rt_parts = spread(n_rt, weights, minimum=1)
            for village, village_rw, village_rt in zip(villages, rw_parts, rt_parts, strict=True):
                if village.pk in has_rw:
                    continue
                new_rws = RW.objects.bulk_create([RW(kelurahan=village, number=i) for i in range(1, village_rw + 1)])
                rt_per_rw = spread(village_rt, [1] * len(new_rws), minimum=1)
                RT.objects.bulk_create(
                    [RT(rw=rw, number=i) for rw, n in zip(new_rws, rt_per_rw, strict=True) for i in range(1, n + 1)],
                    batch_size=2000,
                )
                rws_made += len(new_rws)
                rts_made += sum(rt_per_rw)
        if rws_made:
            record(
                action="territory.rw_rt.generate",
                object_type="territory.region",
                object_id=JAKARTA_CODE,
                object_repr="Provinsi Daerah Khusus Jakarta",
                region_code=JAKARTA_CODE,
                changes={"rw": rws_made, "rt": rts_made},
            )
        transaction.on_commit(selectors.invalidate)
    return rws_made, rts_made
