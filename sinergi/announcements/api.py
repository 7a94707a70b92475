"""Announcements endpoints under /api/v1/announcements."""

from ninja import Router

router = Router(tags=["Announcements"])
