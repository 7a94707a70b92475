"""Demo data for aspirations and complaints; called by ``manage.py seed_demo`` after the register. Idempotent.

- The category tree of Jakarta's complaint practice (CRM/JAKI): flooding and drainage to Dinas SDA,
  rubbish to Dinas Lingkungan Hidup, damaged roads and street lights to Dinas Bina Marga, traffic
  to Dinas Perhubungan (all made by ``accounts.demo`` with a Suku Dinas per kota); public order to
  Satpol PP, health to Dinas Kesehatan and social aid to Dinas Sosial, which this module adds with
  their city branches; population documents stay with the kelurahan (Dukcapil's service desks sit
  in the kelurahan offices); neighbourhood matters go to the kecamatan.
- About 400 cases across Jakarta (a share in Kelurahan Pasar Baru and Karang Anyar, so the demo
  logins have an inbox), in every status with their transitions, some overdue, some rated, some
  joined as duplicates; finished cases carry a proof photo.

Like the register's demo it writes with ``bulk_create`` and one audit event per kind of bulk
creation, not through the per-case services (which would queue a message to every fictional
reporter). Each case has the idempotency key ``demo:<n>``, so a second run makes nothing.
"""

from __future__ import annotations

import datetime
import io
import random
import uuid
from collections import defaultdict
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from sinergi.accounts import services as account_services
from sinergi.accounts.models import Unit
from sinergi.audit.services import record
from sinergi.cases import routing, services
from sinergi.cases.models import Attachment, Case, CaseTransition, Category
from sinergi.core import workdays
from sinergi.registry import nik as crypto
from sinergi.territory.models import RW, Region

CASES = 400
FOCUS = ("Pasar Baru", "Karang Anyar")  # the demo logins' kelurahan

EXTRA_AGENCIES = [
    ("Satuan Polisi Pamong Praja", "Satpol PP"),
    ("Dinas Kesehatan", "Dinkes"),
    ("Dinas Sosial", "Dinsos"),
]

# (parent, [(child, agency short name or unit kind, sla days, [descriptions])])
TREE: list[tuple[str, list[tuple[str, str, int, list[str]]]]] = [
    (
        "Banjir dan drainase",
        [
            (
                "Genangan dan banjir",
                "SDA",
                3,
                [
                    "Genangan setinggi lutut di jalan depan gang setiap hujan deras, sudah tiga hari belum surut.",
                    "Banjir masuk rumah warga RT kami, air setinggi 40 cm, mohon pompa air dikerahkan.",
                    "Air kali meluap ke permukiman setelah hujan semalam, warga mengungsi ke musala.",
                ],
            ),
            (
                "Saluran air tersumbat",
                "SDA",
                7,
                [
                    "Saluran air di depan pasar tersumbat sampah dan lumpur, bau menyengat dan airnya meluap.",
                    "Got di sepanjang jalan tertutup sedimen, mohon pengerukan sebelum musim hujan.",
                    "Tutup saluran pecah dan saluran mampet, air menggenang di trotoar.",
                ],
            ),
        ],
    ),
    (
        "Kebersihan dan sampah",
        [
            (
                "Sampah menumpuk",
                "LH",
                3,
                [
                    "Sampah menumpuk di pinggir jalan dekat TPS sudah seminggu tidak diangkut.",
                    "Tumpukan sampah liar di lahan kosong, banyak lalat dan tikus.",
                    "Gerobak sampah tidak datang sejak Senin, sampah rumah tangga menumpuk di gang.",
                ],
            ),
            (
                "Pembuangan limbah",
                "LH",
                7,
                [
                    "Ada usaha yang membuang limbah cair ke saluran, airnya berwarna hitam dan berbau.",
                    "Pembakaran sampah di lahan kosong setiap malam, asapnya masuk rumah warga.",
                ],
            ),
        ],
    ),
    (
        "Jalan dan penerangan",
        [
            (
                "Jalan rusak",
                "Bina Marga",
                7,
                [
                    "Jalan berlubang cukup dalam di depan sekolah, sudah ada pengendara motor yang jatuh.",
                    "Aspal jalan mengelupas sepanjang 50 meter, berbahaya saat hujan.",
                    "Trotoar rusak dan paving lepas, menyulitkan pejalan kaki dan pengguna kursi roda.",
                ],
            ),
            (
                "Penerangan jalan umum (PJU)",
                "Bina Marga",
                5,
                [
                    "Lampu PJU di jalan masuk kampung mati sudah dua minggu, rawan kejahatan di malam hari.",
                    "Tiang lampu jalan miring dan kabelnya terkelupas, mohon segera diperbaiki.",
                ],
            ),
        ],
    ),
    (
        "Transportasi",
        [
            (
                "Parkir liar dan lalu lintas",
                "Dishub",
                7,
                [
                    "Parkir liar di bahu jalan menyebabkan kemacetan setiap sore.",
                    "Rambu lalu lintas di persimpangan roboh dan belum diganti.",
                ],
            ),
        ],
    ),
    (
        "Ketertiban umum",
        [
            (
                "Pedagang kaki lima dan bangunan liar",
                "Satpol PP",
                7,
                [
                    "Pedagang kaki lima berjualan di trotoar sehingga pejalan kaki turun ke jalan.",
                    "Bangunan semi permanen berdiri di atas saluran air.",
                ],
            ),
            (
                "Gangguan ketenteraman",
                "Satpol PP",
                5,
                [
                    "Suara musik keras dari tempat hiburan sampai lewat tengah malam setiap akhir pekan.",
                    "Sering ada balap liar di jalan raya pada dini hari.",
                ],
            ),
        ],
    ),
    (
        "Administrasi kependudukan",
        [
            (
                "KTP-el, KK dan akta",
                Unit.Kind.VILLAGE_OFFICE,
                5,
                [
                    "Pengajuan KTP-el sudah sebulan belum jadi, mohon informasi kapan bisa diambil.",
                    "Mohon informasi syarat pindah domisili dan perubahan Kartu Keluarga.",
                    "Akta kelahiran anak belum terbit padahal berkas sudah lengkap.",
                ],
            ),
        ],
    ),
    (
        "Kesehatan",
        [
            (
                "Layanan kesehatan dan sanitasi",
                "Dinkes",
                7,
                [
                    "Banyak warga terkena demam berdarah, mohon dilakukan fogging dan pemeriksaan jentik.",
                    "Posyandu di RW kami kekurangan timbangan dan alat ukur tinggi badan.",
                ],
            ),
        ],
    ),
    (
        "Sosial",
        [
            (
                "Bantuan sosial",
                "Dinsos",
                10,
                [
                    "Ada lansia hidup sendiri yang belum terdaftar sebagai penerima bantuan sosial.",
                    "Mohon pendataan ulang warga miskin, beberapa keluarga tidak lagi menerima bantuan.",
                ],
            ),
        ],
    ),
    (
        "Lingkungan RT/RW",
        [
            (
                "Usulan kegiatan dan fasilitas warga",
                Unit.Kind.DISTRICT_OFFICE,
                14,
                [
                    "Usulan pembangunan pos kamling dan penambahan CCTV di pintu masuk RW.",
                    "Warga mengusulkan taman bermain anak di lahan fasos yang terbengkalai.",
                    "Usulan pelatihan UMKM untuk ibu-ibu PKK di kelurahan kami.",
                ],
            ),
        ],
    ),
]

GIVEN = ["Budi", "Siti", "Agus", "Dewi", "Rahmat", "Nur", "Eko", "Sri", "Andi", "Lestari", "Joko", "Wati"]
FAMILY = ["Santoso", "Rahayu", "Hidayat", "Lestari", "Saputra", "Wijaya", "Kusuma", "Pratama", "Nugroho"]

# The path of a case to each status: the steps after "waiting".
PATHS: dict[str, list[str]] = {
    Case.Status.WAITING: [],
    Case.Status.VALIDATED: [Case.Status.VALIDATED],
    Case.Status.COORDINATION: [Case.Status.VALIDATED, Case.Status.COORDINATION],
    Case.Status.DISPOSITION: [Case.Status.VALIDATED, Case.Status.DISPOSITION],
    Case.Status.IN_PROGRESS: [Case.Status.VALIDATED, Case.Status.DISPOSITION, Case.Status.IN_PROGRESS],
    Case.Status.DONE: [Case.Status.VALIDATED, Case.Status.DISPOSITION, Case.Status.IN_PROGRESS, Case.Status.DONE],
    Case.Status.REJECTED: [Case.Status.REJECTED],
}
WEIGHTS = {
    Case.Status.WAITING: 10,
    Case.Status.VALIDATED: 8,
    Case.Status.COORDINATION: 5,
    Case.Status.DISPOSITION: 10,
    Case.Status.IN_PROGRESS: 17,
    Case.Status.DONE: 40,
    Case.Status.REJECTED: 10,
}
NOTES: dict[str, str] = {
    Case.Status.VALIDATED: "Laporan valid, lokasi sudah dicek petugas kelurahan.",
    Case.Status.COORDINATION: "Dikoordinasikan dengan kecamatan dan instansi terkait.",
    Case.Status.DISPOSITION: "Diteruskan ke unit yang berwenang.",
    Case.Status.IN_PROGRESS: "Petugas sudah dijadwalkan ke lokasi.",
    Case.Status.DONE: "Pekerjaan selesai, foto hasil terlampir.",
    Case.Status.REJECTED: "Bukan kewenangan pemerintah daerah; pelapor diarahkan ke pengelola gedung.",
}


def _proof_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (11, 94, 85)).save(buffer, format="PNG")
    return buffer.getvalue()


def _agencies(province: Region) -> dict[str, Unit]:
    """The demo agencies by short name, adding Satpol PP, Dinkes and Dinsos with a branch per kota."""
    cities = list(Region.objects.filter(level=Region.Level.CITY, code__startswith=f"{province.code}."))
    for name, short in EXTRA_AGENCIES:
        full = f"{name} Provinsi DKI Jakarta"
        agency = Unit.objects.filter(region=province, name=full).first()
        if agency is None:
            agency = account_services.unit_create(
                name=full, kind=Unit.Kind.AGENCY, region=province, short_name=short, by=None
            )
        for city in cities:
            city_name = city.name.replace("Kota Administrasi ", "").replace("Kabupaten Administrasi ", "")
            branch = f"Suku {name} {city.name}" if short != "Satpol PP" else f"{name} {city.name}"
            if not Unit.objects.filter(region=city, name=branch).exists():
                account_services.unit_create(
                    name=branch,
                    kind=Unit.Kind.SUB_AGENCY,
                    region=city,
                    short_name=f"{'Sudin ' if short != 'Satpol PP' else ''}{short} {city_name}",
                    parent=agency,
                    by=None,
                )
    return {u.short_name: u for u in Unit.objects.filter(kind=Unit.Kind.AGENCY, region=province)}


def seed_categories(province: Region) -> list[tuple[Category, list[str]]]:
    """The category tree; returns each leaf with its sample descriptions."""
    agencies = _agencies(province)
    leaves = []
    for parent_name, children in TREE:
        parent = Category.objects.filter(parent=None, name=parent_name).first()
        if parent is None:
            parent = services.category_save(by=None, name=parent_name, sla_days=7)
        for name, acts, sla, texts in children:
            category = Category.objects.filter(parent=parent, name=name).first()
            if category is None:
                values: dict[str, Any] = {"name": name, "parent": parent, "sla_days": sla}
                if acts in Unit.Kind.values:
                    values["unit_kind"] = acts
                elif acts in agencies:
                    values["unit"] = agencies[acts]
                category = services.category_save(by=None, **values)
            leaves.append((category, texts))
    return leaves


def seed() -> dict[str, int]:
    """Create what is missing; return what was made, by name, for the command's summary."""
    province = Region.objects.filter(level=Region.Level.PROVINCE, code="31").first()
    if province is None:
        return {}
    before = Category.objects.count()
    leaves = seed_categories(province)
    made = {"case categories": Category.objects.count() - before}
    made["cases"] = _seed_cases(leaves)
    return {k: v for k, v in made.items() if v}


def _seed_cases(leaves: list[tuple[Category, list[str]]]) -> int:
    existing = set(Case.objects.filter(idempotency_key__startswith="demo:").values_list("idempotency_key", flat=True))
    wanted = [n for n in range(CASES) if f"demo:{n}" not in existing]
    if not wanted:
        return 0
    villages = list(
        Region.objects.filter(level=Region.Level.VILLAGE, code__startswith="31.", centroid_lat__isnull=False)
        .select_related("parent")
        .order_by("code")
    )
    if not villages or not leaves:
        return 0
    focus = [v for v in villages if v.name in FOCUS]
    rws: dict[int, list[RW]] = defaultdict(list)
    for each in RW.objects.filter(kelurahan__in=villages).only("id", "number", "kelurahan_id"):
        rws[each.kelurahan_id].append(each)
    offices = {u.region_id: u for u in Unit.objects.filter(kind=Unit.Kind.VILLAGE_OFFICE, is_active=True)}
    proof = _proof_png()
    now = timezone.now()
    today = timezone.localdate()
    made = 0
    with transaction.atomic():
        for n in wanted:
            rng = random.Random(f"sinergi-cases-{n}")
            village = rng.choice(focus) if focus and n % 8 == 0 else rng.choice(villages)
            unit = offices.get(village.pk) or routing.first_unit(village)
            if unit is None:
                continue
            category, texts = rng.choice(leaves)
            status = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
            created = now - datetime.timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 23))
            kind = Case.Kind.ASPIRATION if category.unit_kind == Unit.Kind.DISTRICT_OFFICE else Case.Kind.COMPLAINT
            if "informasi" in texts[0].lower() and rng.random() < 0.5:
                kind = Case.Kind.INFORMATION
            rw: RW | None = rng.choice(rws[village.pk]) if rws.get(village.pk) and rng.random() < 0.7 else None
            name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
            case = Case(
                number=services.new_number(kind, created.date()),
                kind=kind,
                category=category,
                description=rng.choice(texts),
                region=village,
                region_code=village.code,
                rw=rw,
                latitude=(village.centroid_lat or 0) + rng.uniform(-0.0008, 0.0008),
                longitude=(village.centroid_lng or 0) + rng.uniform(-0.0008, 0.0008),
                channel=rng.choice([Case.Channel.PUBLIC] * 6 + [Case.Channel.PORTAL, Case.Channel.STAFF]),
                reporter_name_enc=crypto.encrypt_nik(name),
                reporter_phone_enc=crypto.encrypt_nik(f"0800{rng.randint(1000000, 9999999)}"),
                reporter_email_enc=crypto.encrypt_nik(f"{name.lower().replace(' ', '.')}@contoh.test")
                if rng.random() < 0.5
                else "",
                is_anonymous=rng.random() < 0.1,
                current_unit=unit,
                idempotency_key=f"demo:{n}",
                created_at=created,
                updated_at=created,
                due_on=workdays.add_working_days(created.date(), category.sla_days),
            )
            case.save()
            _walk(case, status, rng, proof, today)
            made += 1
        _merge_some()
        record(action="cases.case.bulk_create", changes={"count": made, "source": "demo"}, region_code="31")
    return made


def _walk(case: Case, status: str, rng: random.Random, proof: bytes, today: datetime.date) -> None:
    """Record the steps from waiting to ``status``, a few hours to days apart (never in the future)."""
    at = case.created_at
    steps = [
        CaseTransition(case=case, from_status="", to_status=Case.Status.WAITING, unit=case.current_unit, created_at=at)
    ]
    previous: str = Case.Status.WAITING
    unit = case.current_unit
    for step in PATHS[status]:
        at = min(at + datetime.timedelta(hours=rng.randint(3, 60)), timezone.now())
        if step == Case.Status.DISPOSITION:
            targets = routing.disposition_targets(case)
            if targets:
                unit = targets[0]
        steps.append(
            CaseTransition(case=case, from_status=previous, to_status=step, unit=unit, note=NOTES[step], created_at=at)
        )
        previous = step
    CaseTransition.objects.bulk_create(steps)
    case.status, case.current_unit, case.updated_at = status, unit, at
    case.status_note = steps[-1].note
    if status in Case.CLOSED_STATUSES:
        case.closed_at = at
    if status == Case.Status.DONE:
        attachment = Attachment(
            case=case,
            transition=steps[-1],
            purpose=Attachment.Purpose.PROOF,
            content_type="image/png",
            size=len(proof),
            original_name="foto-hasil.png",
            created_at=at,
        )
        attachment.file.save(f"{uuid.uuid4().hex}.png", ContentFile(proof), save=False)
        attachment.save()
        if rng.random() < 0.6:
            case.rating = rng.choices([5, 4, 3, 2, 1], weights=[40, 30, 15, 10, 5])[0]
            case.rating_comment = rng.choice(["Terima kasih, cepat ditangani.", "Sudah beres.", "", "Agak lama."])
            case.rated_at = at + datetime.timedelta(hours=5)
    case.save()


def _merge_some() -> None:
    """Join a few open demo cases with an earlier open case of the same kelurahan and category."""
    seen: dict[tuple[int, int], Case] = {}
    joined = 0
    for case in Case.objects.filter(idempotency_key__startswith="demo:", status=Case.Status.WAITING).order_by(
        "created_at"
    ):
        key = (case.region_id, case.category_id)
        first = seen.get(key)
        if first is None:
            seen[key] = case
            continue
        if joined >= 5:
            break
        CaseTransition.objects.create(
            case=case,
            from_status=case.status,
            to_status=Case.Status.MERGED,
            unit=case.current_unit,
            note=f"Digabung dengan {first.number}, masalah yang sama.",
            created_at=case.created_at + datetime.timedelta(hours=2),
        )
        case.status, case.duplicate_of, case.closed_at = Case.Status.MERGED, first, timezone.now()
        case.save(update_fields=["status", "duplicate_of", "closed_at"])
        joined += 1
