"""Which organisations an audience rule names: "every RT and RW chair, LMK and FKDM of Kecamatan
Sawah Besar", "every LMK of Kecamatan Kalideres", "all Ormas of the city", or named organisations.

Shared by events (the audience of an invitation) and announcements (the recipients). A rule is a
plain value, so it can be stored as JSON on the event or announcement and evaluated again later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from sinergi.registry.models import Organisation, OrganisationKind
from sinergi.territory.models import Region, code_q

if TYPE_CHECKING:
    from sinergi.accounts.models import User


@dataclass(frozen=True)
class Audience:
    """Kinds of organisation (codes of ``OrganisationKind``) in areas (Kemendagri region codes),
    plus organisations named by id. Only active organisations are ever matched.

    An empty ``kinds`` with ``region_codes`` means every kind in those areas; empty ``region_codes``
    with ``kinds`` means those kinds everywhere the sender may reach (the sender's scope)."""

    kinds: tuple[str, ...] = ()
    region_codes: tuple[str, ...] = ()
    organisation_ids: tuple[int, ...] = field(default=())

    @property
    def has_rule(self) -> bool:
        return bool(self.kinds or self.region_codes)

    def is_empty(self) -> bool:
        return not (self.has_rule or self.organisation_ids)

    def as_json(self) -> dict[str, list[Any]]:
        return {
            "kinds": list(self.kinds),
            "region_codes": list(self.region_codes),
            "organisation_ids": list(self.organisation_ids),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Audience:
        data = data or {}
        return cls(
            kinds=tuple(str(k) for k in data.get("kinds", ())),
            region_codes=tuple(str(c) for c in data.get("region_codes", ())),
            organisation_ids=tuple(int(i) for i in data.get("organisation_ids", ())),
        )


def validate(audience: Audience, *, user: User) -> None:
    """Refuse unknown kinds, areas outside the sender's territory and organisations they cannot see,
    with messages in the user's language; nothing is written."""
    errors: dict[str, list[str]] = {}
    if audience.is_empty():
        errors["__all__"] = [_("Choose kinds of organisation and areas, or name organisations.")]
    known = set(OrganisationKind.objects.filter(code__in=audience.kinds).values_list("code", flat=True))
    if unknown := sorted(set(audience.kinds) - known):
        errors["kinds"] = [_("Unknown kind of organisation: %(codes)s.") % {"codes": ", ".join(unknown)}]
    visible = set(Region.objects.visible_to(user).filter(code__in=audience.region_codes).values_list("code", flat=True))
    if outside := sorted(set(audience.region_codes) - visible):
        errors["region_codes"] = [_("Choose a territory you work in; not: %(codes)s.") % {"codes": ", ".join(outside)}]
    seen = set(
        Organisation.objects.visible_to(user).filter(pk__in=audience.organisation_ids).values_list("pk", flat=True)
    )
    if missing := sorted(set(audience.organisation_ids) - seen):
        errors["organisation_ids"] = [
            _("No such organisation in your territory: %(ids)s.") % {"ids": ", ".join(map(str, missing))}
        ]
    if errors:
        raise ValidationError(errors)


def organisations(audience: Audience, *, user: User | None = None) -> QuerySet[Organisation]:
    """The active organisations the audience names, limited to what ``user`` sees (when given).

    One query, no matter how large the audience: 33,000 RT and RW of Jakarta come back as one
    queryset to iterate in batches (``.iterator(chunk_size=...)``) or to count."""
    queryset = Organisation.objects.filter(status=Organisation.Status.ACTIVE)
    if user is not None:
        queryset = queryset.visible_to(user)
    wanted = Q(pk__in=[])
    if audience.has_rule:
        rule = Q()
        if audience.kinds:
            rule &= Q(kind__code__in=audience.kinds)
        if audience.region_codes:
            rule &= code_q(list(audience.region_codes), "region__code")
        wanted |= rule
    if audience.organisation_ids:
        wanted |= Q(pk__in=audience.organisation_ids)
    return queryset.filter(wanted)


def preview(audience: Audience, *, user: User | None = None) -> dict[str, int]:
    """How many organisations of each kind the audience reaches (kind code -> count), for the
    "this will go to ..." line before sending."""
    rows = organisations(audience, user=user).values("kind__code").annotate(n=Count("pk")).order_by("kind__code")
    return {row["kind__code"]: row["n"] for row in rows}
