"""A small hand-made data set in Kecamatan Gambir for the indicators, rounds and dashboards.

Kelurahan Gambir has two RT organisations: RT 001 has a chair in office, a valid document, an
activity report in the period and a delegate who checked in at the event; RT 002 has no officer,
an expired document, no report and no delegate. Kelurahan Cideng has one RT whose chair's term ran
out before the end of the period, without report or delegate. The period is the first half of 2026.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from conftest import Territory, Units
from sinergi.accounts.models import Role, User
from sinergi.announcements.models import Announcement, Delivery
from sinergi.cases.models import Case, Category
from sinergi.earlywarning.models import Report
from sinergi.evaluation import services
from sinergi.evaluation.models import Round
from sinergi.events.models import CheckIn, Event, EventDay, Invitation, Participant
from sinergi.registry.models import ActivityReport, Document, Officer, Organisation, OrganisationKind, Person
from sinergi.registry.tests import conftest as registry_conftest
from sinergi.registry.tests.conftest import make_nik, make_person, make_representative, rt_of

# The register's fixtures this app's tests use.
kinds = registry_conftest.kinds
media_root = registry_conftest.media_root

START = datetime.date(2026, 1, 1)
END = datetime.date(2026, 6, 30)
ALL = {code: Decimal(10) for code in services.indicators.REGISTRY}


@dataclass
class Small:
    rt1: Organisation
    rt2: Organisation
    cideng: Organisation
    event: Event
    chair: User  # Ketua RT 001/RW 001 Gambir


def _rt(kinds: dict[str, OrganisationKind], kelurahan: Any, rw: int, rt: int) -> Organisation:
    unit = rt_of(kelurahan, rw, rt)
    return Organisation.objects.create(
        kind=kinds["rt"], name=f"RT {rt:03d}/RW {rw:03d}", region=kelurahan, rw=unit.rw, rt=unit
    )


def make_document(organisation: Organisation, valid_until: datetime.date) -> Document:
    import uuid

    return Document.objects.create(
        uuid=uuid.uuid4(),
        organisation=organisation,
        type=Document.Type.BOARD_DECREE,
        valid_until=valid_until,
        file="registry/x.pdf",
        uploaded_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
    )


@pytest.fixture
def small(territory: Territory, units: Units, kinds: dict[str, OrganisationKind], kesbangpol_admin: User) -> Small:
    rt1 = _rt(kinds, territory.kel_gambir, 1, 1)
    rt2 = _rt(kinds, territory.kel_gambir, 1, 2)
    cideng = _rt(kinds, territory.kel_cideng, 1, 1)
    Officer.objects.create(
        person=make_person("Budi Ketua", make_nik(serial=11), territory.kel_gambir),
        organisation=rt1,
        position=Officer.Position.CHAIR,
        term_start=datetime.date(2023, 1, 1),
        term_end=datetime.date(2028, 1, 1),
    )
    Officer.objects.create(
        person=make_person("Citra Ketua", make_nik(serial=12), territory.kel_cideng),
        organisation=cideng,
        position=Officer.Position.CHAIR,
        term_start=datetime.date(2021, 1, 1),
        term_end=datetime.date(2026, 3, 1),
    )
    make_document(rt1, datetime.date(2027, 1, 1))
    make_document(rt2, datetime.date(2026, 2, 1))
    ActivityReport.objects.create(
        organisation=rt1,
        held_on=datetime.date(2026, 3, 5),
        kind="kerja_bakti",
        title="Kerja bakti",
        place="RW 1",
        participants=20,
    )
    ActivityReport.objects.create(  # before the period: does not count
        organisation=cideng,
        held_on=datetime.date(2025, 12, 5),
        kind="meeting",
        title="Rapat",
        place="Pos RW",
        participants=8,
    )
    event = Event.objects.create(
        kind=Event.Kind.COACHING,
        unit=units.kec_gambir,
        region=territory.gambir,
        title="Pembinaan RT/RW",
        venue="Kantor Kecamatan",
        status=Event.Status.FINISHED,
        created_by=kesbangpol_admin,
    )
    day = EventDay.objects.create(
        event=event, date=datetime.date(2026, 4, 10), starts_at=datetime.time(9), ends_at=datetime.time(12)
    )
    invitations = {
        org.pk: Invitation.objects.create(event=event, organisation=org, addressee=f"Ketua {org}")
        for org in (rt1, rt2, cideng)
    }
    for n, org in enumerate((rt1, rt1, rt1, rt2), start=1):
        participant = Participant.objects.create(
            event=event,
            invitation=invitations[org.pk],
            organisation=org,
            full_name=f"Delegasi {n}",
            identity=f"name:delegasi {n}|org:{org.pk}",
            source=Participant.Source.INVITATION,
        )
        if org == rt1:
            CheckIn.objects.create(participant=participant, day=day, method=CheckIn.Method.SEARCH)
    chair = make_representative("ketua.rt1.gambir", "Slamet Ketua RT", rt1)
    return Small(rt1, rt2, cideng, event, chair)


def make_round(
    by: User,
    region: Any,
    kind: str = Round.SubjectKind.KELURAHAN,
    computed: dict[str, Decimal] | None = None,
    manual: list[services.ManualIndicator] | None = None,
    start: datetime.date = START,
    end: datetime.date = END,
    organisation_kind: OrganisationKind | None = None,
    title: str = "Evaluasi Kelurahan Semester I 2026",
) -> Round:
    return services.round_create(
        by=by,
        title=title,
        region=region,
        subject_kind=kind,
        period_start=start,
        period_end=end,
        computed=ALL if computed is None else computed,
        manual=manual or [],
        organisation_kind=organisation_kind,
    )


def finished_round(by: User, region: Any, **kwargs: Any) -> Round:
    round_ = make_round(by, region, **kwargs)
    services.round_compute(round_id=round_.pk)
    round_.refresh_from_db()
    return services.round_finish(round_=round_, by=by)


@pytest.fixture
def activity(small: Small, territory: Territory, units: Units, kesbangpol_admin: User) -> Small:
    """Cases (four in Gambir, one in Cideng) and an announcement reaching the three RT."""
    Person.objects.filter(full_name="Budi Ketua").update(phone="081299887766", email="budi.ketua@example.id")
    flood = Category.objects.create(name="Banjir", unit_kind="village_office", sla_days=7)
    rubbish = Category.objects.create(name="Sampah", unit_kind="village_office", sla_days=7)
    created = timezone.make_aware(datetime.datetime(2026, 3, 2, 9))
    for n in range(5):
        kelurahan = territory.kel_cideng if n == 4 else territory.kel_gambir
        Case.objects.create(
            number=f"ASP-2026-{n:05d}",
            category=rubbish if n == 4 else flood,
            description=f"Rumah Ibu Siti Pelapor tergenang {n}",
            region=kelurahan,
            region_code=kelurahan.code,
            current_unit=units.kel_gambir,
            reporter_name_enc="Siti Pelapor",
            reporter_phone_enc="081311112222",
            status=Case.Status.DONE if n < 3 else Case.Status.WAITING,
            created_at=created,
            due_on=datetime.date(2026, 3, 11),
            closed_at=created + datetime.timedelta(days=2 if n < 2 else 20) if n < 3 else None,
            rating=5 if n < 3 else None,
        )
    announcement = Announcement.objects.create(
        unit=units.jakpus,
        title="Sensus Ekonomi",
        body="<p>BPS</p>",
        category=Announcement.Category.CENSUS,
        audience={},
        status=Announcement.Status.SENT,
        sent_at=created,
        created_by=kesbangpol_admin,
        relay_required=True,
        relay_due=datetime.date(2026, 3, 16),
    )
    for org, reached in ((small.rt1, 40), (small.rt2, 0), (small.cideng, 0)):
        Delivery.objects.create(
            announcement=announcement,
            organisation=org,
            area_code=org.region.code,
            kind_code="rt",
            read_at=created if reached else None,
            acknowledged_at=created if reached else None,
            relayed_at=created if reached else None,
            residents_reached=reached,
        )
    return small


@pytest.fixture
def fkdm(small: Small, territory: Territory, kinds: dict[str, OrganisationKind]) -> Organisation:
    """FKDM Kelurahan Gambir with two members: one reported on 3 of the first 10 days of 2026
    (twice on one of them), the other never."""
    forum = Organisation.objects.create(kind=kinds["fkdm"], name="FKDM Kelurahan Gambir", region=territory.kel_gambir)
    reporter = make_representative("fkdm.anto", "Anto FKDM", forum)
    Role.objects.filter(user=reporter).update(kind=Role.Kind.FKDM_MEMBER)
    silent = make_representative("fkdm.budi", "Budi FKDM", forum)
    Role.objects.filter(user=silent).update(kind=Role.Kind.FKDM_MEMBER)
    for day, kind in ((2, Report.Kind.NIHIL), (2, Report.Kind.REPORT), (5, Report.Kind.NIHIL), (9, Report.Kind.NIHIL)):
        Report.objects.create(
            reporter=reporter,
            organisation=forum,
            for_date=datetime.date(2026, 1, day),
            kind=kind,
            **({} if kind == Report.Kind.NIHIL else {"athg": "gangguan", "domain": "sosbud", "severity": 1}),
            kelurahan=territory.kel_gambir,
            area_code=territory.kel_gambir.code,
        )
    return forum
