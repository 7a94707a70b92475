"""Working days: weekends, national holidays and cuti bersama from the seeded calendar, and its cache."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

from sinergi.accounts.models import User
from sinergi.audit.models import AuditEvent
from sinergi.core import services
from sinergi.core.models import PublicHoliday
from sinergi.core.workdays import add_working_days, is_working_day, working_days_between

pytestmark = pytest.mark.django_db

LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "workdays"}}


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    # A shared cache such as Redis outlives the test's transaction: start each test from the database.
    cache.clear()


@pytest.fixture
def local_cache(settings: Any) -> None:
    """A process-local cache, so that only the holiday queries reach the database."""
    settings.CACHES = LOCAL_CACHE
    cache.clear()


def test_it_seeds_the_holidays_and_collective_leave_of_each_year() -> None:
    for year, holidays, leave in [(2024, 19, 10), (2025, 17, 11), (2026, 17, 8)]:
        days = PublicHoliday.objects.filter(date__year=year)
        assert days.filter(is_collective_leave=False).count() == holidays, year
        assert days.filter(is_collective_leave=True).count() == leave, year
    assert PublicHoliday.objects.get(date=d("2026-03-21")).name == "Idul Fitri 1447 Hijriah"
    assert PublicHoliday.objects.get(date=d("2025-08-18")).is_collective_leave
    # 2027 holds only the days that do not wait for its decree.
    assert PublicHoliday.objects.filter(date__year=2027, is_collective_leave=True).count() == 0
    assert PublicHoliday.objects.filter(date__year=2027).count() == 9


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-11-23", True),  # a Monday
        ("2026-11-21", False),  # Saturday
        ("2026-11-22", False),  # Sunday
        ("2026-08-17", False),  # Independence Day, a Monday
        ("2026-03-20", False),  # cuti bersama Idul Fitri, a Friday
        ("2026-03-25", True),  # the first working day after Lebaran
    ],
)
def test_it_tells_working_days_from_weekends_holidays_and_collective_leave(day: str, working: bool) -> None:
    assert is_working_day(d(day)) is working


def test_it_gives_a_plain_week_and_two_days_for_seven_working_days() -> None:
    assert add_working_days(d("2026-11-23"), 7) == d("2026-12-02")


def test_it_pushes_a_warning_given_just_before_idul_fitri_past_the_holidays_and_the_weekend() -> None:
    # A written warning on Tuesday 17 March 2026: 18 March cuti Nyepi, 19 Nyepi, 20 cuti Lebaran,
    # 21-22 Idul Fitri on the weekend, 23-24 cuti Lebaran. Working days are 25, 26, 27, 30, 31 March, 1, 2 April.
    assert add_working_days(d("2026-03-17"), 7) == d("2026-04-02")


def test_it_counts_lebaran_2025_with_its_collective_leave_and_two_weekends() -> None:
    # Thursday 27 March 2025; closed 28 March to 7 April (Nyepi leave, Lebaran, cuti bersama, two weekends).
    assert add_working_days(d("2025-03-27"), 7) == d("2025-04-16")


def test_it_crosses_the_year_end() -> None:
    # 24 December 2026 is cuti bersama, 25 Christmas, then the weekend; 1 January 2027 New Year.
    assert add_working_days(d("2026-12-23"), 3) == d("2026-12-30")
    assert add_working_days(d("2026-12-30"), 2) == d("2027-01-04")


def test_it_counts_from_a_weekend_to_the_next_working_day() -> None:
    assert add_working_days(d("2026-11-21"), 1) == d("2026-11-23")
    assert add_working_days(d("2026-11-21"), 0) == d("2026-11-21")


def test_it_counts_back_with_a_negative_number() -> None:
    assert add_working_days(d("2026-03-25"), -1) == d("2026-03-17")
    assert add_working_days(d("2026-12-02"), -7) == d("2026-11-23")


def test_it_counts_the_working_days_between_two_dates() -> None:
    assert working_days_between(d("2026-03-17"), d("2026-04-02")) == 7
    assert working_days_between(d("2026-04-02"), d("2026-03-17")) == -7
    assert working_days_between(d("2026-03-17"), d("2026-03-17")) == 0
    assert working_days_between(d("2026-03-17"), d("2026-03-24")) == 0
    # A whole year: 261 weekdays in 2026, of which 13 are holidays and 8 collective leave.
    assert working_days_between(d("2025-12-31"), d("2026-12-31")) == 261 - 13 - 8


@pytest.mark.usefixtures("local_cache")
def test_it_is_the_inverse_of_adding_working_days_on_every_day_of_the_seeded_years() -> None:
    start = d("2024-01-01")
    for offset in range(0, 4 * 366, 3):
        day = start + datetime.timedelta(days=offset)
        for n in (1, 7, 30):
            deadline = add_working_days(day, n)
            assert is_working_day(deadline), (day, n)
            assert working_days_between(day, deadline) == n, (day, n)
            assert working_days_between(day, deadline - datetime.timedelta(days=1)) == n - 1, (day, n)


@pytest.mark.usefixtures("local_cache")
def test_it_reads_each_year_from_the_database_once(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(2):  # 2026 and 2027
        add_working_days(d("2026-12-23"), 5)
    with django_assert_num_queries(0):
        add_working_days(d("2026-12-23"), 5)
        working_days_between(d("2026-01-01"), d("2027-06-01"))


def test_it_keeps_the_year_cached_until_the_calendar_is_edited(
    kesbangpol_admin: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    monday = d("2026-11-23")
    assert is_working_day(monday)
    PublicHoliday.objects.create(date=monday, name="Written behind the cache's back")
    assert is_working_day(monday)  # still cached

    PublicHoliday.objects.filter(date=monday).delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.public_holiday_save(by=kesbangpol_admin, date=monday, name="Hari Libur Daerah Contoh")

    assert not is_working_day(monday)
    assert add_working_days(d("2026-11-20"), 1) == d("2026-11-24")


def test_a_province_administrator_adds_changes_and_removes_a_holiday(
    kesbangpol_admin: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    day = d("2027-03-10")
    with django_capture_on_commit_callbacks(execute=True):
        holiday = services.public_holiday_save(by=kesbangpol_admin, date=day, name="Idul Fitri 1448 Hijriah")
        services.public_holiday_save(
            by=kesbangpol_admin, date=day, name="Cuti Bersama Idul Fitri 1448 Hijriah", is_collective_leave=True
        )
    holiday.refresh_from_db()
    assert holiday.is_collective_leave
    assert not is_working_day(day)

    with django_capture_on_commit_callbacks(execute=True):
        services.public_holiday_delete(by=kesbangpol_admin, holiday=holiday)

    assert is_working_day(day)
    actions = list(AuditEvent.objects.filter(object_type="core.publicholiday").values_list("action", flat=True))
    assert sorted(actions) == [
        "core.public_holiday.create",
        "core.public_holiday.delete",
        "core.public_holiday.update",
    ]
    assert set(AuditEvent.objects.filter(object_type="core.publicholiday").values_list("region_code", flat=True)) == {
        "31"
    }


@pytest.mark.parametrize("persona", ["city_admin", "lurah_operator"])
def test_it_refuses_calendar_edits_below_the_province(persona: str, request: pytest.FixtureRequest) -> None:
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.public_holiday_save(by=user, date=d("2027-03-10"), name="Idul Fitri 1448 Hijriah")
    assert not PublicHoliday.objects.filter(date=d("2027-03-10")).exists()
