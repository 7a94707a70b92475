"""System checks of the accounts' settings: a deployment needs its own key for second-factor secrets."""

from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_totp_keys(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Authenticator secrets are encrypted with keys from the environment; without them nobody can enrol."""
    keys = settings.TOTP_ENCRYPTION_KEYS
    if not keys:
        return [
            Error(
                "TOTP_ENCRYPTION_KEYS is not set.",
                hint="Set it to one or more comma-separated Fernet keys "
                "(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())').",
                id="accounts.E001",
            )
        ]
    errors: list[CheckMessage] = []
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except ValueError:
            errors.append(
                Error(
                    f"Key {position} of TOTP_ENCRYPTION_KEYS is not a Fernet key.",
                    hint="A Fernet key is 32 bytes, url-safe base64 encoded.",
                    id="accounts.E002",
                )
            )
    return errors


@register(Tags.security, deploy=True)
def check_admin_second_factor(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Only a local demo may let administrators in without an authenticator app."""
    if settings.ADMIN_SECOND_FACTOR_REQUIRED:
        return []
    return [
        Warning(
            "ADMIN_SECOND_FACTOR_REQUIRED is off: administrators can sign in with a password alone.",
            hint="Leave ADMIN_SECOND_FACTOR_REQUIRED unset (on) in production.",
            id="accounts.W001",
        )
    ]
