"""Persons, whose NIK is stored encrypted, hashed and masked, and the officers they are appointed as."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit.services import diff, record, snapshot
from sinergi.registry import nik as nik_tools
from sinergi.registry import permissions, rules
from sinergi.registry.models import (
    Officer,
    Organisation,
    Person,
    RuleMode,
)
from sinergi.registry.services._common import (
    OFFICER_AUDIT_FIELDS,
    PERSON_AUDIT_FIELDS,
    PERSON_FIELDS,
    audit,
    locked,
    nik_info,
    not_future,
    require_edit,
    required_text,
)
from sinergi.territory.models import RT, Region

if TYPE_CHECKING:
    from sinergi.accounts.models import User


def _set_nik(person: Person, info: nik_tools.NikInfo) -> None:
    digest = nik_tools.nik_hash(info.nik)
    if Person.objects.filter(nik_hash=digest).exclude(pk=person.pk).exists():
        raise ValidationError({"nik": _("A person with this NIK is already registered.")})
    person.nik_hash = digest
    person.nik_encrypted = nik_tools.encrypt_nik(info.nik)
    person.nik_masked = nik_tools.mask_nik(info.nik)
    person.sex, person.birth_date = info.sex, info.birth_date


def _save_person(person: Person, **kwargs: Any) -> None:
    try:
        with transaction.atomic():
            person.save(**kwargs)
    except IntegrityError:
        # Another request registered the same NIK between our check and our write.
        raise ValidationError({"nik": _("A person with this NIK is already registered.")}) from None


def _person_region_code(person: Person, by: User) -> str:
    return person.region.code if person.region else by.home_region_code()


@transaction.atomic
def person_create(
    *,
    by: User,
    full_name: str,
    nik: str,
    sex: str | None = None,
    birth_date: datetime.date | None = None,
    phone: str = "",
    email: str = "",
    address: str = "",
    region: Region | None = None,
    rt: RT | None = None,
) -> Person:
    """Register a person. Sex and date of birth come from the NIK; given ones must agree with it.
    The NIK is stored encrypted, with a keyed hash that keeps it unique, and masked for display."""
    info = nik_info(nik)
    rules.person_identity(info, sex=sex, birth_date=birth_date)
    region = rules.domicile(region, rt)
    if not permissions.can_register_person(by, region):
        raise PermissionDenied(_("You may not register persons here."))
    person = Person(
        full_name=required_text(full_name, "full_name"),
        phone=phone.strip(),
        email=email.strip(),
        address=address.strip(),
        region=region,
        rt=rt,
    )
    _set_nik(person, info)
    person.full_clean(exclude=["nik_hash"])
    _save_person(person)
    record(
        action="registry.person.create",
        obj=person,
        actor=by,
        region_code=_person_region_code(person, by),
        changes=diff({}, snapshot(person, PERSON_AUDIT_FIELDS)),
    )
    return person


@transaction.atomic
def person_update(*, by: User, person: Person, **fields: Any) -> Person:
    """Change a person's data; a corrected NIK is validated again and sets sex and date of birth."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"not person fields: {sorted(unknown)}")
    if not permissions.can_edit_person(by, person):
        raise PermissionDenied(_("You may not change this person's data."))
    before = snapshot(person, PERSON_AUDIT_FIELDS)
    if "region" in fields or "rt" in fields:
        # A new RT sets the kelurahan; a new kelurahan without an RT drops the old RT.
        region = fields["region"] if "region" in fields else (None if fields.get("rt") else person.region)
        rt = fields.get("rt", person.rt if region == person.region else None)
        region = rules.domicile(region, rt)
        if region is not None and not by.can_write(region):
            raise PermissionDenied(_("You may not move persons to %(region)s.") % {"region": region})
        person.region, person.rt = region, rt
    if "nik" in fields:
        _set_nik(person, nik_info(fields["nik"]))
    for key in ("full_name", "phone", "email", "address"):
        if key in fields:
            setattr(person, key, (fields[key] or "").strip())
    if not person.full_name:
        raise ValidationError({"full_name": _("This field is required.")})
    person.full_clean(exclude=["nik_hash"])
    changes = diff(before, snapshot(person, PERSON_AUDIT_FIELDS))
    if changes:
        person.updated_at = timezone.now()
        _save_person(person)
        record(
            action="registry.person.update",
            obj=person,
            actor=by,
            region_code=_person_region_code(person, by),
            changes=changes,
        )
    return person


@transaction.atomic
def person_reveal_nik(*, by: User, person: Person) -> str:
    """The full NIK, for a user allowed to reveal it who can see the person; the view is audited."""
    if not permissions.can_reveal_nik(by) or not Person.objects.visible_to(by).filter(pk=person.pk).exists():
        raise PermissionDenied(_("You may not see this NIK in full."))
    record(action="registry.person.reveal_nik", obj=person, actor=by, region_code=_person_region_code(person, by))
    return nik_tools.decrypt_nik(person.nik_encrypted)


@transaction.atomic
def officer_appoint(
    *,
    by: User,
    organisation: Organisation,
    person: Person,
    position: str,
    term_start: datetime.date,
    term_end: datetime.date | None = None,
    sk_number: str = "",
    sk_date: datetime.date | None = None,
    sk_issuer: str = "",
    is_acting: bool = False,
    no_party_statement: bool = False,
    position_title: str = "",
) -> tuple[Officer, list[str]]:
    """Appoint ``person`` to a post for a term (by default the kind's full term from ``term_start``).

    The kind's rules decide, each to warn or refuse: more consecutive terms than allowed in the
    same post, posts in two lembaga kemasyarakatan at once, no no-party statement, overlapping
    terms in a single post; and a term longer than the kind's term length. Returns the officer
    and the warnings.
    """
    require_edit(by, organisation)
    locked(organisation)
    term_end, breaches = rules.appointment_term(
        organisation=organisation, position=position, term_start=term_start, term_end=term_end
    )
    breaches += rules.officer_breaches(
        organisation=organisation,
        person=person,
        position=position,
        term_start=term_start,
        term_end=term_end,
        no_party_statement=no_party_statement,
    )
    refusals = [b.message for b in breaches if b.mode == RuleMode.REFUSE]
    if refusals:
        raise ValidationError(refusals)
    warnings = [b.message for b in breaches if b.mode == RuleMode.WARN]
    officer = Officer(
        person=person,
        organisation=organisation,
        position=position,
        position_title=position_title.strip(),
        sk_number=sk_number.strip(),
        sk_date=sk_date,
        sk_issuer=sk_issuer.strip(),
        term_start=term_start,
        term_end=term_end,
        is_acting=is_acting,
        no_party_statement=no_party_statement,
    )
    officer.full_clean()
    officer.save()
    changes = diff({}, snapshot(officer, OFFICER_AUDIT_FIELDS))
    if warnings:
        changes["warnings"] = [None, warnings]
    audit("registry.officer.appoint", officer, by, organisation, changes)
    return officer, warnings


@transaction.atomic
def officer_end(*, by: User, officer: Officer, ended_on: datetime.date, reason: str) -> Officer:
    """Record that an officer left the post on ``ended_on`` (no longer in office from that day)."""
    organisation = officer.organisation
    require_edit(by, organisation)
    if officer.ended_on is not None:
        raise ValidationError(_("This officer already left on %(day)s.") % {"day": officer.ended_on})
    if reason not in Officer.EndReason.values:
        raise ValidationError({"end_reason": _("Choose a valid reason.")})
    not_future(ended_on, "ended_on")
    if ended_on < officer.term_start:
        raise ValidationError({"ended_on": _("An officer cannot leave before the term starts.")})
    officer.ended_on, officer.end_reason = ended_on, reason
    officer.save(update_fields=["ended_on", "end_reason"])
    audit(
        "registry.officer.end",
        officer,
        by,
        organisation,
        {"ended_on": [None, ended_on], "end_reason": [None, reason]},
    )
    return officer
