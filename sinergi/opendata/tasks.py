"""Background work of open data: build every dataset again ahead of visitors."""

from __future__ import annotations

from django.tasks import task

from sinergi.opendata import datasets


@task
def refresh_open_data() -> int:
    """Periodic: rebuild each dataset into the shared cache; returns how many were built."""
    for slug in datasets.DATASETS:
        datasets.get(slug, fresh=True)
    return len(datasets.DATASETS)
