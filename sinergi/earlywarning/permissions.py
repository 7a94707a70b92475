"""Who sees and who handles early-warning reports.

FKDM reports go to government only (Permendagri 2/2018 as amended by 46/2019: the forum reports to
the Lurah's and Camat's early-warning team; Pergub DKI 138/2019). So a report is seen by:

- the member who filed it;
- the members of its FKDM chain: the FKDM of its kelurahan and the FKDM of the kecamatan, city and
  province above it (a member of a kecamatan FKDM sees the whole kecamatan);
- staff of the territorial offices whose territory holds it: the kelurahan office (Lurah), the
  kecamatan office (Camat), the city office and the province office (Kesbangpol). Viewers of those
  offices read them too: they are government staff who watch the area, and their role already
  forbids every change. Every read of a report is audited, so their reading is on record.

Nobody else: not agencies (Dinas, Suku Dinas), whose work is not early warning; not other
organisations' representatives (a Ketua RT); never anonymous visitors, open data or exports. Only
operators and administrators of those offices verify reports and record follow-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from sinergi.accounts.models import Role, Unit
from sinergi.territory.models import Region, code_q

if TYPE_CHECKING:
    from sinergi.accounts.models import User
    from sinergi.registry.models import Organisation

FKDM_KIND = "fkdm"
OFFICE_KINDS = frozenset(
    {Unit.Kind.PROVINCE_OFFICE, Unit.Kind.CITY_OFFICE, Unit.Kind.DISTRICT_OFFICE, Unit.Kind.VILLAGE_OFFICE}
)


def office_codes(user: User, kinds: frozenset[str] = Role.STAFF_KINDS) -> list[str]:
    """Region codes of the user's roles of ``kinds`` in active territorial offices."""
    return sorted(
        {
            r.unit.region.code
            for r in user.active_roles()
            if r.kind in kinds and r.unit is not None and r.unit.is_active and r.unit.kind in OFFICE_KINDS
        }
    )


def member_organisations(user: User) -> list[Organisation]:
    """The FKDM organisations the user is an active member of."""
    from sinergi.registry.models import Organisation

    if not user.is_authenticated:
        return []
    cached: list[Organisation] | None = getattr(user, "_fkdm_organisations", None)
    if cached is None:
        cached = list(
            Organisation.objects.filter(
                roles__user=user,
                roles__kind=Role.Kind.FKDM_MEMBER,
                roles__is_active=True,
                kind__code=FKDM_KIND,
                status="active",
            )
            .select_related("region")
            .order_by("region__code", "pk")
        )
        user._fkdm_organisations = cached  # type: ignore[attr-defined]
    return cached


def is_member(user: User) -> bool:
    return bool(member_organisations(user))


def report_scope(user: User) -> Q | None:
    """The reports ``user`` sees, as a filter; None for a superuser (everything)."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser:
        return None
    codes = office_codes(user) + [o.region.code for o in member_organisations(user)]
    return Q(reporter=user) | code_q(codes, "area_code") if codes else Q(reporter=user)


def area_scope(user: User, field: str = "area_code") -> Q | None:
    """The territory in which ``user`` watches early warning (alerts, compliance, the map); None: all."""
    if user.is_superuser:
        return None
    return code_q(office_codes(user), field)


def is_watcher(user: User) -> bool:
    """Staff of a territorial office: they see the situation pages."""
    return user.is_authenticated and (user.is_superuser or bool(office_codes(user)))


def can_handle(user: User, area_code: str) -> bool:
    """An operator or administrator of a territorial office whose territory holds ``area_code``:
    they verify reports and record follow-up."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(area_code == code or area_code.startswith(f"{code}.") for code in office_codes(user, Role.WRITE_KINDS))


def can_manage_settings(user: User) -> bool:
    """Topics and escalation rules hold for the whole installation: province administrators."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or any(
        r.kind == Role.Kind.ADMIN and r.unit is not None and r.unit.region.level == Region.Level.PROVINCE
        for r in user.active_roles()
    )


def can_manage_members(user: User, organisation: Organisation) -> bool:
    """Who grants FKDM membership: staff who write where the FKDM sits."""
    return user.is_authenticated and user.can_write(organisation.region)


def area_visible(user: User, code: str) -> bool:
    """Whether the area ``code`` lies inside the territory ``user`` watches."""
    if user.is_superuser:
        return True
    return any(code == c or code.startswith(f"{c}.") for c in office_codes(user))
