"""Bahasa Indonesia is the default language; English is the second."""

import pytest
from django.test import Client

pytestmark = pytest.mark.indonesian


@pytest.mark.django_db
def test_it_speaks_indonesian_by_default() -> None:
    response = Client().get("/akun/masuk/")
    assert response.status_code == 200
    assert '<html lang="id"' in response.content.decode()
    assert "Masuk ke Sinergi" in response.content.decode()
    assert "Lupa kata sandi?" in response.content.decode()
    assert "Sign in to Sinergi" not in response.content.decode()


@pytest.mark.django_db
def test_it_switches_to_english_and_back() -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/akun/masuk/"})
    english = client.get("/akun/masuk/").content.decode()
    assert '<html lang="en"' in english
    assert "Sign in to Sinergi" in english

    client.post("/i18n/setlang/", {"language": "id", "next": "/akun/masuk/"})
    assert "Sign in to Sinergi" not in client.get("/akun/masuk/").content.decode()


@pytest.mark.django_db
def test_every_page_text_of_the_login_page_is_translated() -> None:
    # The catalogue must cover the page: no English msgid may show through in Indonesian.
    page = Client().get("/akun/masuk/").content.decode()
    for english in ("Sign in", "Forgot your password?", "Username", "Password"):
        assert f">{english}<" not in page
