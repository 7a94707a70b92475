"""The start page shows each user their own territory."""

import pytest
from django.test import Client

from sinergi.accounts.models import User

pytestmark = pytest.mark.django_db


def test_it_shows_a_lurah_operator_their_kelurahan(client_for, lurah_operator: User) -> None:
    response = client_for(lurah_operator).get("/")

    assert response.status_code == 200
    areas = [(region.code, counts.rw, counts.rt) for region, counts in response.context["areas"]]
    assert areas == [("31.71.01.1001", 2, 5)]
    assert "Kelurahan Gambir" in response.content.decode()


def test_it_shows_kesbangpol_the_province(client_for, kesbangpol_admin: User) -> None:
    response = client_for(kesbangpol_admin).get("/")
    assert [region.code for region, _counts in response.context["areas"]] == ["31"]


def test_it_sends_anonymous_visitors_to_sign_in(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/akun/masuk/?next=/"
