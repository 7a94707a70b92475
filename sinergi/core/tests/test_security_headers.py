"""Headers and cookies on real responses, and the production settings passing ``check --deploy``."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from conftest import PASSWORD
from sinergi.accounts.models import User

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


def test_a_page_carries_the_security_headers(client: Client) -> None:
    response = client.get("/akun/masuk/")

    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"].split()[0] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_cookies_are_out_of_reach_of_scripts(client: Client, lurah_operator: User) -> None:
    page = client.get("/akun/masuk/")
    csrf = page.cookies["csrftoken"]
    assert csrf["httponly"]
    assert csrf["samesite"] == "Lax"

    response = client.post("/akun/masuk/", {"username": "lurah.gambir", "password": PASSWORD})

    session = response.cookies["sessionid"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"


def test_the_api_carries_the_headers_too(client: Client) -> None:
    response = client.get("/api/v1/health")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """The environment docs/operations.md asks for, with fresh secrets."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "PASSWORD_HASHER", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="sinergi.example.go.id",
        CSRF_TRUSTED_ORIGINS="https://sinergi.example.go.id",
        SITE_URL="https://sinergi.example.go.id",
        EMAIL_HOST="smtp.example.go.id",
        NIK_ENCRYPTION_KEYS=base64.urlsafe_b64encode(os.urandom(32)).decode(),
        NIK_HASH_KEY=secrets.token_hex(32),
        TOTP_ENCRYPTION_KEYS=base64.urlsafe_b64encode(os.urandom(32)).decode(),
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        SINERGI_VAR_DIR=str(tmp_path),
    )
    env.update(overrides)
    return env


# Runs in a fresh interpreter with production settings: the deployment checks, then requests through
# the whole middleware stack. The sign-in page needs no database; only the static files' manifest
# (made by collectstatic on deployment) is swapped for plain storage, which sets no header.
PROBE = textwrap.dedent(
    """
    import django, json
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client, override_settings
    call_command("check", deploy=True, fail_level="WARNING")
    client = Client(HTTP_HOST="sinergi.example.go.id")
    plain = client.get("/akun/masuk/")
    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = {**settings.STORAGES, "staticfiles": plain_static}
    with override_settings(STORAGES=storages):
        secure = client.get("/akun/masuk/", secure=True)
    csrf = secure.cookies["csrftoken"]
    print(json.dumps({
        "redirect": [plain.status_code, plain.get("Location")],
        "status": secure.status_code,
        "headers": {k: secure.get(k) for k in [
            "Strict-Transport-Security", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy",
            "Content-Security-Policy",
        ]},
        "csrf_cookie": [bool(csrf["secure"]), bool(csrf["httponly"]), csrf["samesite"]],
        "session_cookie": [settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY],
    }))
    """
)


def probe(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_production_settings_pass_the_deploy_check_and_send_hsts(tmp_path: Path) -> None:
    import json

    result = probe(production_env(tmp_path))

    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["redirect"] == [301, "https://sinergi.example.go.id/akun/masuk/"]
    headers = found["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert found["status"] == 200
    assert found["csrf_cookie"] == [True, True, "Lax"]
    assert found["session_cookie"] == [True, True]


def test_the_deploy_check_fails_without_the_totp_keys(tmp_path: Path) -> None:
    result = probe(production_env(tmp_path, TOTP_ENCRYPTION_KEYS=""))

    assert result.returncode != 0
    assert "accounts.E001" in result.stderr
