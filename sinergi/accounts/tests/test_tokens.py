"""API tokens: a usable token authenticates, an expired or revoked one does not, a read token cannot write,
and the key is never stored."""

import datetime
import hashlib

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, RequestFactory
from django.utils import timezone

from sinergi.accounts import services
from sinergi.accounts.api import TokenAuth
from sinergi.accounts.models import ApiToken, User
from sinergi.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"


def bearer(key: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_a_valid_token_authenticates_as_its_user(lurah_operator: User) -> None:
    _token, key = services.token_create(user=lurah_operator, name="SIAK")

    response = bearer(key).get(ME)

    assert response.status_code == 200
    assert response.json() == {
        "username": "lurah.gambir",
        "full_name": "Joko Kelurahan Gambir",
        "scope": ["31.71.01.1001"],
    }


def test_a_token_notes_when_it_was_last_used(lurah_operator: User) -> None:
    token, key = services.token_create(user=lurah_operator, name="SIAK")
    assert token.last_used_at is None

    bearer(key).get(ME)

    token.refresh_from_db()
    assert token.last_used_at is not None


def test_an_expired_token_is_refused(lurah_operator: User) -> None:
    token, key = services.token_create(user=lurah_operator, name="SIAK", days=30)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    assert bearer(key).get(ME).status_code == 401


def test_a_revoked_token_is_refused(lurah_operator: User) -> None:
    token, key = services.token_create(user=lurah_operator, name="SIAK")
    assert bearer(key).get(ME).status_code == 200

    services.token_revoke(token=token, by=lurah_operator)

    assert bearer(key).get(ME).status_code == 401


def test_a_token_of_a_switched_off_account_is_refused(lurah_operator: User) -> None:
    _token, key = services.token_create(user=lurah_operator, name="SIAK")
    User.objects.filter(pk=lurah_operator.pk).update(is_active=False)

    assert bearer(key).get(ME).status_code == 401


@pytest.mark.parametrize("mangle", [str.upper, lambda k: k[:-1] + ("A" if k[-1] != "A" else "B"), lambda k: "sng_x_y"])
def test_a_wrong_key_is_refused(lurah_operator: User, mangle) -> None:
    _token, key = services.token_create(user=lurah_operator, name="SIAK")
    assert bearer(mangle(key)).get(ME).status_code == 401


def test_no_credentials_is_refused(client: Client) -> None:
    assert client.get(ME).status_code == 401


def test_the_key_is_never_stored(lurah_operator: User) -> None:
    token, key = services.token_create(user=lurah_operator, name="SIAK")
    secret = key.split("_", 2)[2]

    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert stored["key_hash"] == hashlib.sha256(key.encode()).hexdigest()
    assert not any(secret in str(value) for value in stored.values())
    assert not any(secret in str(event) for event in AuditEvent.objects.values())


def test_a_token_without_expiry_lives_until_revoked(lurah_operator: User) -> None:
    token, key = services.token_create(user=lurah_operator, name="SIAK", days=None)
    assert token.expires_at is None
    assert bearer(key).get(ME).status_code == 200


def test_the_token_page_shows_a_new_key_once(client_for, lurah_operator: User) -> None:
    client = client_for(lurah_operator)

    response = client.post("/akun/token/", {"name": "SIAK", "days": 30, "scope": "read"})
    assert response.status_code == 302  # a reload of the page cannot make a second token
    page = client.get(response["Location"])

    key = page.context["new_key"]
    assert key.startswith("sng_")
    assert key in page.content.decode()
    token = ApiToken.objects.get(user=lurah_operator)
    assert token.expires_at.date() == (timezone.now() + datetime.timedelta(days=30)).date()
    assert token.scope == ApiToken.Scope.READ
    assert key not in client.get("/akun/token/").content.decode()
    assert not any(key in str(session.get_decoded()) for session in Session.objects.all())
    assert bearer(key).get(ME).status_code == 200


def test_a_user_revokes_their_token_on_the_token_page(client_for, lurah_operator: User) -> None:
    token, key = services.token_create(user=lurah_operator, name="SIAK")

    response = client_for(lurah_operator).post(f"/akun/token/{token.pk}/cabut/")

    assert response.status_code == 302
    assert bearer(key).get(ME).status_code == 401


def test_a_user_cannot_revoke_someone_elses_token(client_for, lurah_operator: User, outsider_operator: User) -> None:
    token, key = services.token_create(user=lurah_operator, name="SIAK")

    response = client_for(outsider_operator).post(f"/akun/token/{token.pk}/cabut/")

    assert response.status_code == 404
    assert bearer(key).get(ME).status_code == 200


def test_a_key_whose_secret_contains_underscores_works(lurah_operator: User, monkeypatch: pytest.MonkeyPatch) -> None:
    # URL-safe secrets contain "_" about every other time; the key must still parse.
    monkeypatch.setattr("sinergi.accounts.services.secrets.token_urlsafe", lambda _n: "ab_cd_ef_" * 5)
    _token, key = services.token_create(user=lurah_operator, name="SIAK")

    assert bearer(key).get(ME).status_code == 200


ORGANISATIONS = "/api/v1/registry/organisations"


def test_a_new_token_only_reads_unless_asked(lurah_operator: User) -> None:
    token, _key = services.token_create(user=lurah_operator, name="SIAK")
    assert token.scope == ApiToken.Scope.READ


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_read_token_may_not_change_data(lurah_operator: User, method: str) -> None:
    _token, key = services.token_create(user=lurah_operator, name="SIAK", scope="read")
    request = getattr(RequestFactory(), method)("/api/v1/anything")

    with pytest.raises(PermissionDenied):
        TokenAuth().authenticate(request, key)


def test_a_read_token_reads(lurah_operator: User) -> None:
    _token, key = services.token_create(user=lurah_operator, name="SIAK", scope="read")

    assert bearer(key).get(ME).status_code == 200
    assert TokenAuth().authenticate(RequestFactory().head(ME), key) == lurah_operator


def test_a_read_token_gets_403_on_a_write_endpoint(lurah_operator: User) -> None:
    _token, key = services.token_create(user=lurah_operator, name="SIAK", scope="read")

    response = bearer(key).post(ORGANISATIONS, {}, content_type="application/json")

    assert response.status_code == 403
    assert "only read" in response.json()["detail"]


def test_a_write_token_passes_authentication_on_a_write_endpoint(lurah_operator: User) -> None:
    _token, key = services.token_create(user=lurah_operator, name="SIAK", scope="write")

    response = bearer(key).post(ORGANISATIONS, {}, content_type="application/json")

    assert response.status_code not in (401, 403)  # the empty body is refused, not the caller


def test_a_revoked_write_token_cannot_write(lurah_operator: User) -> None:
    token, key = services.token_create(user=lurah_operator, name="SIAK", scope="write")
    services.token_revoke(token=token, by=lurah_operator)

    assert bearer(key).post(ORGANISATIONS, {}, content_type="application/json").status_code == 401


def test_a_token_with_an_unknown_scope_is_not_made(lurah_operator: User) -> None:
    with pytest.raises(ValidationError):
        services.token_create(user=lurah_operator, name="SIAK", scope="admin")
    assert not ApiToken.objects.exists()


def test_the_token_page_makes_a_write_token_when_asked(client_for, lurah_operator: User) -> None:
    client_for(lurah_operator).post("/akun/token/", {"name": "SIAK", "days": 90, "scope": "write"})

    token = ApiToken.objects.get(user=lurah_operator)
    assert token.scope == ApiToken.Scope.WRITE
    event = AuditEvent.objects.get(action="accounts.token.create")
    assert event.changes["scope"] == [None, "write"]
