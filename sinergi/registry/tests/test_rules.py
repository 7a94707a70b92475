"""The officer rules of Permendagri 18/2018 and Pergub DKI 22/2022, each warned or refused as the
organisation kind says; term lengths per kind; where organisations sit; the sanction order."""

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError

from sinergi.accounts.models import User
from sinergi.audit.models import AuditEvent
from sinergi.registry import rules, services
from sinergi.registry.models import Officer, Organisation, OrganisationKind, Person, RuleMode

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

D = datetime.date


def appoint(
    by: User, org: Organisation, person: Person, start: D, *, position: str = "ketua", **extra
) -> tuple[Officer, list[str]]:
    extra.setdefault("no_party_statement", True)
    return services.officer_appoint(
        by=by, organisation=org, person=person, position=position, term_start=start, **extra
    )


def set_rule(kind: OrganisationKind, **modes: str) -> None:
    for name, mode in modes.items():
        setattr(kind, name, mode)
    kind.save()


# The kinds as the migration loads them -------------------------------------------------------------------


def test_the_kinds_carry_the_laws_terms(kinds: dict[str, OrganisationKind]) -> None:
    assert {code: (k.term_years, k.max_terms) for code, k in kinds.items() if code in {"rt", "rw", "lmk"}} == {
        "rt": (5, 2),
        "rw": (5, 2),
        "lmk": (3, 2),
    }
    assert kinds["rt"].placements == ["rt"]
    assert kinds["rw"].placements == ["rw"]
    assert kinds["lmk"].placements == ["village"]
    assert set(kinds["fkdm"].placements) >= {"village", "district", "city"}
    assert kinds["ormas"].is_ormas
    assert not kinds["ormas"].is_lembaga
    assert kinds["ormas"].activity_report_days == 180
    assert {"pkk", "karang_taruna", "posyandu", "lpm"} <= set(kinds)


def test_an_lmk_term_is_three_years(lurah_operator: User, kinds, territory, person_factory) -> None:
    lmk = Organisation.objects.create(kind=kinds["lmk"], name="LMK Gambir", region=territory.kel_gambir)

    officer, _ = appoint(lurah_operator, lmk, person_factory("Budi"), D(2025, 1, 1))

    assert officer.term_end == D(2027, 12, 31)


# Third term ------------------------------------------------------------------------------------------------


def two_terms(by: User, org: Organisation, person: Person) -> None:
    appoint(by, org, person, D(2015, 1, 1))
    appoint(by, org, person, D(2020, 1, 1))


def test_a_third_consecutive_term_as_rt_chair_is_refused(lurah_operator: User, rt_org, person_factory) -> None:
    person = person_factory("Budi")
    two_terms(lurah_operator, rt_org, person)

    with pytest.raises(ValidationError) as caught:
        appoint(lurah_operator, rt_org, person, D(2025, 1, 1))

    assert "term 3 in a row" in caught.value.messages[0]
    assert rt_org.officers.count() == 2
    assert AuditEvent.objects.filter(action="registry.officer.appoint").count() == 2


def test_a_third_term_is_only_a_warning_where_the_kind_says_so(
    lurah_operator: User, kinds, rt_org, person_factory
) -> None:
    set_rule(kinds["rt"], third_term_rule=RuleMode.WARN)
    rt_org.kind.refresh_from_db()
    person = person_factory("Budi")
    two_terms(lurah_operator, rt_org, person)

    officer, warnings = appoint(lurah_operator, rt_org, person, D(2025, 1, 1))

    assert len(warnings) == 1
    assert "term 3 in a row" in warnings[0]
    event = AuditEvent.objects.get(action="registry.officer.appoint", object_id=str(officer.pk))
    assert event.changes["warnings"] == [None, warnings]


def test_a_term_limit_counts_only_an_unbroken_row(lurah_operator: User, rt_org, person_factory) -> None:
    budi, siti = person_factory("Budi"), person_factory("Siti", serial=2)
    appoint(lurah_operator, rt_org, budi, D(2010, 1, 1))
    appoint(lurah_operator, rt_org, siti, D(2015, 1, 1))  # someone else in between
    appoint(lurah_operator, rt_org, budi, D(2020, 1, 1))

    _, warnings = appoint(lurah_operator, rt_org, budi, D(2025, 1, 1))

    assert warnings == []


def test_a_long_gap_in_the_records_breaks_the_row(lurah_operator: User, rt_org, person_factory) -> None:
    budi = person_factory("Budi")
    appoint(lurah_operator, rt_org, budi, D(2005, 1, 1))
    appoint(lurah_operator, rt_org, budi, D(2015, 1, 1))  # 2010-2015 not recorded

    appoint(lurah_operator, rt_org, budi, D(2020, 1, 1))


def test_an_acting_chair_in_between_does_not_break_the_row(lurah_operator: User, rt_org, person_factory) -> None:
    budi, plt = person_factory("Budi"), person_factory("Plt", serial=2)
    appoint(lurah_operator, rt_org, budi, D(2015, 1, 1), term_end=D(2019, 12, 31))
    appoint(lurah_operator, rt_org, plt, D(2020, 1, 1), term_end=D(2020, 3, 31), is_acting=True)
    appoint(lurah_operator, rt_org, budi, D(2020, 4, 1))

    with pytest.raises(ValidationError):
        appoint(lurah_operator, rt_org, budi, D(2025, 4, 1))


def test_an_lmk_allows_two_terms_of_three_years(lurah_operator: User, kinds, territory, person_factory) -> None:
    lmk = Organisation.objects.create(kind=kinds["lmk"], name="LMK Gambir", region=territory.kel_gambir)
    budi = person_factory("Budi")
    appoint(lurah_operator, lmk, budi, D(2019, 1, 1))
    appoint(lurah_operator, lmk, budi, D(2022, 1, 1))

    with pytest.raises(ValidationError):
        appoint(lurah_operator, lmk, budi, D(2025, 1, 1))


def test_the_term_limit_follows_the_kinds_setting(lurah_operator: User, kinds, rt_org, person_factory) -> None:
    set_rule(kinds["rt"], max_terms=3)
    rt_org.kind.refresh_from_db()
    budi = person_factory("Budi")
    two_terms(lurah_operator, rt_org, budi)

    _, warnings = appoint(lurah_operator, rt_org, budi, D(2025, 1, 1))

    assert warnings == []


def test_members_are_not_limited_in_terms(lurah_operator: User, rt_org, person_factory) -> None:
    budi = person_factory("Budi")
    for year in (2010, 2015, 2020, 2025):
        appoint(lurah_operator, rt_org, budi, D(year, 1, 1), position="anggota")

    assert rt_org.officers.count() == 4


# Double post -------------------------------------------------------------------------------------------------


def test_posts_in_two_lembaga_at_once_are_refused(
    lurah_operator: User, rt_org, other_rt_org, rw_org, person_factory
) -> None:
    budi = person_factory("Budi")
    appoint(lurah_operator, rw_org, budi, D(2024, 1, 1), position="sekretaris")

    for org in (rt_org, other_rt_org):
        with pytest.raises(ValidationError) as caught:
            appoint(lurah_operator, org, budi, D(2025, 1, 1))
        assert "RW 001" in caught.value.messages[0]


def test_a_post_left_before_the_new_term_is_no_double_post(
    lurah_operator: User, rt_org, rw_org, person_factory
) -> None:
    budi = person_factory("Budi")
    old, _ = appoint(lurah_operator, rw_org, budi, D(2020, 1, 1), position="sekretaris")
    services.officer_end(by=lurah_operator, officer=old, ended_on=D(2025, 1, 1), reason="resignation")

    _, warnings = appoint(lurah_operator, rt_org, budi, D(2025, 1, 1))

    assert warnings == []


def test_an_ormas_post_is_no_double_post(
    lurah_operator: User, city_admin: User, rt_org, ormas_org, person_factory
) -> None:
    budi = person_factory("Budi")
    appoint(city_admin, ormas_org, budi, D(2024, 1, 1))

    _, warnings = appoint(lurah_operator, rt_org, budi, D(2025, 1, 1))

    assert warnings == []


def test_a_double_post_is_a_warning_for_pkk(lurah_operator: User, kinds, territory, rt_org, person_factory) -> None:
    pkk = Organisation.objects.create(kind=kinds["pkk"], name="TP PKK Gambir", region=territory.kel_gambir)
    siti = person_factory("Siti", female=True)
    appoint(lurah_operator, rt_org, siti, D(2024, 1, 1), position="bendahara")

    _, warnings = appoint(lurah_operator, pkk, siti, D(2025, 1, 1), position="anggota")

    assert len(warnings) == 1
    assert "two lembaga" in warnings[0]


def test_a_double_post_warns_when_the_rt_kind_is_set_to_warn(
    lurah_operator: User, kinds, rt_org, other_rt_org, person_factory
) -> None:
    set_rule(kinds["rt"], double_post_rule=RuleMode.WARN)
    budi = person_factory("Budi")
    appoint(lurah_operator, other_rt_org, budi, D(2024, 1, 1))
    rt_org.kind.refresh_from_db()

    _, warnings = appoint(lurah_operator, rt_org, budi, D(2025, 1, 1))

    assert len(warnings) == 1


# No-party statement ---------------------------------------------------------------------------------------


def test_a_missing_no_party_statement_warns_for_an_rt(lurah_operator: User, rt_org, person_factory) -> None:
    officer, warnings = appoint(lurah_operator, rt_org, person_factory("Budi"), D(2025, 1, 1), no_party_statement=False)

    assert officer.pk
    assert len(warnings) == 1
    assert "political party" in warnings[0]


def test_a_missing_no_party_statement_is_refused_where_the_kind_says_so(
    lurah_operator: User, kinds, rt_org, person_factory
) -> None:
    set_rule(kinds["rt"], party_statement_rule=RuleMode.REFUSE)
    rt_org.kind.refresh_from_db()

    with pytest.raises(ValidationError) as caught:
        appoint(lurah_operator, rt_org, person_factory("Budi"), D(2025, 1, 1), no_party_statement=False)

    assert "political party" in caught.value.messages[0]


def test_an_ormas_officer_needs_no_party_statement(city_admin: User, ormas_org, person_factory) -> None:
    _, warnings = appoint(city_admin, ormas_org, person_factory("Budi"), D(2025, 1, 1), no_party_statement=False)

    assert warnings == []


# Overlapping terms in one post ---------------------------------------------------------------------------


def test_two_chairs_at_once_are_refused(lurah_operator: User, rt_org, person_factory) -> None:
    appoint(lurah_operator, rt_org, person_factory("Budi"), D(2022, 1, 1))

    with pytest.raises(ValidationError) as caught:
        appoint(lurah_operator, rt_org, person_factory("Siti", serial=2), D(2025, 1, 1))

    assert "already holds the post of Chair" in caught.value.messages[0]


def test_a_successor_may_start_the_day_the_predecessor_left(lurah_operator: User, rt_org, person_factory) -> None:
    old, _ = appoint(lurah_operator, rt_org, person_factory("Budi"), D(2022, 1, 1))
    services.officer_end(by=lurah_operator, officer=old, ended_on=D(2025, 1, 1), reason="death")

    _, warnings = appoint(lurah_operator, rt_org, person_factory("Siti", serial=2), D(2025, 1, 1))

    assert warnings == []


def test_many_members_serve_at_once(lurah_operator: User, rt_org, person_factory) -> None:
    for n in range(1, 4):
        appoint(lurah_operator, rt_org, person_factory(f"Anggota {n}", serial=n), D(2025, 1, 1), position="anggota")

    assert rt_org.officers.count() == 3


def test_overlap_is_a_warning_where_the_kind_says_so(lurah_operator: User, kinds, rt_org, person_factory) -> None:
    set_rule(kinds["rt"], overlap_rule=RuleMode.WARN)
    rt_org.kind.refresh_from_db()
    appoint(lurah_operator, rt_org, person_factory("Budi"), D(2022, 1, 1))

    _, warnings = appoint(lurah_operator, rt_org, person_factory("Siti", serial=2), D(2025, 1, 1))

    assert len(warnings) == 1


def test_rules_switched_off_are_not_checked(lurah_operator: User, kinds, rt_org, person_factory) -> None:
    set_rule(
        kinds["rt"],
        overlap_rule=RuleMode.OFF,
        party_statement_rule=RuleMode.OFF,
        third_term_rule=RuleMode.OFF,
        double_post_rule=RuleMode.OFF,
    )
    rt_org.kind.refresh_from_db()
    budi = person_factory("Budi")
    two_terms(lurah_operator, rt_org, budi)

    _, warnings = appoint(lurah_operator, rt_org, budi, D(2024, 1, 1), no_party_statement=False)

    assert warnings == []


# Term length -------------------------------------------------------------------------------------------


def test_a_term_longer_than_the_kinds_is_refused_for_a_lembaga(lurah_operator: User, rt_org, person_factory) -> None:
    with pytest.raises(ValidationError):
        appoint(lurah_operator, rt_org, person_factory("Budi"), D(2025, 1, 1), term_end=D(2031, 1, 1))


def test_a_term_longer_than_the_kinds_is_a_warning_for_an_ormas(city_admin: User, ormas_org, person_factory) -> None:
    _, warnings = appoint(city_admin, ormas_org, person_factory("Budi"), D(2025, 1, 1), term_end=D(2031, 1, 1))

    assert len(warnings) == 1


def test_a_term_ends_after_it_starts(lurah_operator: User, rt_org, person_factory) -> None:
    with pytest.raises(ValidationError):
        appoint(lurah_operator, rt_org, person_factory("Budi"), D(2025, 1, 1), term_end=D(2025, 1, 1))


@pytest.mark.parametrize(
    ("start", "years", "end"),
    [(D(2024, 3, 1), 5, D(2029, 2, 28)), (D(2024, 2, 29), 5, D(2029, 2, 27)), (D(2025, 1, 1), 3, D(2027, 12, 31))],
)
def test_a_full_term_ends_the_day_before_its_anniversary(start: D, years: int, end: D) -> None:
    assert rules.default_term_end(OrganisationKind(term_years=years), start) == end


# Placement ----------------------------------------------------------------------------------------------


def test_placement_follows_the_kind(kinds, territory) -> None:
    rw = territory.kel_gambir.rws.get(number=1)
    rt = rw.rts.get(number=1)

    assert rules.placement(kind=kinds["rt"], region=None, rw=None, rt=rt) == (territory.kel_gambir, rw, rt)
    assert rules.placement(kind=kinds["rw"], region=None, rw=rw, rt=None) == (territory.kel_gambir, rw, None)
    assert rules.placement(kind=kinds["posyandu"], region=None, rw=rw, rt=None)[1] == rw
    assert rules.placement(kind=kinds["fkdm"], region=territory.jakpus, rw=None, rt=None)[0] == territory.jakpus
    bad: list[Callable[[], object]] = [
        lambda: rules.placement(kind=kinds["rw"], region=None, rw=None, rt=rt),
        lambda: rules.placement(kind=kinds["rt"], region=None, rw=None, rt=None),
        lambda: rules.placement(kind=kinds["lmk"], region=None, rw=rw, rt=None),
        lambda: rules.placement(kind=kinds["lmk"], region=territory.jakpus, rw=None, rt=None),
        lambda: rules.placement(kind=kinds["rt"], region=None, rw=territory.kel_cideng.rws.get(), rt=rt),
    ]
    for call in bad:
        with pytest.raises(ValidationError):
            call()
