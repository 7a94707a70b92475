"""Search, filters, expiry lists and reporting duty, and a fixed number of queries however long the list."""

import datetime

import pytest
from django.core.paginator import Paginator
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.registry import selectors
from sinergi.registry.models import (
    ActivityReport,
    Document,
    Officer,
    Organisation,
    OrganisationKind,
    OrmasProfile,
    Person,
)
from sinergi.registry.tests.conftest import make_nik, make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def post(org: Organisation, person: Person, position: str = "ketua", **extra) -> Officer:
    values = {"term_start": TODAY - 400 * DAY, "term_end": TODAY + 1000 * DAY, **extra}
    return Officer.objects.create(organisation=org, person=person, position=position, **values)


def names(queryset) -> set[str]:
    return {org.name for org in queryset}


# Search -----------------------------------------------------------------------------------------------


@pytest.fixture
def registered(rt_org, other_rt_org, rw_org, ormas_org, person_factory) -> dict[str, Organisation]:
    OrmasProfile.objects.create(organisation=ormas_org, legal_form="skt", registration_number="AHU-0012345.AH.01.07")
    post(rt_org, person_factory("Slamet Riyadi"))
    post(other_rt_org, person_factory("Suparman", serial=2), ended_on=TODAY - DAY, end_reason="resignation")
    return {"rt": rt_org, "other_rt": other_rt_org, "rw": rw_org, "ormas": ormas_org}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("RT 001", {"RT 001/RW 001"}),
        ("peduli", {"Perkumpulan Warga Peduli Gambir"}),  # name, any case
        ("PWPG", {"Perkumpulan Warga Peduli Gambir"}),  # abbreviation
        ("0012345", {"Perkumpulan Warga Peduli Gambir"}),  # registration number
        ("slamet", {"RT 001/RW 001"}),  # a current officer's name
        ("Suparman", set()),  # a former officer
        (make_nik(), {"RT 001/RW 001"}),  # the exact NIK of a current officer
        (make_nik()[:8], set()),  # part of a NIK finds nothing
        ("3171011705809999", set()),  # a NIK nobody has
        ("  ", {"RT 001/RW 001", "RT 002/RW 001", "RW 001", "Perkumpulan Warga Peduli Gambir"}),
    ],
)
def test_search_matches_name_number_officer_and_exact_nik(
    kesbangpol_admin: User, registered, q: str, expected: set[str]
) -> None:
    assert names(selectors.organisation_list(user=kesbangpol_admin, q=q)) == expected


@pytest.mark.parametrize(
    ("q", "found"),
    [("slamet", True), ("SLAM", True), ("riyadi slamet", True), ("slamet riy", True), ("amet", False), ("%", False)],
)
def test_an_officer_is_found_by_the_beginnings_of_the_words_of_their_name(
    kesbangpol_admin: User, registered, q: str, found: bool
) -> None:
    assert (registered["rt"] in selectors.organisation_list(user=kesbangpol_admin, q=q)) == found


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("peduli", True),
        ("PEDULI GAM", True),  # words in order, the last one by its beginning
        ("warga peduli gambir", True),
        ("pwp", True),  # the abbreviation's beginning
        ("gambir peduli", False),  # not in that order
        ("eduli", False),  # not a word beginning
        ("warga gambir", False),  # not next to each other
        ("%", False),
    ],
)
def test_an_organisation_is_found_by_the_words_of_its_name_in_order(
    kesbangpol_admin: User, registered, q: str, found: bool
) -> None:
    assert (registered["ormas"] in selectors.organisation_list(user=kesbangpol_admin, q=q)) == found


def test_the_organisation_name_index_follows_renamed_and_deleted_organisations(
    kesbangpol_admin: User, registered
) -> None:
    ormas = registered["ormas"]
    Organisation.objects.filter(pk=ormas.pk).update(name="Laskar Merah Putih", abbreviation="LMP")
    assert names(selectors.organisation_list(user=kesbangpol_admin, q="peduli")) == set()
    assert names(selectors.organisation_list(user=kesbangpol_admin, q="merah put")) == {"Laskar Merah Putih"}
    assert names(selectors.organisation_list(user=kesbangpol_admin, q="lmp")) == {"Laskar Merah Putih"}

    Organisation.objects.filter(pk=ormas.pk).delete()
    assert names(selectors.organisation_list(user=kesbangpol_admin, q="laskar")) == set()


def test_the_name_index_follows_new_renamed_and_deleted_persons(kesbangpol_admin: User, territory) -> None:
    person = make_person("Joko Susilo", make_nik(serial=50), territory.kel_gambir)
    assert list(selectors.person_list(user=kesbangpol_admin, q="susi")) == [person]

    Person.objects.filter(pk=person.pk).update(full_name="Joko Widodo")
    assert list(selectors.person_list(user=kesbangpol_admin, q="susi")) == []
    assert list(selectors.person_list(user=kesbangpol_admin, q="wido")) == [person]

    person.delete()
    assert list(selectors.person_list(user=kesbangpol_admin, q="joko")) == []


def test_search_stays_inside_the_scope(outsider_operator: User, registered) -> None:
    assert names(selectors.organisation_list(user=outsider_operator, q="Slamet")) == set()
    assert names(selectors.organisation_list(user=outsider_operator, q=make_nik())) == set()


def test_an_organisation_with_several_matching_officers_is_listed_once(
    kesbangpol_admin: User, rt_org, person_factory
) -> None:
    post(rt_org, person_factory("Budi Santoso"), "ketua")
    post(rt_org, person_factory("Budi Hartono", serial=2), "anggota")

    assert list(selectors.organisation_list(user=kesbangpol_admin, q="budi")) == [rt_org]


# Filters ----------------------------------------------------------------------------------------------


def test_it_filters_by_kind_area_and_status(kesbangpol_admin: User, kinds, registered, outsider_rt_org) -> None:
    registered["rw"].status = Organisation.Status.INACTIVE
    registered["rw"].save()

    def listed(**filters) -> set[str]:
        return names(selectors.organisation_list(user=kesbangpol_admin, **filters))

    assert listed(kind="rt", region_code="31.71.01.1001") == {"RT 001/RW 001", "RT 002/RW 001"}
    assert listed(kind=kinds["ormas"]) == {"Perkumpulan Warga Peduli Gambir"}
    assert listed(region_code="31.71.02") == {outsider_rt_org.name}
    assert listed(region_code="31.71.0") == set()  # a code, not a prefix of text
    assert listed(status="inactive") == {"RW 001"}


def test_it_finds_what_expires_within_the_days_asked(kesbangpol_admin: User, registered, person_factory) -> None:
    ormas, rw = registered["ormas"], registered["rw"]
    OrmasProfile.objects.filter(organisation=ormas).update(registration_expires_on=TODAY + 20 * DAY)
    Document.objects.create(
        uuid="00000000-0000-0000-0000-000000000001", organisation=rw, type="other", valid_until=TODAY + 50 * DAY
    )
    post(registered["other_rt"], person_factory("Baru", serial=3), "bendahara", term_end=TODAY + 80 * DAY)

    def expiring(days: int) -> set[str]:
        return names(selectors.organisation_list(user=kesbangpol_admin, expiring_days=days))

    assert expiring(30) == {ormas.name}
    assert expiring(60) == {ormas.name, rw.name}
    assert expiring(90) == {ormas.name, rw.name, "RT 002/RW 001"}


def test_a_renewed_document_or_an_appointed_successor_is_not_expiring(
    kesbangpol_admin: User, rt_org, person_factory
) -> None:
    Document.objects.create(
        uuid="00000000-0000-0000-0000-000000000001", organisation=rt_org, type="skt", valid_until=TODAY + 10 * DAY
    )
    Document.objects.create(
        uuid="00000000-0000-0000-0000-000000000002", organisation=rt_org, type="skt", valid_until=TODAY + 1800 * DAY
    )
    post(rt_org, person_factory("Lama"), term_end=TODAY + 10 * DAY)
    post(rt_org, person_factory("Baru", serial=2), term_start=TODAY + 11 * DAY, term_end=TODAY + 1800 * DAY)

    assert list(selectors.organisation_list(user=kesbangpol_admin, expiring_days=30)) == []
    assert selectors.expiring(user=kesbangpol_admin, days=30) == []


@pytest.mark.parametrize(
    ("missing", "expected"),
    [
        ("chair", {"RT 002/RW 001", "RW 001", "Perkumpulan Warga Peduli Gambir"}),
        ("contact", {"RT 002/RW 001", "RW 001", "Perkumpulan Warga Peduli Gambir"}),
        ("address", {"RT 001/RW 001", "RT 002/RW 001", "RW 001", "Perkumpulan Warga Peduli Gambir"}),
        ("location", {"RT 002/RW 001", "RW 001", "Perkumpulan Warga Peduli Gambir"}),
        ("registration", set()),
        ("documents", {"RT 002/RW 001", "RW 001", "Perkumpulan Warga Peduli Gambir"}),
    ],
)
def test_it_finds_missing_data(kesbangpol_admin: User, registered, missing: str, expected: set[str]) -> None:
    rt = registered["rt"]
    rt.phone, rt.latitude, rt.longitude = "0812", -6.17, 106.82
    rt.save()
    Document.objects.create(uuid="00000000-0000-0000-0000-000000000001", organisation=rt, type="other")

    assert names(selectors.organisation_list(user=kesbangpol_admin, missing=missing)) == expected


def test_an_ormas_without_a_registration_number_is_missing_data(kesbangpol_admin: User, ormas_org) -> None:
    assert list(selectors.organisation_list(user=kesbangpol_admin, missing="registration")) == [ormas_org]


# Expiry, terms ending, reporting ---------------------------------------------------------------------------


def test_the_expiry_list_is_soonest_first_and_scoped(
    kesbangpol_admin: User, lurah_operator: User, registered, person_factory
) -> None:
    OrmasProfile.objects.filter(organisation=registered["ormas"]).update(registration_expires_on=TODAY + 40 * DAY)
    post(registered["rw"], person_factory("Rukun", serial=5), term_end=TODAY + 5 * DAY)

    items = selectors.expiring(user=kesbangpol_admin, days=60)

    assert [(i.what, i.organisation.name, i.expires_on) for i in items] == [
        ("term", "RW 001", TODAY + 5 * DAY),
        ("registration", "Perkumpulan Warga Peduli Gambir", TODAY + 40 * DAY),
    ]
    assert [i.what for i in selectors.expiring(user=lurah_operator, days=60)] == ["term"]


def test_it_lists_officers_whose_term_ends_in_a_year(
    lurah_operator: User, rt_org, other_rt_org, person_factory
) -> None:
    this_year = datetime.date(TODAY.year, 12, 31)
    ending = post(rt_org, person_factory("Akhir"), term_end=this_year)
    post(other_rt_org, person_factory("Nanti", serial=2), term_end=this_year + 400 * DAY)
    post(
        other_rt_org,
        person_factory("Keluar", serial=3),
        "bendahara",
        term_end=this_year,
        ended_on=TODAY,
        end_reason="death",
    )

    assert list(selectors.officers_ending(user=lurah_operator, year=TODAY.year)) == [ending]


def test_it_lists_ormas_that_have_not_reported(kesbangpol_admin: User, kinds, ormas_org, rt_org, territory) -> None:
    quiet = Organisation.objects.create(kind=kinds["ormas"], name="Ormas Diam", region=territory.gambir)
    ActivityReport.objects.create(
        organisation=ormas_org,
        held_on=TODAY - 30 * DAY,
        kind="meeting",
        title="Rapat",
        place="Sekretariat",
        participants=10,
    )
    ActivityReport.objects.create(
        organisation=quiet, held_on=TODAY - 200 * DAY, kind="meeting", title="Rapat", place="Aula", participants=5
    )

    late = selectors.not_reported(user=kesbangpol_admin)

    assert [(o.name, o.last_report_on) for o in late] == [("Ormas Diam", TODAY - 200 * DAY)]
    assert names(selectors.not_reported(user=kesbangpol_admin, since=TODAY - 10 * DAY)) == {
        "Ormas Diam",
        ormas_org.name,
    }


def test_the_nearest_staff_answer_for_an_organisation(
    lurah_operator: User, camat_operator: User, city_admin: User, rt_org, ormas_org
) -> None:
    assert list(selectors.responsible_staff(rt_org)) == [lurah_operator]
    assert list(selectors.responsible_staff(ormas_org)) == [camat_operator]


# Queries ------------------------------------------------------------------------------------------------


def grow(kinds: dict[str, OrganisationKind], territory, start: int, stop: int) -> None:
    """Ormas ``start`` to ``stop`` in Kelurahan Gambir, each with a chair, a registration and a parent."""
    parent = Organisation.objects.create(kind=kinds["ormas"], name="Induk", region=territory.jakpus)
    for n in range(start, stop):
        org = Organisation.objects.create(
            kind=kinds["ormas"], name=f"Ormas {n:03d}", region=territory.kel_gambir, parent=parent
        )
        OrmasProfile.objects.create(organisation=org, legal_form="skt", registration_number=f"SKT-{n}")
        person = make_person(f"Ketua {n}", make_nik(serial=n + 1), territory.kel_gambir)
        post(org, person)


def page_queries(user: User, **filters) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fresh = User.objects.get(pk=user.pk)  # roles not cached yet, as in a request
    with CaptureQueriesContext(connection) as captured:
        page = Paginator(selectors.organisation_list(user=fresh, **filters), 25).page(1)
        for org in page:
            _ = (org.kind.name, org.region.name, org.rt, org.rw, [c.person.full_name for c in org.current_chairs])
            _ = org.ormas.registration_number if hasattr(org, "ormas") else ""
    return len(captured)


@pytest.mark.parametrize(
    "filters", [{}, {"q": "Ketua"}, {"q": make_nik(serial=3)}, {"expiring_days": 90}, {"missing": "chair"}]
)
def test_a_page_of_the_list_takes_the_same_queries_for_5_or_60_organisations(
    lurah_operator: User, kinds, territory, filters
) -> None:
    grow(kinds, territory, 0, 5)
    small = page_queries(lurah_operator, **filters)
    grow(kinds, territory, 5, 60)

    assert page_queries(lurah_operator, **filters) == small <= 4


def test_the_organisation_page_takes_the_same_queries_however_much_it_shows(
    lurah_operator: User, rt_org, person_factory, django_assert_max_num_queries
) -> None:
    def load() -> None:
        fresh = User.objects.get(pk=lurah_operator.pk)
        selectors.organisation_detail(user=fresh, pk=rt_org.pk)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(start: int, stop: int) -> None:
        for n in range(start, stop):
            post(rt_org, person_factory(f"Anggota {n}", serial=n), "anggota")
            Document.objects.create(uuid=f"00000000-0000-0000-0000-{n:012d}", organisation=rt_org, type="other")
            ActivityReport.objects.create(
                organisation=rt_org, held_on=TODAY, kind="ronda", title="Ronda", place="Pos", participants=n
            )

    add(1, 2)
    with CaptureQueriesContext(connection) as few:
        load()
    add(2, 12)
    with django_assert_max_num_queries(len(few)):
        load()
