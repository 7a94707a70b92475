"""Who may do what in the register. Reading follows ``visible_to``; these decide writing.

Staff write where their unit's territory covers the organisation (``User.can_write``); an
organisation's representative (Ketua RT, an Ormas secretary) updates its contact data, files its
activity reports and proposes officer changes, which staff then decide.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sinergi.accounts.models import Role

if TYPE_CHECKING:
    from sinergi.accounts.models import User
    from sinergi.registry.models import Organisation, Person
    from sinergi.territory.models import Region


def can_edit(user: User, organisation: Organisation) -> bool:
    """An operator or administrator whose unit covers the organisation's territory."""
    return user.is_authenticated and user.can_write(organisation.region)


def can_represent(user: User, organisation: Organisation) -> bool:
    """The user holds an active representative role for the organisation."""
    return user.is_authenticated and any(
        r.kind == Role.Kind.ORG_REPRESENTATIVE and r.organisation_id == organisation.pk for r in user.active_roles()
    )


def can_edit_or_represent(user: User, organisation: Organisation) -> bool:
    return can_edit(user, organisation) or can_represent(user, organisation)


def can_register_person(user: User, region: Region | None) -> bool:
    """Staff who write in the person's kelurahan; a person without a domicile, any staff who write."""
    if not user.is_authenticated:
        return False
    if region is not None:
        return user.can_write(region)
    return user.is_superuser or any(r.kind in Role.WRITE_KINDS for r in user.active_roles())


def can_edit_person(user: User, person: Person) -> bool:
    """Staff who write in the person's kelurahan or in an organisation where the person holds a post."""
    if not user.is_authenticated:
        return False
    if person.region is not None and user.can_write(person.region):
        return True
    regions = {post.organisation.region for post in person.posts.select_related("organisation__region")}
    return any(user.can_write(region) for region in regions)


def can_reveal_nik(user: User) -> bool:
    """Superusers, administrators, and whoever holds the ``registry.reveal_nik`` permission."""
    return user.is_authenticated and user.is_active and (user.is_administrator or user.has_perm("registry.reveal_nik"))
