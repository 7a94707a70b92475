"""Staff pages: drafting and sending, what each persona sees, and progress by area."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.announcements import services
from sinergi.announcements.models import Announcement, Attachment, Delivery
from sinergi.registry.models import Organisation
from sinergi.registry.tests.conftest import PDF

pytestmark = pytest.mark.django_db


def test_an_operator_drafts_and_sends_from_the_pages(
    client_for: Callable[[User], Client],
    lurah_operator: User,
    gambir_orgs: list[Organisation],
    rt_chair: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(lurah_operator)
    unit = services.sender_units(lurah_operator)[0]
    response = client.post(
        reverse("announcements:create"),
        {
            "unit": unit.pk,
            "title": "Kerja bakti saluran",
            "category": "works",
            "body": "Hari Minggu kerja bakti.",
            "kinds": ["rt"],
            "region_codes": ["31.71.01.1001"],
            "ack_required": "on",
            "attachments": [SimpleUploadedFile("surat.pdf", PDF, content_type="application/pdf")],
        },
    )
    announcement = Announcement.objects.get()
    assert response.status_code == 302
    assert announcement.status == Announcement.Status.DRAFT
    assert Attachment.objects.filter(announcement=announcement).count() == 1

    detail = client.get(reverse("announcements:detail", args=[announcement.pk])).content.decode()
    assert "RT (Rukun Tetangga): 2" in detail  # the preview before sending

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("announcements:send", args=[announcement.pk]))

    assert sent.status_code == 302
    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.SENT
    polled = client.get(
        reverse("announcements:fanout", args=[announcement.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "2 of 2 organisations delivered" in polled
    attachment = Attachment.objects.get()
    chair_client = client_for(rt_chair)
    assert chair_client.get(reverse("announcements:attachment", args=[attachment.pk])).status_code == 200


def test_a_form_with_errors_says_what_is_wrong_and_saves_nothing(
    client_for: Callable[[User], Client], lurah_operator: User, gambir_orgs: list[Organisation]
) -> None:
    unit = services.sender_units(lurah_operator)[0]
    response = client_for(lurah_operator).post(
        reverse("announcements:create"),
        {"unit": unit.pk, "title": "X", "category": "works", "body": "<script>x</script>", "relay_required": "on"},
    )

    assert response.status_code == 422
    text = response.content.decode()
    assert "Write the message." in text
    assert "Say by when organisations must report" in text
    assert not Announcement.objects.exists()


def test_staff_see_announcements_reaching_their_territory_and_outsiders_get_404(
    sent: Callable[..., Announcement],
    client_for: Callable[[User], Client],
    camat_operator: User,
    city_viewer: User,
    outsider_operator: User,
    west_admin: User,
) -> None:
    announcement = sent()
    url = reverse("announcements:detail", args=[announcement.pk])

    assert client_for(camat_operator).get(url).status_code == 200
    assert client_for(city_viewer).get(url).status_code == 200
    assert client_for(outsider_operator).get(url).status_code == 404
    assert client_for(west_admin).get(url).status_code == 404
    assert "Sensus Ekonomi" not in client_for(outsider_operator).get(reverse("announcements:list")).content.decode()


def test_a_draft_is_seen_only_by_its_unit_and_those_above(
    draft: Callable[..., Announcement],
    client_for: Callable[[User], Client],
    camat_operator: User,
    kesbangpol_admin: User,
) -> None:
    announcement = draft()
    url = reverse("announcements:detail", args=[announcement.pk])

    assert client_for(kesbangpol_admin).get(url).status_code == 200
    assert client_for(camat_operator).get(url).status_code == 200  # the kelurahan office is in the kecamatan
    assert client_for(camat_operator).post(reverse("announcements:send", args=[announcement.pk])).status_code == 403


def test_progress_by_area_drills_down_and_lists_who_is_late(
    sent: Callable[..., Announcement],
    client_for: Callable[[User], Client],
    kesbangpol_admin: User,
    rt_chair: User,
    rt_org: Organisation,
    ormas_org: Organisation,
    outsider_rt_org: Organisation,
    django_assert_max_num_queries: Any,
) -> None:
    from sinergi.registry.targeting import Audience

    announcement = sent(by=kesbangpol_admin, audience=Audience(kinds=("rt", "ormas"), region_codes=("31.71",)))
    delivery = Delivery.objects.get(announcement=announcement, organisation=rt_org)
    services.relay_report_file(
        by=rt_chair, delivery=delivery, method="meeting", held_on=timezone.localdate(), residents_reached=30
    )
    client = client_for(kesbangpol_admin)
    url = reverse("announcements:progress", args=[announcement.pk])

    with django_assert_max_num_queries(20):
        city = client.get(url)
    text = city.content.decode()
    assert city.status_code == 200
    assert 'data-area="31.71.01"' in text
    assert 'data-area="31.71.02"' in text  # Gambir and Sawah Besar
    assert "Perkumpulan Warga Peduli Gambir" in text  # late: not acknowledged
    assert city.context["totals"].total == 4
    assert city.context["totals"].reached == 30

    kecamatan = client.get(url, {"area": "31.71.01"})
    rows = {row.code: row for row in kecamatan.context["rows"]}
    assert rows["31.71.01.1001"].acknowledged == 1
    assert rows["31.71.01.1001"].total == 2
    assert rows["31.71.01"].total == 1  # the Ormas, placed at kecamatan level
    assert 'id="progress-map"' in kecamatan.content.decode()


def test_a_lurah_sees_progress_of_their_own_kelurahan_only(
    sent: Callable[..., Announcement],
    client_for: Callable[[User], Client],
    kesbangpol_admin: User,
    lurah_operator: User,
    gambir_orgs: list[Organisation],
    outsider_rt_org: Organisation,
) -> None:
    from sinergi.registry.targeting import Audience

    announcement = sent(by=kesbangpol_admin, audience=Audience(kinds=("rt",), region_codes=("31.71",)))

    response = client_for(lurah_operator).get(reverse("announcements:progress", args=[announcement.pk]))

    assert response.context["totals"].total == 2  # the two RT of Gambir, not Pasar Baru's
    assert "Pasar Baru" not in response.content.decode()


def test_a_draft_is_changed_from_its_page_and_a_scheduled_one_goes_back_to_draft(
    draft: Callable[..., Announcement], client_for: Callable[[User], Client], lurah_operator: User
) -> None:
    import datetime

    announcement = draft(publish_at=timezone.now() + datetime.timedelta(days=1))
    services.announcement_send(by=lurah_operator, announcement=announcement)
    client = client_for(lurah_operator)

    response = client.post(
        reverse("announcements:edit", args=[announcement.pk]),
        {
            "unit": announcement.unit_id,
            "title": "Sensus Ekonomi 2026 (ralat)",
            "category": "census",
            "body": "Jadwal berubah.",
            "kinds": ["rw"],
            "region_codes": ["31.71.01.1001"],
        },
    )

    assert response.status_code == 302
    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.DRAFT
    assert announcement.title == "Sensus Ekonomi 2026 (ralat)"
    assert announcement.audience["kinds"] == ["rw"]
    assert announcement.publish_at is None


def test_the_inbox_costs_the_same_queries_for_one_delivery_or_many(
    sent: Callable[..., Announcement],
    client_for: Callable[[User], Client],
    rt_chair: User,
    django_assert_num_queries: Any,
) -> None:
    sent()
    client = client_for(rt_chair)
    client.get(reverse("announcements:inbox"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("announcements:inbox"))
    sent(title="Kerja bakti")
    sent(title="Posyandu")
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("announcements:inbox"))
    assert response.content.decode().count("list-group-item-action") == 3
