"""Who receives an announcement: kinds in areas, named organisations, and never outside the
sender's territory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from sinergi.accounts.models import User
from sinergi.announcements.models import Announcement, Delivery
from sinergi.registry.models import Organisation
from sinergi.registry.targeting import Audience

pytestmark = pytest.mark.django_db


def _delivered(announcement: Announcement) -> set[str]:
    return set(Delivery.objects.filter(announcement=announcement).values_list("organisation__name", flat=True))


def test_kinds_in_an_area_reach_only_those_kinds_there(
    sent: Callable[..., Announcement],
    gambir_orgs: list[Organisation],
    outsider_rt_org: Organisation,
    kesbangpol_admin: User,
) -> None:
    announcement = sent(by=kesbangpol_admin, audience=Audience(kinds=("rt",), region_codes=("31.71.01",)))

    assert _delivered(announcement) == {"RT 001/RW 001", "RT 002/RW 001"}  # Gambir, not Pasar Baru; no RW


def test_every_kind_of_an_area_when_no_kind_is_named(
    sent: Callable[..., Announcement], gambir_orgs: list[Organisation], kesbangpol_admin: User
) -> None:
    announcement = sent(by=kesbangpol_admin, audience=Audience(region_codes=("31.71.01",)))

    assert _delivered(announcement) == {"RT 001/RW 001", "RT 002/RW 001", "RW 001", "Perkumpulan Warga Peduli Gambir"}


def test_named_organisations_are_added_to_the_rule(
    sent: Callable[..., Announcement], gambir_orgs: list[Organisation], ormas_org: Organisation, camat_operator: User
) -> None:
    audience = Audience(kinds=("rw",), region_codes=("31.71.01.1001",), organisation_ids=(ormas_org.pk,))

    announcement = sent(by=camat_operator, audience=audience)

    assert _delivered(announcement) == {"RW 001", "Perkumpulan Warga Peduli Gambir"}


def test_an_area_outside_the_senders_territory_is_refused_and_nothing_is_written(
    draft: Callable[..., Announcement], lurah_operator: User, outsider_rt_org: Organisation
) -> None:
    with pytest.raises(ValidationError) as caught:
        draft(audience=Audience(kinds=("rt",), region_codes=("31.71.02.1001",)))

    assert "Choose a territory you work in" in str(caught.value)
    with pytest.raises(ValidationError):
        draft(audience=Audience(organisation_ids=(outsider_rt_org.pk,)))
    assert not Announcement.objects.exists()


def test_an_empty_audience_is_refused(draft: Callable[..., Announcement]) -> None:
    with pytest.raises(ValidationError) as caught:
        draft(audience=Audience())

    assert "Choose kinds of organisation and areas" in str(caught.value)


def test_the_preview_counts_recipients_by_kind_before_sending(
    client_for: Callable[[User], Client], lurah_operator: User, gambir_orgs: list[Organisation]
) -> None:
    client = client_for(lurah_operator)

    response = client.get(
        reverse("announcements:preview"),
        {"kinds": ["rt", "rw"], "region_codes": ["31.71.01.1001"]},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "It will go to 3 organisations" in text
    assert "RT (Rukun Tetangga): 2" in text
    assert "RW (Rukun Warga): 1" in text


def test_the_preview_says_why_an_area_is_refused(
    client_for: Callable[[User], Client], lurah_operator: User, gambir_orgs: list[Organisation]
) -> None:
    response = client_for(lurah_operator).get(reverse("announcements:preview"), {"region_codes": ["31.71.02"]})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_a_viewer_cannot_write_an_announcement(
    client_for: Callable[[User], Client], city_viewer: User, settings: Any
) -> None:
    assert client_for(city_viewer).get(reverse("announcements:create")).status_code == 403
