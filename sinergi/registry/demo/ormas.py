"""Ormas: legal records, boards, branches, documents, coaching notes, reports and the sanction path."""

from __future__ import annotations

import dataclasses
import datetime
import random
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q

from sinergi.accounts.models import User
from sinergi.registry import services
from sinergi.registry.demo.core import (
    ENDING_THIS_YEAR,
    JAKPUS_CODE,
    ORMAS,
    ORMAS_SECRETARY_NAME,
    ORMAS_WITH_FILES,
    SANCTIONED_ORMAS,
    SEED,
    SEED_001_DATE,
    SEED_001_ORMAS,
    Run,
    between,
    initials,
    jitter,
    phone,
    sex_for,
    term_for,
)
from sinergi.registry.demo.words import (
    COACHING_SUBJECTS,
    FIELDS,
    ORMAS_FORMS,
    ORMAS_WHAT,
    ORMAS_WHO,
    REPORTS,
    ROMAN,
    STREETS,
    demo_pdf,
)
from sinergi.registry.models import (
    ActivityReport,
    CoachingNote,
    Document,
    Officer,
    Organisation,
    OrganisationKind,
    OrmasProfile,
    Person,
    Sanction,
)
from sinergi.registry.rules import add_years
from sinergi.territory.models import Region, code_q

R = Officer.Position


# --- Ormas -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrmasPlan:
    """One Ormas to make: who it is and where; everything else comes from its own random generator."""

    name: str
    region_code: str
    field_of_activity: str
    level: str  # OrmasProfile.BoardLevel
    parent: str = ""
    place_code: str = ""  # kecamatan or kelurahan of its secretariat, for the address and map point
    seed_001: bool = False
    files: bool = False


def ormas_plans(within: Region, count: int) -> list[OrmasPlan]:
    """The Ormas of the demo, in creation order (parents before branches): seed 001, the one under
    sanction, national Ormas with DPP, DPD and DPC, then local Ormas."""
    province = within.code[:2]
    cities = list(
        Region.objects.filter(level=Region.Level.CITY)
        .filter(code_q([within.code]) | Q(code=within.code[:5]))
        .order_by("code")
    )
    districts = list(Region.objects.filter(level=Region.Level.DISTRICT).filter(code_q([within.code])).order_by("code"))
    plans: list[OrmasPlan] = []
    if Region.objects.filter(code=JAKPUS_CODE).exists():
        plans += [
            OrmasPlan(name, JAKPUS_CODE, field_of_activity, OrmasProfile.BoardLevel.OTHER, "", place, seed_001=True)
            for name, place, field_of_activity in SEED_001_ORMAS
        ]
        n, p, f = SANCTIONED_ORMAS
        plans.append(OrmasPlan(n, JAKPUS_CODE, f, OrmasProfile.BoardLevel.OTHER, place_code=p))
    if not cities:
        return plans
    rng = random.Random(f"{SEED}:ormas:{within.code}")
    names = {p.name for p in plans}

    def fresh_name(suffix: str = "") -> str:
        while True:
            what = rng.choice(ORMAS_WHAT).replace("-", " ")
            who = rng.choice(ORMAS_WHO).replace("-", " ")
            name = f"Demo {rng.choice(ORMAS_FORMS)} {who} {what}{suffix}"
            if name not in names:
                names.add(name)
                return name

    remaining = max(0, count - len(plans))
    families = remaining // 25
    weights = [c.population or 1 for c in cities]
    branch_plans: list[OrmasPlan] = []
    for _ in range(families):
        national = fresh_name()
        field_of_activity = rng.choice(FIELDS)
        plans.append(OrmasPlan(national, province, field_of_activity, OrmasProfile.BoardLevel.DPP))
        dpd = f"DPD {national} Jakarta"
        names.add(dpd)
        branch_plans.append(OrmasPlan(dpd, province, field_of_activity, OrmasProfile.BoardLevel.DPD, national))
        for city in sorted(set(rng.choices(cities, weights, k=rng.randint(2, 5))), key=lambda c: c.code):
            short = city.name.replace("Kota Administrasi ", "").replace("Kabupaten Administrasi ", "")
            dpc = f"DPC {national} {short}"
            names.add(dpc)
            branch_plans.append(OrmasPlan(dpc, city.code, field_of_activity, OrmasProfile.BoardLevel.DPC, dpd))
    branch_plans.sort(key=lambda p: p.level != OrmasProfile.BoardLevel.DPD)  # each DPD before its DPC
    locals_ = max(0, count - len(plans) - len(branch_plans))
    district_weights = [d.population or 1 for d in districts]
    for _ in range(locals_):
        if districts and rng.random() < 0.3:
            region = rng.choices(districts, district_weights)[0]
            plans.append(
                OrmasPlan(fresh_name(f" {region.name}"), region.code, rng.choice(FIELDS), OrmasProfile.BoardLevel.OTHER)
            )
        else:
            region = rng.choices(cities, weights)[0]
            plans.append(OrmasPlan(fresh_name(), region.code, rng.choice(FIELDS), OrmasProfile.BoardLevel.OTHER))
    plans += branch_plans
    return [dataclasses.replace(p, files=i < ORMAS_WITH_FILES) for i, p in enumerate(plans)]


def make_ormas(run: Run, count: int) -> None:
    """Ormas with legal records, boards, branches, documents, coaching notes and activity reports."""
    kind = run.kinds[ORMAS]
    existing = dict(Organisation.objects.filter(kind=kind).values_list("name", "id"))
    plans = [p for p in ormas_plans(run.within, count) if p.name not in existing]
    if not plans:
        return
    regions = {r.code: r for r in Region.objects.filter(code__in={p.region_code for p in plans} | {JAKPUS_CODE})}
    made: dict[str, Organisation] = {}
    # Parents before branches, each level in its own batches so a branch can point at its parent's id.
    for level in (None, OrmasProfile.BoardLevel.DPD, OrmasProfile.BoardLevel.DPC):
        for plan in plans:
            if (plan.level if plan.parent else None) != level:
                continue
            parent_id = existing.get(plan.parent) or (made[plan.parent].pk if plan.parent in made else None)
            made[plan.name] = one_ormas(run, kind, plan, regions[plan.region_code], parent_id)
            run.flush(force=False)
        run.flush()


def one_ormas(run: Run, kind: OrganisationKind, plan: OrmasPlan, region: Region, parent_id: int | None) -> Organisation:
    rng = random.Random(f"{SEED}:ormas:{plan.name}")
    today = run.today
    place = _place(run, rng, plan, region)
    lat, lng = jitter(rng, place)
    slug = initials(plan.name).lower() or "ormas"
    founded = datetime.date(rng.randint(1998, today.year - 2), rng.randint(1, 12), rng.randint(1, 28))
    org = Organisation(
        kind=kind,
        name=plan.name,
        abbreviation=initials(plan.name)[:50],
        region=region,
        parent_id=parent_id,
        phone=phone(rng),
        email=f"sekretariat.{slug}{rng.randint(1, 999)}@demo.sinergi.test",
        address=f"Jl. {rng.choice(STREETS)} No. {rng.randint(1, 200)}, {place.display_name}",
        latitude=lat,
        longitude=lng,
        founded_on=founded,
        status_since=founded,
        member_count=rng.randint(500, 20000) if plan.level == OrmasProfile.BoardLevel.DPP else rng.randint(20, 2000),
        field_of_activity=plan.field_of_activity,
    )
    if rng.random() < 0.01:
        org.status = Organisation.Status.INACTIVE
        org.status_reason = "Tidak ada kegiatan dan sekretariat tidak ditemukan (data demo)."
        org.status_since = today - datetime.timedelta(days=rng.randint(30, 400))
    run.batch.organisations.append(org)
    profile = legal_record(rng, plan, org, today)
    run.batch.profiles.append(profile)
    # The board, with its SK from the level above (or the founders' meeting).
    term = term_for(rng, today, kind.term_years, ENDING_THIS_YEAR)
    issuer = f"Ketua Umum {plan.parent}" if plan.parent else "Musyawarah Anggota"
    sk_date = term[0] - datetime.timedelta(days=rng.randint(3, 20))
    sk = (
        f"SK-{rng.randint(1, 150):03d}/{initials(plan.name)}/{ROMAN[sk_date.month - 1]}/{sk_date.year}",
        sk_date,
        issuer,
    )
    for position in (R.CHAIR, R.SECRETARY, R.TREASURER):
        home = run.home(rng, region)
        sex = sex_for(rng, 0.35)
        full_name = ""
        if plan.name == SEED_001_ORMAS[0][0] and position == R.SECRETARY:
            sex, full_name = Person.Sex.FEMALE, ORMAS_SECRETARY_NAME
        person = run.people.person(rng, home=home, sex=sex, full_name=full_name)
        run.appoint(org, person, position, term, sk, rng, party_statement=0.7)
    if plan.files:
        documents(run, rng, org, profile, plan)
    if plan.seed_001 or plan.name == SANCTIONED_ORMAS[0] or rng.random() < 0.15:
        coaching(run, rng, org, plan)
    # Ormas must report their activities: most did recently, some long ago, some never.
    roll = rng.random()
    where = place.display_name
    if roll < 0.65:
        run.reports(org, rng, ORMAS, where, rng.randint(1, 3), 150)
    elif roll < 0.8:
        old = today - datetime.timedelta(days=rng.randint(400, 900))
        kind_, title = rng.choice(REPORTS[ORMAS])
        run.report(org, old, kind_, title, where, rng.randint(8, 120))
    if plan.seed_001:
        run.report(
            org,
            SEED_001_DATE,
            ActivityReport.Kind.MEETING,
            "Pertemuan Pemkot Jakarta Pusat dengan Ormas: sinergi pembangunan, keamanan dan ketertiban",
            "Ruang Serbaguna Utama, Kantor Wali Kota Jakarta Pusat",
            participants=rng.randint(2, 4),
        )
    return org


def _place(run: Run, rng: random.Random, plan: OrmasPlan, region: Region) -> Region:
    if plan.place_code:
        options = [v for v in run.villages_under(region) if v.code.startswith(f"{plan.place_code}.")]
        if options:
            return rng.choice(options)
    return run.home(rng, region)


def legal_record(rng: random.Random, plan: OrmasPlan, org: Organisation, today: datetime.date) -> OrmasProfile:
    """AHU perkumpulan or yayasan (no expiry) or an SKT valid five years, some expiring within 90 days."""
    level = plan.level
    if level == OrmasProfile.BoardLevel.DPP or (level == OrmasProfile.BoardLevel.OTHER and rng.random() < 0.5):
        form = OrmasProfile.LegalForm.FOUNDATION if rng.random() < 0.3 else OrmasProfile.LegalForm.ASSOCIATION
    elif level == OrmasProfile.BoardLevel.OTHER:
        form = OrmasProfile.LegalForm.SKT
    else:  # a branch has its national organisation's legal form
        form = OrmasProfile.LegalForm.ASSOCIATION
    expires = None
    if form == OrmasProfile.LegalForm.SKT:
        roll = rng.random()
        if roll < 0.07:  # expiring within 90 days
            expires = today + datetime.timedelta(days=rng.randint(1, 90))
        elif roll < 0.11:  # already expired
            expires = today - datetime.timedelta(days=rng.randint(1, 300))
        else:
            expires = today + datetime.timedelta(days=rng.randint(91, 5 * 365))
        issued = add_years(expires, -5)
        number = f"220/{rng.randint(1, 9999):04d}/DIT.III/{ROMAN[issued.month - 1]}/{issued.year}"
    else:
        issued = between(rng, datetime.date(2013, 1, 1), today - datetime.timedelta(days=60))
        series = "04" if form == OrmasProfile.LegalForm.FOUNDATION else "07"
        number = f"AHU-{rng.randint(1, 99999):07d}.AH.01.{series}.TAHUN {issued.year}"
    receipt = between(rng, issued, today)
    scopes: dict[str, str] = {
        OrmasProfile.BoardLevel.DPP: OrmasProfile.Scope.NATIONAL,
        OrmasProfile.BoardLevel.DPD: OrmasProfile.Scope.PROVINCIAL,
    }
    scope = scopes.get(level, OrmasProfile.Scope.CITY)
    return OrmasProfile(
        organisation=org,
        legal_form=form,
        registration_number=number,
        registration_issued_on=issued,
        registration_expires_on=expires,
        local_receipt_number=f"{rng.randint(1, 999):03d}/-1.831/{receipt.year}",
        local_receipt_date=receipt,
        npwp=(
            f"{rng.randint(1, 99):02d}.{rng.randint(0, 999):03d}.{rng.randint(0, 999):03d}."
            f"{rng.randint(0, 9)}-{rng.randint(0, 999):03d}.000"
        ),
        scope=scope,
        board_level=level,
    )


def documents(run: Run, rng: random.Random, org: Organisation, profile: OrmasProfile, plan: OrmasPlan) -> None:
    T = Document.Type
    issued = profile.registration_issued_on or run.today
    wanted: list[tuple[str, str, datetime.date | None, datetime.date | None]] = [
        (T.AD_ART, "", issued, None),
        (T.NOTARIAL_DEED, f"{rng.randint(1, 60)} tanggal {issued:%d-%m-%Y}", issued, None),
    ]
    if profile.legal_form == OrmasProfile.LegalForm.SKT:
        wanted.append((T.SKT, profile.registration_number, issued, profile.registration_expires_on))
    else:
        wanted.append((T.AHU_DECREE, profile.registration_number, issued, None))
    domicile = between(rng, run.today - datetime.timedelta(days=360), run.today)
    wanted.append((T.DOMICILE_LETTER, f"{rng.randint(1, 300)}/-1.711.2", domicile, add_years(domicile, 1)))
    for type_, number, on, until in wanted:
        content = demo_pdf(
            str(Document.Type(type_).label),
            [plan.name, f"Nomor: {number or '-'}", f"Tanggal: {on or '-'}", f"Berlaku sampai: {until or '-'}"],
        )
        document = Document(
            uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
            organisation=org,
            type=type_,
            number=number,
            issued_on=on,
            valid_until=until,
            original_name=f"{type_}.pdf",
            content_type="application/pdf",
            size=len(content),
        )
        run.batch.documents.append((document, content))


def coaching(run: Run, rng: random.Random, org: Organisation, plan: OrmasPlan) -> None:
    for subject, note in rng.sample(COACHING_SUBJECTS, rng.randint(1, 2)):
        run.batch.notes.append(
            CoachingNote(
                organisation=org,
                held_on=between(rng, run.today - datetime.timedelta(days=700), run.today),
                subject=subject,
                note=f"{note} (data demo)",
            )
        )
    if plan.seed_001:
        run.batch.notes.append(
            CoachingNote(
                organisation=org,
                held_on=SEED_001_DATE,
                subject="Sinergi pembangunan, keamanan dan ketertiban wilayah",
                note=(
                    "Pertemuan di Kantor Wali Kota Jakarta Pusat bersama 10 Ormas: Ormas sebagai corong informasi "
                    "pemerintah dan penampung aspirasi warga, dukungan kerja bakti dan keamanan lingkungan. (data demo)"
                ),
            )
        )


# --- the sanction path and the representative accounts ---------------------------------------


def sanction_path(run: Run) -> bool:
    """Walk the demo Ormas under sanction through warning, order to stop and recommendation, through
    the register's services as the Kesbangpol administrator would; return whether it was walked."""
    org = Organisation.objects.filter(kind=run.kinds[ORMAS], name=SANCTIONED_ORMAS[0]).first()
    by = acting_admin()
    if org is None or by is None or org.sanctions.exists():
        return False
    with transaction.atomic():
        _walk(run, org, by)
    return True


def _walk(run: Run, org: Organisation, by: User) -> None:
    steps = [
        (Sanction.Step.WARNING, 75, "Sweeping tanpa izin di ruang publik dan intimidasi pedagang."),
        (Sanction.Step.STOP_ACTIVITIES, 50, "Peringatan tertulis tidak dipatuhi dalam 7 hari kerja."),
        (Sanction.Step.REVOCATION_RECOMMENDATION, 12, "Kegiatan tetap berjalan setelah perintah penghentian."),
    ]
    for step, days_ago, reason in steps:
        issued_on = run.today - datetime.timedelta(days=days_ago)
        letter_number = f"{300 + step}/-077.8/KESBANGPOL/{issued_on.year}"
        label = str(Sanction.Step(step).label)
        letter = ContentFile(demo_pdf(label, [org.name, f"Nomor: {letter_number}", reason]), "surat.pdf")
        sanction = services.sanction_issue(
            by=by,
            organisation=org,
            step=step,
            issued_on=issued_on,
            letter_number=letter_number,
            reason=f"{reason} (data demo)",
            letter=letter,
        )
        if step == Sanction.Step.STOP_ACTIVITIES:
            services.organisation_set_status(
                by=by,
                organisation=org,
                status=Organisation.Status.SUSPENDED,
                reason=f"{sanction.get_step_display()} {letter_number}",
                on=issued_on,
            )


def acting_admin() -> User | None:
    """Who grants and sanctions in the demo: the Kesbangpol administrator, else the first superuser."""
    users = User.objects.filter(is_active=True)
    return users.filter(username="kesbangpol").first() or users.filter(is_superuser=True).order_by("pk").first()
