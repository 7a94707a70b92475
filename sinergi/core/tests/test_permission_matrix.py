"""The permission matrix: every URL the project defines, asked by every kind of user.

``PAGES`` names every page by URL name and ``API`` every endpoint of the API by method and path. A
URL missing from them fails ``test_every_url_is_in_the_matrix``: a new page or endpoint must be
added here, with what each persona gets.

Personas (columns): anonymous; the Kesbangpol administrator (whole province); the Jakarta Pusat
viewer (reads the city, writes nothing); the Lurah operator of Gambir (the objects' kelurahan); the
outsider operator of Pasar Baru; the administrator of Jakarta Barat (another city); the RT chair
(representative of RT 001/RW 001 Gambir). Every object lives in Kelurahan or Kecamatan Gambir
(``world.build_world``). For anonymous, 302 means a redirect to the login page, and 401 on the API.
The row constants live in ``matrix_rows``; each app adds its own rows from its ``tests/matrix.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from config.api import api
from conftest import Territory, Units
from sinergi.accounts.models import ApiToken, Role, User
from sinergi.audit.models import AuditEvent
from sinergi.core.tests.matrix_rows import (
    ADMIN_LIST,
    ADMIN_OBJECT,
    API_CREATE,
    API_OPEN,
    API_ORG,
    API_ORMAS,
    API_REGION,
    API_SIGNED_IN,
    API_WRITE,
    CHAIR_ONLY,
    OPEN,
    ORG_EDIT,
    ORG_READ,
    ORG_REPRESENT,
    ORMAS_EDIT,
    ORMAS_FILE,
    OWNER,
    POST_ONLY,
    REFUSED,
    REGION,
    SIGNED_IN,
    STAFF_EDITOR,
    STAFF_ONLY,
    VIEWER_OUTSIDER_WEST,
    app_matrices,
    row,
)
from sinergi.core.tests.world import World, build_world, photo_pk
from sinergi.notifications.models import Notification
from sinergi.privacy.models import Breach, DataSubjectRequest
from sinergi.registry.models import (
    ActivityReport,
    ChangeRequest,
    CoachingNote,
    Document,
    ImportJob,
    Officer,
    Organisation,
    Person,
    Sanction,
)
from sinergi.registry.tests.conftest import PDF, make_nik
from sinergi.territory.models import RT, RW

pytestmark = pytest.mark.django_db

_APPS = app_matrices()


def _k(t: Territory) -> str:
    return t.kel_gambir.code


# name -> (arguments from the world, expected status by persona)
PAGES: dict[str, tuple[Callable[[World, Territory], list[Any]], dict[str, int]]] = {
    # Public: health, language, login, password reset, the API's description.
    "health": (lambda w, t: [], OPEN),
    "set_language": (lambda w, t: [], row(302, 302, 302, 302, 302, 302, 302)),  # GET only redirects back
    "javascript-catalog": (lambda w, t: [], OPEN),
    "api-docs": (lambda w, t: [], OPEN),
    "api-openapi": (lambda w, t: [], OPEN),
    "api:openapi-json": (lambda w, t: [], OPEN),
    "api:api-root": (lambda w, t: [], row(404, 404, 404, 404, 404, 404, 404)),  # Ninja's root has no page
    "accounts:login": (lambda w, t: [], row(200, 302, 302, 302, 302, 302, 302)),
    "accounts:login-code": (lambda w, t: [], row(302, 302, 302, 302, 302, 302, 302)),  # only after a password
    "accounts:logout": (lambda w, t: [], row(405, 405, 405, 405, 405, 405, 405)),
    "accounts:password_reset": (lambda w, t: [], OPEN),
    "accounts:password_reset_done": (lambda w, t: [], OPEN),
    "accounts:password_reset_confirm": (lambda w, t: ["MQ", "set-password"], OPEN),  # "invalid link" page
    "accounts:password_reset_complete": (lambda w, t: [], OPEN),
    # One's own account and inbox.
    "core:home": (lambda w, t: [], SIGNED_IN),
    "accounts:two-factor": (lambda w, t: [], SIGNED_IN),
    "accounts:two-factor-disable": (lambda w, t: [], POST_ONLY),
    "accounts:password_change": (lambda w, t: [], SIGNED_IN),
    "accounts:password_change_done": (lambda w, t: [], SIGNED_IN),
    "accounts:tokens": (lambda w, t: [], SIGNED_IN),
    "accounts:token-revoke": (lambda w, t: [w.token.pk], POST_ONLY),
    "notifications:inbox": (lambda w, t: [], SIGNED_IN),
    "notifications:read_all": (lambda w, t: [], POST_ONLY),
    "notifications:read": (lambda w, t: [w.notification.pk], POST_ONLY),
    "notifications:open": (lambda w, t: [w.notification.pk], POST_ONLY),
    # Staff accounts, audit log, breaches and data-subject requests: administrators only.
    "accounts:staff": (lambda w, t: [], ADMIN_LIST),
    "accounts:staff-create": (lambda w, t: [], ADMIN_LIST),
    "accounts:staff-detail": (lambda w, t: [w.staff.pk], ADMIN_OBJECT),
    "accounts:role-grant": (lambda w, t: [w.staff.pk], POST_ONLY),
    "accounts:role-revoke": (lambda w, t: [w.staff.pk, w.staff_role.pk], POST_ONLY),
    "accounts:staff-two-factor-reset": (lambda w, t: [w.staff.pk], POST_ONLY),
    "audit:list": (lambda w, t: [], ADMIN_LIST),
    "audit:detail": (lambda w, t: [w.event.pk], ADMIN_OBJECT),
    "privacy:breaches": (lambda w, t: [], ADMIN_LIST),
    "privacy:breach-create": (lambda w, t: [], ADMIN_LIST),
    "privacy:breach-detail": (lambda w, t: [w.breach.pk], ADMIN_OBJECT),
    "privacy:breach-update": (lambda w, t: [w.breach.pk], ADMIN_OBJECT),
    "privacy:requests": (lambda w, t: [], ADMIN_LIST),
    "privacy:request-create": (lambda w, t: [], ADMIN_LIST),
    "privacy:request-detail": (lambda w, t: [w.subject_request.pk], ADMIN_OBJECT),
    "privacy:request-correct": (lambda w, t: [w.subject_request.pk], ADMIN_OBJECT),
    "privacy:request-anonymise": (lambda w, t: [w.subject_request.pk], POST_ONLY),
    "privacy:request-download": (lambda w, t: [w.subject_request.pk, "json"], ADMIN_OBJECT),
    # Territory. Staff are sent on to their own region; a representative has no territory page.
    "territory:index": (lambda w, t: [], row(302, 302, 302, 302, 302, 302, 200)),
    "territory:region": (lambda w, t: [_k(t)], REGION),
    "territory:geojson": (lambda w, t: [_k(t)], REGION),
    "territory:rw": (lambda w, t: [_k(t), 1], REGION),
    "territory:rw-create": (lambda w, t: [_k(t)], POST_ONLY),
    "territory:rt-create": (lambda w, t: [_k(t), 1], POST_ONLY),
    # The register: lists are filtered to the scope, objects outside it answer 404.
    "registry:list": (lambda w, t: [], SIGNED_IN),
    "registry:expiring": (lambda w, t: [], SIGNED_IN),
    "registry:terms-ending": (lambda w, t: [], SIGNED_IN),
    "registry:not-reported": (lambda w, t: [], SIGNED_IN),
    "registry:export": (lambda w, t: [], SIGNED_IN),
    "registry:import-template": (lambda w, t: ["organisations", "xlsx"], SIGNED_IN),
    "registry:create": (lambda w, t: [], STAFF_EDITOR),
    "registry:imports": (lambda w, t: [], STAFF_EDITOR),
    "registry:requests": (lambda w, t: [], STAFF_ONLY),
    "registry:mine": (lambda w, t: [], row(302, 200, 200, 200, 200, 200, 302)),  # the chair: straight to the RT
    "registry:mine-detail": (lambda w, t: [w.org.pk], CHAIR_ONLY),
    "registry:detail": (lambda w, t: [w.org.pk], ORG_READ),
    "registry:photo": (lambda w, t: [photo_pk(w)], ORG_READ),
    "registry:person": (lambda w, t: [w.person.pk], ORG_READ),
    "registry:request": (lambda w, t: [w.change_request.pk], ORG_READ),
    "registry:request-file": (lambda w, t: [w.change_request.pk], ORG_READ),
    "registry:history": (lambda w, t: [w.org.pk], ADMIN_OBJECT),
    "registry:edit": (lambda w, t: [w.org.pk], ORG_EDIT),
    "registry:status": (lambda w, t: [w.org.pk], ORG_EDIT),
    "registry:officer-add": (lambda w, t: [w.org.pk], ORG_EDIT),
    "registry:officer-end": (lambda w, t: [w.officer.pk], ORG_EDIT),
    "registry:representative-add": (lambda w, t: [w.org.pk], ORG_EDIT),
    "registry:representative-revoke": (lambda w, t: [w.representative.pk], POST_ONLY),
    "registry:person-reveal": (lambda w, t: [w.person.pk], POST_ONLY),
    "registry:contact": (lambda w, t: [w.org.pk], ORG_REPRESENT),
    "registry:activity-add": (lambda w, t: [w.org.pk], ORG_REPRESENT),
    "registry:propose-officer": (lambda w, t: [w.org.pk], ORG_REPRESENT),
    "registry:propose-officer-end": (lambda w, t: [w.officer.pk], ORG_REPRESENT),
    "registry:ormas": (lambda w, t: [w.ormas.pk], ORMAS_EDIT),
    "registry:document-add": (lambda w, t: [w.ormas.pk], ORMAS_EDIT),
    "registry:coaching-add": (lambda w, t: [w.ormas.pk], ORMAS_EDIT),
    "registry:sanction-add": (lambda w, t: [w.ormas.pk], ORMAS_EDIT),
    "registry:sanction-resolve": (lambda w, t: [w.sanction.pk], ORMAS_EDIT),
    "registry:document-file": (lambda w, t: [w.document.pk], ORMAS_FILE),
    "registry:coaching-file": (lambda w, t: [w.coaching.pk], ORMAS_FILE),
    "registry:sanction-file": (lambda w, t: [w.sanction.pk, "letter"], ORMAS_FILE),
    "registry:import": (lambda w, t: [w.import_job.pk], OWNER),
    "registry:import-report": (lambda w, t: [w.import_job.pk, "csv"], OWNER),
    "registry:import-start": (lambda w, t: [w.import_job.pk], POST_ONLY),
    "registry:export-job": (lambda w, t: [w.export_job.pk], OWNER),
    "registry:export-download": (lambda w, t: [w.export_job.pk], OWNER),
}

# Anonymous redirects that do not go to the login page.
SENT_ELSEWHERE = {"set_language", "accounts:login-code"}

# Routes without a name: none. Uploaded files go out only through the scoped views above, never
# through a public media URL, not even in development.
UNNAMED: set[str] = set()

# Writes: POSTed by each persona that must be refused, with data that would pass the form, so
# the refusal comes from the permission and not from a validation error. The answer is 403 or 404
# and nothing in the database changes.
WRITES: dict[str, tuple[dict[str, Any], tuple[str, ...]]] = {
    "accounts:token-revoke": ({}, VIEWER_OUTSIDER_WEST),  # the lurah operator's token
    "notifications:read": ({}, VIEWER_OUTSIDER_WEST),  # the lurah operator's notification
    "notifications:open": ({}, VIEWER_OUTSIDER_WEST),
    "accounts:staff-create": ({"username": "x.baru", "full_name": "X"}, ("viewer", "outsider", "chair")),
    "accounts:role-grant": ({"kind": "admin"}, REFUSED),
    "accounts:role-revoke": ({}, REFUSED),
    "accounts:staff-two-factor-reset": ({}, REFUSED),
    "privacy:breach-create": ({"title": "x", "description": "x", "data_affected": "x"}, ("viewer", "outsider")),
    "privacy:breach-update": ({"title": "x", "description": "x", "data_affected": "x"}, REFUSED),
    "privacy:request-create": ({"kind": "access"}, ("viewer", "outsider", "chair")),
    "privacy:request-correct": ({"full_name": "X"}, REFUSED),
    "privacy:request-anonymise": ({}, REFUSED),
    "territory:rw-create": ({"number": 9}, REFUSED),
    "territory:rt-create": ({"number": 9}, REFUSED),
    "registry:create": ({"name": "Baru", "kind": "lmk"}, ("viewer", "chair")),
    "registry:imports": ({"target": "organisations"}, ("viewer", "chair")),
    "registry:edit": ({"name": "Diubah"}, REFUSED),
    "registry:status": ({"status": "suspended", "reason": "x"}, REFUSED),
    "registry:officer-add": ({"position": "ketua"}, REFUSED),
    "registry:officer-end": ({"ended_on": "2025-01-01", "reason": "resignation"}, REFUSED),
    "registry:representative-add": ({"username": "x"}, REFUSED),
    "registry:representative-revoke": ({}, REFUSED),
    "registry:person-reveal": ({}, REFUSED),
    "registry:request": ({"decision": "approve"}, REFUSED),
    "registry:contact": ({"phone": "0811111111"}, VIEWER_OUTSIDER_WEST),
    "registry:activity-add": ({"title": "x"}, VIEWER_OUTSIDER_WEST),
    "registry:propose-officer": ({"position": "ketua"}, VIEWER_OUTSIDER_WEST),
    "registry:propose-officer-end": ({"reason": "resignation"}, VIEWER_OUTSIDER_WEST),
    "registry:ormas": ({"legal_form": "skt"}, REFUSED),
    "registry:document-add": ({"type": "other"}, REFUSED),
    "registry:coaching-add": ({"subject": "x", "note": "x"}, REFUSED),
    "registry:sanction-add": ({"step": 2, "reason": "x"}, REFUSED),
    "registry:sanction-resolve": ({"outcome": "complied"}, REFUSED),
    "registry:import-start": ({"mode": "all"}, REFUSED),
}


def _rows(model: Any) -> Any:
    """A model's rows; of the audit log, not the events that record a reading (``*.view*``, such as
    ``earlywarning.report.view_api``): reading restricted data is audited, and a read changes nothing."""
    if model is AuditEvent:
        return model.objects.exclude(action__regex=r"\.view(_[a-z]+)?$")
    return model.objects


def snapshot() -> list[Any]:
    """Every row a refused write could have touched (but a token's time of last use)."""
    return [
        list(
            _rows(model)
            .order_by("pk")
            .values(*[f.attname for f in model._meta.concrete_fields if f.name != "last_used_at"])
        )
        for model in (
            AuditEvent,
            Organisation,
            Officer,
            Person,
            Document,
            CoachingNote,
            Sanction,
            ActivityReport,
            ChangeRequest,
            ImportJob,
            Role,
            User,
            ApiToken,
            Notification,
            Breach,
            DataSubjectRequest,
            RW,
            RT,
            *[model for app in _APPS for model in app.SNAPSHOT_MODELS],
        )
    ]


# API -----------------------------------------------------------------------------------------------
# (method, path) -> (path arguments from the world, body, expected by persona)
NEW_PERSON = {"full_name": "Budi Santoso", "nik": make_nik(serial=99)}

API: dict[tuple[str, str], tuple[Callable[[World, Territory], dict[str, Any]], Any, dict[str, int]]] = {
    ("get", "/api/v1/health"): (lambda w, t: {}, None, API_OPEN),
    ("get", "/api/v1/me"): (lambda w, t: {}, None, API_SIGNED_IN),
    ("get", "/api/v1/accounts/roles"): (lambda w, t: {}, None, API_SIGNED_IN),
    ("get", "/api/v1/territory/regions"): (lambda w, t: {}, None, API_SIGNED_IN),
    ("get", "/api/v1/territory/regions/{code}"): (lambda w, t: {"code": _k(t)}, None, API_REGION),
    ("get", "/api/v1/territory/regions/{code}/children"): (lambda w, t: {"code": _k(t)}, None, API_REGION),
    ("get", "/api/v1/territory/regions/{code}/geojson"): (lambda w, t: {"code": _k(t)}, None, API_REGION),
    ("get", "/api/v1/territory/regions/{code}/rw"): (lambda w, t: {"code": _k(t)}, None, API_REGION),
    ("get", "/api/v1/territory/regions/{code}/rt"): (lambda w, t: {"code": _k(t)}, None, API_REGION),
    ("get", "/api/v1/registry/organisations"): (lambda w, t: {}, None, API_SIGNED_IN),
    ("get", "/api/v1/registry/persons"): (lambda w, t: {}, None, API_SIGNED_IN),
    ("get", "/api/v1/registry/change-requests"): (lambda w, t: {}, None, API_SIGNED_IN),
    ("get", "/api/v1/registry/organisations/{pk}"): (lambda w, t: {"pk": w.org.pk}, None, API_ORG),
    ("get", "/api/v1/registry/organisations/{pk}/officers"): (lambda w, t: {"pk": w.org.pk}, None, API_ORG),
    ("get", "/api/v1/registry/organisations/{pk}/documents"): (lambda w, t: {"pk": w.ormas.pk}, None, API_ORMAS),
    ("get", "/api/v1/registry/organisations/{pk}/activity-reports"): (lambda w, t: {"pk": w.org.pk}, None, API_ORG),
    ("get", "/api/v1/registry/persons/{pk}"): (lambda w, t: {"pk": w.person.pk}, None, API_ORG),
    ("get", "/api/v1/registry/documents/{pk}/file"): (lambda w, t: {"pk": w.document.pk}, None, API_ORMAS),
    ("post", "/api/v1/registry/organisations"): (
        lambda w, t: {},
        {"kind": "lmk", "name": "LMK Gambir", "region": "31.71.01.1001"},
        # Outside one's territory the place is refused as any unknown one: "choose a territory you work in".
        row(401, 0, 403, 0, 422, 422, 422),
    ),
    ("post", "/api/v1/registry/persons"): (lambda w, t: {}, NEW_PERSON, API_CREATE),
    ("patch", "/api/v1/registry/organisations/{pk}"): (lambda w, t: {"pk": w.org.pk}, {"name": "X"}, API_WRITE),
    ("post", "/api/v1/registry/organisations/{pk}/status"): (
        lambda w, t: {"pk": w.org.pk},
        {"status": "suspended", "reason": "x"},
        API_WRITE,
    ),
    ("post", "/api/v1/registry/organisations/{pk}/officers"): (
        lambda w, t: {"pk": w.org.pk},
        lambda w: {"person_id": w.person.pk, "position": "sekretaris", "term_start": "2025-01-01"},
        API_WRITE,
    ),
    ("post", "/api/v1/registry/officers/{pk}/end"): (
        lambda w, t: {"pk": w.officer.pk},
        {"ended_on": "2025-01-01", "reason": "resignation"},
        API_WRITE,
    ),
    ("post", "/api/v1/registry/persons/{pk}/reveal-nik"): (lambda w, t: {"pk": w.person.pk}, {}, API_WRITE),
    ("post", "/api/v1/registry/organisations/{pk}/documents"): (
        lambda w, t: {"pk": w.ormas.pk},
        "document",
        row(401, 0, 403, 404, 404, 404, 404),
    ),
    ("post", "/api/v1/registry/organisations/{pk}/activity-reports"): (
        lambda w, t: {"pk": w.org.pk},
        {"held_on": "2025-01-01", "kind": "meeting", "title": "x", "place": "x", "participants": 1},
        row(401, 0, 403, 0, 404, 404, 0),
    ),
    ("post", "/api/v1/registry/organisations/{pk}/change-requests"): (
        lambda w, t: {"pk": w.org.pk},
        {"kind": "contact", "payload": '{"phone": "0811111111"}'},
        row(401, 0, 403, 0, 404, 404, 0),
    ),
    ("post", "/api/v1/registry/change-requests/{pk}/decide"): (
        lambda w, t: {"pk": w.change_request.pk},
        {"approve": True},
        API_WRITE,
    ),
}
FORM_BODIES = {
    "/api/v1/registry/organisations/{pk}/activity-reports",
    "/api/v1/registry/organisations/{pk}/change-requests",
}

# Each app's own rows (sinergi/<app>/tests/matrix.py).
for _app in _APPS:
    PAGES.update(_app.PAGES)
    WRITES.update(_app.WRITES)
    API.update(_app.API)
    FORM_BODIES.update(_app.FORM_BODIES)


# The walk ------------------------------------------------------------------------------------------


def url_patterns(
    resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    """(route, name) of every URL pattern, with namespaces, depth first."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace or ""]))
            yield from url_patterns(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = ":".join(filter(None, [namespace, pattern.name or ""])) if pattern.name else ""
            yield prefix + str(pattern.pattern), name


def api_operations() -> set[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return {(method, path) for path, operations in schema["paths"].items() for method in operations}


def test_every_url_is_in_the_matrix() -> None:
    pages, api_routes = set(), set()
    for route, name in url_patterns():
        if route.startswith("api/v1/") and name not in PAGES:
            # Ninja's operations; each is checked against the schema below.
            api_routes.add("/" + route.replace("<", "{").replace(">", "}"))
        elif name:
            pages.add(name)
        else:
            assert route in UNNAMED, f"an unnamed URL pattern: {route}"

    assert pages - PAGES.keys() == set(), "pages missing from PAGES"
    assert PAGES.keys() - pages == set(), "PAGES names pages that no longer exist"
    assert api_routes == {path for _method, path in api_operations()}, "an API route missing from the schema"
    assert api_operations() - API.keys() == set(), "API operations missing from API"
    assert API.keys() - api_operations() == set(), "API names operations that no longer exist"


@pytest.fixture
def world(
    territory: Territory, units: Units, kesbangpol_admin: User, lurah_operator: User, settings, tmp_path
) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world(territory, units, kesbangpol_admin, lurah_operator)


@pytest.fixture
def personas(
    world: World,
    kesbangpol_admin: User,
    city_viewer: User,
    lurah_operator: User,
    outsider_operator: User,
    west_admin: User,
) -> dict[str, User | None]:
    return {
        "anon": None,
        "admin": kesbangpol_admin,
        "viewer": city_viewer,
        "lurah": lurah_operator,
        "outsider": outsider_operator,
        "west": west_admin,
        "chair": world.rt_chair,
    }


def test_every_page_answers_each_persona_as_the_matrix_says(
    world: World, territory: Territory, personas: dict[str, User | None], client_for: Callable[[User], Client]
) -> None:
    clients = {key: client_for(user) if user else Client() for key, user in personas.items()}
    login = reverse("accounts:login")
    wrong = []
    for name, (args, expected) in PAGES.items():
        url = reverse(name, args=args(world, territory))
        for persona, client in clients.items():
            response = client.get(url)
            if response.status_code != expected[persona]:
                wrong.append(f"{name} {url} {persona}: {response.status_code}, expected {expected[persona]}")
            elif (
                persona == "anon"
                and response.status_code == 302
                and name not in SENT_ELSEWHERE
                and not response["Location"].startswith(login)
            ):
                wrong.append(f"{name} {url} anon: redirected to {response['Location']}, not to the login")

    assert wrong == [], "\n".join(wrong)


def test_anonymous_posts_are_sent_to_the_login_and_change_nothing(world: World, territory: Territory) -> None:
    client = Client()
    before = snapshot()

    for name in WRITES:
        response = client.post(reverse(name, args=PAGES[name][0](world, territory)), WRITES[name][0])
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("accounts:login")), name

    assert snapshot() == before


def test_a_viewer_an_outsider_and_a_representative_cannot_write(
    world: World, territory: Territory, personas: dict[str, User | None], client_for: Callable[[User], Client]
) -> None:
    clients = {key: client_for(user) for key, user in personas.items() if user}
    before = snapshot()
    wrong = []

    for name, (data, refused) in WRITES.items():
        url = reverse(name, args=PAGES[name][0](world, territory))
        for persona in refused:
            status = clients[persona].post(url, data).status_code
            if status not in (403, 404):
                wrong.append(f"{name} {url} {persona}: {status}")

    assert wrong == []
    assert snapshot() == before


def _api_request(client: Client, method: str, template: str, path: str, body: Any) -> Any:
    if callable(body):  # an app's upload: (client, path) -> response
        return body(client, path)
    if body == "document":
        upload = SimpleUploadedFile("surat.pdf", PDF, content_type="application/pdf")
        return client.post(path, {"type": "other", "file": upload})
    if method == "post" and template in FORM_BODIES:
        return client.post(path, body)
    if body is None:
        return getattr(client, method)(path)
    return getattr(client, method)(path, body, content_type="application/json")


def test_every_api_operation_answers_each_persona_as_the_matrix_says(
    world: World,
    territory: Territory,
    personas: dict[str, User | None],
    api_client_for: Callable[[User], Client],
) -> None:
    clients = {key: api_client_for(user) if user else Client() for key, user in personas.items()}
    before = snapshot()
    wrong = []

    for (method, template), (params, body, expected) in API.items():
        path = template.format(**params(world, territory))
        body = body(world) if callable(body) else body
        for persona, client in clients.items():
            if expected[persona] == 0:  # an allowed write: not made here
                continue
            status = _api_request(client, method, template, path, body).status_code
            if status != expected[persona]:
                wrong.append(f"{method.upper()} {path} {persona}: {status}, expected {expected[persona]}")

    assert wrong == [], "\n".join(wrong)
    assert snapshot() == before
