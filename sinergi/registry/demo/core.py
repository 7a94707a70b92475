"""What every part of the demo generator shares: the stories it tells, persons with generated NIKs,
and the batches it writes in one transaction each."""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Model
from django.utils import translation

from sinergi.audit.services import record
from sinergi.registry import nik as nik_helpers
from sinergi.registry.demo.words import MEN, REPORTS, STREETS, SURNAMES, WOMEN, WOMEN_SURNAMES
from sinergi.registry.models import (
    ActivityReport,
    CoachingNote,
    Document,
    Officer,
    Organisation,
    OrganisationKind,
    OrmasProfile,
    Person,
    document_path,
)
from sinergi.registry.rules import add_years
from sinergi.territory.models import Region

SEED = "sinergi-demo-2026"
JAKARTA_CODE = "31"
JAKPUS_CODE = "31.71"
ORMAS_COUNT = 5_000
ORMAS_WITH_FILES = 300  # the first Ormas (seed 001 first) get real document files; the rest none
BATCH_ORGANISATIONS = 2_000
# Boards whose term ends before the year is out, on top of those a uniform spread of five-year terms
# ends anyway: enough for every Lurah's "terms ending this year" list, not a wave of elections.
ENDING_THIS_YEAR = 0.04

# Kind codes as the register's kinds name them.
RT_KIND, RW_KIND, LMK, FKDM, PKK, KARANG_TARUNA, ORMAS = ("rt", "rw", "lmk", "fkdm", "pkk", "karang_taruna", "ormas")
VILLAGE_KINDS = (LMK, FKDM, PKK, KARANG_TARUNA)
AREA_KINDS = (FKDM, PKK, KARANG_TARUNA)  # also at kecamatan and kota level

# Seed 001: "Pemkot Jakpus dan Ormas Bahas Sinergi Pembangunan", 10 Ormas at the Kantor Wali Kota.
SEED_001_DATE = datetime.date(2024, 7, 11)
SEED_001_ORMAS = [
    ("Demo Forum Silaturahmi Warga Jakarta Pusat", "31.71.01", "Sosial kemasyarakatan"),
    ("Demo Ikatan Pemuda Peduli Kemayoran", "31.71.03", "Kepemudaan"),
    ("Demo Paguyuban Betawi Menteng", "31.71.05", "Kebudayaan Betawi"),
    ("Demo Gerakan Masyarakat Tertib Senen", "31.71.04", "Ketertiban dan keamanan lingkungan"),
    ("Demo Persatuan Remaja Masjid Tanah Abang", "31.71.06", "Keagamaan"),
    ("Demo Laskar Relawan Bersih Cempaka Putih", "31.71.07", "Lingkungan hidup"),
    ("Demo Himpunan Warga Peduli Banjir Johar Baru", "31.71.08", "Penanggulangan bencana"),
    ("Demo Perkumpulan Sahabat Lingkungan Gambir", "31.71.01", "Lingkungan hidup"),
    ("Demo Keluarga Besar Pedagang Pasar Baru", "31.71.02", "Ekonomi kerakyatan"),
    ("Demo Aliansi Perempuan Berdaya Sawah Besar", "31.71.02", "Pemberdayaan perempuan"),
]
SANCTIONED_ORMAS = ("Demo Barisan Penertib Swadaya Jakarta Pusat", "31.71.04", "Ketertiban dan keamanan lingkungan")
# Seed 002: "Peningkatan Kapasitas Lembaga Kemasyarakatan di Kecamatan Sawah Besar", Rabu 27/9/2023.
SEED_002_DISTRICT = "31.71.02"
SEED_002_DATE = datetime.date(2023, 9, 27)

# The representative accounts, printed by scripts/run beside the staff logins.
PASAR_BARU = "31.71.02.1001"
RT_CHAIR_NAME = "Bambang Suryadi"
ORMAS_SECRETARY_NAME = "Siti Rahmawati"


# --- small helpers -----------------------------------------------------------------------------


def between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def phone(rng: random.Random) -> str:
    return f"0800-0000-{rng.randint(0, 9999):04d}"


def jitter(rng: random.Random, region: Region) -> tuple[float | None, float | None]:
    if region.centroid_lat is None or region.centroid_lng is None:
        return None, None
    return (
        round(region.centroid_lat + rng.uniform(-0.004, 0.004), 6),
        round(region.centroid_lng + rng.uniform(-0.004, 0.004), 6),
    )


def initials(name: str) -> str:
    return "".join(word[0] for word in name.removeprefix("Demo ").replace("-", " ").split() if word[0].isupper())


# --- persons -----------------------------------------------------------------------------------


class People:
    """Makes persons with generated NIKs that are unique here and in the database."""

    def __init__(self, today: datetime.date) -> None:
        self.today = today
        self.taken: set[str] | None = None  # NIK hashes in the database, read when first needed
        self.made: set[str] = set()

    def person(
        self,
        rng: random.Random,
        *,
        home: Region,
        sex: str,
        ages: tuple[int, int] = (28, 70),
        rt_id: int | None = None,
        full_name: str = "",
    ) -> Person:
        if self.taken is None:
            self.taken = set(Person.objects.values_list("nik_hash", flat=True))
        born = self.today - datetime.timedelta(days=rng.randint(ages[0] * 365 + 1, ages[1] * 365))
        day = born.day + (nik_helpers.WOMEN_DAY_OFFSET if sex == Person.Sex.FEMALE else 0)
        # The NIK's region digits are those of the kecamatan of the person's kelurahan.
        stem = f"{home.code[:8].replace('.', '')}{day:02d}{born.month:02d}{born.year % 100:02d}"
        serial = rng.randint(1, 200)
        while True:
            nik = f"{stem}{serial:04d}"
            hashed = nik_helpers.nik_hash(nik)
            if nik not in self.made and hashed not in self.taken:
                break
            serial += 1
        self.made.add(nik)
        if not full_name:
            if sex == Person.Sex.FEMALE:
                full_name = f"{rng.choice(WOMEN)} {rng.choice(WOMEN_SURNAMES + SURNAMES)}"
            else:
                full_name = f"{rng.choice(MEN)} {rng.choice(SURNAMES)}"
        return Person(
            full_name=full_name,
            nik_encrypted=nik_helpers.encrypt_nik(nik),
            nik_hash=hashed,
            nik_masked=nik_helpers.mask_nik(nik),
            sex=sex,
            birth_date=born,
            phone=phone(rng) if rng.random() < 0.5 else "",
            address=f"Jl. {rng.choice(STREETS)} No. {rng.randint(1, 120)}",
            region=home,
            rt_id=rt_id,
        )


# --- batches -----------------------------------------------------------------------------------


@dataclass
class Batch:
    """Rows written together in one transaction; organisations first, then what hangs off them."""

    organisations: list[Organisation] = field(default_factory=list)
    profiles: list[OrmasProfile] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    officers: list[Officer] = field(default_factory=list)
    reports: list[ActivityReport] = field(default_factory=list)
    notes: list[CoachingNote] = field(default_factory=list)
    documents: list[tuple[Document, bytes]] = field(default_factory=list)


@dataclass
class Run:
    """One run of the generator: what it works on and what it has made."""

    today: datetime.date
    within: Region
    kinds: dict[str, OrganisationKind]
    people: People
    kind_codes: dict[int, str] = field(default_factory=dict)
    created: Counter[tuple[type[Model], str]] = field(default_factory=Counter)
    batch: Batch = field(default_factory=Batch)
    villages: dict[str, list[Region]] = field(default_factory=dict)

    def villages_under(self, region: Region) -> list[Region]:
        """The kelurahan at or under ``region`` (those of the province when it has none loaded)."""
        if region.level == Region.Level.VILLAGE:
            return [region]
        if region.code not in self.villages:
            under = Region.objects.filter(level=Region.Level.VILLAGE).order_by("code")
            self.villages[region.code] = list(under.filter(code__startswith=f"{region.code}.")) or list(
                under.filter(code__startswith=f"{region.code[:2]}.")
            )
        return self.villages[region.code]

    def home(self, rng: random.Random, region: Region) -> Region:
        """A kelurahan at or under ``region`` for a person to live in."""
        return rng.choice(self.villages_under(region))

    def flush(self, *, force: bool = True) -> None:
        if not force and len(self.batch.organisations) < BATCH_ORGANISATIONS:
            return
        batch, self.batch = self.batch, Batch()
        if not batch.organisations and not batch.reports:
            return
        with transaction.atomic():
            Organisation.objects.bulk_create(batch.organisations, batch_size=1000)
            OrmasProfile.objects.bulk_create(batch.profiles, batch_size=1000)
            Person.objects.bulk_create(batch.persons, batch_size=1000)
            for officer in batch.officers:  # the persons have their ids only now
                officer.person_id = officer.person.pk
            Officer.objects.bulk_create(batch.officers, batch_size=1000)
            ActivityReport.objects.bulk_create(batch.reports, batch_size=1000)
            CoachingNote.objects.bulk_create(batch.notes, batch_size=1000)
            documents = []
            for document, content in batch.documents:
                document.organisation_id = document.organisation.pk
                # The same organisation id and (seeded) uuid give the same name: a database built
                # afresh replaces its demo files instead of piling up new ones beside them.
                name = document_path(document, "demo.pdf")
                if default_storage.exists(name):
                    default_storage.delete(name)
                document.file.name = default_storage.save(name, ContentFile(content))
                documents.append(document)
            Document.objects.bulk_create(documents, batch_size=1000)
        for org in batch.organisations:
            self.created[Organisation, self.kind_codes[org.kind_id]] += 1
        made: list[tuple[type[Model], int]] = [
            (OrmasProfile, len(batch.profiles)),
            (Person, len(batch.persons)),
            (Officer, len(batch.officers)),
            (ActivityReport, len(batch.reports)),
            (CoachingNote, len(batch.notes)),
            (Document, len(batch.documents)),
        ]
        for model, count in made:
            if count:
                self.created[model, ""] += count

    def audit(self) -> None:
        """One audit event per kind of bulk creation."""
        with transaction.atomic():
            for (model, kind), count in self.created.items():
                what = f"{model._meta.verbose_name_plural}" + (f" ({self.kinds[kind].name})" if kind else "")
                record(
                    action=f"{model._meta.label_lower}.bulk_create",
                    object_type=model._meta.label_lower,
                    object_repr=f"Demo data: {count:,} {what}",
                    region_code=self.within.code,
                    changes={"count": count, "kind": kind, "source": "sinergi.registry.demo"},
                )

    def summary(self) -> dict[str, int]:
        """``{"organisations (rt)": 30442, "persons": 122061, ...}``: what this run made."""
        with translation.override("en"):
            return {
                f"{model._meta.verbose_name_plural}" + (f" ({kind})" if kind else ""): n
                for (model, kind), n in self.created.items()
            }

    # The pieces every kind of organisation is made of.

    def appoint(
        self,
        org: Organisation,
        person: Person,
        position: str,
        term: tuple[datetime.date, datetime.date],
        sk: tuple[str, datetime.date, str],
        rng: random.Random,
        *,
        title: str = "",
        party_statement: float = 0.95,
    ) -> Officer:
        """``person`` (new in this batch) takes ``position`` in ``org``."""
        officer = Officer(
            organisation=org,
            person=person,
            position=position,
            position_title=title,
            term_start=term[0],
            term_end=term[1],
            sk_number=sk[0],
            sk_date=sk[1],
            sk_issuer=sk[2],
            is_acting=rng.random() < 0.01,
            no_party_statement=rng.random() < party_statement,
        )
        self.batch.persons.append(person)
        self.batch.officers.append(officer)
        return officer

    def reports(self, org: Organisation, rng: random.Random, pool: str, place: str, count: int, days: int) -> None:
        """``count`` reports of the kinds in ``pool`` within the last ``days``."""
        for _ in range(count):
            kind, title = rng.choice(REPORTS[pool])
            held_on = between(rng, self.today - datetime.timedelta(days=days), self.today)
            self.report(org, held_on, kind, title, place, rng.randint(8, 120))

    def report(
        self, org: Organisation, held_on: datetime.date, kind: str, title: str, place: str, participants: int
    ) -> None:
        self.batch.reports.append(
            ActivityReport(
                organisation=org,
                held_on=held_on,
                kind=kind,
                title=title,
                place=place,
                participants=participants,
                description="Laporan kegiatan contoh (data demo).",
            )
        )


def term_for(
    rng: random.Random, today: datetime.date, years: int, ending_this_year: float
) -> tuple[datetime.date, datetime.date]:
    """A current term of ``years``; with probability ``ending_this_year`` it ends before the year is out."""
    year_end = datetime.date(today.year, 12, 31)
    if rng.random() < ending_this_year:
        last = between(rng, today + datetime.timedelta(days=1), max(year_end, today + datetime.timedelta(days=30)))
    else:
        last = between(rng, year_end + datetime.timedelta(days=1), add_years(today, years) - datetime.timedelta(days=1))
    start = add_years(last + datetime.timedelta(days=1), -years)
    return start, add_years(start, years) - datetime.timedelta(days=1)


def sk_for(rng: random.Random, start: datetime.date, issuer: str) -> tuple[str, datetime.date, str]:
    sk_date = start - datetime.timedelta(days=rng.randint(3, 20))
    return f"{rng.randint(1, 400)} Tahun {sk_date.year}", sk_date, issuer


def sex_for(rng: random.Random, women: float) -> str:
    return Person.Sex.FEMALE if rng.random() < women else Person.Sex.MALE
