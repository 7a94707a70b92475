"""Sessions end after a spell of inactivity; every request starts the spell again."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from sinergi.accounts.models import User

pytestmark = pytest.mark.django_db


def the_session(client: Client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_sessions_end_after_eight_idle_hours() -> None:
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_every_request_pushes_the_end_back(client_for, lurah_operator: User) -> None:
    client = client_for(lurah_operator)
    Session.objects.filter(pk=the_session(client).pk).update(expire_date=timezone.now() + datetime.timedelta(minutes=5))

    response = client.get("/")

    assert response.status_code == 200
    left = the_session(client).expire_date - timezone.now()
    assert datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60) < left
    assert response.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE


def test_an_idle_session_has_ended(client_for, lurah_operator: User) -> None:
    client = client_for(lurah_operator)
    Session.objects.filter(pk=the_session(client).pk).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/akun/masuk/?next=/"
    assert client.get("/api/v1/me").status_code == 401
