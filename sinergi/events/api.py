"""Events: meetings, trainings, briefings endpoints under /api/v1/events."""

from ninja import Router

router = Router(tags=["Events: meetings, trainings, briefings"])
