"""Aspirations and complaints endpoints under /api/v1/cases."""

from ninja import Router

router = Router(tags=["Aspirations and complaints"])
