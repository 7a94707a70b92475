"""Writes to accounts: staff, roles, the second factor and API tokens. Each writes its own audit event."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts import otp
from sinergi.accounts.models import ApiToken, RecoveryCode, Role, TotpDevice, Unit, User
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
def token_create(
    *, user: User, name: str, days: int | None = 90, scope: str = ApiToken.Scope.READ
) -> tuple[ApiToken, str]:
    """Create an API token for ``user``; return it with the key, which is never stored or shown again.

    A token only reads unless ``scope`` is ``write``: an integration gets no more than it needs.
    """
    if scope not in ApiToken.Scope.values:
        raise ValidationError({"scope": _("Choose read only, or read and write.")})
    prefix = secrets.token_hex(4)
    key = f"sng_{prefix}_{secrets.token_urlsafe(32)}"
    expires = timezone.now() + datetime.timedelta(days=days) if days else None
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, key_hash=_hash(key), expires_at=expires, scope=scope
    )
    record(
        action="accounts.token.create",
        obj=token,
        actor=user,
        region_code=user.home_region_code(),
        changes={"name": [None, name], "expires_at": [None, expires], "scope": [None, scope]},
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


def token_authenticate(key: str, *, method: str = "GET") -> User | None:
    """The active user behind a usable token, or None. Notes when the token was last used.

    Raises ``PermissionDenied`` when the token is good but its scope does not allow ``method``.
    """
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != "sng":
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if token is None or not secrets.compare_digest(token.key_hash, _hash(key)) or not token.is_usable():
        return None
    if not token.user.is_active:
        return None
    if not token.allows(method):
        raise PermissionDenied(_("This token may only read. Make a token that may read and write to change data."))
    now = timezone.now()
    # Touch at most once a minute: a busy integration should not write on every call.
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def _record_failed_code(user: User, *, purpose: str) -> None:
    record(
        action="accounts.two_factor.failed",
        obj=user,
        actor=user,
        region_code=user.home_region_code(),
        changes={"purpose": purpose},
    )


@transaction.atomic
def two_factor_prepare(*, user: User) -> TotpDevice:
    """The user's authenticator app waiting to be switched on; made with a new secret if there is none yet.

    Asking again returns the same one, so reloading the set-up page keeps the QR code the app scanned.
    """
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is not None:
        if device.confirmed_at is not None:
            raise ValidationError(_("Two-step sign-in is already on."))
        return device
    device = TotpDevice.objects.create(user=user, secret_encrypted=otp.encrypt_secret(otp.new_secret()))
    record(action="accounts.two_factor.prepare", obj=user, actor=user, region_code=user.home_region_code())
    return device


def _replace_recovery_codes(device: TotpDevice) -> list[str]:
    codes = otp.new_recovery_codes()
    device.recovery_codes.all().delete()
    RecoveryCode.objects.bulk_create(RecoveryCode(device=device, code_hash=otp.hash_recovery_code(c)) for c in codes)
    return codes


def two_factor_confirm(*, user: User, code: str) -> list[str]:
    """Switch two-step sign-in on once the user types a code their app made from the new secret.

    Returns the recovery codes, which are kept only as hashes: the caller shows them this once.
    A wrong code is audited and raises ``ValidationError``.
    """
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=True).first()
        if device is None:
            raise ValidationError(_("Two-step sign-in is already on, or its set-up has not started."))
        step = otp.matching_step(otp.decrypt_secret(device.secret_encrypted), otp.clean_code(code))
        if step is not None:
            device.confirmed_at = device.last_used_at = timezone.now()
            device.last_step = step
            device.save(update_fields=["confirmed_at", "last_used_at", "last_step"])
            codes = _replace_recovery_codes(device)
            record(
                action="accounts.two_factor.enable",
                obj=user,
                actor=user,
                region_code=user.home_region_code(),
                changes={"two_factor": [False, True], "recovery_codes": [None, len(codes)]},
            )
            return codes
    # Outside the transaction, so the audit event stays although the call fails.
    _record_failed_code(user, purpose="enrol")
    raise ValidationError(_("That code is not right. Type the newest code your app shows."), code="wrong_code")


def two_factor_verify(*, user: User, code: str, purpose: str = "sign_in") -> str:
    """Check a second-factor code: the app's current code or an unused recovery code, each good once.

    Returns ``"totp"`` or ``"recovery"``. A recovery code's use and every wrong code are audited; a
    wrong code raises ``ValidationError``. Counting failures towards a lockout is the caller's part,
    since it knows the request's address.
    """
    cleaned = otp.clean_code(code)
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    if device is not None and otp.is_totp_code(cleaned):
        step = otp.matching_step(otp.decrypt_secret(device.secret_encrypted), cleaned)
        # Only a step later than the last one used is taken, in one UPDATE, so a code works once even
        # when two requests race with it.
        if step is not None and TotpDevice.objects.filter(pk=device.pk, last_step__lt=step).update(
            last_step=step, last_used_at=timezone.now()
        ):
            return "totp"
    elif device is not None:
        for stored in device.recovery_codes.filter(used_at__isnull=True):
            if otp.recovery_code_matches(cleaned, stored.code_hash) and RecoveryCode.objects.filter(
                pk=stored.pk, used_at__isnull=True
            ).update(used_at=timezone.now()):
                left = device.recovery_codes.filter(used_at__isnull=True).count()
                record(
                    action="accounts.two_factor.recovery_code_used",
                    obj=user,
                    actor=user,
                    region_code=user.home_region_code(),
                    changes={"purpose": purpose, "recovery_codes_left": left},
                )
                return "recovery"
    _record_failed_code(user, purpose=purpose)
    raise ValidationError(_("That code is not right."), code="wrong_code")


def two_factor_disable(*, user: User, password: str, code: str) -> None:
    """Switch the user's two-step sign-in off; it takes their password and a code (or a recovery code).

    An administrator who does so is sent to set it up again: they cannot work without it.
    """
    if not user.check_password(password):
        raise ValidationError({"password": _("Your password is not right.")})
    try:
        two_factor_verify(user=user, code=code, purpose="disable")
    except ValidationError as exc:
        raise ValidationError({"code": exc.messages}) from None
    with transaction.atomic():
        deleted, _counts = TotpDevice.objects.filter(user=user).delete()
        if deleted:
            record(
                action="accounts.two_factor.disable",
                obj=user,
                actor=user,
                region_code=user.home_region_code(),
                changes={"two_factor": [True, False]},
            )


@transaction.atomic
def two_factor_reset(*, user: User, by: User) -> None:
    """An administrator switches off a staff member's two-step sign-in (a lost phone and lost recovery
    codes); the staff member sets it up again. Not one's own: that takes one's password and a code.

    Every session of theirs ends too: the lost phone may still be signed in."""
    if user.pk == by.pk or not _can_manage(by, user):
        raise PermissionDenied(_("You do not administer this account."))
    deleted, _counts = TotpDevice.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    if deleted:
        record(
            action="accounts.two_factor.reset",
            obj=user,
            actor=by,
            region_code=user.home_region_code(),
            changes={"two_factor": [True, False]},
        )


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
