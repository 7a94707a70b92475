"""Template helpers of early warning."""

from __future__ import annotations

from typing import Any

from django import template

from sinergi.earlywarning import permissions

register = template.Library()

SEVERITY_CLASSES = {1: "text-bg-secondary", 2: "text-bg-info", 3: "text-bg-warning", 4: "text-bg-danger"}
STATUS_CLASSES = {
    "unverified": "text-bg-light border",
    "confirmed": "text-bg-danger",
    "unconfirmed": "text-bg-secondary",
    "false": "text-bg-dark",
}


@register.simple_tag
def ew_can_settings(user: Any) -> bool:
    """Whether the user edits topics and escalation rules."""
    return permissions.can_manage_settings(user)


@register.filter
def severity_class(value: int | None) -> str:
    return SEVERITY_CLASSES.get(value or 0, "text-bg-light border")


@register.filter
def status_class(value: str) -> str:
    return STATUS_CLASSES.get(value, "text-bg-light border")


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


@register.simple_tag
def ew_in_nav(user: Any) -> bool:
    """Whether the main navigation shows early warning: office staff and FKDM members."""
    return bool(user.is_authenticated and (permissions.is_watcher(user) or permissions.is_member(user)))
