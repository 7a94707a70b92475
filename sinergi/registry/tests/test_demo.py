"""The demo register, generated for Kecamatan Sawah Besar of the test territory: its shape, its NIKs,
its audit trail, and that running it again makes nothing."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from conftest import Territory
from sinergi.accounts.demo import DEMO_PASSWORD
from sinergi.accounts.models import Role, User
from sinergi.audit.models import AuditEvent
from sinergi.core.context import acting_as
from sinergi.registry import demo
from sinergi.registry import nik as nik_tools
from sinergi.registry.models import (
    ActivityReport,
    CoachingNote,
    Document,
    Officer,
    Organisation,
    OrmasProfile,
    Person,
    Sanction,
)
from sinergi.territory.models import RT, RW, Region

SAWAH_BESAR = "31.71.02"
ORMAS_COUNT = 40


def seed() -> dict[str, Any]:
    with acting_as(None, channel="system"):
        return demo.seed(within=SAWAH_BESAR, ormas_count=ORMAS_COUNT)


@pytest.fixture
def seeded(territory: Territory, kesbangpol_admin: User) -> dict[str, Any]:
    return seed()


def by_kind(code: str) -> Any:
    return Organisation.objects.filter(kind__code=code)


def test_it_makes_one_rt_organisation_per_rt_unit_and_one_rw_organisation_per_rw(seeded: dict[str, Any]) -> None:
    rts = RT.objects.filter(rw__kelurahan__code__startswith=f"{SAWAH_BESAR}.")
    assert sorted(by_kind("rt").values_list("rt_id", flat=True)) == sorted(rts.values_list("pk", flat=True))
    assert by_kind("rt").count() == 2
    rws = RW.objects.filter(kelurahan__code__startswith=f"{SAWAH_BESAR}.")
    assert sorted(by_kind("rw").values_list("rw_id", flat=True)) == sorted(rws.values_list("pk", flat=True))
    rt = by_kind("rt").select_related("region", "rw", "rt").get(rt__number=1)
    assert rt.name == "RT 001/RW 001 Kelurahan Pasar Baru"
    assert rt.region.code == "31.71.02.1001"
    assert rt.rt is not None
    assert rt.rw is not None
    assert rt.rt.rw_id == rt.rw.pk


def test_it_gives_every_kelurahan_and_the_kecamatan_their_lembaga(seeded: dict[str, Any]) -> None:
    places = Counter(
        Organisation.objects.filter(kind__code__in=["lmk", "fkdm", "pkk", "karang_taruna"]).values_list(
            "kind__code", "region__code"
        )
    )
    expected = {
        (kind, code): 1
        for code in ["31.71.02.1001", "31.71.02.1002"]
        for kind in ["lmk", "fkdm", "pkk", "karang_taruna"]
    }
    expected |= {(kind, SAWAH_BESAR): 1 for kind in ["fkdm", "pkk", "karang_taruna"]}
    assert places == expected
    assert by_kind("lmk").get(region__code="31.71.02.1002").name == "LMK Kelurahan Karang Anyar"


def test_every_board_has_a_chair_secretary_and_treasurer_in_a_current_term(seeded: dict[str, Any]) -> None:
    today = timezone.localdate()
    for org in Organisation.objects.prefetch_related("officers"):
        current = [o for o in org.officers.all() if o.term_start <= today <= o.term_end]
        assert {o.position for o in current} >= {"ketua", "sekretaris", "bendahara"}, org
        for officer in current:
            assert officer.sk_number
            assert officer.sk_date
            assert officer.sk_issuer
            assert officer.sk_date < officer.term_start
    rt_officer = Officer.objects.filter(organisation__kind__code="rt").first()
    assert rt_officer is not None
    assert rt_officer.sk_issuer == "Lurah Pasar Baru"


def test_officers_have_valid_niks_from_the_kecamatan_they_live_in(seeded: dict[str, Any]) -> None:
    persons = Person.objects.filter(posts__isnull=False).select_related("region").distinct()
    assert persons.count() > 50
    for person in persons:
        nik = nik_tools.decrypt_nik(person.nik_encrypted)
        info = nik_tools.validate_nik(nik)  # against the loaded regions
        assert person.region is not None
        assert person.region.level == Region.Level.VILLAGE
        assert person.region.code.startswith(f"{info.district_code}.")
        assert (info.sex, info.birth_date) == (person.sex, person.birth_date)
        assert person.nik_hash == nik_tools.nik_hash(nik)
        assert person.nik_masked == nik_tools.mask_nik(nik)
    assert Person.objects.values("nik_hash").distinct().count() == Person.objects.count()


def test_no_one_holds_two_current_posts(seeded: dict[str, Any]) -> None:
    today = timezone.localdate()
    current = Officer.objects.filter(term_start__lte=today, term_end__gte=today, ended_on__isnull=True)
    holders = Counter(current.values_list("person_id", flat=True))
    assert max(holders.values()) == 1


def test_running_it_again_makes_nothing(seeded: dict[str, Any]) -> None:
    models = [Organisation, OrmasProfile, Person, Officer, ActivityReport, CoachingNote, Document, Sanction, User]
    before = {model: model.objects.count() for model in models}
    events = AuditEvent.objects.count()
    assert seed() == {}
    assert {model: model.objects.count() for model in models} == before
    assert AuditEvent.objects.count() == events


def test_it_writes_one_audit_event_per_kind_of_bulk_creation(seeded: dict[str, Any]) -> None:
    events = AuditEvent.objects.filter(action__endswith=".bulk_create")
    kinds = Counter((e.action, e.changes["kind"]) for e in events)
    assert set(kinds.values()) == {1}
    organisations = {kind: n for (action, kind), n in kinds.items() if action == "registry.organisation.bulk_create"}
    assert set(organisations) == {"rt", "rw", "lmk", "fkdm", "pkk", "karang_taruna", "ormas"}
    persons = events.get(action="registry.person.bulk_create")
    assert persons.actor is None
    assert persons.channel == "system"
    assert persons.changes["count"] == Person.objects.count()
    assert persons.region_code == SAWAH_BESAR


def test_it_makes_the_ormas_of_seed_001_with_legal_records_and_the_meeting(seeded: dict[str, Any]) -> None:
    names = [name for name, _place, _field in demo.SEED_001_ORMAS]
    ormas = by_kind("ormas").filter(name__in=names).select_related("region", "ormas")
    assert ormas.count() == 10
    for org in ormas:
        assert org.name.startswith("Demo ")
        assert org.region.code == "31.71"
        assert org.ormas.registration_number
        assert org.activity_reports.filter(held_on=demo.core.SEED_001_DATE).exists()
        assert org.documents.exists()
    assert by_kind("ormas").count() == ORMAS_COUNT
    names = by_kind("ormas").values_list("name", flat=True)
    assert all(name.startswith(("Demo ", "DPD Demo ", "DPC Demo ")) for name in names)


def test_branches_point_at_their_parent_board(seeded: dict[str, Any]) -> None:
    profiles = OrmasProfile.objects.select_related("organisation__parent__ormas")
    levels = Counter(p.board_level for p in profiles)
    assert levels["dpp"] >= 1
    assert levels["dpd"] == levels["dpp"]
    assert levels["dpc"] >= 1
    for profile in profiles:
        parent = profile.organisation.parent
        if profile.board_level == "dpd":
            assert parent is not None
            assert parent.ormas.board_level == "dpp"
        elif profile.board_level == "dpc":
            assert parent is not None
            assert parent.ormas.board_level == "dpd"
        else:
            assert parent is None


def test_skt_expires_five_years_after_issue(seeded: dict[str, Any]) -> None:
    skts = OrmasProfile.objects.filter(legal_form="skt")
    assert skts.exists()
    for profile in skts:
        assert profile.registration_issued_on is not None
        assert profile.registration_expires_on is not None
        assert (profile.registration_expires_on - profile.registration_issued_on).days in range(1824, 1828)
    assert not OrmasProfile.objects.exclude(legal_form="skt").filter(registration_expires_on__isnull=False).exists()


def test_it_walks_one_ormas_through_warning_stop_and_recommendation(seeded: dict[str, Any]) -> None:
    org = by_kind("ormas").get(name=demo.core.SANCTIONED_ORMAS[0])
    steps = list(org.sanctions.order_by("step").values_list("step", "outcome"))
    assert steps == [(1, "escalated"), (2, "escalated"), (3, "open")]
    assert org.status == Organisation.Status.SUSPENDED
    actions = AuditEvent.objects.filter(object_type="registry.sanction").values_list("action", flat=True)
    assert list(actions) == ["registry.sanction.issue"] * 3
    assert seeded["sanction path"] == 1


def test_documents_are_small_pdfs_in_the_storage(seeded: dict[str, Any]) -> None:
    documents = Document.objects.all()
    assert documents.exists()
    for document in documents:
        with default_storage.open(document.file.name) as f:
            content = f.read()
        assert content.startswith(b"%PDF-1.4")
        assert content.rstrip().endswith(b"%%EOF")
        assert document.size == len(content)


def test_it_makes_the_representative_accounts(seeded: dict[str, Any]) -> None:
    chair = User.objects.get(username="rt.pasarbaru")
    assert chair.check_password(DEMO_PASSWORD)
    role = chair.roles.get()
    assert role.kind == Role.Kind.ORG_REPRESENTATIVE
    assert role.organisation is not None
    assert role.organisation.name == "RT 001/RW 001 Kelurahan Pasar Baru"
    assert role.organisation.officers.get(position="ketua").person.full_name == chair.full_name
    secretary = User.objects.get(username="ormas.demo")
    org = secretary.roles.get().organisation
    assert org is not None
    assert org.name == demo.SEED_001_ORMAS[0][0]
    assert org.officers.get(position="sekretaris").person.full_name == secretary.full_name
    assert [login.username for login in demo.DEMO_LOGINS] == ["rt.pasarbaru", "ormas.demo"]


def test_the_plan_of_ormas_is_the_same_every_time(seeded: dict[str, Any]) -> None:
    region = Region.objects.get(code=SAWAH_BESAR)
    assert demo.ormas.ormas_plans(region, ORMAS_COUNT) == demo.ormas.ormas_plans(region, ORMAS_COUNT)


def test_terms_end_within_their_kind_s_term_length(seeded: dict[str, Any]) -> None:
    for officer in Officer.objects.select_related("organisation__kind"):
        years = officer.organisation.kind.term_years
        assert officer.term_end == demo.core.add_years(officer.term_start, years) - datetime.timedelta(days=1)
