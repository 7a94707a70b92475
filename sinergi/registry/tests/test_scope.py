"""Who sees and who changes what: staff see their territory, an RT chair only their RT, an
outsider nothing; out of scope answers 404 like a missing organisation."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from sinergi.accounts.models import User
from sinergi.registry import permissions, selectors, services
from sinergi.registry.models import Organisation, Person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ORGS = ["rt_org", "other_rt_org", "rw_org", "ormas_org", "outsider_rt_org"]

# persona -> the organisations they see
SEES = {
    "kesbangpol_admin": set(ORGS),
    "city_admin": set(ORGS),
    "city_viewer": set(ORGS),
    "camat_operator": {"rt_org", "other_rt_org", "rw_org", "ormas_org"},
    "lurah_operator": {"rt_org", "other_rt_org", "rw_org"},
    "outsider_operator": {"outsider_rt_org"},
    "west_admin": set(),
    "rt_chair": {"rt_org"},
    "ormas_secretary": {"ormas_org"},
}
# persona -> the organisations they may change (all fields)
EDITS = {
    "kesbangpol_admin": set(ORGS),
    "city_admin": set(ORGS),
    "city_viewer": set(),
    "camat_operator": {"rt_org", "other_rt_org", "rw_org", "ormas_org"},
    "lurah_operator": {"rt_org", "other_rt_org", "rw_org"},
    "outsider_operator": {"outsider_rt_org"},
    "west_admin": set(),
    "rt_chair": set(),
    "ormas_secretary": set(),
}


@pytest.fixture
def orgs(request: pytest.FixtureRequest) -> dict[str, Organisation]:
    return {name: request.getfixturevalue(name) for name in ORGS}


@pytest.mark.parametrize("persona", sorted(SEES))
def test_each_persona_lists_exactly_the_organisations_in_scope(
    request: pytest.FixtureRequest, orgs: dict[str, Organisation], persona: str
) -> None:
    user: User = request.getfixturevalue(persona)

    listed = set(selectors.organisation_list(user=user))

    assert listed == {orgs[name] for name in SEES[persona]}


@pytest.mark.parametrize("persona", sorted(SEES))
def test_out_of_scope_is_not_found_like_a_missing_organisation(
    request: pytest.FixtureRequest, orgs: dict[str, Organisation], persona: str
) -> None:
    user: User = request.getfixturevalue(persona)

    for name, org in orgs.items():
        if name in SEES[persona]:
            assert selectors.organisation_detail(user=user, pk=org.pk).organisation == org
        else:
            with pytest.raises(Http404):
                selectors.organisation_detail(user=user, pk=org.pk)
    with pytest.raises(Http404):
        selectors.organisation_get(user=user, pk=10**9)


@pytest.mark.parametrize("persona", sorted(EDITS))
def test_each_persona_changes_exactly_the_organisations_they_may(
    request: pytest.FixtureRequest, orgs: dict[str, Organisation], persona: str
) -> None:
    user: User = request.getfixturevalue(persona)

    for name, org in orgs.items():
        assert permissions.can_edit(user, org) == (name in EDITS[persona]), name
        if name in EDITS[persona]:
            services.organisation_update(by=user, organisation=org, field_of_activity="Kemasyarakatan")
        else:
            with pytest.raises(PermissionDenied):
                services.organisation_update(by=user, organisation=org, field_of_activity="Kemasyarakatan")


def test_an_rt_chair_updates_the_contact_data_of_their_rt_only(
    rt_chair: User, rt_org: Organisation, other_rt_org: Organisation
) -> None:
    services.organisation_update(by=rt_chair, organisation=rt_org, phone="0812-1", address="Jl. Gambir I/3")

    rt_org.refresh_from_db()
    assert (rt_org.phone, rt_org.address) == ("0812-1", "Jl. Gambir I/3")
    with pytest.raises(PermissionDenied):
        services.organisation_update(by=rt_chair, organisation=rt_org, name="RT Hebat")
    with pytest.raises(PermissionDenied):
        services.organisation_update(by=rt_chair, organisation=other_rt_org, phone="0812-2")


def test_an_rt_chair_does_not_appoint_officers_or_change_status(rt_chair: User, rt_org, person_factory) -> None:
    with pytest.raises(PermissionDenied):
        services.officer_appoint(
            by=rt_chair,
            organisation=rt_org,
            person=person_factory("Budi"),
            position="ketua",
            term_start=datetime.date(2025, 1, 1),
        )
    with pytest.raises(PermissionDenied):
        services.organisation_set_status(by=rt_chair, organisation=rt_org, status="inactive", reason="x")


def test_an_rt_chair_proposes_changes_only_for_their_rt(rt_chair: User, rt_org, other_rt_org) -> None:
    services.change_request_submit(by=rt_chair, organisation=rt_org, kind="contact", payload={"phone": "1"})

    with pytest.raises(PermissionDenied):
        services.change_request_submit(by=rt_chair, organisation=other_rt_org, kind="contact", payload={"phone": "1"})
    assert [r.organisation for r in selectors.change_request_list(user=rt_chair)] == [rt_org]


def test_only_staff_of_the_territory_decide_a_proposal(
    rt_chair: User, outsider_operator: User, city_viewer: User, lurah_operator: User, rt_org
) -> None:
    request = services.change_request_submit(by=rt_chair, organisation=rt_org, kind="contact", payload={"phone": "1"})

    for user in (rt_chair, outsider_operator, city_viewer):
        with pytest.raises(PermissionDenied):
            services.change_request_decide(by=user, change_request=request, approve=True)
    services.change_request_decide(by=lurah_operator, change_request=request, approve=True)
    assert selectors.change_request_list(user=outsider_operator).count() == 0


def test_persons_are_seen_where_they_live_or_serve(
    lurah_operator: User, outsider_operator: User, territory, outsider_rt_org, person_factory
) -> None:
    neighbour = person_factory("Budi")
    serving = person_factory("Wati", serial=2, region=territory.kel_cideng)
    services.officer_appoint(
        by=outsider_operator,
        organisation=outsider_rt_org,
        person=serving,
        position="ketua",
        term_start=datetime.date(2025, 1, 1),
        no_party_statement=True,
    )

    assert set(selectors.person_list(user=lurah_operator)) == {neighbour}
    assert set(selectors.person_list(user=outsider_operator)) == {serving}
    with pytest.raises(Http404):
        selectors.person_get(user=outsider_operator, pk=neighbour.pk)


def test_staff_find_anyone_by_full_nik_to_appoint_them_and_representatives_do_not(
    outsider_operator: User, rt_chair: User, person_factory
) -> None:
    from sinergi.registry.tests.conftest import make_nik

    budi = person_factory("Budi")

    assert selectors.person_by_nik(user=outsider_operator, nik=make_nik()) == budi
    assert selectors.person_by_nik(user=outsider_operator, nik=make_nik(serial=2)) is None
    assert selectors.person_by_nik(user=rt_chair, nik=make_nik()) is None


def test_representatives_and_operators_cannot_reveal_a_nik(
    rt_chair: User, lurah_operator: User, kesbangpol_admin: User, person_factory
) -> None:
    person: Person = person_factory("Budi")

    assert not permissions.can_reveal_nik(rt_chair)
    assert not permissions.can_reveal_nik(lurah_operator)
    assert permissions.can_reveal_nik(kesbangpol_admin)
    with pytest.raises(PermissionDenied):
        services.person_reveal_nik(by=rt_chair, person=person)


def test_an_inactive_representative_role_gives_nothing(rt_chair: User, rt_org) -> None:
    rt_chair.roles.update(is_active=False)
    user = User.objects.get(pk=rt_chair.pk)

    assert list(selectors.organisation_list(user=user)) == []
    with pytest.raises(PermissionDenied):
        services.organisation_update(by=user, organisation=rt_org, phone="1")
