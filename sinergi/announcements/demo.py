"""Demo data for announcements; called by ``manage.py seed_demo`` after the register. Idempotent.

The three announcements of seed 004 (the Wali Kota of Jakarta Barat's "Pembinaan dan Evaluasi"
meeting of 31 July 2025), sent to the organisations of Jakarta Barat that must pass them on:

- the economic census (BPS Kota Jakarta Barat), to every RT, RW and LMK of the city;
- the flood-control works (Suku Dinas Sumber Daya Air), to the RT, RW and LMK of the kelurahan
  where the works are: water reservoirs in Cengkareng and Duri Kepa, river walls in Kalideres,
  Semanan and Kembangan, Kali Sekretaris at Grogol, and the road widening at Joglo;
- Koperasi Merah Putih (Kementerian Keuangan), to every LMK and RW and the Ormas of the city.

They are sent through the real services and fan-out (run in-process, in batches), then a
realistic part of the organisations is marked read and acknowledged and has filed a relay report,
with bulk updates so the seed stays fast at several thousand deliveries.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from sinergi.accounts.models import Unit, User
from sinergi.announcements import fanout, services
from sinergi.announcements.models import Announcement, Answer, Delivery, FanoutBatch, Question, RelayReport
from sinergi.registry.targeting import Audience
from sinergi.territory.models import Region

JAKBAR = "31.73"
# Where seed 004 places the flood-control works, by kelurahan name inside Jakarta Barat.
WORKS_KELURAHAN = (
    "Cengkareng Barat",
    "Cengkareng Timur",
    "Kalideres",
    "Semanan",
    "Kembangan Selatan",
    "Kembangan Utara",
    "Duri Kepa",
    "Grogol",
    "Joglo",
)


@dataclass(frozen=True)
class DemoAnnouncement:
    unit_name: str
    source_name: str
    title: str
    category: str
    body: str
    kinds: tuple[str, ...]
    relay_days: int | None  # relay report due this many days after sending; None: not required
    sent_days_ago: int
    read: float
    acknowledged: float
    relayed: float


CENSUS = DemoAnnouncement(
    unit_name="Bagian Pemerintahan Kota Administrasi Jakarta Barat",
    source_name="BPS Kota Jakarta Barat",
    title="Sensus Ekonomi 2026: petugas BPS akan mendata usaha di wilayah Anda",
    category=Announcement.Category.CENSUS,
    body=(
        "<p>Badan Pusat Statistik (BPS) Kota Jakarta Barat melaksanakan <strong>Sensus Ekonomi 2026</strong>: "
        "pendataan seluruh usaha, dari warung dan usaha rumahan sampai perusahaan besar.</p>"
        "<ul><li>Petugas BPS membawa tanda pengenal resmi dan surat tugas.</li>"
        "<li>Data usaha dijamin kerahasiaannya dan hanya dipakai untuk statistik, tidak untuk pajak.</li>"
        "<li>Mohon Ketua RT/RW dan LMK membantu petugas mengenali lokasi usaha di wilayahnya.</li></ul>"
        "<p>Sampaikan kepada warga melalui rapat RT, grup WhatsApp warga, atau papan pengumuman.</p>"
    ),
    kinds=("rt", "rw", "lmk"),
    relay_days=21,
    sent_days_ago=12,
    read=0.82,
    acknowledged=0.67,
    relayed=0.38,
)
FLOOD_WORKS = DemoAnnouncement(
    unit_name="Suku Dinas Sumber Daya Air Kota Administrasi Jakarta Barat",
    source_name="",
    title="Pekerjaan pengendalian banjir di wilayah Anda",
    category=Announcement.Category.WORKS,
    body=(
        "<p>Suku Dinas Sumber Daya Air Jakarta Barat akan melaksanakan pekerjaan pengendalian banjir:</p>"
        "<ul><li>pembangunan folder (waduk) air di Cengkareng dan Duri Kepa;</li>"
        "<li>penurapan kali di Kalideres, Semanan dan Kembangan;</li>"
        "<li>penataan Kali Sekretaris di Grogol;</li>"
        "<li>pelebaran jalan di Joglo sampai perbatasan Tangerang.</li></ul>"
        "<p>Selama pekerjaan, sebagian jalan dan bantaran kali ditutup. Mohon warga diberi tahu dan "
        "kendaraan tidak diparkir di lokasi pekerjaan.</p>"
    ),
    kinds=("rt", "rw", "lmk"),
    relay_days=10,
    sent_days_ago=8,
    read=0.74,
    acknowledged=0.58,
    relayed=0.31,
)
COOPERATIVE = DemoAnnouncement(
    unit_name="Bagian Pemerintahan Kota Administrasi Jakarta Barat",
    source_name="Kementerian Keuangan",
    title="Koperasi Merah Putih: pembiayaan melalui bank Himbara",
    category=Announcement.Category.ECONOMY,
    body=(
        "<p>Pembaruan program <strong>Koperasi Merah Putih</strong>:</p>"
        "<ul><li>Pembiayaan diperlakukan murni B2B, seperti pengusaha kepada bank.</li>"
        "<li>Dana hingga Rp3 miliar untuk setiap koperasi.</li>"
        "<li>Pencairan kepada peminjam melalui bank Himbara.</li>"
        "<li>Peminjam menyerahkan jaminan.</li></ul>"
        "<p>Mohon LMK, RW dan Ormas meneruskan informasi ini kepada pengurus koperasi dan warga.</p>"
    ),
    kinds=("lmk", "rw", "ormas"),
    relay_days=None,
    sent_days_ago=5,
    read=0.61,
    acknowledged=0.44,
    relayed=0.12,
)
DEMO = (CENSUS, FLOOD_WORKS, COOPERATIVE)

NOTES = {
    RelayReport.Method.MEETING: "Disampaikan pada rapat rutin pengurus dan warga.",
    RelayReport.Method.WHATSAPP: "Diteruskan ke grup WhatsApp warga.",
    RelayReport.Method.BANNER: "Ditempel di papan pengumuman pos RW.",
    RelayReport.Method.DOOR_TO_DOOR: "Disampaikan dari rumah ke rumah oleh pengurus.",
    RelayReport.Method.OTHER: "Diumumkan melalui pengeras suara masjid setelah salat Jumat.",
}
QUESTIONS = {
    CENSUS.title: ("Apakah usaha rumahan tanpa izin juga didata?", "Ya. Semua usaha didata, berizin atau tidak."),
    FLOOD_WORKS.title: ("Berapa lama jalan di bantaran kali ditutup?", "Sekitar tiga bulan, bertahap per segmen."),
    COOPERATIVE.title: ("Apa jaminan yang diminta bank?", None),
}


def seed() -> dict[str, int]:
    """Create what is missing; return what was made, by name, for the command's summary."""
    sender = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    jakbar = Region.objects.filter(code=JAKBAR).first()
    if sender is None or jakbar is None:
        return {}
    made = {"announcements": 0, "deliveries": 0, "relay reports": 0}
    for demo in DEMO:
        unit = Unit.objects.filter(name=demo.unit_name).first()
        if unit is None or Announcement.objects.filter(unit=unit, title=demo.title).exists():
            continue
        announcement = _send(demo, unit, sender)
        made["announcements"] += 1
        made["deliveries"] += announcement.deliveries_done
        made["relay reports"] += _activity(demo, announcement)
    return {name: n for name, n in made.items() if n}


def _areas(demo: DemoAnnouncement) -> tuple[str, ...]:
    if demo is not FLOOD_WORKS:
        return (JAKBAR,)
    return tuple(
        Region.objects.filter(code__startswith=f"{JAKBAR}.", level=Region.Level.VILLAGE, name__in=WORKS_KELURAHAN)
        .order_by("code")
        .values_list("code", flat=True)
    )


def _send(demo: DemoAnnouncement, unit: Unit, sender: User) -> Announcement:
    today = timezone.localdate()
    announcement = services.announcement_create(
        by=sender,
        unit=unit,
        title=demo.title,
        body=demo.body,
        category=demo.category,
        source_name=demo.source_name,
        audience=Audience(kinds=demo.kinds, region_codes=_areas(demo)),
        ack_required=True,
        relay_required=demo.relay_days is not None,
        relay_due=today + datetime.timedelta(days=demo.relay_days) if demo.relay_days else None,
    )
    services.announcement_send(by=sender, announcement=announcement)
    # The batch tasks enqueued on commit find their batches done and stop at once.
    for pk in FanoutBatch.objects.filter(announcement=announcement).order_by("number").values_list("pk", flat=True):
        fanout.fanout_batch_run(batch_id=pk)
    # Back-date it, as if sent after the meeting.
    sent_at = timezone.now() - datetime.timedelta(days=demo.sent_days_ago)
    Announcement.objects.filter(pk=announcement.pk).update(sent_at=sent_at, finished_at=sent_at)
    if demo.relay_days:
        Announcement.objects.filter(pk=announcement.pk).update(
            relay_due=timezone.localdate(sent_at) + datetime.timedelta(days=demo.relay_days)
        )
    Delivery.objects.filter(announcement=announcement).update(delivered_at=sent_at, notified_at=sent_at)
    announcement.refresh_from_db()
    return announcement


@transaction.atomic
def _activity(demo: DemoAnnouncement, announcement: Announcement) -> int:
    """Mark a realistic share read, acknowledged and relayed; one question (answered or not)."""
    rng = random.Random(announcement.title)
    sent_at = announcement.sent_at or timezone.now()
    deliveries = list(Delivery.objects.filter(announcement=announcement).values_list("pk", "kind_code"))
    rng.shuffle(deliveries)
    total = len(deliveries)
    read = deliveries[: round(total * demo.read)]
    acknowledged = read[: round(total * demo.acknowledged)]
    relayed = acknowledged[: round(total * demo.relayed)]
    elapsed = max(1, demo.sent_days_ago)
    # A few timestamps per day rather than one per row: one UPDATE per bucket keeps the seed fast.
    buckets = 12
    for i in range(buckets):
        when = sent_at + datetime.timedelta(hours=(i + 1) * elapsed * 24 / (buckets + 2))
        chunk = [pk for pk, _kind in read[i::buckets]]
        Delivery.objects.filter(pk__in=chunk).update(read_at=when)
        acked = [pk for pk, _kind in acknowledged[i::buckets]]
        Delivery.objects.filter(pk__in=acked).update(acknowledged_at=when + datetime.timedelta(hours=2))
    methods = list(NOTES)
    weights = [30, 40, 15, 10, 5]
    reports = []
    reached: dict[int, int] = {}
    for pk, kind in relayed:
        method = rng.choices(methods, weights=weights)[0]
        residents = rng.randint(15, 90) if kind == "rt" else rng.randint(60, 400)
        held_on = timezone.localdate(sent_at) + datetime.timedelta(days=rng.randint(1, elapsed))
        reports.append(
            RelayReport(
                delivery_id=pk,
                method=method,
                held_on=min(held_on, timezone.localdate()),
                residents_reached=residents,
                note=NOTES[method],
                created_at=sent_at + datetime.timedelta(days=rng.randint(1, elapsed)),
            )
        )
        reached[pk] = residents
    RelayReport.objects.bulk_create(reports, batch_size=1000)
    rows = Delivery.objects.in_bulk(list(reached))
    for pk, delivery in rows.items():
        delivery.residents_reached = reached[pk]
        delivery.relayed_at = delivery.acknowledged_at
    Delivery.objects.bulk_update(list(rows.values()), ["residents_reached", "relayed_at"], batch_size=1000)
    # The bulk updates went around the services that keep the progress tallies.
    fanout.delivery_tallies_recount(announcement=announcement)
    _question(announcement, acknowledged)
    return len(reports)


def _question(announcement: Announcement, acknowledged: list[tuple[int, Any]]) -> None:
    asked, answer = QUESTIONS[announcement.title]
    if not acknowledged:
        return
    delivery_pk = acknowledged[0][0]
    question = Question.objects.create(
        announcement=announcement,
        delivery_id=delivery_pk,
        text=asked,
        asked_at=(announcement.sent_at or timezone.now()) + datetime.timedelta(days=1),
    )
    if answer:
        Answer.objects.create(
            question=question, text=answer, answered_at=question.asked_at + datetime.timedelta(hours=5)
        )
