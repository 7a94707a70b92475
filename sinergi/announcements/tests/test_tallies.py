"""The progress counts per area (``DeliveryTally``) always equal a count of the deliveries: after the
fan-out, a batch run twice, opening, acknowledging and relay reports, and through each persona's scope."""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.announcements import fanout, selectors, services, tasks
from sinergi.announcements.models import Announcement, Delivery, DeliveryTally, FanoutBatch, area_columns
from sinergi.registry.models import Organisation
from sinergi.registry.targeting import Audience

pytestmark = pytest.mark.django_db

Counts = dict[str, tuple[int, int, int, int, int]]


def recount(deliveries: QuerySet[Delivery]) -> Counts:
    rows = (
        deliveries.values("area_code")
        .annotate(
            total=Count("pk"),
            read=Count("read_at"),
            acknowledged=Count("acknowledged_at"),
            relayed=Count("relayed_at"),
            reached=Coalesce(Sum("residents_reached"), 0),
        )
        .order_by()
    )
    return {r["area_code"]: (r["total"], r["read"], r["acknowledged"], r["relayed"], r["reached"]) for r in rows}


def tallied(tallies: QuerySet[DeliveryTally]) -> Counts:
    return {t.area_code: (t.total, t.read, t.acknowledged, t.relayed, t.reached) for t in tallies}


def assert_tallies_match(announcement: Announcement) -> None:
    tallies = DeliveryTally.objects.filter(announcement=announcement)
    assert tallied(tallies) == recount(Delivery.objects.filter(announcement=announcement))
    for tally in tallies:
        assert (tally.city_code, tally.district_code) == (
            area_columns(tally.area_code)["city_code"],
            area_columns(tally.area_code)["district_code"],
        )


@pytest.fixture
def city_wide(
    sent: Callable[..., Announcement],
    kesbangpol_admin: User,
    gambir_orgs: list[Organisation],
    outsider_rt_org: Organisation,
) -> Announcement:
    """Sent by Kesbangpol to the RT, RW and Ormas of Jakarta Pusat: Gambir (kelurahan and kecamatan)
    and Pasar Baru in Sawah Besar."""
    return sent(by=kesbangpol_admin, audience=Audience(kinds=("rt", "rw", "ormas"), region_codes=("31.71",)))


def test_the_fan_out_tallies_every_area_it_delivered_to(city_wide: Announcement) -> None:
    assert tallied(DeliveryTally.objects.filter(announcement=city_wide)) == {
        "31.71.01": (1, 0, 0, 0, 0),  # the Ormas, placed at kecamatan level
        "31.71.01.1001": (3, 0, 0, 0, 0),
        "31.71.02.1001": (1, 0, 0, 0, 0),
    }
    assert_tallies_match(city_wide)
    assert city_wide.deliveries_done == 5


def test_opening_acknowledging_and_relay_reports_are_tallied_once(
    city_wide: Announcement, rt_chair: User, neighbour_chair: User, rt_org: Organisation, other_rt_org: Organisation
) -> None:
    mine = Delivery.objects.get(announcement=city_wide, organisation=rt_org)
    neighbours = Delivery.objects.get(announcement=city_wide, organisation=other_rt_org)

    services.delivery_open(by=rt_chair, delivery=mine)
    services.delivery_open(by=rt_chair, delivery=Delivery.objects.get(pk=mine.pk))  # a second opening
    assert tallied(DeliveryTally.objects.filter(area_code="31.71.01.1001"))["31.71.01.1001"] == (3, 1, 0, 0, 0)

    services.delivery_acknowledge(by=neighbour_chair, delivery=neighbours)  # reads it too
    services.delivery_acknowledge(by=neighbour_chair, delivery=Delivery.objects.get(pk=neighbours.pk))
    assert tallied(DeliveryTally.objects.filter(area_code="31.71.01.1001"))["31.71.01.1001"] == (3, 2, 1, 0, 0)

    for residents in (30, 12):  # two reports: residents add up, the delivery is relayed once
        services.relay_report_file(
            by=rt_chair,
            delivery=Delivery.objects.get(pk=mine.pk),
            method="meeting",
            held_on=timezone.localdate(),
            residents_reached=residents,
        )
    assert tallied(DeliveryTally.objects.filter(area_code="31.71.01.1001"))["31.71.01.1001"] == (3, 2, 2, 1, 42)
    assert_tallies_match(city_wide)


def test_a_batch_run_twice_counts_once(city_wide: Announcement, rt_chair: User, rt_org: Organisation) -> None:
    services.delivery_acknowledge(
        by=rt_chair, delivery=Delivery.objects.get(announcement=city_wide, organisation=rt_org)
    )
    before = tallied(DeliveryTally.objects.filter(announcement=city_wide))

    for batch in FanoutBatch.objects.filter(announcement=city_wide):
        FanoutBatch.objects.filter(pk=batch.pk).update(status=FanoutBatch.Status.PENDING)  # as if never marked done
        tasks.deliver_batch.call(batch_id=batch.pk)
        tasks.deliver_batch.call(batch_id=batch.pk)

    assert tallied(DeliveryTally.objects.filter(announcement=city_wide)) == before
    assert_tallies_match(city_wide)
    city_wide.refresh_from_db()
    assert city_wide.deliveries_done == 5


def test_a_delivery_written_outside_the_fan_out_is_counted_when_it_changes(
    draft: Callable[..., Announcement], lurah_operator: User, rt_chair: User, rt_org: Organisation
) -> None:
    announcement = draft()
    Announcement.objects.filter(pk=announcement.pk).update(status=Announcement.Status.SENT)
    delivery = Delivery.objects.create(
        announcement=announcement, organisation=rt_org, kind_code="rt", **area_columns(rt_org.region.code)
    )

    services.delivery_acknowledge(by=rt_chair, delivery=delivery)

    assert tallied(DeliveryTally.objects.filter(announcement=announcement)) == {"31.71.01.1001": (1, 1, 1, 0, 0)}


def test_a_recount_repairs_tallies_after_bulk_changes(city_wide: Announcement) -> None:
    Delivery.objects.filter(announcement=city_wide).update(read_at=timezone.now(), acknowledged_at=timezone.now())
    DeliveryTally.objects.create(announcement=city_wide, **area_columns("31.73.01.1001"), total=7)  # a stale area

    fanout.delivery_tallies_recount(announcement=city_wide)

    assert_tallies_match(city_wide)
    assert not DeliveryTally.objects.filter(announcement=city_wide, area_code="31.73.01.1001").exists()


def test_the_migration_fills_the_tallies_of_existing_announcements(
    city_wide: Announcement, rt_chair: User, rt_org: Organisation
) -> None:
    services.relay_report_file(
        by=rt_chair,
        delivery=Delivery.objects.get(announcement=city_wide, organisation=rt_org),
        method="banner",
        held_on=timezone.localdate(),
        residents_reached=25,
    )
    expected = tallied(DeliveryTally.objects.filter(announcement=city_wide))
    DeliveryTally.objects.all().delete()

    importlib.import_module("sinergi.announcements.migrations.0002_delivery_tally").fill_tallies(apps, None)

    assert tallied(DeliveryTally.objects.filter(announcement=city_wide)) == expected
    assert_tallies_match(city_wide)


@pytest.mark.parametrize(
    ("persona", "areas"),
    [
        ("kesbangpol_admin", {"31.71.01", "31.71.01.1001", "31.71.02.1001"}),
        ("camat_operator", {"31.71.01", "31.71.01.1001"}),
        ("lurah_operator", {"31.71.01.1001"}),
        ("outsider_operator", {"31.71.02.1001"}),
    ],
)
def test_each_persona_counts_only_the_deliveries_it_sees(
    city_wide: Announcement, rt_chair: User, rt_org: Organisation, persona: str, areas: set[str], request: Any
) -> None:
    services.delivery_acknowledge(
        by=rt_chair, delivery=Delivery.objects.get(announcement=city_wide, organisation=rt_org)
    )
    user = request.getfixturevalue(persona)
    announcement = Announcement.objects.select_related("unit__region").get(pk=city_wide.pk)

    tallies = selectors.visible_tallies(user, announcement)

    assert set(tallies.values_list("area_code", flat=True)) == areas
    assert tallied(tallies) == recount(selectors.visible_deliveries(user, announcement))


def test_the_late_list_and_its_count_agree_with_the_deliveries(
    city_wide: Announcement,
    client_for: Callable[[User], Client],
    kesbangpol_admin: User,
    rt_chair: User,
    neighbour_chair: User,
    rt_org: Organisation,
    other_rt_org: Organisation,
) -> None:
    services.relay_report_file(
        by=rt_chair,
        delivery=Delivery.objects.get(announcement=city_wide, organisation=rt_org),
        method="meeting",
        held_on=timezone.localdate(),
        residents_reached=10,
    )
    services.delivery_acknowledge(
        by=neighbour_chair, delivery=Delivery.objects.get(announcement=city_wide, organisation=other_rt_org)
    )
    url = reverse("announcements:progress", args=[city_wide.pk])
    client = client_for(kesbangpol_admin)

    waiting = client.get(url).context["late_page"]
    assert waiting.paginator.count == 3  # not acknowledged: the RW, the Ormas and Pasar Baru's RT
    assert {d.organisation_id for d in waiting} == set(
        Delivery.objects.filter(announcement=city_wide, acknowledged_at__isnull=True).values_list(
            "organisation_id", flat=True
        )
    )

    # Once the relay report is overdue, the acknowledged RT without one is late too.
    Announcement.objects.filter(pk=city_wide.pk).update(
        relay_required=True, relay_due=timezone.localdate() - datetime.timedelta(days=1)
    )
    overdue = client.get(url).context["late_page"]
    assert overdue.paginator.count == 4
    assert other_rt_org.pk in {d.organisation_id for d in overdue}
    assert rt_org.pk not in {d.organisation_id for d in overdue}

    kelurahan = client.get(url, {"area": "31.71.01.1001"}).context["late_page"]
    assert kelurahan.paginator.count == 2
    assert {d.organisation_id for d in kelurahan} == set(
        Delivery.objects.filter(announcement=city_wide, area_code="31.71.01.1001", relayed_at__isnull=True).values_list(
            "organisation_id", flat=True
        )
    )
