"""Reads about accounts: the state of a user's second factor."""

from __future__ import annotations

from django.db.models import Count, Q

from sinergi.accounts.models import TotpDevice, User


def has_second_factor(user: User) -> bool:
    """Whether ``user`` has switched on an authenticator app."""
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def second_factor(user: User) -> TotpDevice | None:
    """The user's switched-on authenticator app with ``recovery_codes_left``, or None."""
    return (
        TotpDevice.objects.filter(user=user, confirmed_at__isnull=False)
        .annotate(recovery_codes_left=Count("recovery_codes", filter=Q(recovery_codes__used_at__isnull=True)))
        .first()
    )
