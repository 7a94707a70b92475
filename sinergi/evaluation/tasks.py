"""Background work of evaluation: computing a round and rendering its report. Both take the round's
id and are safe to run twice (a second computation writes the same scores; a second report replaces
the first)."""

from __future__ import annotations

from django.conf import settings
from django.tasks import task
from django.utils import translation

from sinergi.core.context import acting_as
from sinergi.evaluation import services


@task
def compute_round(round_id: int) -> int:
    """Compute every indicator of a round, then totals and ranking; returns the round's id."""
    with acting_as(None, channel="task"):
        return services.round_compute(round_id=round_id).pk


@task
def make_report(round_id: int) -> int:
    """Render the round's PDF report in the default language (Bahasa Indonesia)."""
    with acting_as(None, channel="task"), translation.override(settings.LANGUAGE_CODE):
        return services.report_make(round_id=round_id).pk


@task
def refresh_dashboard(area_code: str, watcher: bool, day: str) -> str:
    """Compute an area's home-page figures again into the shared cache (see ``dashboard.area_stats``)."""
    import datetime

    from sinergi.evaluation import dashboard
    from sinergi.territory.models import Region

    area = Region.objects.filter(code=area_code).first()
    if area is not None:
        dashboard.store_area_stats(area, watcher=watcher, today=datetime.date.fromisoformat(day))
    return area_code
