"""The reference data every submission reads (its category; its kelurahan and that kelurahan's
office; the year's public holidays for its due date), from Django's shared cache in one round trip
instead of four queries per submission.

The public intake is the busiest write of Sinergi (hundreds a second when a flood or an outage
makes everyone report at once), and these rows change a few times a year. They are kept in the
cache every app server shares, never in module memory. Each entry carries the *generation* it was
read in; any save or delete of a category or government unit starts a new generation (``forget``,
connected to their signals in ``CasesConfig.ready``), and an entry of an older generation is read
again, so an administrator's edit reaches every server at the next submission.
The generation is fetched in the same ``get_many`` as the entries. A missing row is never cached: a
kelurahan or category added by a bulk import is found at once. ``CACHE_SECONDS`` is only a safety
net for writes that bypass the signals. Holidays use the keys of ``sinergi.core.workdays``, which
forgets them itself.
"""

from __future__ import annotations

import datetime
import re
import time
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from sinergi.accounts.models import Unit
from sinergi.cases import routing
from sinergi.cases.models import Category
from sinergi.core import workdays
from sinergi.territory.models import Region

CACHE_SECONDS = 300
KELURAHAN_CODE = re.compile(r"[0-9][0-9.]{0,12}")
GENERATION_KEY = "cases:reference:generation"


@dataclass(frozen=True)
class Place:
    """A kelurahan and the office a new case there goes to (``None`` when no office covers it)."""

    region: Region
    office: Unit | None


@dataclass(frozen=True)
class Reference:
    category: Category | None = None
    place: Place | None = None
    holidays: dict[int, list[datetime.date]] = field(default_factory=dict)  # the years found in the cache

    def due_on(self, sla_days: int, today: datetime.date | None = None) -> datetime.date:
        return workdays.add_working_days(today or timezone.localdate(), sla_days, known=self.holidays)


def forget(*args: Any, **kwargs: Any) -> None:
    """Start a new generation once the current transaction commits (a signal receiver): every server
    then reads the reference rows again, and none can store a row read before the change committed
    under the new generation."""
    transaction.on_commit(_new_generation)


def _new_generation() -> None:
    cache.set(GENERATION_KEY, time.time_ns(), None)


def lookup(*, category_id: int | None, kelurahan_code: str | None) -> Reference:
    """The active category ``category_id`` and the kelurahan ``kelurahan_code`` with its office, each
    ``None`` when there is none (or when not asked for), and this year's and next year's holidays
    when cached. One cache round trip when everything is cached."""
    if kelurahan_code is not None and not KELURAHAN_CODE.fullmatch(kelurahan_code):
        kelurahan_code = None  # not a code at all: no kelurahan, and no odd cache key
    category_key = f"cases:reference:category:{category_id}"
    place_key = f"cases:reference:place:{kelurahan_code}"
    year = timezone.localdate().year
    holiday_keys = {workdays.cache_key(y): y for y in (year, year + 1)}
    found = cache.get_many([GENERATION_KEY, category_key, place_key, *holiday_keys])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        _new_generation()
        generation = cache.get(GENERATION_KEY)

    def current(key: str) -> Any:
        entry = found.get(key)
        return entry[1] if isinstance(entry, tuple) and entry[0] == generation else None

    category: Category | None = current(category_key) if category_id else None
    place: Place | None = current(place_key) if kelurahan_code else None
    fresh: dict[str, Any] = {}
    if category_id and category is None:
        category = Category.objects.filter(pk=category_id, is_active=True).first()
        if category is not None:
            fresh[category_key] = (generation, category)
    if kelurahan_code and place is None:
        # Without its boundary (a few kilobytes of GeoJSON), which every submission would otherwise
        # carry out of the cache; the office likewise without the region it was found through.
        region = Region.objects.filter(code=kelurahan_code, level=Region.Level.VILLAGE).defer("boundary").first()
        if region is not None:
            office = routing.first_unit(region)
            place = Place(region=region, office=Unit.objects.filter(pk=office.pk).first() if office else None)
            fresh[place_key] = (generation, place)
    if fresh:
        cache.set_many(fresh, CACHE_SECONDS)
    holidays = {y: found[key] for key, y in holiday_keys.items() if found.get(key) is not None}
    return Reference(category=category, place=place, holidays=holidays)


def place_of(region: Region) -> Place:
    """``region`` (already read) with the office a new case there goes to, through the cache."""
    place = lookup(category_id=None, kelurahan_code=region.code).place
    if place is None or place.region.pk != region.pk:
        return Place(region=region, office=routing.first_unit(region))
    return place


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    # Not Region: the territory load saves every region of a file one by one (all Indonesia is
    # 84,000), and a kelurahan is never deleted or moved, only renamed; a renamed one keeps its old
    # name in the API's answers for at most CACHE_SECONDS.
    for model in (Category, Unit):
        post_save.connect(forget, sender=model, dispatch_uid=f"cases-reference-{model._meta.label_lower}-save")
        post_delete.connect(forget, sender=model, dispatch_uid=f"cases-reference-{model._meta.label_lower}-delete")
