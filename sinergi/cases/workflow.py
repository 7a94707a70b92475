"""The statuses a case may move between (Jakarta's CRM, Pergub 128/2017), and what each step needs.

Staff move a case only along ``ALLOWED``; a dispute by the reporter reopens a closed case
(``REOPEN``) and merging closes it as a duplicate, each through its own service.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from sinergi.cases.models import Case

S = Case.Status

ALLOWED: dict[str, frozenset[str]] = {
    S.WAITING: frozenset({S.VALIDATED, S.REJECTED}),
    S.VALIDATED: frozenset({S.COORDINATION, S.DISPOSITION, S.IN_PROGRESS, S.REJECTED}),
    S.COORDINATION: frozenset({S.DISPOSITION, S.IN_PROGRESS, S.REJECTED}),
    S.DISPOSITION: frozenset({S.DISPOSITION, S.IN_PROGRESS, S.REJECTED}),
    S.IN_PROGRESS: frozenset({S.COORDINATION, S.DISPOSITION, S.DONE}),
    S.DONE: frozenset(),
    S.REJECTED: frozenset(),
    S.MERGED: frozenset(),
}

# A dispute within the allowed days sends a closed case back to work.
REOPEN: dict[str, str] = {S.DONE: S.IN_PROGRESS, S.REJECTED: S.VALIDATED}

# Steps that need more than a note: a reason, a unit to pass to, a proof of the result.
NEEDS_REASON = frozenset({S.REJECTED})
NEEDS_UNIT = frozenset({S.DISPOSITION})
NEEDS_PROOF = frozenset({S.DONE})

ACTION_LABELS: dict[str, Any] = {
    S.VALIDATED: _("Validate"),
    S.COORDINATION: _("Coordinate"),
    S.DISPOSITION: _("Pass on (disposition)"),
    S.IN_PROGRESS: _("Start work"),
    S.DONE: _("Finish with proof"),
    S.REJECTED: _("Reject"),
}


def allowed(from_status: str) -> frozenset[str]:
    """The statuses staff may move a case in ``from_status`` to."""
    return ALLOWED.get(from_status, frozenset())


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in allowed(from_status)
