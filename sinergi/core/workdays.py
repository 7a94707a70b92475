"""Working days of Indonesia's government offices: Monday to Friday, less public holidays.

Deadlines in Sinergi are counted in working days: the 7 working days an Ormas has to comply with a
written warning (UU 16/2017), a complaint's service level. Holidays and collective leave days come
from ``PublicHoliday``. Each year's set is kept in the shared cache rather than in module memory,
so an administrator's edit (``forget`` runs after it) reaches every process at once.

A deadline "after n working days" does not count the day it starts from: a warning given on a
Monday with 7 working days to comply is due on the Wednesday of the next week, or later when a
holiday falls in between.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.core.cache import cache

from sinergi.core.models import PublicHoliday

CACHE_SECONDS = 24 * 3600  # a safety net: writes through the services forget the year at once
SATURDAY = 5


def cache_key(year: int) -> str:
    """Where the shared cache keeps the holidays of ``year`` (a list of dates), for a caller that reads
    them together with other keys in one round trip and passes them to ``add_working_days``."""
    return f"workdays:holidays:{year}"


_key = cache_key


def holidays(year: int) -> frozenset[datetime.date]:
    """The public holidays and collective leave days of ``year``."""
    days: list[datetime.date] | None = cache.get(_key(year))
    if days is None:
        days = list(PublicHoliday.objects.filter(date__year=year).values_list("date", flat=True))
        cache.set(_key(year), days, CACHE_SECONDS)
    return frozenset(days)


def forget(years: Iterable[int]) -> None:
    """Drop the cached holidays of ``years`` after they were edited."""
    cache.delete_many([_key(year) for year in set(years)])


class _Calendar:
    """Holidays read once per year for the length of one computation (``known``: years read already)."""

    def __init__(self, known: Mapping[int, Iterable[datetime.date]] | None = None) -> None:
        self._years: dict[int, frozenset[datetime.date]] = {y: frozenset(d) for y, d in (known or {}).items()}

    def holidays(self, year: int) -> frozenset[datetime.date]:
        if year not in self._years:
            self._years[year] = holidays(year)
        return self._years[year]

    def is_working_day(self, day: datetime.date) -> bool:
        return day.weekday() < SATURDAY and day not in self.holidays(day.year)


def is_working_day(day: datetime.date) -> bool:
    """Whether government offices work on ``day``: a weekday that is neither a holiday nor collective leave."""
    return _Calendar().is_working_day(day)


def add_working_days(
    start: datetime.date, n: int, *, known: Mapping[int, Iterable[datetime.date]] | None = None
) -> datetime.date:
    """The day on which ``n`` working days after ``start`` have passed; ``start`` itself is not counted.

    A negative ``n`` counts back: the working day ``-n`` working days before ``start``. ``known`` holds
    the holidays of years the caller has read from the cache already (``cache_key``).
    """
    calendar = _Calendar(known)
    step = datetime.timedelta(days=1 if n >= 0 else -1)
    day, remaining = start, abs(n)
    while remaining:
        day += step
        if calendar.is_working_day(day):
            remaining -= 1
    return day


def _weekdays_through(day: datetime.date) -> int:
    # Ordinal 1 (1 January of year 1) is a Monday, so whole weeks from there hold five weekdays each.
    weeks, rest = divmod(day.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


def working_days_between(a: datetime.date, b: datetime.date) -> int:
    """The working days after ``a`` up to and including ``b``; negative when ``b`` is before ``a``.

    It is the inverse of ``add_working_days``: ``working_days_between(a, add_working_days(a, n)) == n``.
    """
    if b < a:
        return -working_days_between(b, a)
    calendar = _Calendar()
    closed = sum(
        1
        for year in range(a.year, b.year + 1)
        for day in calendar.holidays(year)
        if a < day <= b and day.weekday() < SATURDAY
    )
    return _weekdays_through(b) - _weekdays_through(a) - closed
