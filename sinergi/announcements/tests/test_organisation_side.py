"""The representative's side, on a phone: the inbox, reading, acknowledging, relaying, asking."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.announcements import services
from sinergi.announcements.models import Announcement, Answer, Delivery, Question, RelayPhoto, RelayReport
from sinergi.audit.models import AuditEvent
from sinergi.registry.models import Organisation
from sinergi.registry.tests.conftest import PNG

pytestmark = pytest.mark.django_db


def _delivery(announcement: Announcement, organisation: Organisation) -> Delivery:
    return Delivery.objects.get(announcement=announcement, organisation=organisation)


def test_an_rt_chair_sees_only_its_own_organisations_deliveries(
    sent: Callable[..., Announcement],
    client_for: Callable[[User], Client],
    rt_chair: User,
    rt_org: Organisation,
    other_rt_org: Organisation,
) -> None:
    announcement = sent()
    client = client_for(rt_chair)

    inbox = client.get(reverse("announcements:inbox"))
    neighbour = _delivery(announcement, other_rt_org)

    assert inbox.status_code == 200
    assert inbox.content.decode().count("Sensus Ekonomi 2026") == 1
    assert client.get(reverse("announcements:delivery", args=[neighbour.pk])).status_code == 404
    assert client.post(reverse("announcements:acknowledge", args=[neighbour.pk])).status_code == 404
    assert client.get(reverse("announcements:detail", args=[announcement.pk])).status_code == 404
    assert not Delivery.objects.filter(pk=neighbour.pk, read_at__isnull=False).exists()


def test_a_representative_goes_from_the_list_to_the_inbox(client_for: Callable[[User], Client], rt_chair: User) -> None:
    response = client_for(rt_chair).get(reverse("announcements:list"))

    assert response.status_code == 302
    assert response["Location"] == reverse("announcements:inbox")


def test_opening_marks_read_once_and_acknowledging_records_who(
    sent: Callable[..., Announcement], client_for: Callable[[User], Client], rt_chair: User, rt_org: Organisation
) -> None:
    delivery = _delivery(sent(), rt_org)
    client = client_for(rt_chair)

    page = client.get(reverse("announcements:delivery", args=[delivery.pk]))
    first_read = Delivery.objects.get(pk=delivery.pk).read_at
    client.get(reverse("announcements:delivery", args=[delivery.pk]))

    assert page.status_code == 200
    assert "Petugas BPS akan mendatangi usaha" in page.content.decode()
    assert first_read is not None
    assert Delivery.objects.get(pk=delivery.pk).read_at == first_read

    response = client.post(reverse("announcements:acknowledge", args=[delivery.pk]), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "Acknowledged on" in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.acknowledged_by == rt_chair
    assert AuditEvent.objects.filter(action="announcements.delivery.acknowledge").count() == 1


def test_a_relay_report_with_photos_counts_residents_and_acknowledges(
    sent: Callable[..., Announcement], client_for: Callable[[User], Client], rt_chair: User, rt_org: Organisation
) -> None:
    delivery = _delivery(sent(), rt_org)
    photo = SimpleUploadedFile("rapat.png", PNG, content_type="image/png")

    response = client_for(rt_chair).post(
        reverse("announcements:relay", args=[delivery.pk]),
        {
            "method": RelayReport.Method.MEETING,
            "held_on": timezone.localdate().isoformat(),
            "residents_reached": 45,
            "note": "Rapat warga di pos RT",
            "photos": [photo],
        },
    )

    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.residents_reached == 45
    assert delivery.relayed_at is not None
    assert delivery.acknowledged_at is not None
    assert RelayPhoto.objects.filter(report__delivery=delivery).count() == 1
    photo_page = client_for(rt_chair).get(reverse("announcements:relay-photo", args=[RelayPhoto.objects.get().pk]))
    assert photo_page.status_code == 200


def test_a_relay_report_in_the_future_or_with_a_fake_photo_is_refused_and_nothing_saved(
    sent: Callable[..., Announcement], client_for: Callable[[User], Client], rt_chair: User, rt_org: Organisation
) -> None:
    delivery = _delivery(sent(), rt_org)
    client = client_for(rt_chair)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    future = client.post(
        reverse("announcements:relay", args=[delivery.pk]),
        {"method": "meeting", "held_on": tomorrow.isoformat(), "residents_reached": 5},
    )
    fake = client.post(
        reverse("announcements:relay", args=[delivery.pk]),
        {
            "method": "banner",
            "held_on": timezone.localdate().isoformat(),
            "residents_reached": 5,
            "photos": [SimpleUploadedFile("x.png", b"<script>", content_type="image/png")],
        },
    )

    assert future.status_code == 422
    assert "cannot be in the future" in future.content.decode()
    assert fake.status_code == 422
    assert not RelayReport.objects.exists()
    assert Delivery.objects.get(pk=delivery.pk).relayed_at is None


def test_answers_are_seen_by_every_recipient_but_open_questions_only_by_the_asker(
    sent: Callable[..., Announcement],
    client_for: Callable[[User], Client],
    rt_chair: User,
    neighbour_chair: User,
    lurah_operator: User,
    rt_org: Organisation,
    other_rt_org: Organisation,
) -> None:
    announcement = sent()
    mine = _delivery(announcement, rt_org)
    neighbours = _delivery(announcement, other_rt_org)
    client_for(rt_chair).post(reverse("announcements:ask", args=[mine.pk]), {"text": "Kapan petugas datang?"})
    question = Question.objects.get()

    before = client_for(neighbour_chair).get(reverse("announcements:delivery", args=[neighbours.pk])).content.decode()
    assert "Kapan petugas datang?" not in before
    assert (
        "Kapan petugas datang?"
        in client_for(rt_chair).get(reverse("announcements:delivery", args=[mine.pk])).content.decode()
    )

    response = client_for(lurah_operator).post(
        reverse("announcements:answer", args=[question.pk]), {"text": "Mulai 1 Juni."}
    )

    assert response.status_code == 302
    after = client_for(neighbour_chair).get(reverse("announcements:delivery", args=[neighbours.pk])).content.decode()
    assert "Kapan petugas datang?" in after
    assert "Mulai 1 Juni." in after


def test_only_the_sending_unit_answers(
    sent: Callable[..., Announcement],
    client_for: Callable[[User], Client],
    rt_chair: User,
    city_viewer: User,
    rt_org: Organisation,
) -> None:
    delivery = _delivery(sent(), rt_org)
    question = services.question_ask(by=rt_chair, delivery=delivery, text="Apa syaratnya?")

    assert (
        client_for(city_viewer).post(reverse("announcements:answer", args=[question.pk]), {"text": "x"}).status_code
        == 403
    )
    assert (
        client_for(rt_chair).post(reverse("announcements:answer", args=[question.pk]), {"text": "x"}).status_code == 404
    )
    assert not Answer.objects.exists()
