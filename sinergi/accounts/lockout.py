"""Login throttling: failed sign-ins counted per account and per address; too many lock either for a while.

``LOGIN_FAILURES_PER_ACCOUNT`` failures of one account, or ``LOGIN_FAILURES_PER_ADDRESS`` from one
address, with no gap longer than ``LOGIN_FAILURE_WINDOW`` seconds, lock it for ``LOGIN_LOCKOUT_SECONDS``.

The counts live in Django's cache (Redis, or the database table), which every app server shares; never
in process memory. Keys hold a hash of the username or address, so the cache stores neither.

An account is counted by the name that was typed, whether or not such an account exists: the lock, its
message and the work done are the same for a real and an invented username, so neither the answer nor
its timing tells which usernames exist. A lock refuses even the right password (otherwise it would not
slow down guessing) and then still runs the password hasher once, the work a real check costs.

The database cache's ``incr`` is a read then a write, so two app servers counting the same failure at
the same instant may count it once; Redis counts atomically. Either way the bound holds within a few
attempts.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.utils.translation import ngettext

from sinergi.audit.services import record

PREFIX = "sinergi:login"


@dataclass(frozen=True)
class Lock:
    """A lock in force: how many seconds it has left."""

    seconds: int

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.seconds / 60))

    def message(self) -> str:
        return ngettext(
            "Too many failed attempts; try again in %(minutes)d minute.",
            "Too many failed attempts; try again in %(minutes)d minutes.",
            self.minutes,
        ) % {"minutes": self.minutes}


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _subjects(username: str, ip: str | None) -> list[tuple[str, str, int]]:
    """``(kind, key, limit)`` for the account and the address an attempt counts against."""
    return [
        ("account", f"{PREFIX}:account:{_digest(username.strip().casefold())}", settings.LOGIN_FAILURES_PER_ACCOUNT),
        ("address", f"{PREFIX}:address:{_digest(ip or '-')}", settings.LOGIN_FAILURES_PER_ADDRESS),
    ]


def check(*, username: str, ip: str | None) -> Lock | None:
    """The lock on the account or the address, whichever ends later; None when neither is locked."""
    untils = cache.get_many([f"{key}:lock" for _kind, key, _limit in _subjects(username, ip)]).values()
    left = math.ceil(max(untils, default=0) - time.time())
    return Lock(seconds=left) if left > 0 else None


def fail(*, username: str, ip: str | None) -> Lock | None:
    """Count a failed attempt (a wrong password or code); return the lock it starts or meets, if any."""
    window, lockout = settings.LOGIN_FAILURE_WINDOW, settings.LOGIN_LOCKOUT_SECONDS
    for kind, key, limit in _subjects(username, ip):
        counter = f"{key}:failures"
        cache.add(counter, 0, timeout=window)
        try:
            count = cache.incr(counter)
        except ValueError:  # expired between add and incr
            cache.set(counter, 1, timeout=window)
            count = 1
        # The window runs from the latest failure, on every backend (the database cache's incr would
        # otherwise reset it to the cache's default timeout).
        cache.touch(counter, timeout=window)
        if count >= limit:
            cache.set(f"{key}:lock", time.time() + lockout, timeout=lockout)
            cache.delete(counter)
            record(
                action="accounts.lockout",
                object_type="accounts.user" if kind == "account" else "",
                object_repr=username[:150] if kind == "account" else (ip or ""),
                changes={"locked": kind, "failures": count, "seconds": lockout},
            )
    return check(username=username, ip=ip)


def succeed(*, username: str) -> None:
    """A complete sign-in clears the account's count. The address keeps its count: one account an attacker
    owns must not wash out the failures of a password spray from the same address."""
    cache.delete(f"{_subjects(username, None)[0][1]}:failures")


def equal_work(password: str) -> None:
    """Hash ``password`` once, as checking it would have, so a refused attempt takes as long as a checked one."""
    make_password(password)
