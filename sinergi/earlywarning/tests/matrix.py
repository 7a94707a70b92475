"""This app's rows of the permission matrix (``sinergi/core/tests/test_permission_matrix.py``).

``build`` makes this app's objects inside Kelurahan or Kecamatan Gambir and returns them by name;
they are reachable in the lambdas below as ``w.x["<name>"]``.

A report of Kelurahan Gambir is read by the Kesbangpol administrator, the Jakarta Pusat viewer and
the Lurah of Gambir (``REGION``); the outsider Lurah, the other city's administrator and the RT
chair get 404. No persona of the matrix is an FKDM member, so the phone page answers 404 to all.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sinergi.core.tests.matrix_rows import (
    API_REGION,
    API_SIGNED_IN,
    POST_ONLY,
    REFUSED,
    REGION,
    STAFF_ONLY,
    MatrixContext,
    row,
)
from sinergi.earlywarning import services
from sinergi.earlywarning.models import (
    Alert,
    Attachment,
    EscalationRule,
    FollowUp,
    Report,
    SituationReport,
    Topic,
)
from sinergi.registry.models import Organisation, OrganisationKind
from sinergi.registry.tests.conftest import PDF, png

#                               anon admin viewer lurah outsider west chair
WATCHER_REDIRECT = row(302, 302, 302, 302, 302, 302, 404)  # staff go on to the list
MEMBERS_ONLY = row(302, 404, 404, 404, 404, 404, 404)  # the FKDM member's phone page
SETTINGS = row(302, 200, 403, 403, 403, 403, 404)  # topics and rules: province administrators
OWNER = row(302, 404, 404, 200, 404, 404, 404)  # the lurah's weekly report job

SETTINGS_REFUSED = ("viewer", "outsider", "west", "chair")


def _r(w: Any) -> int:
    return int(w.x["ew_report"].pk)


PAGES: dict[str, Any] = {
    "earlywarning:index": (lambda w, t: [], WATCHER_REDIRECT),
    "earlywarning:submit": (lambda w, t: [], MEMBERS_ONLY),
    "earlywarning:nihil": (lambda w, t: [], POST_ONLY),
    "earlywarning:list": (lambda w, t: [], STAFF_ONLY),
    "earlywarning:detail": (lambda w, t: [_r(w)], REGION),
    "earlywarning:pdf": (lambda w, t: [_r(w)], REGION),
    "earlywarning:verify": (lambda w, t: [_r(w)], POST_ONLY),
    "earlywarning:followup-add": (lambda w, t: [_r(w)], POST_ONLY),
    "earlywarning:link": (lambda w, t: [_r(w)], POST_ONLY),
    "earlywarning:followup-done": (lambda w, t: [w.x["ew_followup"].pk], POST_ONLY),
    "earlywarning:attachment": (lambda w, t: [w.x["ew_attachment"].pk], REGION),
    "earlywarning:compliance": (lambda w, t: [], STAFF_ONLY),
    "earlywarning:not-reported": (lambda w, t: [], STAFF_ONLY),
    "earlywarning:situation": (lambda w, t: [], STAFF_ONLY),
    "earlywarning:situation-data": (lambda w, t: [], STAFF_ONLY),
    "earlywarning:weekly": (lambda w, t: [], STAFF_ONLY),
    "earlywarning:weekly-detail": (lambda w, t: [w.x["ew_weekly"].pk], OWNER),
    "earlywarning:weekly-download": (lambda w, t: [w.x["ew_weekly"].pk], OWNER),
    "earlywarning:alerts": (lambda w, t: [], STAFF_ONLY),
    "earlywarning:alert": (lambda w, t: [w.x["ew_alert"].pk], REGION),  # a critical report of Kelurahan Gambir
    "earlywarning:rules": (lambda w, t: [], SETTINGS),
    "earlywarning:rule-edit": (lambda w, t: [w.x["ew_rule"].pk], SETTINGS),
    "earlywarning:topics": (lambda w, t: [], SETTINGS),
    "earlywarning:topic-edit": (lambda w, t: [w.x["ew_topic"].pk], SETTINGS),
    "earlywarning:members": (lambda w, t: [], STAFF_ONLY),
    "earlywarning:member-grant": (lambda w, t: [w.x["ew_fkdm"].pk], POST_ONLY),
    "earlywarning:member-revoke": (lambda w, t: [w.x["ew_role"].pk], POST_ONLY),
}

RULE = {"name": "X", "kind": "severity", "min_severity": 4, "count": 1, "hours": 1, "percent": 1, "is_active": "on"}

WRITES: dict[str, Any] = {
    "earlywarning:nihil": ({"client_uuid": "6f0c3a52-3f3c-4b53-9d7c-1f4f1b7a0c11"}, REFUSED),
    "earlywarning:verify": ({"status": "confirmed", "note": "x"}, REFUSED),
    "earlywarning:followup-add": ({"action": "x", "owner": "y"}, REFUSED),
    "earlywarning:link": ({"link_kind": "case", "reference": "X-1"}, REFUSED),
    "earlywarning:followup-done": ({}, REFUSED),
    "earlywarning:weekly": ({"area": "31.71.01", "week_start": "2026-01-05"}, ("chair",)),
    "earlywarning:rules": (RULE, SETTINGS_REFUSED),
    "earlywarning:rule-edit": (RULE, SETTINGS_REFUSED),
    "earlywarning:topics": ({"code": "x", "name": "X", "sort_order": 1, "is_active": "on"}, SETTINGS_REFUSED),
    "earlywarning:topic-edit": ({"code": "x", "name": "X", "sort_order": 1, "is_active": "on"}, SETTINGS_REFUSED),
    "earlywarning:member-grant": ({"username": "warga.matrix"}, REFUSED),
    "earlywarning:member-revoke": ({}, REFUSED),
}

API: dict[tuple[str, str], Any] = {
    ("post", "/api/v1/early-warning/reports"): (
        lambda w, t: {},
        {"client_uuid": "0b7e8f4e-2f47-4bb4-8a52-5a4d1f3b9e21", "kind": "nihil"},
        row(401, 403, 403, 403, 403, 403, 403),  # only FKDM members file
    ),
    ("get", "/api/v1/early-warning/reports"): (lambda w, t: {}, None, API_SIGNED_IN),
    ("get", "/api/v1/early-warning/reports/{pk}"): (lambda w, t: {"pk": _r(w)}, None, API_REGION),
    ("post", "/api/v1/early-warning/reports/{pk}/verify"): (
        lambda w, t: {"pk": _r(w)},
        {"status": "confirmed", "note": "x"},
        row(401, 0, 403, 0, 404, 404, 404),
    ),
}
FORM_BODIES: set[str] = set()
SNAPSHOT_MODELS: list[Any] = [Report, FollowUp, Attachment, Alert, EscalationRule, Topic, SituationReport]


def build(ctx: MatrixContext) -> dict[str, Any]:
    from sinergi.accounts.models import Role, User

    fkdm_kind = OrganisationKind.objects.get(code="fkdm")
    fkdm = Organisation.objects.create(kind=fkdm_kind, name="FKDM Kelurahan Gambir", region=ctx.territory.kel_gambir)
    member = User.objects.create_user(username="fkdm.matrix", password="x", full_name="Anggota FKDM")
    role = services.fkdm_member_grant(by=ctx.admin, organisation=fkdm, user=member)
    User.objects.create_user(username="warga.matrix", password="x")
    topic = Topic.objects.get(code="hate-speech")
    # Critical: the data migration's "any critical report" rule raises the alert.
    report, _created = services.report_submit(
        by=member,
        client_uuid=uuid.uuid4(),
        athg="ancaman",
        domain="sosbud",
        topics=[topic],
        severity=4,
        occurred_at=timezone.now() - datetime.timedelta(hours=1),
        description="Ujaran kebencian SARA di grup warga.",
        source="seen",
        attachments=[png()],
    )
    followup = services.followup_add(
        by=ctx.lurah, report=report, action="Mediasi", owner="Kasi Pemerintahan", due_on=None
    )
    alert = Alert.objects.filter(reports=report).first()
    if alert is None:  # the rule was switched off: raise one by hand
        from sinergi.earlywarning import escalation

        rule = EscalationRule.objects.create(name="Matrix", kind="severity", min_severity=4)
        alert = escalation.raise_alert(rule=rule, key="matrix", area_code=report.area_code, reports=[report])
    weekly = SituationReport.objects.create(
        region=ctx.territory.gambir,
        week_start=datetime.date(2026, 1, 5),
        status=SituationReport.Status.DONE,
        file=SimpleUploadedFile("situasi.pdf", PDF),
        created_by=ctx.lurah,
    )
    return {
        "ew_fkdm": fkdm,
        "ew_member": member,
        "ew_role": Role.objects.get(pk=role.pk),
        "ew_report": report,
        "ew_followup": followup,
        "ew_attachment": report.attachments.get(),
        "ew_alert": alert,
        "ew_weekly": weekly,
        "ew_rule": EscalationRule.objects.order_by("pk").first(),
        "ew_topic": topic,
    }
