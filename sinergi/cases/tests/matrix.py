"""This app's rows of the permission matrix (``sinergi/core/tests/test_permission_matrix.py``).

``build`` makes this app's objects inside Kelurahan or Kecamatan Gambir and returns them by name;
they are reachable in the lambdas below as ``w.x["<name>"]``.

The intake, the tracking page and the reporter's secret page are public (no account); the inbox and
a case's pages follow the scope (a unit of the territory or a unit the case was routed to; 404 for
anyone else); the category tree is for administrators (categories are province-wide).
"""

from __future__ import annotations

from typing import Any

from sinergi.accounts.models import Unit
from sinergi.cases import services
from sinergi.cases.models import Attachment, Case, CaseTransition, Category
from sinergi.core.tests.matrix_rows import (
    ADMIN_LIST,
    API_OPEN,
    API_REGION,
    API_SIGNED_IN,
    OPEN,
    POST_ONLY,
    REFUSED,
    REGION,
    SIGNED_IN,
    STAFF_ONLY,
    MatrixContext,
    row,
)
from sinergi.registry.tests.conftest import png

# The reporter's rating and dispute: POST only, with no login (the secret link is the key).
REPORTER_POST = row(405, 405, 405, 405, 405, 405, 405)


def _case(w: Any) -> str:
    return str(w.x["case"].number)


PAGES: dict[str, Any] = {
    "cases:submit": (lambda w, t: [], OPEN),
    "cases:similar": (lambda w, t: [], OPEN),
    "cases:boundaries": (lambda w, t: [], OPEN),
    "cases:track-search": (lambda w, t: [], OPEN),
    "cases:track": (lambda w, t: [_case(w)], OPEN),
    "cases:reporter": (lambda w, t: [_case(w), services.reporter_secret(w.x["case"])], OPEN),
    "cases:rate": (lambda w, t: [_case(w), services.reporter_secret(w.x["case"])], REPORTER_POST),
    "cases:dispute": (lambda w, t: [_case(w), services.reporter_secret(w.x["case"])], REPORTER_POST),
    "cases:reporter-file": (
        lambda w, t: [_case(w), services.reporter_secret(w.x["case"]), w.x["case_photo"].pk],
        OPEN,
    ),
    "cases:create": (lambda w, t: [], SIGNED_IN),
    "cases:mine": (lambda w, t: [], SIGNED_IN),
    "cases:inbox": (lambda w, t: [], STAFF_ONLY),
    "cases:workload": (lambda w, t: [], STAFF_ONLY),
    "cases:bulk": (lambda w, t: [], POST_ONLY),
    "cases:detail": (lambda w, t: [_case(w)], REGION),
    "cases:transition": (lambda w, t: [_case(w)], POST_ONLY),
    "cases:merge": (lambda w, t: [_case(w)], POST_ONLY),
    "cases:contact": (lambda w, t: [_case(w)], POST_ONLY),
    "cases:file": (lambda w, t: [w.x["case_photo"].pk], REGION),
    "cases:categories": (lambda w, t: [], ADMIN_LIST),
    "cases:category-create": (lambda w, t: [], ADMIN_LIST),
    "cases:category-edit": (lambda w, t: [w.x["case_category"].pk], ADMIN_LIST),
}
WRITES: dict[str, Any] = {
    "cases:transition": ({"to_status": "validated", "note": "x"}, REFUSED),
    "cases:merge": ({"into": "ADU-26-MATRX2"}, REFUSED),
    "cases:contact": ({}, REFUSED),
    "cases:bulk": ({"cases": ["ADU-26-MATRX1"], "unit": 0, "note": "x"}, REFUSED),
    "cases:category-create": ({"name": "Baru", "sla_days": 3}, ("viewer", "outsider", "chair")),
    "cases:category-edit": ({"name": "Diubah", "sla_days": 3}, ("viewer", "outsider", "chair")),
}
API: dict[tuple[str, str], Any] = {
    # Public intake: every caller may submit (not made here; the app's tests submit).
    ("post", "/api/v1/cases"): (lambda w, t: {}, {"category_id": 0, "description": "x"}, row(0, 0, 0, 0, 0, 0, 0)),
    ("get", "/api/v1/cases/categories"): (lambda w, t: {}, None, API_OPEN),
    ("get", "/api/v1/cases/track/{number}"): (lambda w, t: {"number": _case(w)}, None, API_OPEN),
    ("get", "/api/v1/cases/inbox"): (lambda w, t: {}, None, API_SIGNED_IN),
    ("get", "/api/v1/cases/inbox/{number}"): (lambda w, t: {"number": _case(w)}, None, API_REGION),
    ("get", "/api/v1/cases/inbox/{number}/timeline"): (lambda w, t: {"number": _case(w)}, None, API_REGION),
    ("post", "/api/v1/cases/inbox/{number}/transitions"): (
        lambda w, t: {"number": _case(w)},
        {"to_status": "validated", "note": "x"},
        row(401, 0, 403, 0, 404, 404, 404),
    ),
}
FORM_BODIES: set[str] = {"/api/v1/cases/inbox/{number}/transitions"}
SNAPSHOT_MODELS: list[Any] = [Case, CaseTransition, Attachment, Category]


def build(ctx: MatrixContext) -> dict[str, Any]:
    """A category the kelurahan handles itself, and two complaints in Kelurahan Gambir (one with a photo)."""
    category = services.category_save(by=ctx.admin, name="Matriks", unit_kind=Unit.Kind.VILLAGE_OFFICE, sla_days=7)
    case = services.case_submit(
        kind=Case.Kind.COMPLAINT,
        category=category,
        description="Saluran tersumbat",
        region=ctx.territory.kel_gambir,
        reporter_phone="081200000001",
        photos=[png()],
    ).case
    Case.objects.filter(pk=case.pk).update(number="ADU-26-MATRX1")
    case.refresh_from_db()
    other = services.case_submit(
        kind=Case.Kind.COMPLAINT, category=category, description="Sama", region=ctx.territory.kel_gambir
    ).case
    Case.objects.filter(pk=other.pk).update(number="ADU-26-MATRX2")
    return {
        "case": case,
        "case_other": other,
        "case_photo": case.attachments.get(),
        "case_category": category,
    }
