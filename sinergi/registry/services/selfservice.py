"""Self-service: representatives of an organisation and the changes they propose for staff to decide."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import Role
from sinergi.registry import nik as nik_tools
from sinergi.registry import permissions
from sinergi.registry.models import (
    ChangeRequest,
    Officer,
    Organisation,
    Person,
)
from sinergi.registry.services._common import (
    CONTACT_FIELDS,
    audit,
    checked,
    nik_info,
    require_edit,
    required_text,
    store,
)
from sinergi.registry.services.organisations import organisation_update
from sinergi.registry.services.persons import officer_appoint, officer_end, person_create

if TYPE_CHECKING:
    from django.core.files import File

    from sinergi.accounts.models import User


def _iso(value: Any, field: str, *, required: bool = False) -> str | None:
    """A date in a JSON payload, as ISO text; accepts a date or ISO text."""
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("This field is required.")})
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    try:
        return datetime.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ValidationError({field: _("Enter a valid date.")}) from None


def _day(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _contact_payload(organisation: Organisation, payload: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(payload) - set(CONTACT_FIELDS)
    if unknown or not payload:
        raise ValidationError(_("Propose a change of phone, e-mail, address or map point."))
    trial = Organisation(**{f.attname: getattr(organisation, f.attname) for f in Organisation._meta.concrete_fields})
    for key, value in payload.items():
        setattr(trial, key, value.strip() if isinstance(value, str) else value)
    trial.full_clean(exclude=[f.name for f in Organisation._meta.fields if f.name not in payload])
    return {key: getattr(trial, key) for key in payload}


def _appoint_payload(organisation: Organisation, payload: Mapping[str, Any]) -> dict[str, Any]:
    position = payload.get("position")
    if position not in Officer.Position.values:
        raise ValidationError({"position": _("Choose a valid position.")})
    clean: dict[str, Any] = {
        "position": position,
        "position_title": str(payload.get("position_title", "")).strip()[:100],
        "term_start": _iso(payload.get("term_start"), "term_start", required=True),
        "term_end": _iso(payload.get("term_end"), "term_end"),
        "sk_number": str(payload.get("sk_number", "")).strip()[:100],
        "sk_date": _iso(payload.get("sk_date"), "sk_date"),
        "sk_issuer": str(payload.get("sk_issuer", "")).strip()[:150],
        "is_acting": bool(payload.get("is_acting", False)),
        "no_party_statement": bool(payload.get("no_party_statement", False)),
    }
    if payload.get("person_id"):
        # A representative names only people the organisation already knows; anyone else by NIK.
        if not Officer.objects.filter(organisation=organisation, person_id=payload["person_id"]).exists():
            raise ValidationError({"person_id": _("Give the new officer's name and NIK.")})
        clean["person_id"] = int(payload["person_id"])
        return clean
    info = nik_info(str(payload.get("nik", "")))
    existing = Person.objects.filter(nik_hash=nik_tools.nik_hash(info.nik)).values_list("pk", flat=True).first()
    if existing:
        clean["person_id"] = existing
        return clean
    # Never the plain NIK: the payload is stored as JSON and shown to the deciding operator.
    clean |= {
        "full_name": required_text(str(payload.get("full_name", "")), "full_name")[:150],
        "nik_encrypted": nik_tools.encrypt_nik(info.nik),
        "nik_masked": nik_tools.mask_nik(info.nik),
        "phone": str(payload.get("phone", "")).strip()[:30],
        "email": str(payload.get("email", "")).strip()[:254],
    }
    return clean


def _end_payload(organisation: Organisation, payload: Mapping[str, Any]) -> dict[str, Any]:
    officer = Officer.objects.filter(
        organisation=organisation, pk=payload.get("officer_id") or 0, ended_on__isnull=True
    ).first()
    if officer is None:
        raise ValidationError({"officer_id": _("Choose a current officer of this organisation.")})
    if payload.get("reason") not in Officer.EndReason.values:
        raise ValidationError({"reason": _("Choose a valid reason.")})
    return {
        "officer_id": officer.pk,
        "ended_on": _iso(payload.get("ended_on"), "ended_on", required=True),
        "reason": payload["reason"],
    }


@transaction.atomic
def change_request_submit(
    *,
    by: User,
    organisation: Organisation,
    kind: str,
    payload: Mapping[str, Any],
    attachment: File[Any] | None = None,
) -> ChangeRequest:
    """A representative proposes new contact data, a new officer (with name and NIK, or a known
    person's id) or an officer's departure; officer changes need the SK attached. The kelurahan or
    Kesbangpol staff are told after the commit."""
    if not permissions.can_edit_or_represent(by, organisation):
        raise PermissionDenied(_("You may not propose changes to %(organisation)s.") % {"organisation": organisation})
    if kind == ChangeRequest.Kind.CONTACT:
        clean = _contact_payload(organisation, payload)
    elif kind == ChangeRequest.Kind.OFFICER_APPOINT:
        clean = _appoint_payload(organisation, payload)
    elif kind == ChangeRequest.Kind.OFFICER_END:
        clean = _end_payload(organisation, payload)
    else:
        raise ValidationError({"kind": _("Choose a valid kind of change.")})
    request = ChangeRequest(organisation=organisation, kind=kind, payload=clean, submitted_by=by)
    if attachment is not None:
        store(request.attachment, attachment, checked(attachment, "attachment"))
    elif kind != ChangeRequest.Kind.CONTACT:
        raise ValidationError({"attachment": _("Attach the SK (decree) for an officer change.")})
    request.save()
    audit(
        "registry.change_request.submit",
        request,
        by,
        organisation,
        {"kind": [None, kind], "payload": [None, _without_secrets(clean)]},
    )
    transaction.on_commit(lambda: _notify_submitted(request.pk))
    return request


def _without_secrets(payload: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in payload.items() if k != "nik_encrypted"}


@transaction.atomic
def change_request_decide(*, by: User, change_request: ChangeRequest, approve: bool, reason: str = "") -> ChangeRequest:
    """Approve a pending change request, which applies it through the services above (their audit
    events follow the decision's), or reject it with a reason. The submitter is told after the commit."""
    organisation = change_request.organisation
    require_edit(by, organisation)
    change_request = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if change_request.status != ChangeRequest.Status.PENDING:
        raise ValidationError(_("This request was already decided."))
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError({"decision_reason": _("Give the reason for the rejection.")})
    if approve:
        _apply(by, organisation, change_request)
    change_request.status = ChangeRequest.Status.APPROVED if approve else ChangeRequest.Status.REJECTED
    change_request.decided_by, change_request.decided_at = by, timezone.now()
    change_request.decision_reason = reason
    change_request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit(
        "registry.change_request.approve" if approve else "registry.change_request.reject",
        change_request,
        by,
        organisation,
        {"status": [ChangeRequest.Status.PENDING, change_request.status], "decision_reason": [None, reason]},
    )
    pk = change_request.pk
    transaction.on_commit(lambda: _notify_decided(pk))
    return change_request


def _apply(by: User, organisation: Organisation, change_request: ChangeRequest) -> None:
    payload = change_request.payload
    if change_request.kind == ChangeRequest.Kind.CONTACT:
        organisation_update(by=by, organisation=organisation, **payload)
    elif change_request.kind == ChangeRequest.Kind.OFFICER_APPOINT:
        if payload.get("person_id"):
            person = Person.objects.get(pk=payload["person_id"])
        else:
            plain = nik_tools.decrypt_nik(payload["nik_encrypted"])
            person = Person.objects.filter(nik_hash=nik_tools.nik_hash(plain)).first() or person_create(
                by=by, full_name=payload["full_name"], nik=plain, phone=payload["phone"], email=payload["email"]
            )
        officer_appoint(
            by=by,
            organisation=organisation,
            person=person,
            position=payload["position"],
            position_title=payload["position_title"],
            term_start=datetime.date.fromisoformat(payload["term_start"]),
            term_end=_day(payload["term_end"]),
            sk_number=payload["sk_number"],
            sk_date=_day(payload["sk_date"]),
            sk_issuer=payload["sk_issuer"],
            is_acting=payload["is_acting"],
            no_party_statement=payload["no_party_statement"],
        )
    elif change_request.kind == ChangeRequest.Kind.OFFICER_END:
        officer = Officer.objects.select_related("organisation").get(
            pk=payload["officer_id"], organisation=organisation
        )
        officer_end(
            by=by, officer=officer, ended_on=datetime.date.fromisoformat(payload["ended_on"]), reason=payload["reason"]
        )


def _notify_submitted(pk: int) -> None:
    from sinergi.notifications.services import notify
    from sinergi.registry.selectors import responsible_staff

    request = ChangeRequest.objects.select_related("organisation__region").get(pk=pk)
    notify(
        users=responsible_staff(request.organisation),
        key=f"registry.change_request:{pk}:submitted",
        title=_("Change proposed for %(organisation)s") % {"organisation": request.organisation},
        body=str(request.get_kind_display()),
        url=f"/register/{request.organisation_id}/",
    )


def _notify_decided(pk: int) -> None:
    from sinergi.notifications.services import notify

    request = ChangeRequest.objects.select_related("organisation", "submitted_by").get(pk=pk)
    notify(
        users=[request.submitted_by],
        key=f"registry.change_request:{pk}:decided",
        title=_("Your proposal for %(organisation)s was %(status)s")
        % {"organisation": request.organisation, "status": request.get_status_display().lower()},
        body=request.decision_reason,
        url=f"/register/{request.organisation_id}/",
    )


@transaction.atomic
def representative_grant(*, by: User, organisation: Organisation, user: User) -> Role:
    """Make ``user`` a representative of the organisation (Ketua RT, an Ormas secretary)."""
    require_edit(by, organisation)
    if not user.is_active:
        raise ValidationError(_("This account is switched off."))
    role = Role.objects.filter(user=user, organisation=organisation, kind=Role.Kind.ORG_REPRESENTATIVE).first()
    if role is not None and role.is_active:
        raise ValidationError(
            _("%(user)s already represents %(organisation)s.") % {"user": user, "organisation": organisation}
        )
    if role is None:
        role = Role.objects.create(user=user, organisation=organisation, kind=Role.Kind.ORG_REPRESENTATIVE)
    else:
        role.is_active = True
        role.save(update_fields=["is_active"])
    audit(
        "registry.representative.grant",
        role,
        by,
        organisation,
        {"user": [None, user.pk], "organisation": [None, organisation.pk]},
    )
    return role


@transaction.atomic
def representative_revoke(*, by: User, role: Role) -> None:
    """Take a representative role away."""
    if role.kind != Role.Kind.ORG_REPRESENTATIVE or role.organisation is None:
        raise ValueError("not a representative role")
    organisation = role.organisation
    require_edit(by, organisation)
    audit(
        "registry.representative.revoke",
        role,
        by,
        organisation,
        {"user": [role.user_id, None], "organisation": [organisation.pk, None]},
    )
    role.delete()
