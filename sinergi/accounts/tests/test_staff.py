"""Administrators manage staff accounts inside their own territory, and only there."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from conftest import PASSWORD, Units
from sinergi.accounts import services
from sinergi.accounts.models import Role, Unit, User

pytestmark = pytest.mark.django_db


def new_staff(unit: Unit, **overrides: object) -> dict[str, object]:
    return {
        "username": "lurah.cideng",
        "full_name": "Nur Kelurahan Cideng",
        "email": "nur@sinergi.test",
        "password": "kata-sandi-awal-2026",
        "unit": unit.pk,
        "kind": Role.Kind.OPERATOR,
        **overrides,
    }


def test_a_city_admin_creates_an_operator_in_a_kecamatan_of_the_city(
    client_for, city_admin: User, units: Units
) -> None:
    response = client_for(city_admin).post("/akun/staf/baru/", new_staff(units.kec_gambir))

    user = User.objects.get(username="lurah.cideng")
    assert response.status_code == 302
    assert response["Location"] == f"/akun/staf/{user.pk}/"
    assert [(r.unit, r.kind) for r in user.roles.all()] == [(units.kec_gambir, "operator")]
    assert Client().login(username="lurah.cideng", password="kata-sandi-awal-2026")


def test_a_city_admin_is_offered_only_units_of_the_city(client_for, city_admin: User, units: Units) -> None:
    response = client_for(city_admin).get("/akun/staf/baru/")

    offered = set(response.context["form"].fields["unit"].queryset)
    assert offered == {units.jakpus, units.kec_gambir, units.kel_gambir, units.kel_pasar_baru}


def test_a_city_admin_cannot_create_a_user_in_another_citys_unit(client_for, city_admin: User, units: Units) -> None:
    response = client_for(city_admin).post("/akun/staf/baru/", new_staff(units.jakbar))

    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not User.objects.filter(username="lurah.cideng").exists()


def test_the_service_refuses_a_unit_outside_the_admins_territory(city_admin: User, units: Units) -> None:
    with pytest.raises(PermissionDenied):
        services.staff_create(
            username="x",
            full_name="X",
            email="x@sinergi.test",
            password="kata-sandi-awal-2026",
            unit=units.kesbangpol,
            kind=Role.Kind.ADMIN,
            by=city_admin,
        )
    assert not User.objects.filter(username="x").exists()


def test_a_username_is_taken_once_whatever_its_case(
    client_for, city_admin: User, lurah_operator: User, units: Units
) -> None:
    response = client_for(city_admin).post("/akun/staf/baru/", new_staff(units.kec_gambir, username="LURAH.GAMBIR"))
    assert "username" in response.context["form"].errors
    assert User.objects.filter(username__iexact="lurah.gambir").count() == 1


def test_a_weak_initial_password_is_refused(client_for, city_admin: User, units: Units) -> None:
    response = client_for(city_admin).post("/akun/staf/baru/", new_staff(units.kec_gambir, password="12345"))
    assert response.context["form"].errors
    assert not User.objects.filter(username="lurah.cideng").exists()


def test_the_staff_list_shows_only_staff_of_the_admins_territory(
    client_for, city_admin, west_admin, lurah_operator, outsider_operator, kesbangpol_admin
) -> None:
    response = client_for(city_admin).get("/akun/staf/")

    listed = {u.username for u in response.context["page"].object_list}
    assert listed == {"jakpus.admin", "lurah.gambir", "lurah.pasarbaru"}


def test_a_city_admin_edits_a_lurah_operator(client_for, city_admin: User, lurah_operator: User) -> None:
    response = client_for(city_admin).post(
        f"/akun/staf/{lurah_operator.pk}/",
        {
            "full_name": "Joko Santoso",
            "email": "joko@sinergi.test",
            "phone": "0812",
            "nip": "",
            "position": "Lurah",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    lurah_operator.refresh_from_db()
    assert (lurah_operator.full_name, lurah_operator.position) == ("Joko Santoso", "Lurah")


def test_a_city_admin_switches_off_an_account(client_for, city_admin: User, lurah_operator: User) -> None:
    client_for(city_admin).post(f"/akun/staf/{lurah_operator.pk}/", {"full_name": "Joko", "email": "joko@sinergi.test"})
    lurah_operator.refresh_from_db()
    assert lurah_operator.is_active is False
    assert not Client().login(username="lurah.gambir", password=PASSWORD)


def test_an_admin_cannot_switch_off_their_own_account(client_for, city_admin: User) -> None:
    response = client_for(city_admin).post(
        f"/akun/staf/{city_admin.pk}/", {"full_name": "Budi", "email": "budi@sinergi.test"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    city_admin.refresh_from_db()
    assert city_admin.is_active is True


def test_a_city_admin_gets_404_for_a_user_of_another_city(client_for, city_admin: User, west_admin: User) -> None:
    client = client_for(city_admin)

    assert client.get(f"/akun/staf/{west_admin.pk}/").status_code == 404
    response = client.post(f"/akun/staf/{west_admin.pk}/", {"full_name": "Diretas", "email": "x@sinergi.test"})
    assert response.status_code == 404
    west_admin.refresh_from_db()
    assert (west_admin.full_name, west_admin.is_active) == ("Dewi Pemerintahan Jakbar", True)


def test_a_city_admin_gets_404_for_kesbangpol_staff(client_for, city_admin: User, kesbangpol_admin: User) -> None:
    assert client_for(city_admin).get(f"/akun/staf/{kesbangpol_admin.pk}/").status_code == 404


def test_a_city_admin_cannot_edit_someone_who_also_works_in_another_city(
    client_for, city_admin: User, lurah_operator: User, units: Units
) -> None:
    Role.objects.create(user=lurah_operator, unit=units.jakbar, kind=Role.Kind.VIEWER)

    response = client_for(city_admin).post(
        f"/akun/staf/{lurah_operator.pk}/", {"full_name": "Diubah", "email": "x@sinergi.test", "is_active": "on"}
    )

    assert response.status_code == 403
    lurah_operator.refresh_from_db()
    assert lurah_operator.full_name == "Joko Kelurahan Gambir"


def test_a_city_admin_grants_a_role_in_the_city(
    client_for, city_admin: User, lurah_operator: User, units: Units
) -> None:
    client_for(city_admin).post(
        f"/akun/staf/{lurah_operator.pk}/peran/", {"unit": units.kec_gambir.pk, "kind": Role.Kind.VIEWER}
    )
    assert lurah_operator.roles.filter(unit=units.kec_gambir, kind="viewer").exists()


def test_a_city_admin_cannot_grant_a_role_in_another_city(
    client_for, city_admin: User, lurah_operator: User, units: Units
) -> None:
    client_for(city_admin).post(
        f"/akun/staf/{lurah_operator.pk}/peran/", {"unit": units.jakbar.pk, "kind": Role.Kind.ADMIN}
    )
    assert not lurah_operator.roles.filter(unit=units.jakbar).exists()


def test_a_city_admin_revokes_a_role(client_for, city_admin: User, lurah_operator: User) -> None:
    role = lurah_operator.roles.get()
    client_for(city_admin).post(f"/akun/staf/{lurah_operator.pk}/peran/{role.pk}/hapus/")
    assert not lurah_operator.roles.exists()


def test_an_admin_cannot_remove_their_own_admin_role(client_for, city_admin: User) -> None:
    role = city_admin.roles.get()
    client_for(city_admin).post(f"/akun/staf/{city_admin.pk}/peran/{role.pk}/hapus/")
    assert city_admin.roles.filter(pk=role.pk).exists()


@pytest.mark.parametrize("persona", ["lurah_operator", "camat_operator", "city_viewer"])
def test_staff_who_are_not_admins_get_404_for_staff_pages(request, client_for, persona: str) -> None:
    user = request.getfixturevalue(persona)
    client = client_for(user)
    assert client.get("/akun/staf/").status_code == 404
    assert client.get("/akun/staf/baru/").status_code == 404
    assert client.get(f"/akun/staf/{user.pk}/").status_code == 404


# visible_to


def test_unit_visible_to_follows_the_territory(city_admin, camat_operator, kesbangpol_admin, units: Units) -> None:
    assert set(Unit.objects.visible_to(camat_operator)) == {units.kec_gambir, units.kel_gambir}
    assert units.jakbar not in Unit.objects.visible_to(city_admin)
    assert units.kesbangpol not in Unit.objects.visible_to(city_admin)
    assert set(Unit.objects.visible_to(kesbangpol_admin)) == set(Unit.objects.all())


def test_user_visible_to_follows_the_territory(
    city_admin, camat_operator, lurah_operator, outsider_operator, west_admin, kesbangpol_admin
) -> None:
    assert set(User.objects.visible_to(camat_operator)) == {camat_operator, lurah_operator}
    assert set(User.objects.visible_to(west_admin)) == {west_admin}
    assert set(User.objects.visible_to(kesbangpol_admin)) == set(User.objects.all())
    assert set(User.objects.visible_to(city_admin)) == {city_admin, camat_operator, lurah_operator, outsider_operator}
