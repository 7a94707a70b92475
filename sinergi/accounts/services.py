"""Writes to accounts: staff, roles and API tokens. Each writes its own audit event."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import ApiToken, Role, Unit, User
from sinergi.audit.services import diff, record, snapshot
from sinergi.territory.models import Region

STAFF_FIELDS = ["username", "full_name", "email", "phone", "nip", "position", "is_active"]


def _require_admin_of(by: User, unit: Unit) -> None:
    if not by.can_administer(unit.region):
        raise PermissionDenied(_("You do not administer %(unit)s.") % {"unit": unit})


@transaction.atomic
def staff_create(
    *,
    username: str,
    full_name: str,
    email: str,
    password: str,
    unit: Unit,
    kind: str,
    by: User,
    phone: str = "",
    nip: str = "",
    position: str = "",
) -> User:
    """Create a staff account with one role in ``unit``; only an administrator of the unit's territory may."""
    _require_admin_of(by, unit)
    if kind not in Role.STAFF_KINDS:
        raise ValidationError(_("Choose administrator, operator or viewer."))
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken.")})
    user = User(username=username, full_name=full_name, email=email, phone=phone, nip=nip, position=position)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    Role.objects.create(user=user, unit=unit, kind=kind)
    record(
        action="accounts.user.create",
        obj=user,
        actor=by,
        region_code=unit.region.code,
        changes=diff({}, snapshot(user, STAFF_FIELDS)) | {"role": [None, f"{kind}@{unit.pk}"]},
    )
    return user


@transaction.atomic
def member_create(
    *, username: str, full_name: str, password: str, region: Region, by: User, email: str = "", phone: str = ""
) -> User:
    """Create an account with no staff role, for an organisation's representative (a Ketua RT) or an
    FKDM member; the app that owns the organisation grants the role next. Staff who write in
    ``region``, the organisation's territory, may make one."""
    if not by.can_write(region):
        raise PermissionDenied(_("You may not create accounts in %(region)s.") % {"region": region})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken.")})
    user = User(username=username, full_name=full_name, email=email, phone=phone)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    user.save()
    record(
        action="accounts.user.create",
        obj=user,
        actor=by,
        region_code=region.code,
        changes=diff({}, snapshot(user, STAFF_FIELDS)),
    )
    return user


@transaction.atomic
def staff_update(*, user: User, by: User, **fields: object) -> User:
    """Change a staff member's details or switch the account on or off."""
    if not _can_manage(by, user):
        raise PermissionDenied(_("You do not administer this account."))
    unknown = set(fields) - set(STAFF_FIELDS)
    if unknown:
        raise ValueError(f"not staff fields: {unknown}")
    if user.pk == by.pk and fields.get("is_active") is False:
        raise ValidationError(_("You cannot switch off your own account."))
    before = snapshot(user, STAFF_FIELDS)
    for key, value in fields.items():
        setattr(user, key, value)
    changes = diff(before, snapshot(user, STAFF_FIELDS))
    if changes:
        user.save(update_fields=list(fields))
        record(action="accounts.user.update", obj=user, actor=by, region_code=user.home_region_code(), changes=changes)
    return user


def _can_manage(by: User, user: User) -> bool:
    """An administrator manages accounts whose every staff role lies inside their territory."""
    if by.is_superuser:
        return True
    units = [r.unit for r in user.roles.select_related("unit__region") if r.unit is not None]
    return bool(units) and all(by.can_administer(unit.region) for unit in units)


@transaction.atomic
def role_grant(*, user: User, unit: Unit, kind: str, by: User) -> Role:
    _require_admin_of(by, unit)
    if kind not in Role.STAFF_KINDS:
        raise ValidationError(_("Choose administrator, operator or viewer."))
    try:
        with transaction.atomic():
            role = Role.objects.create(user=user, unit=unit, kind=kind)
    except IntegrityError:
        raise ValidationError(
            _("%(user)s already holds this role in %(unit)s.") % {"user": user, "unit": unit}
        ) from None
    record(
        action="accounts.role.grant",
        obj=role,
        actor=by,
        region_code=unit.region.code,
        changes={"role": [None, f"{kind}@{unit.pk}"], "user": [None, user.pk]},
    )
    return role


@transaction.atomic
def role_revoke(*, role: Role, by: User) -> None:
    assert role.unit is not None
    _require_admin_of(by, role.unit)
    if role.user_id == by.pk and role.kind == Role.Kind.ADMIN:
        raise ValidationError(_("You cannot remove your own administrator role."))
    record(
        action="accounts.role.revoke",
        obj=role,
        actor=by,
        region_code=role.unit.region.code,
        changes={"role": [f"{role.kind}@{role.unit_id}", None], "user": [role.user_id, None]},
    )
    role.delete()


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_create(*, user: User, name: str, days: int | None = 90) -> tuple[ApiToken, str]:
    """Create an API token for ``user``; return it with the key, which is never stored or shown again."""
    prefix = secrets.token_hex(4)
    key = f"sng_{prefix}_{secrets.token_urlsafe(32)}"
    expires = timezone.now() + datetime.timedelta(days=days) if days else None
    token = ApiToken.objects.create(user=user, name=name, prefix=prefix, key_hash=_hash(key), expires_at=expires)
    record(
        action="accounts.token.create",
        obj=token,
        actor=user,
        region_code=user.home_region_code(),
        changes={"name": [None, name], "expires_at": [None, expires]},
    )
    return token, key


@transaction.atomic
def token_revoke(*, token: ApiToken, by: User) -> None:
    if token.user_id != by.pk and not by.is_superuser:
        raise PermissionDenied(_("This is not your token."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(
            action="accounts.token.revoke",
            obj=token,
            actor=by,
            region_code=token.user.home_region_code(),
            changes={"revoked_at": [None, token.revoked_at]},
        )


def token_authenticate(key: str) -> User | None:
    """The active user behind a usable token, or None. Notes when the token was last used."""
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != "sng":
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if token is None or not secrets.compare_digest(token.key_hash, _hash(key)) or not token.is_usable():
        return None
    if not token.user.is_active:
        return None
    now = timezone.now()
    # Touch at most once a minute: a busy integration should not write on every call.
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def unit_create(
    *, name: str, kind: str, region: Region, by: User | None, short_name: str = "", parent: Unit | None = None
) -> Unit:
    """Create a government unit; ``by`` None is the installer (demo data, first setup)."""
    if by is not None and not by.can_administer(region):
        raise PermissionDenied(_("You do not administer %(region)s.") % {"region": region})
    unit = Unit.objects.create(name=name, kind=kind, region=region, short_name=short_name, parent=parent)
    record(
        action="accounts.unit.create",
        obj=unit,
        actor=by,
        region_code=region.code,
        changes={"name": [None, name], "kind": [None, kind], "region": [None, region.code]},
    )
    return unit


@transaction.atomic
def superuser_create(*, username: str, full_name: str, email: str, password: str) -> User:
    """The installation's first account, made from the command line."""
    user = User.objects.create_superuser(username=username, email=email, password=password, full_name=full_name)
    record(
        action="accounts.user.create", obj=user, changes={"username": [None, username], "is_superuser": [None, True]}
    )
    return user
