"""The demo data: Jakarta's category tree routed to real units, cases in every status, idempotent."""

from __future__ import annotations

import time

import pytest
from django.utils import timezone

from sinergi.accounts import demo as accounts_demo
from sinergi.cases import demo
from sinergi.cases.models import Attachment, Case, Category
from sinergi.core.context import acting_as
from sinergi.territory.models import Region

pytestmark = pytest.mark.django_db


def test_the_demo_makes_cases_in_every_status_and_a_second_run_makes_nothing(jakarta: None, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    province = Region.objects.get(code="31")
    with acting_as(None, channel="system"):
        accounts_demo.create_units(province)
        started = time.monotonic()
        made = demo.seed()
        took = time.monotonic() - started
        again = demo.seed()

    assert made["cases"] == demo.CASES
    assert again == {}
    assert took < 30
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == set(Case.Status.values)
    assert Case.objects.open().filter(due_on__lt=timezone.localdate()).exists()
    assert Case.objects.filter(rating__isnull=False).exists()
    for case in Case.objects.filter(status=Case.Status.DONE):
        assert Attachment.objects.filter(case=case, purpose="proof").exists()
    flood = Category.objects.get(name="Genangan dan banjir")
    assert flood.unit is not None
    assert flood.unit.name == "Dinas Sumber Daya Air Provinsi DKI Jakarta"
    assert Case.objects.filter(region__name="Pasar Baru").exists()
    assert Case.objects.filter(current_unit__kind="sub_agency").exists()
