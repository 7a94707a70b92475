"""System checks of the register's settings: a deployment needs its own NIK keys."""

from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register


@register(Tags.security, deploy=True)
def check_nik_keys(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """NIKs are encrypted and hashed with keys from the environment; without them they cannot be stored."""
    errors: list[CheckMessage] = []
    keys = settings.NIK_ENCRYPTION_KEYS
    if not keys:
        errors.append(
            Error(
                "NIK_ENCRYPTION_KEYS is not set.",
                hint="Set it to one or more comma-separated Fernet keys "
                "(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())').",
                id="registry.E001",
            )
        )
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except ValueError:
            errors.append(
                Error(
                    f"Key {position} of NIK_ENCRYPTION_KEYS is not a Fernet key.",
                    hint="A Fernet key is 32 bytes, url-safe base64 encoded.",
                    id="registry.E002",
                )
            )
    if not settings.NIK_HASH_KEY:
        errors.append(
            Error(
                "NIK_HASH_KEY is not set.",
                hint="Set it to a long random secret. It cannot change later without rehashing every NIK.",
                id="registry.E003",
            )
        )
    return errors
