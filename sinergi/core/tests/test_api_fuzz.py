"""Property-based fuzzing of the API from its own OpenAPI schema (schemathesis).

Every operation is called in-process through the WSGI application with the Bearer token of the
Kesbangpol administrator (who sees the whole province, so generated writes can succeed), with valid
and invalid input: 25 generated examples per operation, plus schemathesis's boundary cases. No
response may be a server error, and each must have a status code, content type and body that the
schema documents. The number of requests made is printed at the end (1,824 when this was written).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as examples

from conftest import Territory, Units
from sinergi.accounts.models import User
from sinergi.core.tests.world import build_world

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]

REQUESTS = {"made": 0}


@pytest.fixture(scope="module", autouse=True)
def _report_requests(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    capture = request.config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(f"\nAPI fuzzing: {REQUESTS['made']} requests")


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """Django closes the database connection at the end of every request, which would end the
    test's transaction on PostgreSQL; its test client disconnects that handler, and so does this."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(
    territory: Territory,
    units: Units,
    kesbangpol_admin: User,
    lurah_operator: User,
    api_token_for: Callable[[User], str],
    settings: Any,
    tmp_path: Any,
) -> str:
    """The admin's token, with one of every object in the database for the operations to find."""
    settings.MEDIA_ROOT = tmp_path / "media"
    build_world(territory, units, kesbangpol_admin, lurah_operator)
    return api_token_for(kesbangpol_admin)


@pytest.mark.django_db
@schema.parametrize()
@examples(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_api_keeps_to_its_schema(case: schemathesis.Case, admin_token: str) -> None:
    response = case.call(headers={"Authorization": f"Bearer {admin_token}"})
    REQUESTS["made"] += 1
    case.validate_response(response, checks=CHECKS)
