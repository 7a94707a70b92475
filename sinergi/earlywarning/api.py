"""Early warning (FKDM) endpoints under /api/v1/early-warning."""

from ninja import Router

router = Router(tags=["Early warning (FKDM)"])
