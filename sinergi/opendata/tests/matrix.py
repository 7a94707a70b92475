"""This app's rows of the permission matrix (``sinergi/core/tests/test_permission_matrix.py``).

``build`` makes this app's objects inside Kelurahan or Kecamatan Gambir and returns them by name;
they are reachable in the lambdas below as ``w.x["<name>"]``.
"""

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
