"""The unread count beside the navbar's link to the inbox."""

from typing import Any

from django import template

from sinergi.notifications import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: dict[str, Any]) -> int:
    """How many notifications the signed-in user has not read yet."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    return selectors.unread_count(user=user)
