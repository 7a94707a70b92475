"""Demo data for early warning; called by ``manage.py seed_demo`` after the register. Idempotent.

FKDM member accounts for the five kelurahan of Kecamatan Sawah Besar (Jakarta Pusat) and one of the
kecamatan's FKDM (``DEMO_LOGINS``, password ``sinergi-demo-2026``), granted through the service like
a Lurah would; then 60 days of their reports and nihil, in an election season: hoaxes and hate
speech on social media, SARA provocation, demonstrations, with the usual floods and petty crime.
Some days a member forgets (the compliance pages have something to show); a few reports are
confirmed with follow-up, one was false; the rules then run once, so the last day's critical report
and the burst of high-severity reports in Sawah Besar leave alerts for Kesbangpol and the Camat.

The reports are written with ``bulk_create`` (one audit event for the lot, as the register's demo
does) and a fixed random seed, so every run makes the same data; a second run makes nothing.
"""

from __future__ import annotations

import datetime
import random
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from sinergi.accounts.demo import DEMO_PASSWORD, DemoLogin
from sinergi.accounts.models import Role, User
from sinergi.audit.services import record
from sinergi.core.context import acting_as
from sinergi.earlywarning import escalation, services
from sinergi.earlywarning.models import FollowUp, Report, Severity, Topic
from sinergi.registry.models import Organisation
from sinergi.territory.models import RW, Region

DAYS = 60
KECAMATAN = "31.71.02"  # Sawah Besar
MEMBERS = [
    # username, full name, FKDM region code, where (for the list of demo logins)
    ("fkdm.pasarbaru", "Hendra Wijaya", "31.71.02.1001", "Kelurahan Pasar Baru"),
    ("fkdm.karanganyar", "Nur Aini", "31.71.02.1002", "Kelurahan Karang Anyar"),
    ("fkdm.kartini", "Yusuf Maulana", "31.71.02.1003", "Kelurahan Kartini"),
    ("fkdm.gunungsahariutara", "Rini Astuti", "31.71.02.1004", "Kelurahan Gunung Sahari Utara"),
    ("fkdm.manggaduaselatan", "Dedi Kurniawan", "31.71.02.1005", "Kelurahan Mangga Dua Selatan"),
    ("fkdm.sawahbesar", "Agus Salim", KECAMATAN, "Kecamatan Sawah Besar"),
]
DEMO_LOGINS = [DemoLogin(u, n, f"FKDM {where}", Role.Kind.FKDM_MEMBER) for u, n, _code, where in MEMBERS]

# (topic codes, athg, domain, source, severity weights low..critical, text)
STORIES: list[tuple[list[str], str, str, str, list[int], str]] = [
    (
        ["hoax"],
        "ancaman",
        "politik",
        "social_media",
        [2, 4, 3, 1],
        "Beredar pesan berantai di grup WhatsApp warga bahwa TPS di RW ini dipindah dan surat suara sudah dicoblos. "
        "Informasi tidak benar; warga mulai resah.",
    ),
    (
        ["hate-speech", "sara"],
        "ancaman",
        "sosbud",
        "social_media",
        [1, 2, 4, 2],
        "Akun media sosial menyebarkan ujaran kebencian terhadap kelompok etnis tertentu menjelang kampanye; "
        "unggahan dibagikan ulang oleh warga sekitar.",
    ),
    (
        ["hate-speech"],
        "gangguan",
        "politik",
        "heard",
        [1, 3, 3, 1],
        "Saat kampanye terbuka terdengar orasi bernada kebencian terhadap pendukung calon lain; "
        "sempat terjadi adu mulut.",
    ),
    (
        ["sara", "social-conflict"],
        "tantangan",
        "sosbud",
        "seen",
        [2, 3, 2, 1],
        "Spanduk provokatif bernuansa SARA dipasang di dekat rumah ibadah tanpa izin. Pengurus RT sudah menurunkannya.",
    ),
    (
        ["demonstration"],
        "hambatan",
        "politik",
        "seen",
        [2, 3, 2, 0],
        "Rencana unjuk rasa sekitar 200 orang di depan kantor kelurahan terkait daftar pemilih tetap.",
    ),
    (
        ["social-conflict"],
        "gangguan",
        "hankam",
        "seen",
        [1, 2, 2, 1],
        "Tawuran antarpemuda dua RW di jalan inspeksi kali setelah pertandingan; dilerai warga dan Bhabinkamtibmas.",
    ),
    (
        ["foreign-nationals"],
        "tantangan",
        "hankam",
        "heard",
        [3, 2, 0, 0],
        "Beberapa orang asing menginap di rumah kos tanpa lapor ke RT; pemilik kos belum memberi data.",
    ),
    (
        ["disaster"],
        "gangguan",
        "sosbud",
        "seen",
        [1, 3, 2, 0],
        "Genangan air 30-50 cm setelah hujan deras; saluran tersumbat sampah di beberapa titik.",
    ),
    (
        ["crime"],
        "gangguan",
        "hankam",
        "heard",
        [3, 2, 1, 0],
        "Pencurian sepeda motor di gang permukiman pada malam hari; warga minta ronda diaktifkan lagi.",
    ),
    (
        ["hoax", "other"],
        "tantangan",
        "ekonomi",
        "social_media",
        [3, 2, 0, 0],
        "Beredar kabar bohong pembagian sembako gratis dari pasangan calon di kantor kelurahan.",
    ),
]
STORY_WEIGHTS = [4, 3, 2, 2, 1, 1, 1, 1, 1, 1]


def members(by: User | None) -> dict[str, User]:
    """The demo FKDM members, their accounts made and their membership granted once."""
    made: dict[str, User] = {}
    for username, full_name, code, _where in MEMBERS:
        organisation = Organisation.objects.filter(kind__code="fkdm", region__code=code).order_by("pk").first()
        if organisation is None:
            continue
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=full_name, email=f"{username}@sinergi.test")
            user.set_password(DEMO_PASSWORD)
            user.save()
            record(action="accounts.user.create", obj=user, changes={"username": [None, username]})
        if (
            by is not None
            and not Role.objects.filter(
                user=user, organisation=organisation, kind=Role.Kind.FKDM_MEMBER, is_active=True
            ).exists()
        ):
            role = services.fkdm_member_grant(by=by, organisation=organisation, user=user)
            # The demo's members joined before the 60 days of reports.
            Role.objects.filter(pk=role.pk).update(created_at=timezone.now() - datetime.timedelta(days=DAYS + 1))
        made[username] = user
    return made


def _reports(users: dict[str, User], today: datetime.date) -> list[Report]:
    rng = random.Random(2024)
    topics = {t.code: t for t in Topic.objects.all()}
    organisations = {
        r.user_id: r.organisation
        for r in Role.objects.filter(
            kind=Role.Kind.FKDM_MEMBER, is_active=True, user__in=users.values()
        ).select_related("organisation__region")
    }
    rws: dict[str, list[RW]] = {}
    villages = {r.code: r for r in Region.objects.filter(code__startswith=f"{KECAMATAN}.", level=Region.Level.VILLAGE)}
    for unit in RW.objects.filter(kelurahan__code__in=list(villages)).select_related("kelurahan"):
        rws.setdefault(unit.kelurahan.code, []).append(unit)
    tz = timezone.get_current_timezone()
    reports: list[Report] = []
    links: list[tuple[int, list[str]]] = []
    for user in users.values():
        organisation = organisations.get(user.pk)
        if organisation is None:
            continue
        for back in range(DAYS, 0, -1):
            day = today - datetime.timedelta(days=back)
            roll = rng.random()
            if roll < 0.1:
                continue  # forgot to report that day
            if roll < 0.72:
                at = datetime.datetime.combine(day, datetime.time(7 + rng.randrange(12), rng.randrange(60)), tz)
                code = organisation.region.code
                reports.append(
                    Report(
                        client_uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
                        kind=Report.Kind.NIHIL,
                        reporter=user,
                        organisation=organisation,
                        for_date=day,
                        kelurahan=villages.get(code),
                        area_code=code,
                        occurred_at=at,
                        created_at=at,
                    )
                )
                links.append((len(reports) - 1, []))
                continue
            for _n in range(1 + (rng.random() < 0.25)):
                story = STORIES[rng.choices(range(len(STORIES)), STORY_WEIGHTS)[0]]
                codes, athg, domain, source, weights, text = story
                severity = rng.choices([1, 2, 3, 4], weights)[0]
                village = villages.get(organisation.region.code) or rng.choice(list(villages.values()))
                rw: RW | None = rng.choice(rws[village.code]) if rws.get(village.code) else None
                at = datetime.datetime.combine(day, datetime.time(6 + rng.randrange(15), rng.randrange(60)), tz)
                reports.append(
                    Report(
                        client_uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
                        kind=Report.Kind.REPORT,
                        reporter=user,
                        organisation=organisation,
                        for_date=day,
                        athg=athg,
                        domain=domain,
                        severity=severity,
                        kelurahan=village,
                        area_code=village.code,
                        rw=rw,
                        occurred_at=at,
                        created_at=at + datetime.timedelta(minutes=rng.randrange(5, 90)),
                        description=text,
                        source=source,
                        source_link="https://x.com/akun_demo/status/1" if source == "social_media" else "",
                    )
                )
                links.append((len(reports) - 1, codes))
    # The last day: a burst of high-severity election reports in Sawah Besar and one critical.
    now = timezone.now()
    burst = [
        ("fkdm.pasarbaru", 3, ["hate-speech"], "Ujaran kebencian di grup WhatsApp RW terhadap pendukung calon lain."),
        ("fkdm.karanganyar", 3, ["hoax"], "Hoaks surat suara tercoblos beredar luas; warga berkumpul di TPS."),
        ("fkdm.kartini", 4, ["sara", "social-conflict"], "Provokasi SARA memicu kerumunan dua kelompok warga."),
    ]
    for i, (username, severity, codes, text) in enumerate(burst):
        member = users.get(username)
        organisation = organisations.get(member.pk) if member else None
        if member is None or organisation is None:
            continue
        at = now - datetime.timedelta(hours=6 - 2 * i)
        reports.append(
            Report(
                client_uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
                kind=Report.Kind.REPORT,
                reporter=member,
                organisation=organisation,
                for_date=timezone.localtime(at).date(),
                athg="ancaman",
                domain="politik" if "sara" not in codes else "sosbud",
                severity=severity,
                kelurahan=organisation.region,
                area_code=organisation.region.code,
                occurred_at=at,
                created_at=at + datetime.timedelta(minutes=10),
                description=text,
                source="social_media" if "sara" not in codes else "seen",
                source_link="https://x.com/akun_demo/status/2" if "sara" not in codes else "",
            )
        )
        links.append((len(reports) - 1, codes))
    made = Report.objects.bulk_create(reports, batch_size=500)
    through = Report.topics.through
    through.objects.bulk_create(
        [through(report_id=made[i].pk, topic_id=topics[c].pk) for i, codes in links for c in codes if c in topics],
        batch_size=1000,
    )
    return made


def _verify(made: list[Report], by: User, today: datetime.date) -> int:
    """A few of the serious reports confirmed with follow-up, one shown to be false."""
    serious = [r for r in made if r.kind == Report.Kind.REPORT and (r.severity or 0) >= Severity.HIGH]
    serious.sort(key=lambda r: r.occurred_at)
    count = 0
    for report in serious[-12:-3:2]:
        services.report_verify(
            by=by, report=report, status=Report.Status.CONFIRMED, note="Dicek di lapangan bersama Bhabinkamtibmas."
        )
        services.followup_add(
            by=by,
            report=report,
            action="Koordinasi dengan Bawaslu kecamatan dan tokoh masyarakat; patroli bersama tiga malam.",
            owner="Kasi Pemerintahan Kelurahan",
            due_on=today + datetime.timedelta(days=3),
        )
        count += 1
    done = FollowUp.objects.filter(report__in=serious[-12:-6]).first()
    if done is not None:
        services.followup_done(by=by, followup=done)
    if len(serious) > 13:
        services.report_verify(
            by=by, report=serious[-13], status=Report.Status.FALSE, note="Pesan lama dari pemilu sebelumnya."
        )
    return count


def seed() -> dict[str, int]:
    """Create what is missing; return what was made, by name, for the command's summary."""
    from sinergi.registry.demo.ormas import acting_admin

    by = acting_admin()
    today = timezone.localdate()
    with acting_as(by, channel="system"), transaction.atomic():
        users = members(by)
        if not users or Report.objects.filter(reporter__in=users.values()).exists():
            return {}
        made = _reports(users, today)
        record(
            action="earlywarning.report.bulk_create",
            region_code=KECAMATAN,
            object_type="earlywarning.report",
            changes={"count": len(made), "days": DAYS},
        )
        summary: dict[str, Any] = {"FKDM members": len(users), "early-warning reports and nihil": len(made)}
        camat = User.objects.filter(username="camat.sawahbesar").first() or by
        if camat is not None:
            summary["reports verified"] = _verify(made, camat, today)
        summary["alerts"] = len(escalation.evaluate_rules())
    return summary
