"""Demo data for the register at Jakarta scale: every RT and RW with its officers, the lembaga of
every kelurahan, kecamatan and kota, and about 5,000 Ormas with branches and legal records.

What is generated, and why it looks the way it does:

- An RT organisation for every RT unit and an RW organisation for every RW, each with a ketua,
  sekretaris and bendahara appointed by an SK of the Lurah; a few percent of the boards have a
  term ending this year, a few chairs are in their second term (the first one is on record too).
- LMK, FKDM, PKK and Karang Taruna for every kelurahan; FKDM, PKK and Karang Taruna for every
  kecamatan and kota, with their boards.
- Ormas: the 10 Ormas of seed 001 (a meeting at the Kantor Wali Kota Jakarta Pusat), national
  Ormas with their DPP, a DPD for Jakarta and DPC in some kota, and local Ormas; legal records
  (AHU perkumpulan or yayasan, or an SKT valid five years, some expiring within 90 days), coaching
  notes, activity reports, and one Ormas walked through warning, order to stop and recommendation
  of revocation. Only the first few hundred Ormas get document files, so setting up stays fast.
- Activity reports for a share of the organisations, among them the capacity-building day of
  Kecamatan Sawah Besar's lembaga (seed 002) and the meeting of seed 001.
- Two representative accounts (``DEMO_LOGINS``) with ``sinergi.accounts.demo.DEMO_PASSWORD``.

Every Ormas name starts with "Demo" (a branch's with "DPD Demo" or "DPC Demo"); persons get
fictional combinations of common Indonesian given names and surnames, phone numbers in the fictional
0800-0000 range and e-mail addresses under the reserved ``.test`` domain. NIKs are valid in form
(the kecamatan of the person's domicile, the date of birth with 40 added to the day for women, a
serial) but generated, and stored like any other: encrypted, hashed and masked with
``sinergi.registry.nik``.

Speed and the audit log. ``seed_demo`` runs this on first start, so it writes with ``bulk_create``
in batches, each batch in one transaction, instead of through the per-row services: those check
rules and write an audit event per row, which for ~40,000 organisations and ~240,000 persons and
officers would take many minutes and double the rows written. The audit log gets ONE event per
kind of bulk creation instead (``registry.<object>.bulk_create``, system actor, with the count, the
organisation kind and the territory): it says who made the data, when, and how much. The two things
a person would do by hand, granting the representative roles and the sanction path, go through
the register's services and are audited as usual.

Deterministic and idempotent: each organisation draws from its own seeded random generator, so the
same territory always gets the same data; each step makes only what is missing (an RT unit without
its RT organisation, an Ormas whose name is not registered) and makes officers, documents, notes
and reports together with their new organisation, so running it again makes nothing. After a
load it refreshes the database's planner statistics (``analyze``).

Layout: ``core`` (the cast, persons with NIKs, batches), ``lembaga`` (RT, RW and the area lembaga),
``ormas`` (Ormas, their records and the sanction path), ``words`` (names and texts).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.utils import timezone

from sinergi.accounts.demo import DEMO_PASSWORD, DemoLogin
from sinergi.accounts.models import Role, User
from sinergi.audit.services import record
from sinergi.registry import services
from sinergi.registry.demo.core import (
    JAKARTA_CODE,
    ORMAS,
    ORMAS_COUNT,
    ORMAS_SECRETARY_NAME,
    PASAR_BARU,
    RT_CHAIR_NAME,
    RT_KIND,
    RW_KIND,
    SEED_001_ORMAS,
    VILLAGE_KINDS,
    People,
    Run,
)
from sinergi.registry.demo.lembaga import area_lembaga, rt_rw
from sinergi.registry.demo.ormas import acting_admin, make_ormas, sanction_path
from sinergi.registry.models import Organisation, OrganisationKind
from sinergi.territory.models import Region, code_q

DEMO_LOGINS = [
    DemoLogin("rt.pasarbaru", RT_CHAIR_NAME, "Ketua RT 001/RW 001 Kelurahan Pasar Baru", Role.Kind.ORG_REPRESENTATIVE),
    DemoLogin("ormas.demo", ORMAS_SECRETARY_NAME, f"Sekretaris {SEED_001_ORMAS[0][0]}", Role.Kind.ORG_REPRESENTATIVE),
]


def representatives(run: Run) -> int:
    """The demo accounts of the Ketua RT 001/RW 001 Pasar Baru and of a seed-001 Ormas secretary."""
    by = acting_admin()
    if by is None:
        return 0
    orgs = {
        "rt.pasarbaru": Organisation.objects.filter(
            kind=run.kinds[RT_KIND], region__code=PASAR_BARU, rw__number=1, rt__number=1
        ).first(),
        "ormas.demo": Organisation.objects.filter(kind=run.kinds[ORMAS], name=SEED_001_ORMAS[0][0]).first(),
    }
    made = 0
    for login in DEMO_LOGINS:
        org = orgs[login.username]
        if org is None or User.objects.filter(username=login.username).exists():
            continue
        user = User(username=login.username, full_name=login.full_name, email=f"{login.username}@sinergi.test")
        user.set_password(DEMO_PASSWORD)
        user.save()
        record(action="accounts.user.create", obj=user, changes={"username": [None, user.username]})
        services.representative_grant(by=by, organisation=org, user=user)
        made += 1
    return made


def analyze() -> None:
    """Refresh the query planner's statistics after the bulk load. Without them SQLite sorts the
    whole register for every page of the list (about 80 ms at Jakarta scale) instead of walking the
    territory in code order (under 1 ms); PostgreSQL's autovacuum would catch up, but later."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- the whole run -----------------------------------------------------------------------------


def seed(
    *, within: str = JAKARTA_CODE, ormas_count: int = ORMAS_COUNT, today: datetime.date | None = None
) -> dict[str, Any]:
    """Make the demo register for the territory at or below ``within`` (all of Jakarta by default)
    and ``ormas_count`` Ormas; return what was made. Makes nothing that already exists."""
    root = Region.objects.get(code=within)
    kinds = {k.code: k for k in OrganisationKind.objects.filter(code__in=[RT_KIND, RW_KIND, *VILLAGE_KINDS, ORMAS])}
    missing = {RT_KIND, RW_KIND, *VILLAGE_KINDS, ORMAS} - set(kinds)
    if missing:
        raise LookupError(f"organisation kinds missing: {sorted(missing)}")
    run = Run(
        today=today or timezone.localdate(),
        within=root,
        kinds=kinds,
        people=People(today or timezone.localdate()),
        kind_codes={k.pk: k.code for k in kinds.values()},
    )
    regions = list(Region.objects.filter(code_q([within])).order_by("code"))
    rt_rw(run, [r for r in regions if r.level == Region.Level.VILLAGE])
    run.flush()
    area_lembaga(run, regions)
    run.flush()
    make_ormas(run, ormas_count)
    run.flush()
    run.audit()
    if run.created:
        analyze()
    summary: dict[str, Any] = run.summary()
    if sanction_path(run):
        summary["sanction path"] = 1
    if accounts := representatives(run):
        summary["representative accounts"] = accounts
    return summary
