"""Loading a region's files: all or nothing, every problem with its file, line and reason."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import shape

from conftest import square
from sinergi.audit.models import AuditEvent
from sinergi.core.context import acting_as
from sinergi.territory import loader, services
from sinergi.territory.models import Region

pytestmark = pytest.mark.django_db

CODES_HEADER = "code,name,level,parent_code\n"
SMALL_CODES = (
    CODES_HEADER
    + "31,Daerah Khusus Ibukota Jakarta,province,\n"
    + "31.71,Kota Administrasi Jakarta Pusat,city,31\n"
    + "31.71.01,Gambir,district,31.71\n"
    + "31.71.01.1001,Gambir,village,31.71.01\n"
    + "31.71.01.1002,Cideng,village,31.71.01\n"
)


def write(directory: Path, name: str, text: str | bytes) -> Path:
    path = directory / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def feature_collection(*features: dict) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def feature(code: str, geometry: dict) -> dict:
    return {"type": "Feature", "properties": {"code": code}, "geometry": geometry}


def load(codes: Path, population: list[Path] | None = None, boundaries: list[Path] | None = None):
    with acting_as(None, channel="system"):
        return services.region_load(codes=codes, population=population, boundaries=boundaries)


def problems_of(codes: Path, population: list[Path] | None = None, boundaries: list[Path] | None = None) -> list[str]:
    """Load the files expecting a refusal; return the problems as ``file:line: reason``."""
    regions_before, events_before = Region.objects.count(), AuditEvent.objects.count()
    with pytest.raises(loader.RegionFileError) as refused:
        load(codes, population, boundaries)
    assert Region.objects.count() == regions_before, "a refused load wrote regions"
    assert AuditEvent.objects.count() == events_before, "a refused load wrote to the audit log"
    return [str(p) for p in refused.value.problems]


def test_it_loads_codes_population_and_boundaries(tmp_path: Path) -> None:
    codes = write(tmp_path, "codes.csv", SMALL_CODES)
    population = write(tmp_path, "pop.csv", "code,population,area_km2\n31.71.01.1001,2792,2.5\n31.71.01.1002,17078,\n")
    boundaries = write(tmp_path, "b.geojson", feature_collection(feature("31.71.01.1001", square(-6.17, 106.82))))

    summary = load(codes, [population], [boundaries])

    assert (summary.created, summary.updated, summary.root_code) == (5, 0, "31")
    gambir = Region.objects.get(code="31.71.01.1001")
    assert gambir.parent == Region.objects.get(code="31.71.01")
    assert (gambir.population, str(gambir.area_km2)) == (2792, "2.500")
    assert gambir.boundary["type"] == "Polygon"
    assert gambir.centroid_lat == pytest.approx(-6.17)
    assert gambir.centroid_lng == pytest.approx(106.82)
    # Kecamatan, kota and province had no figure: they get the sum of their children.
    assert Region.objects.get(code="31.71.01").population == 2792 + 17078
    assert Region.objects.get(code="31").population == 2792 + 17078


def test_it_refreshes_a_loaded_region_without_duplicating_it(tmp_path: Path) -> None:
    load(write(tmp_path, "codes.csv", SMALL_CODES))
    renamed = SMALL_CODES.replace("Cideng,village", "Cideng Baru,village")

    summary = load(write(tmp_path, "codes2.csv", renamed))

    assert (summary.created, summary.updated) == (0, 5)
    assert Region.objects.count() == 5
    assert Region.objects.get(code="31.71.01.1002").name == "Cideng Baru"


def test_it_adds_population_to_regions_loaded_earlier(tmp_path: Path) -> None:
    load(write(tmp_path, "codes.csv", SMALL_CODES))
    kota = write(tmp_path, "kota.csv", CODES_HEADER + "31.72,Kota Administrasi Jakarta Utara,city,31\n")
    population = write(tmp_path, "pop.csv", "code_kemendagri,total\n31.72,1832032\n31.71.01.1001,2800\n")

    load(kota, [population])

    assert Region.objects.get(code="31.72").parent == Region.objects.get(code="31")
    assert Region.objects.get(code="31.71.01.1001").population == 2800


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        pytest.param(
            "kode,nama\n31,Jakarta\n", "codes.csv:1: missing columns: code, level, name, parent_code", id="header"
        ),
        pytest.param(SMALL_CODES + "31.71.1,Bad,district,31.71\n", "codes.csv:7: code '31.71.1' is not", id="code"),
        pytest.param(SMALL_CODES + "31.71.01.1003,X,kampung,31.71.01\n", "codes.csv:7: unknown level", id="level"),
        pytest.param(
            SMALL_CODES + "31.71.01.1003,,village,31.71.01\n", "codes.csv:7: code 31.71.01.1003 has no name", id="name"
        ),
        pytest.param(
            SMALL_CODES + "31.71.01.1003,Petojo,village,31.71\n",
            "codes.csv:7: parent of 31.71.01.1003 must be '31.71.01', not '31.71'",
            id="wrong-parent",
        ),
        pytest.param(
            SMALL_CODES + "31.71.01.1002,Cideng lagi,village,31.71.01\n",
            "codes.csv:7: code 31.71.01.1002 appears twice",
            id="duplicate",
        ),
        pytest.param(
            SMALL_CODES + "31.72.01.1001,Penjaringan,village,31.72.01\n",
            "codes.csv:7: parent 31.72.01 of 31.72.01.1001 is neither in the file nor already loaded",
            id="unknown-parent",
        ),
        pytest.param(CODES_HEADER, "codes.csv:1: the file holds no region", id="empty"),
    ],
)
def test_it_refuses_a_bad_codes_file_and_says_where(tmp_path: Path, codes: str, expected: str) -> None:
    problems = problems_of(write(tmp_path, "codes.csv", codes))
    assert any(p.startswith(expected) for p in problems), problems


def test_it_reports_every_bad_line_at_once(tmp_path: Path) -> None:
    codes = SMALL_CODES.replace("31.71.01,Gambir", "31.71.1,Gambir") + "31.71.01.1001,Lagi,village,31.71.01\n"

    problems = problems_of(write(tmp_path, "codes.csv", codes))

    lines = sorted(int(p.split(":")[1]) for p in problems)
    # Line 4 is the bad kecamatan, lines 5 and 6 lose their parent with it, line 7 repeats a code.
    assert lines == [4, 5, 6, 7]


def test_it_refuses_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    codes = write(
        tmp_path, "codes.csv", (CODES_HEADER + "31,Daerah Khusus Ibukota Jakarta,province,\n").encode("utf-16")
    )
    assert problems_of(codes) == ["codes.csv:1: the file is not UTF-8 text"]


@pytest.mark.parametrize(
    ("population", "expected"),
    [
        pytest.param(
            "code,population\n31.71.01.1001,banyak\n", "pop.csv:2: population 'banyak' is not a whole", id="text"
        ),
        pytest.param("code,population\n31.71.01.1001,-5\n", "pop.csv:2: population '-5' is not a whole", id="negative"),
        pytest.param(
            "code,population\n31.71.01.1001,10\n31.99.01.1001,10\n",
            "pop.csv:3: unknown code '31.99.01.1001'",
            id="code",
        ),
        pytest.param(
            "code,population,area_km2\n31.71.01.1001,10,luas\n", "pop.csv:2: area 'luas' is not a number", id="area"
        ),
        pytest.param("kode,jumlah\n31,10\n", "pop.csv:1: needs a code", id="header"),
    ],
)
def test_it_refuses_a_bad_population_file(tmp_path: Path, population: str, expected: str) -> None:
    problems = problems_of(
        write(tmp_path, "codes.csv", SMALL_CODES), population=[write(tmp_path, "pop.csv", population)]
    )
    assert any(p.startswith(expected) for p in problems), problems


@pytest.mark.parametrize(
    ("boundaries", "expected"),
    [
        pytest.param('{"type": "FeatureCollection",\n "features": [}', "b.geojson:2: not valid JSON", id="json"),
        pytest.param('{"type": "Feature"}', "b.geojson:1: not a GeoJSON FeatureCollection", id="not-collection"),
        pytest.param("[1, 2]", "b.geojson:1: not a GeoJSON FeatureCollection", id="list"),
        pytest.param('{"type": "FeatureCollection", "features": [7]}', "b.geojson:1: feature is not", id="feature"),
        pytest.param(
            feature_collection(feature("31.71.01.1001", {"type": "Point", "coordinates": [106.8, -6.1]})),
            "b.geojson:1: feature 31.71.01.1001 is a Point, not a polygon",
            id="point",
        ),
        pytest.param(
            feature_collection(
                feature("31.71.01.1001", square(-6.1, 106.8)), feature("31.99.01.1001", square(-6.2, 106.8))
            ),
            "b.geojson:2: feature with unknown code '31.99.01.1001'",
            id="unknown-code",
        ),
        pytest.param(
            feature_collection(feature("31.71.01.1001", {"type": "Polygon", "coordinates": "x"})),
            "b.geojson:1: feature 31.71.01.1001 has no valid geometry",
            id="geometry",
        ),
    ],
)
def test_it_refuses_a_bad_boundaries_file(tmp_path: Path, boundaries: str, expected: str) -> None:
    problems = problems_of(
        write(tmp_path, "codes.csv", SMALL_CODES), boundaries=[write(tmp_path, "b.geojson", boundaries)]
    )
    assert any(p.startswith(expected) for p in problems), problems


def test_it_repairs_a_self_intersecting_polygon(tmp_path: Path) -> None:
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[106.80, -6.10], [106.82, -6.12], [106.82, -6.10], [106.80, -6.12], [106.80, -6.10]]],
    }
    boundaries = write(tmp_path, "b.geojson", feature_collection(feature("31.71.01.1001", bowtie)))

    load(write(tmp_path, "codes.csv", SMALL_CODES), boundaries=[boundaries])

    repaired = shape(Region.objects.get(code="31.71.01.1001").boundary)
    assert repaired.is_valid
    assert repaired.geom_type == "MultiPolygon"  # the bow tie becomes its two triangles
    assert repaired.area > 0


# The management command


def test_the_command_loads_a_region(tmp_path: Path) -> None:
    out = io.StringIO()
    codes = write(tmp_path, "codes.csv", SMALL_CODES)
    population = write(tmp_path, "pop.csv", "code,population\n31.71.01.1001,2792\n")
    boundaries = write(tmp_path, "b.geojson", feature_collection(feature("31.71.01.1002", square(-6.17, 106.80))))

    call_command("load_region", "--codes", codes, "--population", population, "--boundaries", boundaries, stdout=out)

    assert Region.objects.count() == 5
    assert Region.objects.get(code="31.71.01.1001").population == 2792
    assert Region.objects.get(code="31.71.01.1002").boundary is not None
    assert "5 created" in out.getvalue()
    event = AuditEvent.objects.get(action="territory.region.load")
    assert (event.channel, event.actor) == ("system", None)


def test_the_command_takes_several_population_and_boundary_files(tmp_path: Path) -> None:
    codes = write(tmp_path, "codes.csv", SMALL_CODES)
    pop1 = write(tmp_path, "pop1.csv", "code,population\n31.71.01.1001,1\n")
    pop2 = write(tmp_path, "pop2.csv", "code,population\n31.71.01.1002,2\n")
    b1 = write(tmp_path, "b1.geojson", feature_collection(feature("31.71.01.1001", square(-6.17, 106.80))))
    b2 = write(tmp_path, "b2.geojson", feature_collection(feature("31.71.01.1002", square(-6.18, 106.80))))

    call_command(
        "load_region",
        f"--codes={codes}",
        f"--population={pop1}",
        f"--population={pop2}",
        f"--boundaries={b1}",
        f"--boundaries={b2}",
        stdout=io.StringIO(),
    )

    assert Region.objects.get(code="31.71.01").population == 3
    assert Region.objects.filter(boundary__isnull=False).count() == 2


def test_the_command_prints_each_problem_and_fails_with_nothing_loaded(tmp_path: Path) -> None:
    codes = write(tmp_path, "codes.csv", SMALL_CODES + "31.71.01.1003,,village,31.71.01\n")
    population = write(tmp_path, "pop.csv", "code,population\n31.71.01.1001,banyak\n")
    err = io.StringIO()

    with pytest.raises(CommandError) as failed:
        call_command("load_region", "--codes", codes, "--population", population, stderr=err, stdout=io.StringIO())

    assert err.getvalue().splitlines() == [
        "codes.csv:7: code 31.71.01.1003 has no name",
        "pop.csv:2: population 'banyak' is not a whole number ≥ 0",
    ]
    assert "nothing was loaded" in str(failed.value)
    assert failed.value.returncode != 0
    assert Region.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_the_command_fails_cleanly_on_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"missing\.csv"):
        call_command("load_region", "--codes", tmp_path / "missing.csv", stderr=io.StringIO())
    assert Region.objects.count() == 0


# Properties over generated code files


@st.composite
def hierarchies(draw: st.DrawFn) -> list[tuple[str, str, str, str]]:
    """A valid Kemendagri hierarchy as ``(code, name, level, parent_code)`` rows, parents first."""
    names = st.text(alphabet=st.characters(categories=["L", "N", "Zs", "P"]), min_size=1, max_size=30).filter(
        lambda s: s.strip()
    )
    province = f"{draw(st.integers(11, 94)):02d}"
    rows = [(province, draw(names), "province", "")]
    for c in draw(st.sets(st.integers(1, 79), min_size=1, max_size=3)):
        city = f"{province}.{c:02d}"
        rows.append((city, draw(names), "city", province))
        for d in draw(st.sets(st.integers(1, 40), min_size=0, max_size=3)):
            district = f"{city}.{d:02d}"
            rows.append((district, draw(names), "district", city))
            for v in draw(st.sets(st.integers(1001, 2020), min_size=0, max_size=4)):
                rows.append((f"{district}.{v}", draw(names), "village", district))
    return rows


def to_csv(rows: list[tuple[str, str, str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["code", "name", "level", "parent_code"])
    writer.writerows(rows)
    return out.getvalue()


def load_rolled_back(text: str) -> tuple[services.LoadSummary | None, list[loader.Problem], int]:
    """Load ``text`` as a codes file inside a transaction that is always undone."""
    with tempfile.TemporaryDirectory() as tmp, transaction.atomic():
        path = write(Path(tmp), "codes.csv", text)
        summary, problems = None, []
        try:
            summary = load(path)
        except loader.RegionFileError as exc:
            problems = exc.problems
        loaded = Region.objects.count()
        transaction.set_rollback(True)
    return summary, problems, loaded


PROPERTY_SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPERTY_SETTINGS
@given(rows=hierarchies())
def test_any_valid_hierarchy_loads_completely(rows: list[tuple[str, str, str, str]]) -> None:
    summary, problems, loaded = load_rolled_back(to_csv(rows))
    assert problems == []
    assert summary is not None
    assert (summary.created, summary.root_code) == (len(rows), rows[0][0])
    assert loaded == len(rows)


@PROPERTY_SETTINGS
@given(rows=hierarchies(), data=st.data())
def test_any_corrupted_line_is_reported_by_its_number_and_nothing_loads(
    rows: list[tuple[str, str, str, str]], data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(rows) - 1), label="row")
    code, name, level, parent = rows[index]
    corruptions = {
        "level": (code, name, "kampung", parent),
        "code": (code + "9", name, level, parent),
        "name": (code, " ", level, parent),
        "parent": (code, name, level, parent + "9"),
    }
    if index > 0:
        corruptions["duplicate"] = rows[index - 1]
    kind = data.draw(st.sampled_from(sorted(corruptions)), label="corruption")
    corrupted = [*rows[:index], corruptions[kind], *rows[index + 1 :]]

    summary, problems, loaded = load_rolled_back(to_csv(corrupted))

    line = index + 2  # the header is line 1
    assert summary is None
    assert loaded == 0
    assert line in {p.line for p in problems if p.file == "codes.csv"}, problems
    # Any other problem is a descendant of the corrupted row, which lost its parent.
    for problem in problems:
        if problem.line != line:
            assert corrupted[problem.line - 2][0].startswith(f"{code}.")
