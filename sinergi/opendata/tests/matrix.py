"""This app's rows of the permission matrix: open data is public, for everyone, signed in or not."""

from __future__ import annotations

from typing import Any

from sinergi.core.tests.matrix_rows import API_OPEN, OPEN, MatrixContext

PAGES: dict[str, Any] = {
    "opendata:index": (lambda w, t: [], OPEN),
    "opendata:dataset": (lambda w, t: ["organisations"], OPEN),
    "opendata:download": (lambda w, t: ["cases", "csv"], OPEN),
}
WRITES: dict[str, Any] = {}
API: dict[tuple[str, str], Any] = {
    ("get", "/api/v1/open-data/datasets"): (lambda w, t: {}, None, API_OPEN),
    ("get", "/api/v1/open-data/datasets/{slug}"): (lambda w, t: {"slug": "events"}, None, API_OPEN),
}
FORM_BODIES: set[str] = set()
SNAPSHOT_MODELS: list[Any] = []


def build(ctx: MatrixContext) -> dict[str, Any]:
    return {}
