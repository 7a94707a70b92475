"""Who may do what with events, shared by the three stages (plan, day, after).

Reading follows ``Event.objects.visible_to``: an event outside the user's scope, like a missing one,
answers 404. Writing is for staff (operators and administrators) whose unit covers the event's
territory or the organising unit's territory; a viewer, or a representative who sees the event
because its organisation is invited, gets 403. A participant acts through the secret token of their
own page and needs no account.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from sinergi.events.models import Event, Participant

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from sinergi.accounts.models import User


def event_get(user: User | AnonymousUser, pk: int) -> Event:
    """The event ``pk`` if ``user`` may see it; Http404 when it is missing or outside the scope."""
    if not user.is_authenticated:
        raise Http404
    event = (
        Event.objects.visible_to(user)
        .select_related("unit__region", "region", "venue_region", "created_by")
        .filter(pk=pk)
        .first()
    )
    if event is None:
        raise Http404
    return event


def can_edit(user: User | AnonymousUser, event: Event) -> bool:
    """Staff who write in the event's territory or in the organising unit's territory."""
    if not user.is_authenticated:
        return False
    return user.can_write(event.region) or user.can_write(event.unit.region)


def require_edit(user: User | AnonymousUser, event: Event) -> None:
    """PermissionDenied unless ``user`` may write ``event`` (call ``event_get`` first for the 404)."""
    if not can_edit(user, event):
        raise PermissionDenied(_("You may look at this event but not change it."))


def can_create_in(user: User | AnonymousUser) -> bool:
    """Whether ``user`` may create events at all (an operator or administrator somewhere)."""
    if not user.is_authenticated:
        return False
    from sinergi.accounts.models import Role

    return bool(user.is_superuser) or any(r.kind in Role.WRITE_KINDS for r in user.active_roles())


def can_answer(user: User | AnonymousUser, organisation_id: int | None) -> bool:
    """The organisation's representative answers its invitation (staff who edit the event may too,
    see ``sinergi.events.services.plan.invitation_answer``)."""
    if not user.is_authenticated or organisation_id is None:
        return False
    return organisation_id in user.represented_organisation_ids()


def participant_by_token(token: str) -> Participant:
    """The participant whose page ``token`` opens; Http404 if unknown or cancelled."""
    participant = (
        Participant.objects.select_related("event__unit__region", "event__region", "organisation", "invitation")
        .filter(token=token)
        .exclude(status=Participant.Status.CANCELLED)
        .first()
    )
    if participant is None or not token:
        raise Http404
    return participant
