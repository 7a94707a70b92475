"""Who may act on a case: the staff of the unit holding it (or the unit it escalated to), and the
administrators of the territory where it happened. Seeing a case is ``Case.objects.visible_to``."""

from __future__ import annotations

from sinergi.accounts.models import Role, User
from sinergi.cases.models import TERRITORIAL_KINDS, Case


def can_act(user: User, case: Case) -> bool:
    """Whether ``user`` may move ``case`` on (validate, pass on, finish, reject, merge)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    holders = {case.current_unit_id, case.escalated_to_id}
    for role in user.active_roles():
        if role.kind not in Role.WRITE_KINDS or not role.unit:
            continue
        if role.unit_id in holders:
            return True
        unit = role.unit
        if role.kind == Role.Kind.ADMIN and unit.kind in TERRITORIAL_KINDS:
            code = unit.region.code
            if case.region_code == code or case.region_code.startswith(f"{code}."):
                return True
    return False


def is_case_staff(user: User) -> bool:
    """Government staff, who have an inbox (a representative or resident has none)."""
    return user.is_authenticated and user.is_government_staff


def writes_somewhere(user: User) -> bool:
    return user.is_superuser or any(r.kind in Role.WRITE_KINDS and r.unit for r in user.active_roles())
