"""The inbox at /notifikasi/: each user sees and marks only their own notifications."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from sinergi.accounts.models import User
from sinergi.notifications import services
from sinergi.notifications.models import Notification

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def note(user: User, key: str, title: str = "Masa bakti berakhir", url: str = "") -> Notification:
    services.notify(users=[user], key=key, title=title, url=url, email=False)
    return Notification.objects.get(user=user, key=key)


def test_it_lists_only_the_users_own_notifications(
    lurah_operator: User, outsider_operator: User, client_for: Callable[[User], Client]
) -> None:
    note(lurah_operator, "k1", "SKT Ormas Contoh berakhir")
    note(outsider_operator, "k2", "Hanya untuk Pasar Baru")

    response = client_for(lurah_operator).get("/notifikasi/")

    assert response.status_code == 200
    assert b"SKT Ormas Contoh berakhir" in response.content
    assert b"Hanya untuk Pasar Baru" not in response.content


def test_it_filters_unread_notifications(lurah_operator: User, client_for: Callable[[User], Client]) -> None:
    note(lurah_operator, "k1", "Sudah dibaca")
    note(lurah_operator, "k2", "Belum dibaca")
    Notification.objects.filter(key="k1").update(read_at="2026-11-01T00:00:00Z")

    response = client_for(lurah_operator).get("/notifikasi/?filter=unread")

    assert b"Belum dibaca" in response.content
    assert b"Sudah dibaca" not in response.content


def test_it_shows_the_unread_count_in_the_navbar(lurah_operator: User, client_for: Callable[[User], Client]) -> None:
    client = client_for(lurah_operator)
    note(lurah_operator, "k1")
    note(lurah_operator, "k2")

    page = client.get("/").content.decode()

    assert 'href="/notifikasi/"' in page
    assert 'id="notification-badge" class="badge rounded-pill text-bg-danger">2<' in page


def test_it_marks_one_read_with_htmx_and_updates_the_badge(
    lurah_operator: User, client_for: Callable[[User], Client]
) -> None:
    first = note(lurah_operator, "k1")
    note(lurah_operator, "k2")

    response = client_for(lurah_operator).post(f"/notifikasi/{first.pk}/baca/", headers=HTMX)

    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="notification-{first.pk}"' in body
    assert 'hx-swap-oob="true">1<' in body
    assert "<html" not in body
    first.refresh_from_db()
    assert first.read_at is not None


def test_it_marks_one_read_without_javascript(lurah_operator: User, client_for: Callable[[User], Client]) -> None:
    first = note(lurah_operator, "k1")

    response = client_for(lurah_operator).post(f"/notifikasi/{first.pk}/baca/")

    assert response.status_code == 302
    assert response["Location"] == "/notifikasi/"


@pytest.mark.parametrize("action", ["baca", "buka"])
def test_another_users_notification_answers_404(
    action: str, lurah_operator: User, outsider_operator: User, client_for: Callable[[User], Client]
) -> None:
    theirs = note(outsider_operator, "k1", url="/wilayah/")

    response = client_for(lurah_operator).post(f"/notifikasi/{theirs.pk}/{action}/")

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_marks_read_and_follows_the_link(lurah_operator: User, client_for: Callable[[User], Client]) -> None:
    mine = note(lurah_operator, "k1", url="/wilayah/")

    response = client_for(lurah_operator).post(f"/notifikasi/{mine.pk}/buka/")

    assert response["Location"] == "/wilayah/"
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_opening_never_follows_a_link_off_the_site(lurah_operator: User, client_for: Callable[[User], Client]) -> None:
    mine = note(lurah_operator, "k1", url="https://evil.example/")

    response = client_for(lurah_operator).post(f"/notifikasi/{mine.pk}/buka/")

    assert response["Location"] == "/notifikasi/"


def test_it_marks_all_read(lurah_operator: User, outsider_operator: User, client_for: Callable[[User], Client]) -> None:
    note(lurah_operator, "k1")
    note(lurah_operator, "k2")
    note(outsider_operator, "k3")

    response = client_for(lurah_operator).post("/notifikasi/baca-semua/", headers=HTMX)

    assert response.status_code == 200
    assert 'id="notification-list"' in response.content.decode()
    assert 'class="badge rounded-pill text-bg-danger d-none" hx-swap-oob="true">0<' in response.content.decode()
    assert not Notification.objects.filter(user=lurah_operator, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=outsider_operator, read_at__isnull=True).count() == 1


def test_it_answers_htmx_with_the_list_alone(lurah_operator: User, client_for: Callable[[User], Client]) -> None:
    note(lurah_operator, "k1")

    response = client_for(lurah_operator).get("/notifikasi/", headers=HTMX)

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="notification-list"')
    assert response["Vary"].count("HX-Request") == 1


def test_it_lists_in_a_fixed_number_of_queries(
    lurah_operator: User, client_for: Callable[[User], Client], django_assert_num_queries: Any
) -> None:
    client = client_for(lurah_operator)
    for i in range(3):
        note(lurah_operator, f"few{i}")
    client.get("/notifikasi/")  # warm the session
    with django_assert_num_queries(9) as few:  # session, user, roles, count, unread, page, session save (3)
        client.get("/notifikasi/")
    for i in range(40):
        note(lurah_operator, f"many{i}")
    with django_assert_num_queries(len(few)):
        client.get("/notifikasi/")


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    response = client.get("/notifikasi/")

    assert response.status_code == 302
    assert "/akun/" in response["Location"]


def test_marking_read_needs_post(lurah_operator: User, client_for: Callable[[User], Client]) -> None:
    mine = note(lurah_operator, "k1")

    assert client_for(lurah_operator).get(f"/notifikasi/{mine.pk}/baca/").status_code == 405
