"""Demo data for events; called by ``manage.py seed_demo`` after the register. Idempotent.

The four events of the seed news reports, held and finished, each built through the same services
the pages use (plan, day and after stages), so every rule and audit entry applies:

- 001: Pemkot Jakarta Pusat meets 10 Ormas (10 July 2024, Ruang Serbaguna Utama, Kantor Wali Kota);
- 002: Peningkatan Kapasitas Lembaga Kemasyarakatan, Kecamatan Sawah Besar (27 September 2023),
  RT/RW, LMK, FKDM, PKK and Karang Taruna, speakers from KPUD and Bawaslu, Pakta Integritas and
  Ikrar Netralitas ASN signed;
- 003: Kesbangpol DKI trains 39 Ormas, about 100 people, 3 days at Hotel Grand Cempaka, Puncak
  Bogor (11-13 March 2019);
- 004: the mayor of Jakarta Barat's Pembinaan dan Evaluasi Kecamatan dan Kelurahan serta
  Peningkatan Kapasitas Lembaga Kemasyarakatan (31 July 2025), BPS, flood control, Koperasi Merah
  Putih.

Each has invitations answered with delegates, check-ins with drawn signatures, a pre- and
post-test, the satisfaction survey, minutes with follow-ups, certificates and its activity report
PDF. An event already there (same unit and title) is left alone, so a second run makes nothing.
Names are generated with a fixed seed, so every run makes the same people.
"""

from __future__ import annotations

import base64
import datetime
import io
import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from sinergi.accounts.models import Unit, User
from sinergi.events.models import (
    CommitmentText,
    Event,
    EventDay,
    GeneratedDocument,
    Participant,
    Question,
    QuestionBank,
    Test,
)
from sinergi.registry.demo import words
from sinergi.registry.models import Organisation
from sinergi.registry.targeting import Audience
from sinergi.territory.models import Region

logger = logging.getLogger(__name__)

SEED = "sinergi-demo-2026-events"
TZ = datetime.timezone(datetime.timedelta(hours=7))  # WIB


@dataclass(frozen=True)
class SessionSpec:
    day: int  # 0-based day of the event
    start: str
    end: str
    title: str
    speakers: tuple[tuple[str, str, str], ...] = ()  # (name, position, institution)


@dataclass(frozen=True)
class EventSpec:
    key: str
    title: str
    kind: str
    unit: str
    region: str
    by: str  # demo login who runs it
    venue: str
    venue_address: str
    venue_in_territory: bool
    first_day: datetime.date
    days: int
    hours: tuple[str, str]
    theme: str
    basis: str
    purpose: str
    signatory: tuple[str, str, str]
    bank: str
    questions: tuple[tuple[str, tuple[str, ...]], ...]
    sessions: tuple[SessionSpec, ...]
    minutes: tuple[str, str]
    follow_ups: tuple[tuple[str, str, int], ...]  # (action, who, due in days after the event)
    delegates: int = 2
    capacity: int | None = None
    commitments: tuple[tuple[str, str, str], ...] = ()  # (kind, title, body)
    attend_every_day: float = 0.92
    declines: float = 0.0  # share of invited organisations that answer "not attending"


BANK_ORMAS = (
    (
        "Menurut UU 17/2013 jo. UU 16/2017, Ormas yang tidak berbadan hukum terdaftar dengan ...",
        ("Surat Keterangan Terdaftar (SKT)", "Akta notaris saja", "Izin usaha"),
    ),
    (
        "Peran Ormas sebagai 'corong' pemerintah berarti ...",
        (
            "Meneruskan informasi pemerintah kepada warga",
            "Menggantikan tugas kelurahan",
            "Memungut iuran warga",
        ),
    ),
    ("Berita bohong yang disebarkan di media sosial disebut ...", ("Hoaks", "Opini", "Siaran pers")),
    (
        "Isu yang berpotensi memecah belah berdasarkan suku, agama, ras dan antargolongan disebut ...",
        (
            "SARA",
            "ATHG",
            "IPOLEKSOSBUDHANKAM",
        ),
    ),
    (
        "Sanksi pertama bagi Ormas yang melanggar kewajiban adalah ...",
        (
            "Peringatan tertulis",
            "Pencabutan status badan hukum",
            "Pembubaran langsung",
        ),
    ),
)

BANK_PEMILU = (
    (
        "Hari pemungutan suara Pemilu serentak 2024 adalah ...",
        ("14 Februari 2024", "17 April 2024", "27 November 2024"),
    ),
    ("Kanal aduan warga Jakarta yang terpadu adalah ...", ("JAKI", "Surat kaleng", "Kotak saran kelurahan")),
    ("Dalam Pemilu, Aparatur Sipil Negara (ASN) wajib ...", ("Netral", "Mendukung petahana", "Ikut berkampanye")),
    ("Lembaga yang mengawasi jalannya Pemilu adalah ...", ("Bawaslu", "KPUD", "Satpol PP")),
    (
        "Jika ada informasi yang menimbulkan perbedaan penafsiran di lingkungan, pengurus RT/RW sebaiknya ...",
        (
            "Menjembatani dan meneruskan ke kelurahan",
            "Membiarkannya",
            "Menyebarkannya ke grup warga",
        ),
    ),
)

BANK_JAKBAR = (
    ("Sensus ekonomi dilaksanakan oleh ...", ("Badan Pusat Statistik (BPS)", "Dinas Perhubungan", "Bawaslu")),
    ("Koperasi Merah Putih menyalurkan pinjaman melalui ...", ("Bank Himbara", "Rentenir", "Kas RT")),
    ("Dana yang digelontorkan tiap Koperasi Merah Putih sebesar ...", ("Rp 3 miliar", "Rp 300 juta", "Rp 30 miliar")),
    ("Folder air untuk pengendalian banjir dibangun antara lain di ...", ("Cengkareng", "Menteng", "Kemayoran")),
    (
        "Garda terdepan yang langsung berhadapan dengan masyarakat adalah ...",
        (
            "RT, RW dan LMK",
            "Kementerian",
            "DPRD",
        ),
    ),
)

PAKTA = (
    "integrity_pact",
    "Pakta Integritas Lembaga Kemasyarakatan Menghadapi Pemilu 2024",
    "Kami yang bertanda tangan di bawah ini, pengurus lembaga kemasyarakatan di Kecamatan Sawah Besar, "
    "menyatakan:\n1. Menjaga ketenteraman dan ketertiban lingkungan menjelang dan selama Pemilu 2024.\n"
    "2. Tidak menggunakan jabatan lembaga kemasyarakatan untuk kepentingan peserta Pemilu.\n"
    "3. Menjembatani warga bila ada informasi atau perbedaan penafsiran yang dapat membuat suasana tidak "
    "kondusif, dan meneruskannya kepada kelurahan.\n4. Menyampaikan aduan warga melalui kanal resmi seperti JAKI.",
)
IKRAR = (
    "neutrality_pledge",
    "Ikrar Netralitas Aparatur Sipil Negara",
    "Kami Aparatur Sipil Negara dan mitra pemerintah di wilayah Kecamatan Sawah Besar berikrar:\n"
    "1. Menjaga dan menegakkan prinsip netralitas dalam melaksanakan tugas.\n"
    "2. Menghindari konflik kepentingan dan tidak berpihak kepada peserta Pemilu 2024.\n"
    "3. Tidak menggunakan fasilitas negara untuk kepentingan politik praktis.\n"
    "4. Bersinergi agar Pemilu 2024 berjalan lancar, aman dan kondusif.",
)

SPECS = (
    EventSpec(
        key="001",
        title="Pertemuan Pemerintah Kota dengan Ormas: Sinergi Pembangunan, Keamanan dan Ketertiban Wilayah",
        kind=Event.Kind.MEETING,
        unit="Bagian Pemerintahan Kota Administrasi Jakarta Pusat",
        region="31.71",
        by="jakpus",
        venue="Ruang Serbaguna Utama, Kantor Wali Kota Jakarta Pusat",
        venue_address="Jl. Tanah Abang I No. 1, Gambir, Jakarta Pusat",
        venue_in_territory=True,
        first_day=datetime.date(2024, 7, 10),
        days=1,
        hours=("09:00", "12:00"),
        theme="Mengoptimalkan fungsi Ormas sebagai mitra yang mendukung program pemerintah kota",
        basis="Program Pembinaan Organisasi Kemasyarakatan Suku Badan Kesbangpol Kota Administrasi Jakarta Pusat "
        "Tahun 2024",
        purpose="Meningkatkan kolaborasi pemerintah kota dengan Ormas dalam pembangunan, menjaga keamanan dan "
        "ketertiban wilayah, dan memperkuat silaturahmi antar-Ormas di Jakarta Pusat.",
        signatory=("Chaidir", "Wakil Wali Kota Administrasi Jakarta Pusat", "196808121994031005"),
        bank="Peran Ormas dan Wawasan Kebangsaan",
        questions=BANK_ORMAS,
        sessions=(
            SessionSpec(0, "09:00", "09:30", "Pembukaan", (("Chaidir", "Wakil Wali Kota", "Pemkot Jakarta Pusat"),)),
            SessionSpec(
                0,
                "09:30",
                "10:30",
                "Ormas sebagai mitra pemerintah kota",
                (("Rachmat Hidayat", "Kepala Suku Badan Kesbangpol", "Kota Administrasi Jakarta Pusat"),),
            ),
            SessionSpec(0, "10:30", "12:00", "Diskusi dan silaturahmi"),
        ),
        minutes=(
            "Wakil Wali Kota membuka pertemuan dan menekankan sinergi Ormas dan pemerintah kota sebagai satu "
            "kesatuan dalam pembangunan. Ormas diharapkan menjadi corong informasi pemerintahan kepada warga "
            "dan menampung aspirasi masyarakat. Kepala Suku Badan Kesbangpol menjelaskan pertemuan diikuti "
            "perwakilan 10 Ormas dan menjadi ajang silaturahmi antar-Ormas.",
            "1. Ormas meneruskan informasi program pemerintah kota kepada warga.\n"
            "2. Ormas ikut dalam kerja bakti, menjaga keamanan lingkungan dan ketertiban wilayah.\n"
            "3. Ormas menjalankan tugasnya sesuai undang-undang dan tidak bertindak anarkis.",
        ),
        follow_ups=(
            ("Menyampaikan jadwal kerja bakti bulanan kepada Ormas peserta", "Suku Badan Kesbangpol Jakarta Pusat", 14),
            ("Membentuk grup koordinasi Ormas tingkat kota", "Bagian Pemerintahan Jakarta Pusat", 30),
        ),
    ),
    EventSpec(
        key="002",
        title="Peningkatan Kapasitas Lembaga Kemasyarakatan Kecamatan Sawah Besar",
        kind=Event.Kind.TRAINING,
        unit="Bagian Pemerintahan Kota Administrasi Jakarta Pusat",
        region="31.71.02",
        by="jakpus",
        venue="Aula Kantor Kecamatan Sawah Besar",
        venue_address="Jl. Dr. Sutomo No. 1, Sawah Besar, Jakarta Pusat",
        venue_in_territory=True,
        first_day=datetime.date(2023, 9, 27),
        days=1,
        hours=("08:30", "13:00"),
        theme="Menjaga kondusivitas wilayah menjelang Pemilu 2024; Jakarta Smart City dan kanal aduan JAKI",
        basis="Program Pembinaan Kelembagaan Kota Administrasi Jakarta Pusat Tahun Anggaran 2023",
        purpose="Membekali pengurus RT/RW, LMK, FKDM, PKK dan Karang Taruna untuk menjembatani informasi dan "
        "perbedaan penafsiran menjelang Pemilu serentak 2024 serta mengenalkan kanal aduan JAKI.",
        signatory=(
            "Ishran Prasetyawan",
            "Kepala Bagian Pemerintahan Kota Administrasi Jakarta Pusat",
            "197503172000121002",
        ),
        bank="Pemilu 2024 dan Kanal Aduan JAKI",
        questions=BANK_PEMILU,
        sessions=(
            SessionSpec(
                0,
                "08:30",
                "09:00",
                "Pembukaan",
                (
                    ("Ishran Prasetyawan", "Kepala Bagian Pemerintahan", "Pemkot Jakarta Pusat"),
                    ("Prasetyo", "Camat Sawah Besar", "Kecamatan Sawah Besar"),
                ),
            ),
            SessionSpec(
                0,
                "09:00",
                "10:30",
                "Tahapan Pemilu Serentak 2024",
                (("Demo Komisioner KPU", "Anggota", "KPUD Kota Administrasi Jakarta Pusat"),),
            ),
            SessionSpec(
                0,
                "10:30",
                "11:45",
                "Pengawasan partisipatif Pemilu 2024",
                (("Demo Anggota Bawaslu", "Anggota", "Bawaslu Kota Administrasi Jakarta Pusat"),),
            ),
            SessionSpec(0, "11:45", "12:30", "Jakarta Smart City dan kanal aduan JAKI"),
            SessionSpec(0, "12:30", "13:00", "Penandatanganan Pakta Integritas dan pembacaan Ikrar Netralitas ASN"),
        ),
        minutes=(
            "Kepala Bagian Pemerintahan, mewakili Wali Kota, mengajak lembaga kemasyarakatan menjembatani bila ada "
            "informasi atau perbedaan penafsiran yang membuat suasana tidak kondusif menjelang Pemilu 2024. Camat "
            "Sawah Besar menjelaskan kegiatan ini bagian dari pembinaan kelembagaan serta sosialisasi Jakarta Smart "
            "City dan kanal aduan JAKI. Narasumber KPUD dan Bawaslu memaparkan tahapan dan pengawasan Pemilu.",
            "1. Pengurus lembaga kemasyarakatan menandatangani Pakta Integritas.\n"
            "2. Ikrar Netralitas ASN dibacakan bersama.\n"
            "3. Aduan warga disalurkan melalui JAKI.",
        ),
        follow_ups=(
            ("Sosialisasi kanal aduan JAKI kepada warga di tiap RW", "Ketua RW se-Kecamatan Sawah Besar", 30),
            ("Laporan situasi wilayah menjelang Pemilu setiap pekan", "FKDM Kecamatan Sawah Besar", 7),
        ),
        delegates=1,
        capacity=150,
        commitments=(PAKTA, IKRAR),
        declines=0.12,
    ),
    EventSpec(
        key="003",
        title="Pelatihan Peningkatan Peran Organisasi Kemasyarakatan dalam Pembangunan dan Menjaga Keutuhan NKRI "
        "Angkatan II",
        kind=Event.Kind.TRAINING,
        unit="Badan Kesatuan Bangsa dan Politik Provinsi DKI Jakarta",
        region="31",
        by="kesbangpol",
        venue="Hotel Grand Cempaka",
        venue_address="Jl. Raya Puncak Pass, Cipayung, Megamendung, Kabupaten Bogor, Jawa Barat",
        venue_in_territory=False,
        first_day=datetime.date(2019, 3, 11),
        days=3,
        hours=("08:00", "16:00"),
        theme="Peningkatan Peran Organisasi Kemasyarakatan dalam Pembangunan dan Menjaga Keutuhan NKRI",
        basis="DPA Badan Kesbangpol Provinsi DKI Jakarta Tahun Anggaran 2019",
        purpose="Menjaga persatuan dan kesatuan bangsa melalui Ormas di DKI Jakarta, khususnya menjelang pemilu "
        "serentak 17 April 2019, agar berjalan kondusif, aman dan lancar; mewaspadai hoaks, ujaran kebencian dan "
        "konflik SARA.",
        signatory=("Taufan Bakri", "Plt. Kepala Badan Kesbangpol Provinsi DKI Jakarta", "196512121990031004"),
        bank="Peran Ormas dan Wawasan Kebangsaan",
        questions=BANK_ORMAS,
        sessions=(
            SessionSpec(
                0,
                "08:00",
                "09:30",
                "Pembukaan dan sambutan",
                (("Taufan Bakri", "Plt. Kepala Badan Kesbangpol", "Pemprov DKI Jakarta"),),
            ),
            SessionSpec(0, "10:00", "12:00", "Peran strategis Ormas dalam pembangunan Jakarta"),
            SessionSpec(1, "08:00", "12:00", "Kerawanan pemilu: politik identitas, ujaran kebencian, kampanye hitam"),
            SessionSpec(1, "13:00", "16:00", "Melawan hoaks di media sosial"),
            SessionSpec(2, "08:00", "12:00", "Mencegah konflik SARA dan menjaga keutuhan NKRI"),
            SessionSpec(2, "13:00", "16:00", "Diskusi, rencana tindak lanjut dan penutupan"),
        ),
        minutes=(
            "Plt. Kepala Badan Kesbangpol membuka pelatihan angkatan II tahun 2019 yang diikuti sekitar 100 orang "
            "dari 39 Ormas. Disampaikan potensi kerawanan pemilu (politik identitas, ujaran kebencian, kampanye "
            "hitam) dan maraknya hoaks yang dapat memicu konflik SARA. Peserta berdiskusi tentang kondisi aktual "
            "Jakarta dan kontribusi Ormas.",
            "1. Ormas bersama pemerintah daerah meningkatkan kesiapsiagaan menjelang pemilu 17 April 2019.\n"
            "2. Ormas aktif mensukseskan program kerja Pemda DKI Jakarta.",
        ),
        follow_ups=(
            ("Membentuk simpul informasi anti-hoaks di setiap Ormas peserta", "Ketua Ormas peserta", 30),
            ("Melaporkan potensi kerawanan pemilu kepada Kesbangpol", "Ormas peserta", 14),
        ),
        delegates=3,
        capacity=120,
        attend_every_day=0.9,
    ),
    EventSpec(
        key="004",
        title="Pembinaan dan Evaluasi Kecamatan dan Kelurahan serta Peningkatan Kapasitas Lembaga Kemasyarakatan",
        kind=Event.Kind.COACHING,
        unit="Bagian Pemerintahan Kota Administrasi Jakarta Barat",
        region="31.73",
        by="kesbangpol",
        venue="Ruang MH. Thamrin Blok B, Kantor Wali Kota Jakarta Barat",
        venue_address="Jl. Raya Kembangan No. 2, Kembangan, Jakarta Barat",
        venue_in_territory=True,
        first_day=datetime.date(2025, 7, 31),
        days=1,
        hours=("09:00", "13:00"),
        theme="Penguatan kapasitas LMK, RT dan RW sebagai garda terdepan pelayanan warga",
        basis="Program Pembinaan dan Evaluasi Kecamatan dan Kelurahan Kota Administrasi Jakarta Barat Tahun 2025",
        purpose="Meningkatkan efektivitas lembaga kemasyarakatan di tingkat kecamatan dan kelurahan, dan "
        "menyampaikan program pemerintah (sensus ekonomi, pengendalian banjir, Koperasi Merah Putih) untuk "
        "diteruskan kepada warga.",
        signatory=("H. Uus Kuswanto", "Wali Kota Administrasi Jakarta Barat", "197105051992031006"),
        bank="Program Pemerintah Kota Jakarta Barat 2025",
        questions=BANK_JAKBAR,
        sessions=(
            SessionSpec(0, "09:00", "09:30", "Pembukaan", (("H. Uus Kuswanto", "Wali Kota", "Pemkot Jakarta Barat"),)),
            SessionSpec(
                0,
                "09:30",
                "10:30",
                "Tata kelola kelembagaan masyarakat dan peran warga dalam pembangunan lokal",
                (("Tengku Ritawati", "Narasumber", "BSKDN Kementerian Dalam Negeri"),),
            ),
            SessionSpec(
                0, "10:30", "11:15", "Sensus ekonomi", (("Demo Statistisi BPS", "Statistisi", "BPS Jakarta Barat"),)
            ),
            SessionSpec(0, "11:15", "12:00", "Pengendalian banjir dan pelebaran jalan"),
            SessionSpec(
                0, "12:00", "13:00", "Update Koperasi Merah Putih", (("Fahri", "Narasumber", "Kementerian Keuangan"),)
            ),
        ),
        minutes=(
            "Wali Kota membuka kegiatan. Dibahas peningkatan kapasitas RT, RW dan LMK sebagai garda terdepan, "
            "peningkatan kepribadian dan penguasaan teknologi, kolaborasi RT, RW, LMK, kelurahan dan kecamatan. "
            "BPS menyampaikan sensus ekonomi; Wali Kota menyampaikan pekerjaan pengendalian banjir (folder air "
            "Cengkareng dan Duri Kepa, penurapan kali di Kalideres, Semanan, Kembangan); perwakilan Kementerian "
            "Keuangan menyampaikan Koperasi Merah Putih (murni B2B, Rp 3 miliar per koperasi, melalui bank Himbara).",
            "1. Peserta meneruskan informasi sensus ekonomi, pengendalian banjir dan Koperasi Merah Putih "
            "kepada warga.\n"
            "2. RT, RW, LMK, kelurahan dan kecamatan berkolaborasi menyelesaikan permasalahan warga.",
        ),
        follow_ups=(
            ("Menyosialisasikan jadwal sensus ekonomi di tiap RW", "Ketua RW", 14),
            ("Mendata calon anggota Koperasi Merah Putih", "LMK", 30),
        ),
        delegates=1,
        declines=0.1,
    ),
)


# --- helpers ------------------------------------------------------------------------------------


def _time(value: str) -> datetime.time:
    hours, minutes = value.split(":")
    return datetime.time(int(hours), int(minutes))


def _at(day: EventDay, rng: random.Random) -> datetime.datetime:
    start = datetime.datetime.combine(day.date, day.starts_at, tzinfo=TZ)
    return start - datetime.timedelta(minutes=rng.randint(5, 40))


def _name(rng: random.Random) -> str:
    if rng.random() < 0.45:
        return f"{rng.choice(words.WOMEN)} {rng.choice(words.WOMEN_SURNAMES + words.SURNAMES)}"
    return f"{rng.choice(words.MEN)} {rng.choice(words.SURNAMES)}"


def signatures(count: int, rng: random.Random) -> list[str]:
    """A few different drawn signatures (PNG data URIs, ink on transparent), as a phone would send."""
    from PIL import Image, ImageDraw

    made = []
    for _ in range(count):
        image = Image.new("RGBA", (240, 80), (0, 0, 0, 0))
        draw = ImageDraw.Draw(image)
        x, y = 15, rng.randint(30, 50)
        points = [(x, y)]
        while x < 220:
            x += rng.randint(6, 18)
            y = max(10, min(70, y + rng.randint(-22, 22)))
            points.append((x, y))
        draw.line(points, fill=(20, 30, 90, 255), width=3, joint="curve")
        out = io.BytesIO()
        image.save(out, "PNG")
        made.append("data:image/png;base64," + base64.b64encode(out.getvalue()).decode())
    return made


# --- the events -----------------------------------------------------------------------------------


def _organisations(spec: EventSpec) -> list[Organisation]:
    """Who is invited, from the register's demo data."""
    active = Organisation.objects.filter(status=Organisation.Status.ACTIVE).select_related("kind", "region")
    if spec.key == "001":
        from sinergi.registry.demo.core import SEED_001_ORMAS

        names = [name for name, _code, _field in SEED_001_ORMAS]
        return list(active.filter(kind__code="ormas", name__in=names).order_by("name"))
    if spec.key == "002":
        from sinergi.registry.demo.core import PASAR_BARU, SEED_002_DISTRICT

        inside = active.filter(region__code__startswith=f"{SEED_002_DISTRICT}")
        lembaga = list(inside.filter(kind__code__in=["rw", "lmk", "fkdm", "pkk", "karang_taruna"]).order_by("pk"))
        rts = list(inside.filter(kind__code="rt", region__code=PASAR_BARU, rt__rw__number=1).order_by("pk"))
        return lembaga + rts
    if spec.key == "003":
        return list(active.filter(kind__code="ormas", region__code__startswith="31").order_by("pk")[:39])
    lmk = list(active.filter(kind__code="lmk", region__code__startswith="31.73.").order_by("region__code")[:40])
    kelapa_dua = Region.objects.filter(code__startswith="31.73.", name__icontains="Kelapa Dua").first()
    rws = list(active.filter(kind__code="rw", region=kelapa_dua).order_by("rw__number")[:12]) if kelapa_dua else []
    return lmk + rws


def _bank(spec: EventSpec, unit: Unit, by: User) -> list[Question]:
    from sinergi.events.services import after_tests

    bank = QuestionBank.objects.filter(unit=unit, name=spec.bank).first()
    if bank is None:
        bank = after_tests.bank_create(unit=unit, name=spec.bank, by=by)
        for text, choices in spec.questions:
            after_tests.question_add(bank=bank, text=text, choices=list(choices), correct=0, by=by)
    return list(bank.questions.all())


def _delegates(organisation: Organisation, count: int, rng: random.Random) -> list[dict[str, str]]:
    positions = ["Ketua", "Sekretaris", "Bendahara", "Anggota"]
    return [
        {
            "full_name": _name(rng),
            "position": f"{positions[i]} {organisation.name}"[:150],
            "phone": f"0812{rng.randint(10_000_000, 99_999_999)}",
        }
        for i in range(count)
    ]


def _answers(test: Test, right: int, rng: random.Random) -> dict[int, int | None]:
    questions = list(test.questions.prefetch_related("choices"))
    good = set(rng.sample([q.pk for q in questions], min(right, len(questions))))
    answers: dict[int, int | None] = {}
    for question in questions:
        choices = list(question.choices.all())
        pick = [c for c in choices if c.is_correct == (question.pk in good)]
        answers[question.pk] = rng.choice(pick).pk
    return answers


def _hold(spec: EventSpec, counts: dict[str, int]) -> None:
    """Plan, run and close one seed event with every stage's services."""
    from sinergi.events.services import (
        after_documents,
        after_survey,
        after_tests,
        day_checkin,
        day_commitments,
        day_records,
    )
    from sinergi.events.services import plan as plan_services

    rng = random.Random(f"{SEED}:{spec.key}")
    by = User.objects.get(username=spec.by)
    unit = Unit.objects.select_related("region").get(name=spec.unit)
    region = Region.objects.get(code=spec.region)
    start, end = _time(spec.hours[0]), _time(spec.hours[1])
    days = [
        plan_services.DayInput(date=spec.first_day + datetime.timedelta(days=i), starts_at=start, ends_at=end)
        for i in range(spec.days)
    ]
    organisations = _organisations(spec)
    if not organisations:
        logger.warning("events demo %s: no organisations in the register, skipped", spec.key)
        return
    with transaction.atomic():
        event = plan_services.event_create(
            by=by,
            unit=unit,
            region=region,
            kind=spec.kind,
            title=spec.title,
            venue=spec.venue,
            days=days,
            theme=spec.theme,
            basis=spec.basis,
            purpose=spec.purpose,
            venue_address=spec.venue_address,
            venue_region=region if spec.venue_in_territory else None,
            capacity=spec.capacity,
            delegates_per_organisation=spec.delegates,
            letter_date=spec.first_day - datetime.timedelta(days=7),
            signatory_name=spec.signatory[0],
            signatory_position=spec.signatory[1],
            signatory_nip=spec.signatory[2],
        )
        event_days = list(event.days.all())
        for session in spec.sessions:
            made = plan_services.session_add(
                by=by,
                event=event,
                day=event_days[session.day],
                starts_at=_time(session.start),
                ends_at=_time(session.end),
                title=session.title,
            )
            for name, position, institution in session.speakers:
                plan_services.speaker_add(by=by, session=made, name=name, position=position, institution=institution)
        plan_services.audience_set(
            by=by, event=event, audience=Audience(organisation_ids=tuple(o.pk for o in organisations))
        )
        plan_services.event_publish(by=by, event=event)
        counts["invitations"] += plan_services.invitations_create(by=by, event=event)
        invitations = list(event.invitations.select_related("organisation").order_by("pk"))
        for invitation in invitations:
            if invitation.organisation is None:
                continue
            if rng.random() < spec.declines:  # a few organisations cannot come
                plan_services.invitation_answer(by=by, invitation=invitation, attending=False, reason="Berhalangan")
                continue
            count = spec.delegates if spec.delegates == 1 or rng.random() < 0.6 else spec.delegates - 1
            plan_services.invitation_answer(
                by=by, invitation=invitation, attending=True, delegates=_delegates(invitation.organisation, count, rng)
            )
        event.refresh_from_db()
        participants = list(event.participants.filter(status=Participant.Status.REGISTERED).order_by("pk"))
        counts["participants"] += len(participants)

        # The day(s): check-in with a signature, commitments signed, minutes.
        event = plan_services.event_start(by=by, event=event)
        drawn = signatures(12, rng)
        present: list[Participant] = []
        for participant in participants:
            if rng.random() < 0.06:  # registered but never came
                continue
            present.append(participant)
            every_day = rng.random() < spec.attend_every_day
            for i, day in enumerate(event_days):
                if i > 0 and not every_day and rng.random() < 0.6:
                    continue
                day_checkin.check_in(
                    by=by, day=day, participant=participant, method="qr", signature=rng.choice(drawn), at=_at(day, rng)
                )
                counts["check-ins"] += 1
        for kind, title, body in spec.commitments:
            text = CommitmentText.objects.filter(unit=unit, kind=kind, title=title).order_by("-version").first()
            text = text or day_commitments.commitment_text_create(by=by, unit=unit, kind=kind, title=title, body=body)
            commitment = day_commitments.event_commitment_attach(by=by, event=event, text=text)
            for participant in present:
                day_commitments.commitment_sign(
                    participant=participant,
                    commitment=commitment,
                    typed_name=participant.full_name,
                    drawn=rng.choice(drawn),
                    digest=day_commitments.text_digest(text),
                    ip_address=f"10.10.0.{rng.randint(2, 250)}",
                    user_agent="Mozilla/5.0 (Linux; Android 13) Sinergi demo",
                )
                counts["signatures"] += 1
        summary, decisions = spec.minutes
        day_records.minutes_save(by=by, event=event, summary=summary, decisions=decisions)
        for action, owner, due in spec.follow_ups:
            day_records.follow_up_add(
                by=by, event=event, action=action, owner=owner, due_on=spec.first_day + datetime.timedelta(days=due)
            )

        # Tests and survey, answered by those present.
        questions = _bank(spec, unit, by)
        tests = {}
        for kind in (Test.Kind.PRE, Test.Kind.POST):
            tests[kind] = after_tests.test_set_questions(event=event, kind=kind, questions=questions, by=by)
            after_tests.test_set_open(test=tests[kind], is_open=True, by=by)
        after_survey.survey_set_open(event=event, is_open=True, by=by)
        total = len(questions)
        for participant in present:
            pre = rng.choice([1, 2, 2, 3, 3, 4])
            if rng.random() < 0.95:
                after_tests.attempt_submit(
                    test=tests[Test.Kind.PRE], participant=participant, answers=_answers(tests[Test.Kind.PRE], pre, rng)
                )
                counts["test attempts"] += 1
            post = min(total, pre + rng.choice([0, 1, 1, 2, 2, 3]))
            if rng.random() < 0.9:
                after_tests.attempt_submit(
                    test=tests[Test.Kind.POST],
                    participant=participant,
                    answers=_answers(tests[Test.Kind.POST], post, rng),
                )
                counts["test attempts"] += 1
            if rng.random() < 0.85:
                answers = {e: rng.choice([3, 3, 3, 4, 4, 2]) for e in ("u1", "u2", "u3", "u5", "u6", "u7", "u8", "u9")}
                answers["u4"] = 4  # the events are free of charge
                suggestion = rng.choice(["", "", "", "Materi agar dibagikan sebelum acara.", "Waktu diskusi ditambah."])
                after_survey.survey_submit(participant=participant, answers=answers, suggestion=suggestion)
                counts["survey responses"] += 1
        for test in tests.values():
            after_tests.test_set_open(test=test, is_open=False, by=by)
        after_survey.survey_set_open(event=event, is_open=False, by=by)
        event = plan_services.event_finish(by=by, event=event)
        counts["certificates"] += len(after_documents.certificates_issue(event=event))
        document = after_documents.document_request(event=event, kind=GeneratedDocument.Kind.REPORT, by=by)
    # Outside the transaction: the file is written once the event's records are committed.
    after_documents.document_build(document_id=document.pk)
    counts["activity reports"] += 1
    counts["events"] += 1


def seed(keys: Sequence[str] | None = None) -> dict[str, int]:
    """Create what is missing; return what was made, by name, for the command's summary."""
    counts: dict[str, int] = dict.fromkeys(
        [
            "events",
            "invitations",
            "participants",
            "check-ins",
            "signatures",
            "test attempts",
            "survey responses",
            "certificates",
            "activity reports",
        ],
        0,
    )
    for spec in SPECS:
        if keys is not None and spec.key not in keys:
            continue
        if not Unit.objects.filter(name=spec.unit).exists() or not User.objects.filter(username=spec.by).exists():
            logger.warning("events demo %s: unit or login missing, skipped", spec.key)
            continue
        if Event.objects.filter(unit__name=spec.unit, title=spec.title).exists():
            continue
        _hold(spec, counts)
    return {what: n for what, n in counts.items() if n}
