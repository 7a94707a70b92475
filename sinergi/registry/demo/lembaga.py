"""RT and RW organisations for every unit, and the lembaga of every kelurahan, kecamatan and kota."""

from __future__ import annotations

import datetime
import random

from sinergi.registry.demo.core import (
    AREA_KINDS,
    ENDING_THIS_YEAR,
    FKDM,
    KARANG_TARUNA,
    LMK,
    PASAR_BARU,
    PKK,
    RT_CHAIR_NAME,
    RT_KIND,
    RW_KIND,
    SEED,
    SEED_002_DATE,
    SEED_002_DISTRICT,
    VILLAGE_KINDS,
    Run,
    jitter,
    phone,
    sex_for,
    sk_for,
    term_for,
)
from sinergi.registry.demo.words import STREETS
from sinergi.registry.models import ActivityReport, Officer, Organisation, OrganisationKind, Person
from sinergi.registry.rules import add_years
from sinergi.territory.models import RT, RW, Region

SECTION_TITLES = {
    LMK: [],
    FKDM: ["Bidang Ideologi dan Politik", "Bidang Sosial Budaya", "Bidang Pertahanan dan Keamanan"],
    PKK: ["Pokja I", "Pokja II", "Pokja III", "Pokja IV"],
    KARANG_TARUNA: ["Bidang Pendidikan dan Pelatihan", "Bidang Olahraga dan Kesenian", "Bidang Usaha Ekonomi"],
}
AREA_NAMES = {LMK: "LMK", FKDM: "FKDM", PKK: "TP PKK", KARANG_TARUNA: "Karang Taruna"}


R = Officer.Position

# --- RT and RW ---------------------------------------------------------------------------------


def rt_rw(run: Run, villages: list[Region]) -> None:
    """An RT organisation for every RT unit and an RW organisation for every RW, with their boards."""
    rt_kind, rw_kind = run.kinds[RT_KIND], run.kinds[RW_KIND]
    have_rt = set(Organisation.objects.filter(kind=rt_kind, rt__isnull=False).values_list("rt_id", flat=True))
    have_rw = set(
        Organisation.objects.filter(kind=rw_kind, rw__isnull=False, rt__isnull=True).values_list("rw_id", flat=True)
    )
    by_village: dict[int, list[tuple[int, int]]] = {}
    for rw_id, village_id, number in RW.objects.filter(kelurahan__in=villages).values_list(
        "id", "kelurahan_id", "number"
    ):
        by_village.setdefault(village_id, []).append((rw_id, number))
    rts: dict[int, list[tuple[int, int]]] = {}
    for rt_id, rw_id, number in RT.objects.filter(rw__kelurahan__in=villages).values_list("id", "rw_id", "number"):
        rts.setdefault(rw_id, []).append((rt_id, number))
    for village in villages:
        issuer = f"Lurah {village.name}"
        for rw_id, rw_number in sorted(by_village.get(village.pk, []), key=lambda r: r[1]):
            rng = random.Random(f"{SEED}:rw:{village.code}:{rw_number}")
            # One SK of the Lurah for the RW's board and one for all its RT: their terms run together.
            rw_term = term_for(rng, run.today, rw_kind.term_years, ENDING_THIS_YEAR)
            rt_term = term_for(rng, run.today, rt_kind.term_years, ENDING_THIS_YEAR)
            rt_sk = sk_for(rng, rt_term[0], issuer)
            label = f"RW {rw_number:03d} {village.display_name}"
            if rw_id not in have_rw:
                org = neighbourhood(run, rng, rw_kind, label, village, rw_id, None, rw_term[0])
                board(run, rng, org, village, rw_term, sk_for(rng, rw_term[0], issuer), None)
            for rt_id, rt_number in sorted(rts.get(rw_id, []), key=lambda r: r[1]):
                if rt_id in have_rt:
                    continue
                name = f"RT {rt_number:03d}/RW {rw_number:03d} {village.display_name}"
                org = neighbourhood(run, rng, rt_kind, name, village, rw_id, rt_id, rt_term[0])
                chair = RT_CHAIR_NAME if (village.code, rw_number, rt_number) == (PASAR_BARU, 1, 1) else ""
                board(run, rng, org, village, rt_term, rt_sk, rt_id, chair=chair)
            run.flush(force=False)


def neighbourhood(
    run: Run,
    rng: random.Random,
    kind: OrganisationKind,
    name: str,
    village: Region,
    rw_id: int,
    rt_id: int | None,
    term_start: datetime.date,
) -> Organisation:
    lat, lng = jitter(rng, village)
    org = Organisation(
        kind=kind,
        name=name,
        region=village,
        rw_id=rw_id,
        rt_id=rt_id,
        phone=phone(rng) if rng.random() < 0.6 else "",
        address=f"Jl. {rng.choice(STREETS)} No. {rng.randint(1, 120)}, {name}",
        latitude=lat,
        longitude=lng,
        member_count=rng.randint(30, 150) if rt_id else rng.randint(300, 1500),
        status_since=add_years(term_start, -kind.term_years),  # active at least since the term before
    )
    run.batch.organisations.append(org)
    pool = "neighbourhood"
    place = f"Pos {name.split(' Kelurahan')[0].split(' Desa')[0]}"
    share, days = (0.15, 90) if rt_id else (0.3, 120)
    if rng.random() < share:
        run.reports(org, rng, pool, place, rng.randint(1, 2), days)
    if village.code.startswith(f"{SEED_002_DISTRICT}.") and not rt_id:
        seed_002_report(run, org)
    return org


def board(
    run: Run,
    rng: random.Random,
    org: Organisation,
    village: Region,
    term: tuple[datetime.date, datetime.date],
    sk: tuple[str, datetime.date, str],
    rt_id: int | None,
    *,
    chair: str = "",
) -> None:
    """Ketua, sekretaris and bendahara; a few chairs also served the term before."""
    years = org.kind.term_years
    for position, women in ((R.CHAIR, 0.2), (R.SECRETARY, 0.45), (R.TREASURER, 0.6)):
        sex = Person.Sex.MALE if chair and position == R.CHAIR else sex_for(rng, women)
        person = run.people.person(
            rng,
            home=village,
            rt_id=rt_id,
            sex=sex,
            full_name=chair if position == R.CHAIR else "",
        )
        run.appoint(org, person, position, term, sk, rng)
        if position == R.CHAIR and rng.random() < 0.06:
            before = (add_years(term[0], -years), term[0] - datetime.timedelta(days=1))
            earlier = Officer(
                organisation=org,
                person=person,
                position=position,
                term_start=before[0],
                term_end=before[1],
                sk_number=f"{rng.randint(1, 400)} Tahun {before[0].year}",
                sk_date=before[0] - datetime.timedelta(days=7),
                sk_issuer=sk[2],
                no_party_statement=True,
            )
            run.batch.officers.append(earlier)


# --- lembaga of kelurahan, kecamatan and kota --------------------------------------------------


def area_lembaga(run: Run, regions: list[Region]) -> None:
    """LMK, FKDM, PKK and Karang Taruna in every kelurahan; FKDM, PKK and Karang Taruna in every kecamatan and kota."""
    kinds = [run.kinds[code] for code in VILLAGE_KINDS]
    have = set(Organisation.objects.filter(kind__in=kinds).values_list("kind_id", "region_id"))
    mayors = {city.code: head_of(city) for city in Region.objects.filter(level=Region.Level.CITY)}
    for region in regions:
        if region.level == Region.Level.VILLAGE:
            codes: tuple[str, ...] = VILLAGE_KINDS
        elif region.level in (Region.Level.DISTRICT, Region.Level.CITY):
            codes = AREA_KINDS
        else:
            continue
        for code in codes:
            kind = run.kinds[code]
            if (kind.pk, region.pk) in have:
                continue
            rng = random.Random(f"{SEED}:{code}:{region.code}")
            name = f"{AREA_NAMES[code]} {region.display_name}"
            lat, lng = jitter(rng, region)
            term = term_for(rng, run.today, kind.term_years, ENDING_THIS_YEAR)
            org = Organisation(
                kind=kind,
                name=name,
                region=region,
                phone=phone(rng),
                address=f"Kantor {region.display_name}",
                latitude=lat,
                longitude=lng,
                member_count=rng.randint(15, 60),
                status_since=add_years(term[0], -kind.term_years),
            )
            run.batch.organisations.append(org)
            # LMK members are appointed by the Wali Kota (Perda DKI 5/2010), the others by the head of the area.
            issuer = mayors.get(region.code[:5], "") if code == LMK else head_of(region)
            sk = sk_for(rng, term[0], issuer)
            women = 0.95 if code == PKK else 0.35
            ages = (18, 30) if code == KARANG_TARUNA else (30, 68)
            posts: list[tuple[str, str]] = [(R.CHAIR, ""), (R.VICE_CHAIR, ""), (R.SECRETARY, ""), (R.TREASURER, "")]
            titles = SECTION_TITLES[code]
            if titles:
                posts += [(R.SECTION, title) for title in rng.sample(titles, 2)]
            else:  # LMK: members beside the board
                posts += [(R.MEMBER, "")] * 3
            for position, title in posts:
                person = run.people.person(
                    rng,
                    home=run.home(rng, region),
                    sex=sex_for(rng, women),
                    ages=ages,
                )
                run.appoint(org, person, position, term, sk, rng, title=title)
            pool = PKK if code == PKK else "area"
            if rng.random() < 0.6:
                run.reports(org, rng, pool, f"Aula {region.display_name}", rng.randint(1, 3), 150)
            if region.code == SEED_002_DISTRICT or region.code.startswith(f"{SEED_002_DISTRICT}."):
                seed_002_report(run, org)
        run.flush(force=False)


def head_of(region: Region) -> str:
    """Who signs the SK of an area's lembaga: the Lurah, the Camat, the Wali Kota or the Bupati."""
    if region.level == Region.Level.CITY:
        head = "Bupati" if region.name.startswith("Kabupaten") else "Wali"
        return f"{head} {region.name}"
    titles: dict[str, str] = {Region.Level.VILLAGE: "Lurah", Region.Level.DISTRICT: "Camat"}
    title = titles.get(region.level, "Gubernur")
    return f"{title} {region.name}"


def seed_002_report(run: Run, org: Organisation) -> None:
    run.report(
        org,
        SEED_002_DATE,
        ActivityReport.Kind.TRAINING,
        "Peningkatan Kapasitas Lembaga Kemasyarakatan menjelang Pemilu 2024",
        "Aula Kantor Kecamatan Sawah Besar",
        participants=2,
    )
