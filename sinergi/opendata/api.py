"""Open data endpoints under /api/v1/open-data: public, no token needed. Aggregates only; early
warning is never here."""

from typing import Any

from django.http import Http404
from ninja import Router, Schema

from sinergi.opendata import datasets

router = Router(tags=["Open data"])


class ColumnOut(Schema):
    name: str
    description: str


class MetadataOut(Schema):
    slug: str
    title: str
    producer: str
    period: dict[str, str] | None
    unit: str
    definition: str
    frequency: str
    last_updated: str
    licence: str
    rows: int
    columns: list[ColumnOut]
    suppression: str


class DatasetOut(Schema):
    metadata: MetadataOut
    data: list[dict[str, Any]]


@router.get("/datasets", auth=None, response=list[MetadataOut], summary="Open datasets and their metadata")
def dataset_list(request: Any) -> list[dict[str, Any]]:
    return [built.metadata() for slug in datasets.DATASETS if (built := datasets.get(slug)) is not None]


@router.get("/datasets/{slug}", auth=None, response=DatasetOut, summary="One open dataset with its rows")
def dataset_detail(request: Any, slug: str) -> dict[str, Any]:
    built = datasets.get(slug)
    if built is None:
        raise Http404
    return {"metadata": built.metadata(), "data": built.rows}
