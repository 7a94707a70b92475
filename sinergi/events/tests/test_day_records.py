"""Minutes with decisions and follow-ups, and photos with type and size checks."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sinergi.accounts.models import User
from sinergi.events.models import Event, FollowUp, Minutes, Photo
from sinergi.events.services.day_records import follow_up_add, follow_up_done, minutes_save, photo_add

pytest_plugins = ["sinergi.events.tests.conftest_day"]
pytestmark = pytest.mark.django_db


def jpeg(name: str = "foto.jpg") -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_minutes_are_written_and_rewritten(city_admin: User, event: Event) -> None:
    minutes_save(by=city_admin, event=event, summary="Narasumber KPUD dan Bawaslu menjelaskan tahapan.")
    minutes_save(by=city_admin, event=event, summary="Ringkasan.", decisions="Sosialisasi JAKI di tiap RW.")

    minutes = Minutes.objects.get()
    assert minutes.decisions == "Sosialisasi JAKI di tiap RW."
    with pytest.raises(ValidationError, match="Summarise"):
        minutes_save(by=city_admin, event=event, summary="  ")


def test_follow_ups_have_who_and_when_and_are_marked_done(city_admin: User, event: Event) -> None:
    item = follow_up_add(by=city_admin, event=event, action="Sosialisasi kanal aduan JAKI", owner="Lurah Pasar Baru")
    follow_up_done(by=city_admin, follow_up=item)

    item.refresh_from_db()
    assert item.done_on is not None
    with pytest.raises(ValidationError):
        follow_up_add(by=city_admin, event=event, action="", owner="")
    assert FollowUp.objects.count() == 1


def test_a_viewer_cannot_write_minutes(city_viewer: User, event: Event) -> None:
    with pytest.raises(PermissionDenied):
        minutes_save(by=city_viewer, event=event, summary="x")
    assert not Minutes.objects.exists()


def test_a_photo_is_checked_by_content_and_size(city_admin: User, event: Event, settings: Any) -> None:
    photo = photo_add(by=city_admin, event=event, image=jpeg(), caption="Penandatanganan Pakta Integritas")
    assert photo.image.name.endswith(".jpg")

    fake = SimpleUploadedFile("foto.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="not one of: JPG, PNG"):
        photo_add(by=city_admin, event=event, image=fake)
    settings.SINERGI_EVENTS_PHOTO_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="a photo may be at most"):
        photo_add(by=city_admin, event=event, image=jpeg())
    broken = SimpleUploadedFile("rusak.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, content_type="image/jpeg")
    settings.SINERGI_EVENTS_PHOTO_MAX_BYTES = 10_000
    with pytest.raises(ValidationError, match="not a readable photo"):
        photo_add(by=city_admin, event=event, image=broken)
    assert Photo.objects.count() == 1


def test_staff_upload_a_photo_and_outsiders_cannot_see_it(
    client_for: Callable[[User], Client], city_admin: User, city_viewer: User, west_admin: User, event: Event
) -> None:
    client = client_for(city_admin)
    response = client.post(reverse("events:photos", args=[event.pk]), {"image": jpeg(), "caption": "Foto bersama"})
    assert response.status_code == 302
    photo = Photo.objects.get()
    url = reverse("events:photo", args=[event.pk, photo.pk])

    assert client_for(city_viewer).get(url).status_code == 200
    assert client_for(west_admin).get(url).status_code == 404
    assert client_for(city_viewer).post(reverse("events:photo-delete", args=[event.pk, photo.pk])).status_code == 403
    assert client.post(reverse("events:photo-delete", args=[event.pk, photo.pk])).status_code == 302
    assert not Photo.objects.exists()


def test_the_minutes_page_saves_and_shows_follow_ups(
    client_for: Callable[[User], Client], city_admin: User, city_viewer: User, event: Event
) -> None:
    client = client_for(city_admin)
    url = reverse("events:minutes", args=[event.pk])

    assert (
        client.post(url, {"summary": "Diskusi tahapan Pemilu.", "decisions": "Jaga kondusivitas."}).status_code == 302
    )
    added = client.post(
        reverse("events:follow-up-add", args=[event.pk]), {"action": "Rapat koordinasi RW", "owner": "Camat"}
    )
    assert added.status_code == 302
    html = client_for(city_viewer).get(url).content.decode()
    assert "Jaga kondusivitas." in html
    assert "Rapat koordinasi RW" in html
    assert client_for(city_viewer).post(url, {"summary": "x"}).status_code == 403
