"""Two-step sign-in: password then code, recovery codes, set-up (forced for administrators), switching off."""

from __future__ import annotations

import time

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings

from conftest import PASSWORD
from sinergi.accounts import otp, services, signin
from sinergi.accounts.checks import check_totp_keys
from sinergi.accounts.models import RecoveryCode, TotpDevice, User
from sinergi.accounts.tests.factors import (
    CODE,
    LOGIN,
    TWO_FACTOR,
    code_for,
    enrol,
    enter_code,
    secret_of,
    sign_in,
    signed_in,
    wrong_code,
)
from sinergi.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def actions(user: User) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="accounts.user", object_id=str(user.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


# Signing in


def test_a_user_with_an_app_signs_in_with_the_password_then_the_code(client: Client, lurah_operator: User) -> None:
    enrol(lurah_operator)

    response = sign_in(client, "lurah.gambir")

    assert response.status_code == 302
    assert response["Location"] == CODE
    assert not signed_in(client), "the password alone does not sign in"
    assert client.get("/")["Location"] == "/akun/masuk/?next=/"

    response = enter_code(client, code_for(lurah_operator))

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in(client)
    assert client.get("/").status_code == 200
    assert signin.is_verified(client.session, lurah_operator)


def test_the_code_step_goes_on_to_the_page_asked_for(client: Client, lurah_operator: User) -> None:
    enrol(lurah_operator)
    client.post(LOGIN, {"username": "lurah.gambir", "password": PASSWORD, "next": "/wilayah/"})

    assert enter_code(client, code_for(lurah_operator))["Location"] == "/wilayah/"


def test_the_code_step_does_not_go_to_another_site(client: Client, lurah_operator: User) -> None:
    enrol(lurah_operator)
    client.post(LOGIN, {"username": "lurah.gambir", "password": PASSWORD, "next": "https://evil.example/"})

    assert enter_code(client, code_for(lurah_operator))["Location"] == "/"


def test_a_wrong_code_is_refused_and_audited(client: Client, lurah_operator: User) -> None:
    enrol(lurah_operator)
    sign_in(client, "lurah.gambir")

    response = enter_code(client, wrong_code(lurah_operator))

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not signed_in(client)
    assert actions(lurah_operator)[-1] == "accounts.two_factor.failed"
    assert AuditEvent.objects.filter(action="accounts.two_factor.failed").get().changes == {"purpose": "sign_in"}


def test_a_code_signs_in_once(client: Client, lurah_operator: User) -> None:
    enrol(lurah_operator)
    code = code_for(lurah_operator)
    sign_in(client, "lurah.gambir")
    enter_code(client, code)
    client.post("/akun/keluar/")

    other = Client()
    sign_in(other, "lurah.gambir")
    response = enter_code(other, code)

    assert response.status_code == 200
    assert not signed_in(other)


def test_an_older_code_is_refused_after_a_newer_one(client: Client, lurah_operator: User) -> None:
    enrol(lurah_operator)
    sign_in(client, "lurah.gambir")
    enter_code(client, code_for(lurah_operator, steps=1))

    other = Client()
    sign_in(other, "lurah.gambir")
    response = enter_code(other, code_for(lurah_operator))

    assert response.status_code == 200
    assert not signed_in(other)


def test_a_code_from_too_long_ago_is_refused(client: Client, lurah_operator: User) -> None:
    enrol(lurah_operator)
    sign_in(client, "lurah.gambir")

    enter_code(client, code_for(lurah_operator, steps=-3))

    assert not signed_in(client)


def test_a_recovery_code_signs_in_once(client: Client, lurah_operator: User) -> None:
    codes = enrol(lurah_operator)
    sign_in(client, "lurah.gambir")

    response = enter_code(client, codes[0].upper().replace("-", " "))  # typed loosely

    assert response.status_code == 302
    assert signed_in(client)
    event = AuditEvent.objects.get(action="accounts.two_factor.recovery_code_used")
    assert event.changes == {"purpose": "sign_in", "recovery_codes_left": 9}

    other = Client()
    sign_in(other, "lurah.gambir")
    response = enter_code(other, codes[0])
    assert response.status_code == 200
    assert not signed_in(other)
    assert actions(lurah_operator)[-1] == "accounts.two_factor.failed"


def test_the_code_step_needs_the_password_first(client: Client) -> None:
    assert client.get(CODE)["Location"] == LOGIN
    assert client.post(CODE, {"code": "123456"})["Location"] == LOGIN


def test_a_waiting_sign_in_expires(client: Client, lurah_operator: User, monkeypatch: pytest.MonkeyPatch) -> None:
    enrol(lurah_operator)
    sign_in(client, "lurah.gambir")
    later = time.time() + signin.PENDING_SECONDS + 1
    monkeypatch.setattr("sinergi.accounts.signin.time.time", lambda: later)

    response = enter_code(client, code_for(lurah_operator))

    assert response["Location"] == LOGIN
    assert not signed_in(client)


def test_a_switched_off_account_cannot_finish_signing_in(client: Client, lurah_operator: User) -> None:
    enrol(lurah_operator)
    sign_in(client, "lurah.gambir")
    User.objects.filter(pk=lurah_operator.pk).update(is_active=False)

    assert enter_code(client, code_for(lurah_operator))["Location"] == LOGIN
    assert not signed_in(client)


def test_the_code_step_gives_the_session_a_new_key(client: Client, lurah_operator: User) -> None:
    enrol(lurah_operator)
    client.get(LOGIN)
    before = client.cookies["sessionid"].value if "sessionid" in client.cookies else None
    sign_in(client, "lurah.gambir")
    waiting = client.cookies["sessionid"].value
    enter_code(client, code_for(lurah_operator))

    assert waiting != before
    assert client.cookies["sessionid"].value != waiting


# Administrators must set it up


def test_an_administrator_without_an_app_is_sent_to_set_it_up(client: Client, city_admin: User) -> None:
    response = sign_in(client, "jakpus.admin")

    assert response["Location"] == TWO_FACTOR
    for url in ["/", "/akun/staf/", "/audit/", "/wilayah/", "/privasi/insiden/"]:
        assert client.get(url)["Location"] == TWO_FACTOR, url
    api = client.get("/api/v1/me")
    assert api.status_code == 403
    assert client.get(TWO_FACTOR).status_code == 200


@override_settings(ADMIN_SECOND_FACTOR_REQUIRED=False)
def test_a_local_demo_lets_an_administrator_in_without_an_app(client: Client, city_admin: User) -> None:
    response = sign_in(client, "jakpus.admin")

    assert response["Location"] != TWO_FACTOR
    assert client.get("/wilayah/31.71/").status_code == 200


@override_settings(ADMIN_SECOND_FACTOR_REQUIRED=False)
def test_check_deploy_warns_when_administrators_need_no_app() -> None:
    from sinergi.accounts.checks import check_admin_second_factor

    assert [m.id for m in check_admin_second_factor()] == ["accounts.W001"]


def test_an_administrator_sets_up_the_app_and_carries_on(client: Client, city_admin: User) -> None:
    sign_in(client, "jakpus.admin")

    page = client.get(TWO_FACTOR)
    assert page.context["required"] is True
    assert page.context["qr_code"].startswith("data:image/svg+xml")
    secret = secret_of(city_admin)
    assert page.context["secret"].replace(" ", "") == secret
    response = client.post(TWO_FACTOR, {"code": code_for(city_admin)})

    assert response["Location"] == TWO_FACTOR
    shown = client.get(TWO_FACTOR)
    codes = shown.context["recovery_codes"]
    assert len(codes) == 10
    assert all(code in shown.content.decode() for code in codes)
    assert client.get(TWO_FACTOR).context["recovery_codes"] is None, "shown once"
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200
    assert actions(city_admin) == ["accounts.login", "accounts.two_factor.prepare", "accounts.two_factor.enable"]
    assert not any(code in str(s.get_decoded()) for s in Session.objects.all() for code in codes)


def test_a_wrong_code_does_not_switch_the_app_on(client: Client, city_admin: User) -> None:
    sign_in(client, "jakpus.admin")
    client.get(TWO_FACTOR)

    response = client.post(TWO_FACTOR, {"code": wrong_code(city_admin)})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert TotpDevice.objects.get(user=city_admin).confirmed_at is None
    assert client.get("/")["Location"] == TWO_FACTOR
    assert AuditEvent.objects.get(action="accounts.two_factor.failed").changes == {"purpose": "enrol"}


def test_reloading_the_set_up_page_keeps_the_secret(client: Client, city_admin: User) -> None:
    sign_in(client, "jakpus.admin")

    first = client.get(TWO_FACTOR).context["secret"]
    second = client.get(TWO_FACTOR).context["secret"]

    assert first == second
    assert actions(city_admin).count("accounts.two_factor.prepare") == 1


def test_an_administrator_with_an_app_signs_in_with_both(client: Client, kesbangpol_admin: User) -> None:
    enrol(kesbangpol_admin)

    assert sign_in(client, "kesbangpol")["Location"] == CODE
    assert enter_code(client, code_for(kesbangpol_admin))["Location"] == "/"
    assert client.get("/akun/staf/").status_code == 200


def test_a_superuser_must_set_it_up_too(client: Client, db: None) -> None:
    User.objects.create_superuser(username="root", password=PASSWORD, email="root@sinergi.test")

    assert sign_in(client, "root")["Location"] == TWO_FACTOR
    assert client.get("/")["Location"] == TWO_FACTOR


def test_an_operator_may_work_without_an_app(client: Client, lurah_operator: User) -> None:
    assert sign_in(client, "lurah.gambir")["Location"] == "/"
    assert client.get("/").status_code == 200


# Sessions that did not pass the second factor


def test_a_session_made_without_the_code_is_signed_out(lurah_operator: User) -> None:
    enrol(lurah_operator)
    client = Client()
    client.force_login(lurah_operator)  # signed in, but never past the code step

    response = client.get("/")

    assert response["Location"] == "/akun/masuk/?next=/"
    assert not signed_in(client)


def test_switching_the_app_on_signs_out_the_users_other_sessions(client_for, lurah_operator: User) -> None:
    elsewhere = Client()
    sign_in(elsewhere, "lurah.gambir")  # before the app: password only
    assert elsewhere.get("/").status_code == 200
    here = Client()
    sign_in(here, "lurah.gambir")
    here.get(TWO_FACTOR)

    here.post(TWO_FACTOR, {"code": code_for(lurah_operator)})

    assert here.get("/").status_code == 200, "the session that switched it on carries on"
    assert elsewhere.get("/").status_code == 302
    assert not signed_in(elsewhere)


def test_an_unmarked_administrator_session_is_sent_to_set_up(city_admin: User) -> None:
    client = Client()
    client.force_login(city_admin)

    assert client.get("/")["Location"] == TWO_FACTOR


def test_client_for_marks_the_session_verified(client_for, city_admin: User) -> None:
    assert client_for(city_admin).get("/").status_code == 200


# Switching it off


def test_a_user_switches_the_app_off_with_password_and_code(client_for, lurah_operator: User) -> None:
    enrol(lurah_operator)
    client = client_for(lurah_operator)

    response = client.post("/akun/dua-langkah/matikan/", {"password": PASSWORD, "code": code_for(lurah_operator)})

    assert response["Location"] == TWO_FACTOR
    assert not TotpDevice.objects.filter(user=lurah_operator).exists()
    assert not RecoveryCode.objects.exists()
    assert actions(lurah_operator)[-1] == "accounts.two_factor.disable"
    assert client.get("/").status_code == 200


def test_switching_off_needs_the_password(client_for, lurah_operator: User) -> None:
    enrol(lurah_operator)

    response = client_for(lurah_operator).post(
        "/akun/dua-langkah/matikan/", {"password": "bukan-ini", "code": code_for(lurah_operator)}
    )

    assert response.status_code == 200
    assert response.context["disable_form"].errors["password"]
    assert TotpDevice.objects.filter(user=lurah_operator).exists()


def test_switching_off_needs_a_right_code(client_for, lurah_operator: User) -> None:
    enrol(lurah_operator)

    response = client_for(lurah_operator).post(
        "/akun/dua-langkah/matikan/", {"password": PASSWORD, "code": wrong_code(lurah_operator)}
    )

    assert response.context["disable_form"].errors["code"]
    assert TotpDevice.objects.filter(user=lurah_operator).exists()
    assert AuditEvent.objects.get(action="accounts.two_factor.failed").changes == {"purpose": "disable"}


def test_a_recovery_code_switches_the_app_off(client_for, lurah_operator: User) -> None:
    codes = enrol(lurah_operator)

    client_for(lurah_operator).post("/akun/dua-langkah/matikan/", {"password": PASSWORD, "code": codes[3]})

    assert not TotpDevice.objects.filter(user=lurah_operator).exists()


def test_an_administrator_who_switches_it_off_must_set_it_up_again(client: Client, city_admin: User) -> None:
    enrol(city_admin)
    sign_in(client, "jakpus.admin")
    enter_code(client, code_for(city_admin))

    client.post("/akun/dua-langkah/matikan/", {"password": PASSWORD, "code": code_for(city_admin, steps=1)})

    assert not TotpDevice.objects.filter(user=city_admin).exists()
    assert client.get("/")["Location"] == TWO_FACTOR


def test_an_administrator_switches_off_a_staff_members_app(client_for, city_admin: User, lurah_operator: User) -> None:
    enrol(lurah_operator)

    response = client_for(city_admin).post(f"/akun/staf/{lurah_operator.pk}/dua-langkah/matikan/")

    assert response["Location"] == f"/akun/staf/{lurah_operator.pk}/"
    assert not TotpDevice.objects.filter(user=lurah_operator).exists()
    event = AuditEvent.objects.get(action="accounts.two_factor.reset")
    assert (event.actor, event.object_id) == (city_admin, str(lurah_operator.pk))


def test_a_reset_signs_the_staff_member_out_of_every_session(
    client_for, city_admin: User, lurah_operator: User
) -> None:
    enrol(lurah_operator)
    on_lost_phone = client_for(lurah_operator)
    assert on_lost_phone.get("/").status_code == 200

    client_for(city_admin).post(f"/akun/staf/{lurah_operator.pk}/dua-langkah/matikan/")

    assert on_lost_phone.get("/")["Location"].startswith("/akun/masuk/")
    lurah_operator.refresh_from_db()
    assert client_for(lurah_operator).get("/").status_code == 200  # a new sign-in works


def test_sessions_made_before_the_epoch_existed_stay_signed_in(client_for, lurah_operator: User) -> None:
    client = client_for(lurah_operator)
    lurah_operator.refresh_from_db()

    assert lurah_operator.session_epoch == 0
    assert client.get("/").status_code == 200


def test_an_administrator_of_another_city_cannot_switch_it_off(
    client_for, west_admin: User, lurah_operator: User
) -> None:
    enrol(lurah_operator)

    response = client_for(west_admin).post(f"/akun/staf/{lurah_operator.pk}/dua-langkah/matikan/")

    assert response.status_code == 404
    assert TotpDevice.objects.filter(user=lurah_operator).exists()


def test_nobody_resets_their_own_app_without_its_code(city_admin: User) -> None:
    enrol(city_admin)

    with pytest.raises(PermissionDenied):
        services.two_factor_reset(user=city_admin, by=city_admin)
    assert TotpDevice.objects.filter(user=city_admin).exists()


def test_the_staff_page_shows_whether_the_app_is_on(client_for, city_admin: User, lurah_operator: User) -> None:
    client = client_for(city_admin)
    assert client.get(f"/akun/staf/{lurah_operator.pk}/").context["two_factor"] is False
    enrol(lurah_operator)
    assert client.get(f"/akun/staf/{lurah_operator.pk}/").context["two_factor"] is True


# Storage


def test_the_secret_is_stored_encrypted(lurah_operator: User) -> None:
    enrol(lurah_operator)
    secret = secret_of(lurah_operator)

    stored = TotpDevice.objects.filter(user=lurah_operator).values().get()

    assert len(secret) == 32
    assert not any(secret in str(value) for value in stored.values())
    assert not any(secret in str(event.changes) for event in AuditEvent.objects.all())


def test_recovery_codes_are_stored_as_salted_hashes(lurah_operator: User) -> None:
    codes = enrol(lurah_operator)

    stored = list(RecoveryCode.objects.values_list("code_hash", flat=True))

    assert len(set(codes)) == len(codes) == len(stored) == 10
    assert not any(otp.clean_code(code) in row for code in codes for row in stored)
    assert len({row.split("$")[0] for row in stored}) == 10, "each code has its own salt"


def test_secrets_are_encrypted_with_the_configured_keys(lurah_operator: User) -> None:
    from cryptography.fernet import Fernet

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(TOTP_ENCRYPTION_KEYS=[old]):
        token = otp.encrypt_secret("JBSWY3DPEHPK3PXP")
    with override_settings(TOTP_ENCRYPTION_KEYS=[new, old]):  # rotated: the old key still decrypts
        assert otp.decrypt_secret(token) == "JBSWY3DPEHPK3PXP"


def test_a_deployment_needs_totp_keys() -> None:
    with override_settings(TOTP_ENCRYPTION_KEYS=[]):
        assert [e.id for e in check_totp_keys()] == ["accounts.E001"]
    with override_settings(TOTP_ENCRYPTION_KEYS=["not-a-key"]):
        assert [e.id for e in check_totp_keys()] == ["accounts.E002"]


def test_codes_follow_rfc_6238() -> None:
    # RFC 6238 appendix B, SHA-1, at T = 59 s: 94287082; its last 6 digits.
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of "12345678901234567890"
    assert otp.matching_step(secret, "287082", now=59) == 1
    assert otp.matching_step(secret, "287082", now=59 + 31 * 3) is None


def test_the_set_up_page_is_not_cached(client_for, lurah_operator: User) -> None:
    response = client_for(lurah_operator).get(TWO_FACTOR)
    assert "no-store" in response["Cache-Control"]


def test_a_new_password_step_drops_a_sign_in_left_half_way(
    client: Client, lurah_operator: User, camat_operator: User
) -> None:
    enrol(lurah_operator)
    sign_in(client, "lurah.gambir")  # waits for lurah's code
    sign_in(client, "camat.gambir")  # someone else signs in on the same browser

    assert client.get(CODE)["Location"] == LOGIN
