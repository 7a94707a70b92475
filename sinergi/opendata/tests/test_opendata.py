"""Open data: public, aggregate, without personal data, small counts of persons suppressed."""

from __future__ import annotations

import csv
import inspect
import io
import json

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from conftest import Territory
from sinergi.evaluation.tests.conftest import Small
from sinergi.opendata import datasets
from sinergi.registry.tests.conftest import make_nik

pytestmark = pytest.mark.django_db

PERSONAL_WORDS = {"nik", "phone", "email", "address", "reporter", "person", "persons", "birth", "sex", "full"}


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def every_file(client: Client) -> dict[str, bytes]:
    files = {}
    for slug in datasets.DATASETS:
        for fmt in ("csv", "json"):
            response = client.get(reverse("opendata:download", args=[slug, fmt]))
            assert response.status_code == 200
            files[f"{slug}.{fmt}"] = response.content
        files[f"api:{slug}"] = client.get(f"/api/v1/open-data/datasets/{slug}").content
    return files


def test_no_open_data_file_holds_personal_data(activity: Small) -> None:
    secrets = ["Budi Ketua", "Citra Ketua", "Delegasi", "Slamet", "Siti Pelapor", "081299887766", "081311112222"]
    secrets += ["budi.ketua@example.id", make_nik(serial=11), make_nik(serial=12), "tergenang", "Sensus Ekonomi"]

    for name, content in every_file(Client()).items():
        text = content.decode("utf-8-sig")
        for secret in secrets:
            assert secret not in text, f"{secret!r} in {name}"


def test_no_column_is_personal() -> None:
    for dataset in datasets.DATASETS.values():
        for column in dataset.columns:
            words = set(column.name.split("_"))
            assert not words & PERSONAL_WORDS, f"{dataset.slug}.{column.name}"
            # A name is only ever the name of a kind, a category, or a region.
            assert column.name not in ("name", "full_name"), f"{dataset.slug}.{column.name}"


def test_early_warning_is_never_open_data() -> None:
    source = inspect.getsource(datasets)
    assert "sinergi.earlywarning" not in source
    assert not any("warning" in slug or "fkdm" in slug for slug in datasets.DATASETS)


def test_small_counts_of_persons_are_suppressed(activity: Small, territory: Territory) -> None:
    cases = datasets.get("cases")
    assert cases is not None
    rows = {(r["kecamatan_code"], r["category"]): r for r in cases.rows}
    flood = rows[(territory.gambir.code, "Banjir")]
    assert (flood["received"], flood["closed"], flood["closed_within_sla"], flood["sla_percent"]) == (4, 3, 2, 66.7)
    assert flood["ratings"] == 3
    assert flood["average_rating"] == 5.0
    rubbish = rows[(territory.gambir.code, "Sampah")]  # one case: it could point at its reporter
    assert rubbish["received"] is None
    assert rubbish["closed"] is None
    assert rubbish["average_rating"] is None


def test_events_and_attendance(activity: Small, territory: Territory) -> None:
    events = datasets.get("events")
    assert events is not None
    assert events.rows == [
        {
            "month": "2026-04",
            "region_code": territory.gambir.code,
            "region": "Kecamatan Gambir",
            "kind": "coaching",
            "kind_name": "Coaching and evaluation",
            "events": 1,
            "organisations_invited": 3,
            "organisations_present": 1,
            "participants_present": 3,
        }
    ]


def test_announcement_reach(activity: Small, territory: Territory) -> None:
    reach = datasets.get("announcements")
    assert reach is not None
    [row] = reach.rows
    assert (row["city_code"], row["organisations_reached"], row["organisations_acknowledged"]) == ("31.71", 3, 1)
    assert row["residents_reached"] == 40


def test_the_public_page_lists_every_dataset_with_its_metadata(activity: Small) -> None:
    response = Client().get(reverse("opendata:index"))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('data-testid="dataset"') == len(datasets.DATASETS)
    assert "CC BY 4.0" in page


def test_json_carries_satu_data_metadata_and_csv_the_rows(activity: Small) -> None:
    client = Client()
    body = json.loads(client.get(reverse("opendata:download", args=["organisations", "json"])).content)
    meta = body["metadata"]
    assert {"title", "producer", "period", "unit", "definition", "frequency", "last_updated", "licence"} <= set(meta)
    rows = list(csv.DictReader(io.StringIO(client.get("/data/organisations.csv").content.decode("utf-8-sig"))))
    gambir = [r for r in rows if r["region"] == "Kelurahan Gambir"]
    assert gambir == [{**gambir[0], "kind": "rt", "organisations": "2"}]


def test_the_api_is_public(activity: Small) -> None:
    listing = Client().get("/api/v1/open-data/datasets")
    assert listing.status_code == 200
    assert [d["slug"] for d in listing.json()] == list(datasets.DATASETS)
    assert Client().get("/api/v1/open-data/datasets/nope").status_code == 404
    assert Client().get("/data/nope/").status_code == 404
