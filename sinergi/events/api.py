"""Events endpoints under /api/v1/events: events, invitations and participants (plan), check-in and
commitments (day), tests, survey, certificates and documents (after)."""

from ninja import Router

from sinergi.events.api_after import router as after_router
from sinergi.events.api_day import router as day_router
from sinergi.events.api_plan import router as plan_router

router = Router(tags=["Events"])
router.add_router("", plan_router)
router.add_router("", day_router)
router.add_router("", after_router)
