"""Each computed indicator against the small hand-made data set (see conftest)."""

from __future__ import annotations

import datetime

import pytest

from conftest import Territory
from sinergi.evaluation import indicators
from sinergi.evaluation.indicators import Basis
from sinergi.evaluation.services import rollup
from sinergi.evaluation.tests.conftest import END, START, Small

pytestmark = pytest.mark.django_db


def by_kelurahan(code: str, territory: Territory) -> dict[str, tuple[int, int]]:
    counts = indicators.REGISTRY[code].compute(Basis(area=territory.gambir.code, start=START, end=END))
    subjects = {territory.kel_gambir.code: 1, territory.kel_cideng.code: 2}
    totals = rollup(counts, subjects)
    return {"gambir": totals.get(1, (0, 0)), "cideng": totals.get(2, (0, 0))}


def test_officers_present_counts_organisations_with_a_chair_in_office(small: Small, territory: Territory) -> None:
    assert by_kelurahan("officers_present", territory) == {"gambir": (1, 2), "cideng": (0, 1)}


def test_terms_current_counts_a_lapsed_term_against(small: Small, territory: Territory) -> None:
    assert by_kelurahan("terms_current", territory) == {"gambir": (1, 1), "cideng": (0, 1)}


def test_documents_valid_counts_the_latest_document_valid_at_the_end(small: Small, territory: Territory) -> None:
    assert by_kelurahan("documents_valid", territory) == {"gambir": (1, 2), "cideng": (0, 0)}


def test_activity_reports_counts_reports_held_in_the_period(small: Small, territory: Territory) -> None:
    assert by_kelurahan("activity_reports", territory) == {"gambir": (1, 2), "cideng": (0, 1)}


def test_event_attendance_counts_invitations_with_a_delegate_checked_in(small: Small, territory: Territory) -> None:
    assert by_kelurahan("event_attendance", territory) == {"gambir": (1, 2), "cideng": (0, 1)}


def test_an_event_outside_the_period_does_not_count(small: Small, territory: Territory) -> None:
    small.event.days.update(date="2026-08-01")
    assert by_kelurahan("event_attendance", territory) == {"gambir": (0, 0), "cideng": (0, 0)}


def test_a_cancelled_event_does_not_count(small: Small, territory: Territory) -> None:
    small.event.status = "cancelled"
    small.event.save(update_fields=["status"])
    assert by_kelurahan("event_attendance", territory)["gambir"] == (0, 0)


def test_organisations_are_counted_one_by_one(small: Small, territory: Territory) -> None:
    basis = Basis(
        area=territory.gambir.code, start=START, end=END, by_organisation=True, organisation_kind_id=small.rt1.kind_id
    )
    counts = indicators.REGISTRY["event_attendance"].compute(basis)
    assert counts == {small.rt1.pk: (1, 1), small.rt2.pk: (0, 1), small.cideng.pk: (0, 1)}


def test_counts_add_up_to_a_kecamatan(small: Small, territory: Territory) -> None:
    counts = indicators.REGISTRY["officers_present"].compute(Basis(area=territory.jakpus.code, start=START, end=END))
    assert rollup(counts, {territory.gambir.code: 7, territory.sawah_besar.code: 8}) == {7: (1, 3)}


def test_value_is_a_share_out_of_100_or_none_without_anything_to_count() -> None:
    assert indicators.value_of(1, 3) == 33.33
    assert indicators.value_of(0, 0) is None


def test_case_sla_counts_cases_closed_by_their_due_date(activity: Small, territory: Territory) -> None:
    # Gambir: two closed in time, one late, one still open past its due date. Cideng: one open past due.
    assert by_kelurahan("case_sla", territory) == {"gambir": (2, 4), "cideng": (0, 1)}


def test_case_rating_is_a_share_of_the_best_rating(activity: Small, territory: Territory) -> None:
    assert by_kelurahan("case_rating", territory) == {"gambir": (12, 12), "cideng": (0, 0)}


def test_announcement_acknowledgement_and_relay(activity: Small, territory: Territory) -> None:
    assert by_kelurahan("announcement_ack", territory) == {"gambir": (1, 2), "cideng": (0, 1)}
    assert by_kelurahan("announcement_relay", territory) == {"gambir": (1, 2), "cideng": (0, 1)}


def test_fkdm_reporting_counts_member_days_with_a_report(fkdm: object, territory: Territory) -> None:
    counts = indicators.REGISTRY["fkdm_reporting"].compute(
        Basis(area=territory.gambir.code, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 1, 10))
    )
    assert counts == {territory.kel_gambir.code: (3, 20)}
