"""The public open-data pages: no account needed."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sinergi.opendata import datasets

PREVIEW_ROWS = 50
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def _built(slug: str) -> datasets.Built:
    built = datasets.get(slug)
    if built is None:
        raise Http404
    return built


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Every dataset with its metadata."""
    items = [datasets.get(slug) for slug in datasets.DATASETS]
    return render(request, "opendata/index.html", {"items": [b.metadata() for b in items if b is not None]})


@require_GET
def dataset(request: HttpRequest, slug: str) -> HttpResponse:
    built = _built(slug)
    return render(
        request,
        "opendata/dataset.html",
        {
            "meta": built.metadata(),
            "columns": [c.name for c in built.dataset.columns],
            "rows": [[row.get(c.name) for c in built.dataset.columns] for row in built.rows[:PREVIEW_ROWS]],
        },
    )


@require_GET
def download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    built = _built(slug)
    if fmt not in CONTENT_TYPES:
        raise Http404
    body = built.as_csv() if fmt == "csv" else built.as_json()
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="sinergi-{slug}.{fmt}"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=600"
    return response
