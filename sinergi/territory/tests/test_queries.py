"""Territory pages and API answers use a fixed number of queries, however large the territory."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import Territory, square
from sinergi.accounts.models import User
from sinergi.territory import selectors
from sinergi.territory.models import RT, RW, Region

pytestmark = pytest.mark.django_db

URLS = [
    "/wilayah/31/",
    "/wilayah/31.71/",
    "/wilayah/31.71.01/",
    "/wilayah/31.71.01.1001/",
    "/wilayah/31.71.01.1001/rw/1/",
    "/wilayah/31.71.01/peta.geojson",
    "/api/v1/territory/regions?limit=200",
    "/api/v1/territory/regions?level=village&limit=200",
    "/api/v1/territory/regions/31.71.01",
    "/api/v1/territory/regions/31.71.01/children",
    "/api/v1/territory/regions/31.71.01.1001/rw",
    "/api/v1/territory/regions/31.71.01.1001/rt",
]
# Generous ceilings: the point is that the number does not grow with the data.
MAX_QUERIES_PAGE = 30
MAX_QUERIES_API = 20


def queries_for(client: Client, url: str) -> int:
    """Queries of one request with the territory caches cold, as after a territory write."""
    selectors.invalidate()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def grow(territory: Territory) -> None:
    """Add 30 kelurahan to Gambir with 3 RW each, and 10 RW more to Gambir: about ten times the base data."""
    villages = Region.objects.bulk_create(
        Region(
            code=f"31.71.01.{1100 + i}",
            name=f"Kelurahan Uji {i}",
            level=Region.Level.VILLAGE,
            parent=territory.gambir,
            population=1000 + i,
            boundary=square(-6.17 + i / 1000, 106.8),
        )
        for i in range(30)
    )
    rws = RW.objects.bulk_create(
        [RW(kelurahan=v, number=n) for v in villages for n in range(1, 4)]
        + [RW(kelurahan=territory.kel_gambir, number=n) for n in range(3, 13)]
    )
    RT.objects.bulk_create(RT(rw=rw, number=n) for rw in rws for n in range(1, 5))
    RT.objects.bulk_create(RT(rw=territory.kel_gambir.rws.get(number=1), number=n) for n in range(4, 20))


@pytest.mark.parametrize("url", URLS)
def test_it_answers_with_the_same_number_of_queries_for_a_larger_territory(
    client_for, kesbangpol_admin: User, territory: Territory, url: str
) -> None:
    client = client_for(kesbangpol_admin)
    client.get("/")  # settle the session
    small = queries_for(client, url)

    grow(territory)
    large = queries_for(client, url)

    assert large == small
    assert small <= (MAX_QUERIES_API if url.startswith("/api/") else MAX_QUERIES_PAGE)


def test_a_second_request_reads_counts_from_the_cache(client_for, kesbangpol_admin: User, territory: Territory) -> None:
    client = client_for(kesbangpol_admin)
    cold = queries_for(client, "/api/v1/territory/regions/31.71.01")
    with CaptureQueriesContext(connection) as warm:
        client.get("/api/v1/territory/regions/31.71.01")
    assert len(warm) < cold
