"""The day stage's part of the event hub: attendance per day, commitments signed, minutes, photos."""

from __future__ import annotations

from typing import Any

from django import template

from sinergi.events.models import Event, Minutes
from sinergi.events.selectors import day as selectors
from sinergi.events.services.day_documents import is_large

register = template.Library()


@register.simple_tag
def day_summary(event: Event) -> dict[str, Any]:
    """What the hub's day panel shows (a handful of queries, whatever the size of the event)."""
    return {
        "counts": selectors.day_counts(event),
        "registered": selectors.registered(event).count(),
        "commitments": selectors.commitments(event),
        "has_minutes": Minutes.objects.filter(event=event).exists(),
        "follow_ups": event.follow_ups.count(),
        "photos": event.photos.count(),
        "large": is_large(event),
    }
