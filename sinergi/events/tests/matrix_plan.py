"""The permission-matrix rows of the events' plan stage (merged by tests/matrix.py)."""

from __future__ import annotations

from typing import Any

from sinergi.core.tests.matrix_rows import MatrixContext

PAGES: dict[str, Any] = {}
WRITES: dict[str, Any] = {}
API: dict[tuple[str, str], Any] = {}
FORM_BODIES: set[str] = set()
SNAPSHOT_MODELS: list[Any] = []


def build(ctx: MatrixContext) -> dict[str, Any]:
    return {}
