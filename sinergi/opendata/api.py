"""Open data endpoints under /api/v1/open-data."""

from ninja import Router

router = Router(tags=["Open data"])
