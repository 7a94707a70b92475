"""Rate limit of the public intake (form and API) per client address, in Django's shared cache.

``SINERGI_CASE_RATE_LIMIT`` submissions per address in each ``SINERGI_CASE_RATE_WINDOW`` seconds
(fixed windows). The counter lives in the cache every app server shares, never in process memory;
the key holds a hash of the address, so the cache does not store addresses.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

from sinergi.core import context


def limit() -> int:
    return int(getattr(settings, "SINERGI_CASE_RATE_LIMIT", 20))


def window() -> int:
    return int(getattr(settings, "SINERGI_CASE_RATE_WINDOW", 3600))


def hit(address: str | None = None) -> bool:
    """Count one submission from the address; False once the address is over its limit."""
    address = address or context.current().ip or "unknown"
    seconds = window()
    slot = int(time.time()) // seconds
    key = f"cases:rate:{hashlib.sha256(address.encode()).hexdigest()[:24]}:{slot}"
    if cache.add(key, 1, seconds + 5):
        return limit() >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds + 5)
        count = 1
    return count <= limit()
