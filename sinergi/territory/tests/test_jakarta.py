"""The real Jakarta files, loaded once for this module (the ``jakarta`` fixture, about 2 s)."""

import pytest
from django.db.models import Sum
from shapely.geometry import shape

from sinergi.audit.models import AuditEvent
from sinergi.territory import demo, selectors
from sinergi.territory.models import RT, RW, Region

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("jakarta")]


def test_it_loads_every_region_of_jakarta() -> None:
    levels = {level: Region.objects.filter(level=level).count() for level in Region.Level.values}
    assert levels == {"province": 1, "city": 6, "district": 44, "village": 267}


def test_it_shows_the_province_under_its_current_name() -> None:
    assert str(Region.objects.get(code="31")) == "Provinsi Daerah Khusus Jakarta"
    assert str(Region.objects.get(code="31.71.02")) == "Kecamatan Sawah Besar"
    assert str(Region.objects.get(code="31.71.02.1001")) == "Kelurahan Pasar Baru"
    assert str(Region.objects.get(code="31.71")) == "Kota Administrasi Jakarta Pusat"


def test_it_gives_every_kelurahan_a_population_that_adds_up_to_the_province() -> None:
    villages = Region.objects.filter(level=Region.Level.VILLAGE)
    assert not villages.filter(population__isnull=True).exists()
    assert villages.aggregate(total=Sum("population"))["total"] == 11_038_216
    assert Region.objects.get(code="31").population == 11_038_216


def test_it_sums_kelurahan_population_into_each_kecamatan() -> None:
    for district in Region.objects.filter(level=Region.Level.DISTRICT):
        assert district.population == district.children.aggregate(total=Sum("population"))["total"], district.code


def test_it_loads_valid_boundaries_for_every_kelurahan() -> None:
    villages = Region.objects.filter(level=Region.Level.VILLAGE)
    assert villages.filter(boundary__isnull=False).count() == 267
    for village in villages:
        geometry = shape(village.boundary)
        assert geometry.is_valid, village.code
        assert geometry.geom_type in {"Polygon", "MultiPolygon"}
        assert geometry.contains(shape({"type": "Point", "coordinates": [village.centroid_lng, village.centroid_lat]}))


def test_it_repairs_the_invalid_kepulauan_seribu_polygon() -> None:
    # The source's Kepulauan Seribu Utara has nested shells (see data/jakarta/SOURCES.md).
    for code in ("31.01", "31.01.01"):
        geometry = shape(Region.objects.get(code=code).boundary)
        assert geometry.is_valid
        assert geometry.area > 0


def test_it_generates_the_2013_numbers_of_rw_and_rt() -> None:
    assert RW.objects.count() == 2_720
    assert RT.objects.count() == 30_442
    expected = demo.rw_rt_counts_2013()
    counts = selectors.counts_by_code()
    assert counts["31.71.02"].rw == expected["31.71.02"][0]
    assert counts["31.71.02"].rt == expected["31.71.02"][1]
    assert counts["31"].kelurahan == 267
    assert counts["31"].kecamatan == 44


def test_it_gives_every_kelurahan_at_least_one_rw_and_every_rw_an_rt() -> None:
    assert not Region.objects.filter(level=Region.Level.VILLAGE, rws__isnull=True).exists()
    assert not RW.objects.filter(rts__isnull=True).exists()


def test_it_does_not_generate_rw_twice() -> None:
    assert demo.generate_rw_rt() == (0, 0)
    assert RW.objects.count() == 2_720


def test_it_records_the_load_in_the_audit_log() -> None:
    event = AuditEvent.objects.get(action="territory.region.load")
    assert event.object_id == "31"
    assert event.changes == {"file": "dki_wilayah_kemendagri_2025.csv", "created": 318, "updated": 0}
    assert event.actor is None
    assert event.channel == "system"
