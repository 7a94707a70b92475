"""The events' rows of the permission matrix, from its three stages (plan, day, after).

Each stage's ``build`` sees what the earlier ones made in ``ctx.world.x``."""

from __future__ import annotations

from typing import Any

from sinergi.core.tests.matrix_rows import MatrixContext
from sinergi.events.tests import matrix_after, matrix_day, matrix_plan

STAGES = (matrix_plan, matrix_day, matrix_after)

PAGES: dict[str, Any] = {k: v for stage in STAGES for k, v in stage.PAGES.items()}
WRITES: dict[str, Any] = {k: v for stage in STAGES for k, v in stage.WRITES.items()}
API: dict[tuple[str, str], Any] = {k: v for stage in STAGES for k, v in stage.API.items()}
FORM_BODIES: set[str] = {path for stage in STAGES for path in stage.FORM_BODIES}
SNAPSHOT_MODELS: list[Any] = [model for stage in STAGES for model in stage.SNAPSHOT_MODELS]


def build(ctx: MatrixContext) -> dict[str, Any]:
    for stage in STAGES:
        ctx.world.x.update(stage.build(ctx))
    return {}
