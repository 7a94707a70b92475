"""The Kemendagri territory: province, kota/kabupaten, kecamatan, kelurahan/desa, then RW and RT."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from sinergi.accounts.models import User


def code_q(codes: list[str], field: str = "code") -> Q:
    """Match every region at or below any of ``codes``.

    Kemendagri codes are dotted and fixed-width per level, so a region's
    descendants are exactly the codes that start with its code and a dot.
    """
    q = Q(pk__in=[])
    for code in codes:
        q |= Q(**{field: code}) | Q(**{f"{field}__startswith": f"{code}."})
    return q


class RegionQuerySet(models.QuerySet["Region"]):
    def visible_to(self, user: User) -> RegionQuerySet:
        """Regions inside the user's territorial scope."""
        codes = user.scope_codes()
        if codes is None:
            return self
        return self.filter(code_q(codes))


class Region(models.Model):
    """One administrative region with its Kemendagri code (``31.71.01.1001``)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City/Regency")
        DISTRICT = "district", _("District (kecamatan)")
        VILLAGE = "village", _("Village (kelurahan/desa)")

    code = models.CharField(_("code"), max_length=13, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=10, decimal_places=3, null=True, blank=True)
    boundary = models.JSONField(_("boundary (GeoJSON geometry)"), null=True, blank=True)
    centroid_lat = models.FloatField(_("centroid latitude"), null=True, blank=True)
    centroid_lng = models.FloatField(_("centroid longitude"), null=True, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        indexes = [models.Index(fields=["level", "code"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="province", parent__isnull=True) | Q(parent__isnull=False),
                name="region_parent_unless_province",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @staticmethod
    def label_of(code: str, level: str) -> str:
        """The word Indonesians put before the name of a region of this code and level: Provinsi,
        Kecamatan, Kelurahan or Desa (for lists built from ``values_list``, without instances)."""
        if level == Region.Level.PROVINCE:
            return "Provinsi"
        if level == Region.Level.DISTRICT:
            return "Kecamatan"
        if level == Region.Level.VILLAGE:
            # Kemendagri numbers kelurahan 1xxx and desa 2xxx.
            return "Kelurahan" if code.rsplit(".", 1)[-1].startswith("1") else "Desa"
        return ""

    @staticmethod
    def display_name_of(code: str, name: str, level: str) -> str:
        # Kota/kabupaten names already carry their kind ("Kota Administrasi ...").
        return f"{Region.label_of(code, level)} {name}".strip()

    @property
    def level_label(self) -> str:
        """The word Indonesians put before the name: Provinsi, Kecamatan, Kelurahan or Desa."""
        return self.label_of(self.code, self.level)

    @property
    def display_name(self) -> str:
        return self.display_name_of(self.code, self.name, self.level)

    @property
    def code_nodot(self) -> str:
        return self.code.replace(".", "")

    def contains(self, other: Region) -> bool:
        return other.code == self.code or other.code.startswith(f"{self.code}.")


class RWQuerySet(models.QuerySet["RW"]):
    def visible_to(self, user: User) -> RWQuerySet:
        codes = user.scope_codes()
        if codes is None:
            return self
        return self.filter(code_q(codes, "kelurahan__code"))


class RW(models.Model):
    """A Rukun Warga: a numbered unit inside one kelurahan."""

    kelurahan = models.ForeignKey(
        Region,
        verbose_name=_("kelurahan"),
        on_delete=models.PROTECT,
        related_name="rws",
        limit_choices_to={"level": Region.Level.VILLAGE},
    )
    number = models.PositiveSmallIntegerField(_("number"))
    boundary = models.JSONField(_("boundary (GeoJSON geometry)"), null=True, blank=True)

    objects = RWQuerySet.as_manager()

    class Meta:
        ordering = ["kelurahan__code", "number"]
        verbose_name = _("RW")
        verbose_name_plural = _("RW")
        constraints = [
            models.UniqueConstraint(fields=["kelurahan", "number"], name="rw_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="rw_number_positive"),
        ]

    def __str__(self) -> str:
        return f"RW {self.number:03d}"

    @property
    def label(self) -> str:
        return f"RW {self.number:03d} {self.kelurahan.display_name}"


class RTQuerySet(models.QuerySet["RT"]):
    def visible_to(self, user: User) -> RTQuerySet:
        codes = user.scope_codes()
        if codes is None:
            return self
        return self.filter(code_q(codes, "rw__kelurahan__code"))


class RT(models.Model):
    """A Rukun Tetangga: a numbered unit inside one RW."""

    rw = models.ForeignKey(RW, verbose_name=_("RW"), on_delete=models.PROTECT, related_name="rts")
    number = models.PositiveSmallIntegerField(_("number"))
    boundary = models.JSONField(_("boundary (GeoJSON geometry)"), null=True, blank=True)

    objects = RTQuerySet.as_manager()

    class Meta:
        ordering = ["rw__kelurahan__code", "rw__number", "number"]
        verbose_name = _("RT")
        verbose_name_plural = _("RT")
        constraints = [
            models.UniqueConstraint(fields=["rw", "number"], name="rt_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="rt_number_positive"),
        ]

    def __str__(self) -> str:
        return f"RT {self.number:03d}/RW {self.rw.number:03d}"
