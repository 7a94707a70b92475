"""Evaluation endpoints under /api/v1/evaluation."""

from ninja import Router

router = Router(tags=["Evaluation"])
