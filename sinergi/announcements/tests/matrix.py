"""This app's rows of the permission matrix (``sinergi/core/tests/test_permission_matrix.py``).

``build`` makes this app's objects inside Kelurahan or Kecamatan Gambir and returns them by name;
they are reachable in the lambdas below as ``w.x["<name>"]``:

- ``announcement``: sent by Kesbangpol to every RT of Kelurahan Gambir, so the RT chair's
  organisation has ``delivery``, with a relay report and its ``photo``, a ``question`` and an
  ``attachment``;
- ``draft``: a draft of Kesbangpol, seen only by its administrator.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from sinergi.announcements import fanout, services
from sinergi.announcements.models import (
    Announcement,
    Answer,
    Delivery,
    DeliveryMessage,
    FanoutBatch,
    Question,
    RelayPhoto,
    RelayReport,
)
from sinergi.core.tests.matrix_rows import (
    API_REGION,
    API_SIGNED_IN,
    CHAIR_ONLY,
    ORG_READ,
    POST_ONLY,
    REFUSED,
    MatrixContext,
    row,
)
from sinergi.registry.targeting import Audience
from sinergi.registry.tests.conftest import pdf, png

SENT = row(302, 200, 200, 200, 404, 404, 404)  # Kesbangpol's, delivered in Gambir
SENDER_PAGE = row(302, 200, 403, 200, 200, 200, 404)  # writing one: staff who send; not a representative
DRAFT = row(302, 200, 404, 404, 404, 404, 404)  # Kesbangpol's draft: only its own administrator
NOT_THE_REPRESENTATIVE = ("admin", "viewer", "lurah", "outsider", "west")

PAGES: dict[str, Any] = {
    "announcements:list": (lambda w, t: [], row(302, 200, 200, 200, 200, 200, 302)),  # the chair: to the inbox
    "announcements:create": (lambda w, t: [], SENDER_PAGE),
    "announcements:preview": (lambda w, t: [], SENDER_PAGE),
    "announcements:detail": (lambda w, t: [w.x["announcement"].pk], SENT),
    "announcements:fanout": (lambda w, t: [w.x["announcement"].pk], SENT),
    "announcements:progress": (lambda w, t: [w.x["announcement"].pk], SENT),
    "announcements:edit": (lambda w, t: [w.x["draft"].pk], DRAFT),
    "announcements:send": (lambda w, t: [w.x["draft"].pk], POST_ONLY),
    "announcements:cancel": (lambda w, t: [w.x["draft"].pk], POST_ONLY),
    "announcements:attachment": (lambda w, t: [w.x["attachment"].pk], ORG_READ),
    "announcements:relay-photo": (lambda w, t: [w.x["photo"].pk], ORG_READ),
    "announcements:answer": (lambda w, t: [w.x["question"].pk], POST_ONLY),
    "announcements:inbox": (lambda w, t: [], row(302, 200, 200, 200, 200, 200, 200)),  # one's own, maybe empty
    "announcements:delivery": (lambda w, t: [w.x["delivery"].pk], CHAIR_ONLY),
    "announcements:relay": (lambda w, t: [w.x["delivery"].pk], CHAIR_ONLY),
    "announcements:acknowledge": (lambda w, t: [w.x["delivery"].pk], POST_ONLY),
    "announcements:ask": (lambda w, t: [w.x["delivery"].pk], POST_ONLY),
}
WRITES: dict[str, Any] = {
    "announcements:create": ({"title": "x", "body": "x", "category": "other", "kinds": ["rt"]}, ("viewer", "chair")),
    "announcements:edit": ({"title": "Diubah", "body": "x", "category": "other"}, REFUSED),
    "announcements:send": ({}, REFUSED),
    "announcements:cancel": ({}, REFUSED),
    "announcements:answer": ({"text": "Jawaban"}, REFUSED),
    "announcements:acknowledge": ({}, NOT_THE_REPRESENTATIVE),
    "announcements:relay": (
        {"method": "meeting", "held_on": "2025-01-01", "residents_reached": 3},
        NOT_THE_REPRESENTATIVE,
    ),
    "announcements:ask": ({"text": "Pertanyaan"}, NOT_THE_REPRESENTATIVE),
}
API: dict[tuple[str, str], Any] = {
    ("get", "/api/v1/announcements"): (lambda w, t: {}, None, API_SIGNED_IN),
    ("get", "/api/v1/announcements/deliveries"): (lambda w, t: {}, None, API_SIGNED_IN),
    ("get", "/api/v1/announcements/{pk}"): (lambda w, t: {"pk": w.x["announcement"].pk}, None, API_REGION),
    ("get", "/api/v1/announcements/{pk}/progress"): (lambda w, t: {"pk": w.x["announcement"].pk}, None, API_REGION),
    ("post", "/api/v1/announcements"): (
        lambda w, t: {},
        lambda w: {
            "unit_id": w.x["announcement"].unit_id,
            "title": "Pengumuman",
            "body": "Isi",
            "audience": {"kinds": ["rt"], "region_codes": ["31.71.01.1001"]},
        },
        # Kesbangpol's unit: whoever sends for another unit is told to choose their own.
        row(401, 0, 403, 422, 422, 422, 403),
    ),
    ("post", "/api/v1/announcements/{pk}/send"): (
        lambda w, t: {"pk": w.x["draft"].pk},
        {},
        row(401, 0, 404, 404, 404, 404, 404),
    ),
    ("post", "/api/v1/announcements/deliveries/{pk}/acknowledge"): (
        lambda w, t: {"pk": w.x["delivery"].pk},
        {},
        row(401, 404, 404, 404, 404, 404, 0),
    ),
}
FORM_BODIES: set[str] = set()
SNAPSHOT_MODELS: list[Any] = [
    Announcement,
    FanoutBatch,
    Delivery,
    DeliveryMessage,
    RelayReport,
    RelayPhoto,
    Question,
    Answer,
]


def build(ctx: MatrixContext) -> dict[str, Any]:
    admin = ctx.admin
    unit = services.sender_units(admin)[0]
    announcement = services.announcement_create(
        by=admin,
        unit=unit,
        title="Sensus Ekonomi 2026",
        body="Petugas BPS akan datang.",
        category=Announcement.Category.CENSUS,
        audience=Audience(kinds=("rt",), region_codes=(ctx.territory.kel_gambir.code,)),
        attachments=[pdf()],
    )
    services.announcement_send(by=admin, announcement=announcement)
    for batch in FanoutBatch.objects.filter(announcement=announcement):
        fanout.fanout_batch_run(batch_id=batch.pk)  # the tasks wait for a commit that never comes in a test
    delivery = Delivery.objects.get(announcement=announcement, organisation=ctx.world.org)
    report = services.relay_report_file(
        by=ctx.world.rt_chair,
        delivery=delivery,
        method="meeting",
        held_on=timezone.localdate(),
        residents_reached=20,
        photos=[png()],
    )
    question = services.question_ask(by=ctx.world.rt_chair, delivery=delivery, text="Kapan petugas datang?")
    draft = services.announcement_create(
        by=admin,
        unit=unit,
        title="Draf",
        body="Belum dikirim.",
        audience=Audience(kinds=("rw",), region_codes=(ctx.territory.kel_gambir.code,)),
    )
    return {
        "announcement": announcement,
        "delivery": delivery,
        "photo": report.photos.get(),
        "question": question,
        "attachment": announcement.attachments.get(),
        "draft": draft,
    }
