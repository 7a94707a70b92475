"""Adding RW and RT: operators and administrators of the kelurahan may, viewers and outsiders may not."""

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import Territory
from sinergi.accounts.models import User
from sinergi.audit.models import AuditEvent
from sinergi.territory import services
from sinergi.territory.models import RT, RW

pytestmark = pytest.mark.django_db

KEL_A = "31.71.01.1001"


def test_an_operator_adds_an_rw_to_their_kelurahan(client_for, lurah_operator: User) -> None:
    client = client_for(lurah_operator)

    response = client.post(f"/wilayah/{KEL_A}/rw/tambah", {"number": 7})

    assert response.status_code == 302
    assert response["Location"] == f"/wilayah/{KEL_A}/"
    assert RW.objects.filter(kelurahan__code=KEL_A, number=7).exists()
    page = client.get(response["Location"])
    assert "RW 007" in page.content.decode()


def test_an_operator_adds_an_rt_to_an_rw(client_for, lurah_operator: User) -> None:
    response = client_for(lurah_operator).post(f"/wilayah/{KEL_A}/rw/2/rt/tambah", {"number": 3})

    assert response.status_code == 302
    assert response["Location"] == f"/wilayah/{KEL_A}/rw/2/"
    assert RT.objects.filter(rw__kelurahan__code=KEL_A, rw__number=2, number=3).exists()


def test_a_camat_operator_adds_an_rw_to_a_kelurahan_of_the_kecamatan(client_for, camat_operator: User) -> None:
    client_for(camat_operator).post(f"/wilayah/{KEL_A}/rw/tambah", {"number": 9})
    assert RW.objects.filter(kelurahan__code=KEL_A, number=9).exists()


def test_a_viewer_cannot_add_an_rw(client_for, city_viewer: User) -> None:
    before = (RW.objects.count(), AuditEvent.objects.filter(action__startswith="territory").count())

    response = client_for(city_viewer).post(f"/wilayah/{KEL_A}/rw/tambah", {"number": 7})

    assert response.status_code == 403
    assert (RW.objects.count(), AuditEvent.objects.filter(action__startswith="territory").count()) == before


def test_a_viewer_cannot_add_an_rt(client_for, city_viewer: User) -> None:
    response = client_for(city_viewer).post(f"/wilayah/{KEL_A}/rw/1/rt/tambah", {"number": 9})
    assert response.status_code == 403
    assert not RT.objects.filter(number=9).exists()


def test_a_viewer_is_not_offered_the_add_form(client_for, city_viewer: User) -> None:
    response = client_for(city_viewer).get(f"/wilayah/{KEL_A}/")
    assert response.status_code == 200
    assert response.context["can_write"] is False
    assert f"/wilayah/{KEL_A}/rw/tambah" not in response.content.decode()


def test_an_outsider_cannot_add_an_rw_to_another_kelurahan(client_for, outsider_operator: User) -> None:
    response = client_for(outsider_operator).post(f"/wilayah/{KEL_A}/rw/tambah", {"number": 7})
    assert response.status_code == 404
    assert not RW.objects.filter(number=7).exists()


def test_an_rw_number_is_taken_once_per_kelurahan(client_for, lurah_operator: User) -> None:
    client = client_for(lurah_operator)

    response = client.post(f"/wilayah/{KEL_A}/rw/tambah", {"number": 1})

    assert RW.objects.filter(kelurahan__code=KEL_A, number=1).count() == 1
    errors = [str(m) for m in get_messages(response.wsgi_request) if m.level == messages.ERROR]
    assert len(errors) == 1
    assert "001" in errors[0]


def test_a_bad_number_is_refused(client_for, lurah_operator: User) -> None:
    before = RW.objects.count()
    for number in ("0", "1000", "satu"):
        client_for(lurah_operator).post(f"/wilayah/{KEL_A}/rw/tambah", {"number": number})
    assert RW.objects.count() == before


def test_the_service_refuses_an_rw_outside_a_kelurahan(territory: Territory, camat_operator: User) -> None:
    with pytest.raises(ValidationError):
        services.rw_create(kelurahan=territory.gambir, number=1, by=camat_operator)


def test_the_service_refuses_a_viewer(territory: Territory, city_viewer: User) -> None:
    with pytest.raises(PermissionDenied):
        services.rw_create(kelurahan=territory.kel_gambir, number=5, by=city_viewer)
    with pytest.raises(PermissionDenied):
        services.rt_create(rw=RW.objects.get(kelurahan=territory.kel_gambir, number=1), number=9, by=city_viewer)
    assert not RW.objects.filter(number=5).exists()
