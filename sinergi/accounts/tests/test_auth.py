"""Signing in and out, changing a password, and resetting a forgotten one by e-mail."""

import re

import pytest
from django.test import Client

from conftest import PASSWORD
from sinergi.accounts.models import User

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "rahasia-baru-2026!"


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_it_signs_a_user_in_and_out(client: Client, lurah_operator: User) -> None:
    response = client.post("/akun/masuk/", {"username": "lurah.gambir", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200

    response = client.post("/akun/keluar/")
    assert response.status_code == 302
    assert response["Location"] == "/akun/masuk/"
    assert not signed_in(client)
    assert client.get("/").status_code == 302


def test_it_refuses_a_wrong_password(client: Client, lurah_operator: User) -> None:
    response = client.post("/akun/masuk/", {"username": "lurah.gambir", "password": "salah-sandi"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not signed_in(client)


def test_it_refuses_a_switched_off_account(client: Client, lurah_operator: User) -> None:
    User.objects.filter(pk=lurah_operator.pk).update(is_active=False)
    client.post("/akun/masuk/", {"username": "lurah.gambir", "password": PASSWORD})
    assert not signed_in(client)


def test_it_sends_a_signed_in_user_away_from_the_login_page(client_for, lurah_operator: User) -> None:
    response = client_for(lurah_operator).get("/akun/masuk/")
    assert response.status_code == 302


def test_it_does_not_sign_out_on_a_get(client_for, lurah_operator: User) -> None:
    client = client_for(lurah_operator)
    assert client.get("/akun/keluar/").status_code == 405
    assert signed_in(client)


def test_a_user_changes_their_password(client_for, lurah_operator: User) -> None:
    client = client_for(lurah_operator)

    response = client.post(
        "/akun/kata-sandi/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == "/akun/kata-sandi/selesai/"
    assert signed_in(client), "changing the password keeps this session"
    assert Client().login(username="lurah.gambir", password=NEW_PASSWORD)
    assert not Client().login(username="lurah.gambir", password=PASSWORD)


def test_a_password_change_needs_the_old_password(client_for, lurah_operator: User) -> None:
    response = client_for(lurah_operator).post(
        "/akun/kata-sandi/",
        {"old_password": "bukan-ini", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    assert Client().login(username="lurah.gambir", password=PASSWORD)


def test_a_password_change_refuses_a_short_password(client_for, lurah_operator: User) -> None:
    response = client_for(lurah_operator).post(
        "/akun/kata-sandi/", {"old_password": PASSWORD, "new_password1": "pendek", "new_password2": "pendek"}
    )
    assert "new_password2" in response.context["form"].errors


def test_a_forgotten_password_is_reset_through_the_emailed_link(
    client: Client, lurah_operator: User, mailoutbox
) -> None:
    response = client.post("/akun/lupa/", {"email": "lurah.gambir@sinergi.test"})
    assert response.status_code == 302
    assert response["Location"] == "/akun/lupa/terkirim/"

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["lurah.gambir@sinergi.test"]
    assert "lurah.gambir" in mail.body
    link = re.search(r"http://testserver(/akun/lupa/[^/\s]+/[^/\s]+/)", mail.body)
    assert link, mail.body

    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"] is True
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/akun/lupa/selesai/"

    assert Client().login(username="lurah.gambir", password=NEW_PASSWORD)
    # The link works once.
    assert Client().get(link.group(1), follow=True).context["validlink"] is False


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client: Client, mailoutbox) -> None:
    response = client.post("/akun/lupa/", {"email": "siapa@contoh.test"})
    assert response.status_code == 302
    assert response["Location"] == "/akun/lupa/terkirim/"
    assert mailoutbox == []
