"""Demo government units and staff accounts for Jakarta."""

from __future__ import annotations

from dataclasses import dataclass

from sinergi.accounts import services
from sinergi.accounts.models import Role, Unit, User
from sinergi.territory.models import Region

DEMO_PASSWORD = "sinergi-demo-2026"  # noqa: S105 - printed by the run command; demo data only


@dataclass(frozen=True)
class DemoLogin:
    username: str
    full_name: str
    unit_name: str
    kind: str

    @property
    def description(self) -> str:
        return f"{Role.Kind(self.kind).label} — {self.unit_name}"


# Agencies that act on complaints and publish announcements, with a Suku Dinas per kota.
AGENCIES = [
    ("Dinas Sumber Daya Air", "SDA"),
    ("Dinas Bina Marga", "Bina Marga"),
    ("Dinas Lingkungan Hidup", "LH"),
    ("Dinas Perhubungan", "Dishub"),
]

DEMO_LOGINS = [
    DemoLogin(
        "kesbangpol", "Demo Admin Kesbangpol", "Badan Kesatuan Bangsa dan Politik Provinsi DKI Jakarta", Role.Kind.ADMIN
    ),
    DemoLogin(
        "jakpus",
        "Demo Admin Bagian Pemerintahan Jakarta Pusat",
        "Bagian Pemerintahan Kota Administrasi Jakarta Pusat",
        Role.Kind.ADMIN,
    ),
    DemoLogin(
        "jakpus.viewer",
        "Demo Pemantau Jakarta Pusat",
        "Bagian Pemerintahan Kota Administrasi Jakarta Pusat",
        Role.Kind.VIEWER,
    ),
    DemoLogin(
        "camat.sawahbesar", "Demo Operator Kecamatan Sawah Besar", "Kantor Kecamatan Sawah Besar", Role.Kind.OPERATOR
    ),
    DemoLogin(
        "lurah.pasarbaru", "Demo Operator Kelurahan Pasar Baru", "Kantor Kelurahan Pasar Baru", Role.Kind.OPERATOR
    ),
    DemoLogin(
        "lurah.karanganyar", "Demo Operator Kelurahan Karang Anyar", "Kantor Kelurahan Karang Anyar", Role.Kind.OPERATOR
    ),
]


def _short_city(name: str) -> str:
    return name.replace("Kota Administrasi ", "").replace("Kabupaten Administrasi ", "")


def create_units(province: Region) -> int:
    """One office per region of ``province``, Kesbangpol, and agencies with their Suku Dinas."""
    existing = set(Unit.objects.values_list("region_id", "name"))
    made = 0

    def make(name: str, kind: str, region: Region, short: str = "", parent: Unit | None = None) -> Unit | None:
        nonlocal made
        if (region.pk, name) in existing:
            return None
        made += 1
        return services.unit_create(name=name, kind=kind, region=region, short_name=short, parent=parent, by=None)

    make("Badan Kesatuan Bangsa dan Politik Provinsi DKI Jakarta", Unit.Kind.PROVINCE_OFFICE, province, "Kesbangpol")
    regions = Region.objects.filter(code__startswith=f"{province.code}.").order_by("code")
    for region in regions:
        if region.level == Region.Level.CITY:
            make(f"Bagian Pemerintahan {region.name}", Unit.Kind.CITY_OFFICE, region, f"Pem {_short_city(region.name)}")
        elif region.level == Region.Level.DISTRICT:
            make(f"Kantor Kecamatan {region.name}", Unit.Kind.DISTRICT_OFFICE, region, f"Kec. {region.name}")
        else:
            make(f"Kantor {region.level_label} {region.name}", Unit.Kind.VILLAGE_OFFICE, region, f"Kel. {region.name}")
    cities = [r for r in regions if r.level == Region.Level.CITY]
    for agency_name, short in AGENCIES:
        agency = make(f"{agency_name} Provinsi DKI Jakarta", Unit.Kind.AGENCY, province, short)
        agency = agency or Unit.objects.get(region=province, name=f"{agency_name} Provinsi DKI Jakarta")
        for city in cities:
            make(
                f"Suku {agency_name} {city.name}",
                Unit.Kind.SUB_AGENCY,
                city,
                f"Sudin {short} {_short_city(city.name)}",
                parent=agency,
            )
    return made


def create_logins() -> list[DemoLogin]:
    """The demo accounts printed by the run command; all share ``DEMO_PASSWORD``."""
    if not User.objects.filter(username="admin").exists():
        services.superuser_create(
            username="admin", full_name="Demo Superadmin", email="admin@sinergi.test", password=DEMO_PASSWORD
        )
    root = User.objects.get(username="admin")
    for login in DEMO_LOGINS:
        if User.objects.filter(username=login.username).exists():
            continue
        unit = Unit.objects.get(name=login.unit_name)
        services.staff_create(
            username=login.username,
            full_name=login.full_name,
            email=f"{login.username}@sinergi.test",
            password=DEMO_PASSWORD,
            unit=unit,
            kind=login.kind,
            by=root,
        )
    return DEMO_LOGINS
