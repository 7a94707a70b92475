"""Users, the government units they work in, their roles, their second factor and their API tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from sinergi.territory.models import Region, code_q

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class UnitQuerySet(models.QuerySet["Unit"]):
    def visible_to(self, user: User) -> UnitQuerySet:
        """Units whose territory lies inside the user's scope."""
        codes = user.scope_codes()
        if codes is None:
            return self
        return self.filter(code_q(codes, "region__code"))


class Unit(models.Model):
    """A government unit (Kesbangpol, a kota's Bagian Pemerintahan, a kecamatan or kelurahan office,
    an agency or its Suku Dinas). Its region is the territory it answers for."""

    class Kind(models.TextChoices):
        PROVINCE_OFFICE = "province_office", _("Province office")
        CITY_OFFICE = "city_office", _("City office")
        DISTRICT_OFFICE = "district_office", _("Kecamatan office")
        VILLAGE_OFFICE = "village_office", _("Kelurahan office")
        AGENCY = "agency", _("Agency (dinas/badan)")
        SUB_AGENCY = "sub_agency", _("Agency branch (suku dinas)")

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(Region, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["region__code", "kind", "name"]
        verbose_name = _("government unit")
        verbose_name_plural = _("government units")
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="unit_unique_name_in_region")]

    def __str__(self) -> str:
        return self.name


class SinergiUserManager(UserManager["User"]):
    def visible_to(self, user: User) -> models.QuerySet[User]:
        """Users holding a staff role in a unit inside ``user``'s scope."""
        codes = user.scope_codes()
        if codes is None:
            return self.all()
        return self.filter(code_q(codes, "roles__unit__region__code")).distinct()


class User(AbstractUser):
    """A person who logs in. What they may see and do follows from their roles."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    nip = models.CharField(_("NIP"), max_length=18, blank=True, help_text=_("Civil-servant number, for signatories."))
    position = models.CharField(_("position"), max_length=150, blank=True)
    # Raised to sign the user out everywhere (their authenticator was reset: the phone may be lost
    # with a session open on it); part of the session hash that Django checks on every request.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    objects = SinergiUserManager()  # type: ignore[misc]

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django's hash of the password, and of the epoch once raised: a password change or a raised
        epoch ends every other session (an epoch of 0 keeps the hashes of sessions made before)."""
        value = self.password if not self.session_epoch else f"{self.password}:{self.session_epoch}"
        return salted_hmac(
            "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash",
            value,
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def active_roles(self) -> list[Role]:
        cached: list[Role] | None = getattr(self, "_active_roles", None)
        if cached is None:
            cached = list(self.roles.filter(is_active=True).select_related("unit__region"))
            self._active_roles = cached
        return cached

    def scope_codes(self) -> list[str] | None:
        """Region codes this user may see, or None for everything.

        A staff role's scope is its unit's territory: a kelurahan operator sees
        that kelurahan, a city administrator every kecamatan of the city, a
        province unit everything in the province.
        """
        if not self.is_authenticated or not self.is_active:
            return []
        if self.is_superuser:
            return None
        return sorted({r.unit.region.code for r in self.active_roles() if r.kind in Role.STAFF_KINDS and r.unit})

    def has_role_in(self, region: Region, kinds: frozenset[str]) -> bool:
        """Whether one of the user's roles of ``kinds`` covers ``region``."""
        if self.is_superuser and self.is_active:
            return True
        return any(r.kind in kinds and r.unit and r.unit.region.contains(region) for r in self.active_roles())

    def can_write(self, region: Region) -> bool:
        return self.has_role_in(region, Role.WRITE_KINDS)

    def can_administer(self, region: Region) -> bool:
        return self.has_role_in(region, frozenset({Role.Kind.ADMIN}))

    def represented_organisation_ids(self) -> list[int]:
        """Organisations this user represents (Ketua RT, an Ormas secretary) or serves as FKDM member."""
        return sorted(
            {r.organisation_id for r in self.active_roles() if r.organisation_id and r.kind in Role.MEMBER_KINDS}
        )

    def home_region_code(self) -> str:
        """The territory of the user's first staff role: where their audit events belong."""
        codes = [r.unit.region.code for r in self.active_roles() if r.unit]
        return min(codes, key=len) if codes else ""

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or any(r.kind == Role.Kind.ADMIN for r in self.active_roles())

    @property
    def second_factor_required(self) -> bool:
        """Administrators must sign in with an authenticator app (unless a local demo turned it off)."""
        return self.is_administrator and settings.ADMIN_SECOND_FACTOR_REQUIRED

    @property
    def is_government_staff(self) -> bool:
        return self.is_superuser or any(r.kind in Role.STAFF_KINDS for r in self.active_roles())


class Role(models.Model):
    """A role a user holds. Staff roles (administrator, operator, viewer) are held in a unit.

    The other kinds (organisation representative, FKDM member, resident) are
    tied to an organisation or person by the apps that introduce them.
    """

    class Kind(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        OPERATOR = "operator", _("Operator")
        VIEWER = "viewer", _("Viewer")
        ORG_REPRESENTATIVE = "org_representative", _("Organisation representative")
        FKDM_MEMBER = "fkdm_member", _("FKDM member")
        RESIDENT = "resident", _("Resident")

    STAFF_KINDS = frozenset({Kind.ADMIN, Kind.OPERATOR, Kind.VIEWER})
    WRITE_KINDS = frozenset({Kind.ADMIN, Kind.OPERATOR})
    MEMBER_KINDS = frozenset({Kind.ORG_REPRESENTATIVE, Kind.FKDM_MEMBER})

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(_("role"), max_length=20, choices=Kind.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="roles"
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="roles",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        ordering = ["user__username", "kind"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "kind"], name="role_unique_per_unit"),
            models.CheckConstraint(
                condition=~Q(kind__in=["admin", "operator", "viewer"]) | Q(unit__isnull=False),
                name="role_staff_needs_unit",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["org_representative", "fkdm_member"]) | Q(organisation__isnull=False),
                name="role_member_needs_organisation",
            ),
            models.UniqueConstraint(
                fields=["user", "organisation", "kind"],
                condition=Q(organisation__isnull=False),
                name="role_unique_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.unit}" if self.unit else self.get_kind_display()


class TotpDevice(models.Model):
    """A user's authenticator app (TOTP, RFC 6238): the second factor of their sign-in.

    The shared secret is stored encrypted (see ``sinergi.accounts.otp``). The device counts only once
    ``confirmed_at`` is set, when the user has typed a code the app made. ``last_step`` is the 30-second
    time step of the last accepted code, so each code signs in once.
    """

    user = models.OneToOneField(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="totp_device")
    secret_encrypted = models.TextField(_("secret (encrypted)"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("switched on at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    last_step = models.BigIntegerField(_("last time step used"), default=0)

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    def __str__(self) -> str:
        return f"TOTP {self.user}"


class RecoveryCode(models.Model):
    """A one-time code that stands in for the authenticator app (a lost phone). Only a salted hash is kept."""

    device = models.ForeignKey(
        TotpDevice, verbose_name=_("authenticator app"), on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(_("code hash"), max_length=100)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        ordering = ["device", "id"]
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return f"{self.device.user} #{self.pk}"


class ApiToken(models.Model):
    """A bearer token for an integration. Only a hash is stored; the key is shown once.

    A read token may only read (GET, HEAD, OPTIONS); a write token may also change data, as far as its
    user may.
    """

    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        WRITE = "write", _("Read and write")

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.READ)
    prefix = models.CharField(_("prefix"), max_length=12, unique=True)
    key_hash = models.CharField(_("key hash"), max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def allows(self, method: str) -> bool:
        """Whether the token may make a request with HTTP ``method``."""
        return method.upper() in SAFE_METHODS or self.scope == self.Scope.WRITE
