"""System check: the configured message gateway can be imported."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.utils.module_loading import import_string


def check_gateway(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        import_string(settings.SINERGI_MESSAGE_GATEWAY)
    except ImportError as exc:
        return [
            Error(
                f"SINERGI_MESSAGE_GATEWAY names {settings.SINERGI_MESSAGE_GATEWAY!r}, which cannot be imported: {exc}",
                id="sinergi.notifications.E001",
            )
        ]
    return []
