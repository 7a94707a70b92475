"""This app's rows of the permission matrix (``sinergi/core/tests/test_permission_matrix.py``).

``build`` makes a finished evaluation round of the kelurahan of Kecamatan Gambir (Gambir and
Cideng) with a manual indicator scored with evidence and its PDF report. The round is read by staff
whose territory covers the kecamatan; the Lurah of Gambir sees only Gambir's result.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from sinergi.core.tests.matrix_rows import (
    API_REGION,
    API_SIGNED_IN,
    POST_ONLY,
    REFUSED,
    REGION,
    SIGNED_IN,
    MatrixContext,
    row,
)
from sinergi.evaluation import services
from sinergi.evaluation.models import Round, RoundIndicator, Score, Subject
from sinergi.registry.tests.conftest import PDF

# A round over Kecamatan Gambir: staff whose territory covers it.
ROUND = row(302, 200, 200, 404, 404, 404, 404)
API_ROUND = row(401, 200, 200, 404, 404, 404, 404)

PAGES: dict[str, Any] = {
    "evaluation:index": (lambda w, t: [], SIGNED_IN),
    "evaluation:round-create": (lambda w, t: [], row(302, 200, 403, 200, 200, 200, 404)),
    "evaluation:round": (lambda w, t: [w.x["round"].pk], ROUND),
    "evaluation:round-compute": (lambda w, t: [w.x["round"].pk], POST_ONLY),
    "evaluation:round-finish": (lambda w, t: [w.x["round"].pk], POST_ONLY),
    "evaluation:round-pdf": (lambda w, t: [w.x["round"].pk], ROUND),
    "evaluation:round-xlsx": (lambda w, t: [w.x["round"].pk], ROUND),
    "evaluation:subject": (lambda w, t: [w.x["subject"].pk], REGION),
    "evaluation:score-edit": (
        lambda w, t: [w.x["subject"].pk, w.x["manual_score"].indicator_id],
        row(302, 200, 403, 404, 404, 404, 404),
    ),
    "evaluation:subject-recommend": (lambda w, t: [w.x["subject"].pk], POST_ONLY),
    "evaluation:evidence": (lambda w, t: [w.x["manual_score"].pk], REGION),
    "evaluation:dashboard-data": (lambda w, t: [t.kel_gambir.code], REGION),
}
WRITES: dict[str, Any] = {
    "evaluation:round-create": (
        {
            "title": "X",
            "region": "31.71.01",
            "subject_kind": "village",
            "period_start": "2026-01-01",
            "period_end": "2026-06-30",
            "weight_officers_present": "1",
        },
        ("viewer", "chair"),
    ),
    "evaluation:round-compute": ({}, REFUSED),
    "evaluation:round-finish": ({}, REFUSED),
    "evaluation:score-edit": ({"value": "50"}, REFUSED),
    "evaluation:subject-recommend": ({"text": "x"}, REFUSED),
}
API: dict[tuple[str, str], Any] = {
    ("get", "/api/v1/evaluation/rounds"): (lambda w, t: {}, None, API_SIGNED_IN),
    ("post", "/api/v1/evaluation/rounds"): (
        lambda w, t: {},
        {
            "title": "X",
            "region": "31.71.01",
            "subject_kind": "village",
            "period_start": "2026-01-01",
            "period_end": "2026-06-30",
            "indicators": {"officers_present": 1},
        },
        row(401, 0, 403, 404, 404, 404, 404),
    ),
    ("get", "/api/v1/evaluation/rounds/{pk}"): (lambda w, t: {"pk": w.x["round"].pk}, None, API_ROUND),
    ("post", "/api/v1/evaluation/rounds/{pk}/compute"): (
        lambda w, t: {"pk": w.x["round"].pk},
        {},
        row(401, 0, 403, 404, 404, 404, 404),
    ),
    ("get", "/api/v1/evaluation/results/{pk}"): (lambda w, t: {"pk": w.x["subject"].pk}, None, API_REGION),
}
FORM_BODIES: set[str] = set()
SNAPSHOT_MODELS: list[Any] = [Round, RoundIndicator, Subject, Score]


def build(ctx: MatrixContext) -> dict[str, Any]:
    t = ctx.territory
    round_ = services.round_create(
        by=ctx.admin,
        title="Evaluasi Kelurahan Kecamatan Gambir 2025",
        region=t.gambir,
        subject_kind=Round.SubjectKind.KELURAHAN,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        computed={"officers_present": Decimal(1), "event_attendance": Decimal(1)},
        manual=[services.ManualIndicator("Inovasi pelayanan", Decimal(1))],
    )
    services.round_compute(round_id=round_.pk)
    subject = Subject.objects.get(round=round_, region=t.kel_gambir)
    for score in Score.objects.filter(subject__round=round_, indicator__kind=RoundIndicator.Kind.MANUAL):
        evidence = SimpleUploadedFile("bukti.pdf", PDF, content_type="application/pdf")
        services.score_set(score=score, by=ctx.admin, value=Decimal(80), evidence=evidence)
    round_.refresh_from_db()
    services.round_finish(round_=round_, by=ctx.admin)
    services.report_make(round_id=round_.pk)
    manual = Score.objects.get(subject=subject, indicator__kind=RoundIndicator.Kind.MANUAL)
    return {"round": round_, "subject": subject, "manual_score": manual}
