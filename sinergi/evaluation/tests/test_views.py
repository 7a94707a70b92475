"""The evaluation pages and API as each persona uses them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import Territory
from sinergi.accounts.models import User
from sinergi.audit.models import AuditEvent
from sinergi.evaluation import services
from sinergi.evaluation.models import Round, Score
from sinergi.evaluation.tests.conftest import Small, finished_round, make_round

pytestmark = pytest.mark.django_db


def test_an_administrator_creates_a_round_from_the_form(
    client_for, small: Small, territory: Territory, kesbangpol_admin: User
) -> None:
    response = client_for(kesbangpol_admin).post(
        reverse("evaluation:round-create"),
        {
            "title": "Evaluasi Gambir",
            "region": territory.gambir.code,
            "subject_kind": "village",
            "period_start": "2026-01-01",
            "period_end": "2026-06-30",
            "weight_event_attendance": "30",
            "weight_officers_present": "",
            "manual": "Kebersihan kantor; 10",
        },
    )

    round_ = Round.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation:round", args=[round_.pk])
    assert list(round_.indicators.values_list("name", "weight")) == [
        ("Attendance at events", Decimal("30.00")),
        ("Kebersihan kantor", Decimal("10.00")),
    ]
    assert round_.subjects.count() == 2
    assert AuditEvent.objects.filter(action="evaluation.round.create").exists()


def test_a_bad_manual_line_is_explained(client_for, territory: Territory, kesbangpol_admin: User) -> None:
    response = client_for(kesbangpol_admin).post(
        reverse("evaluation:round-create"),
        {
            "title": "X",
            "region": territory.gambir.code,
            "subject_kind": "village",
            "period_start": "2026-01-01",
            "period_end": "2026-06-30",
            "manual": "Tanpa bobot",
        },
    )
    assert response.status_code == 200
    assert "Line 1: write a name, a semicolon and a weight above zero." in response.content.decode()
    assert not Round.objects.exists()


def test_the_round_page_shows_the_ranking_and_polls_while_computing(
    client_for, small: Small, territory: Territory, kesbangpol_admin: User
) -> None:
    round_ = make_round(kesbangpol_admin, territory.gambir)
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.COMPUTING, progress_total=6, progress_done=2)
    client = client_for(kesbangpol_admin)

    page = client.get(reverse("evaluation:round", args=[round_.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert "Step 2 of 6" in page

    services.round_compute(round_id=round_.pk)
    partial = client.get(reverse("evaluation:round", args=[round_.pk]), headers={"HX-Request": "true"})
    assert partial["HX-Refresh"] == "true"
    page = client.get(reverse("evaluation:round", args=[round_.pk])).content.decode()
    assert "Kelurahan Gambir" in page
    assert "60.00" in page


def test_a_kelurahan_operator_sees_how_their_result_was_computed(
    client_for, small: Small, territory: Territory, kesbangpol_admin: User, lurah_operator: User
) -> None:
    round_ = finished_round(kesbangpol_admin, territory.gambir)
    gambir = round_.subjects.get(region=territory.kel_gambir)

    response = client_for(lurah_operator).get(reverse("evaluation:subject", args=[gambir.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "1 of 2" in page  # attendance: 1 of 2 invitations
    assert "Attendance at events" in page
    assert "60.00" in page
    assert "Remind the organisations to file a report" in page  # a recommendation from a low indicator
    assert client_for(lurah_operator).get(reverse("evaluation:round", args=[round_.pk])).status_code == 404
    cideng = round_.subjects.get(region=territory.kel_cideng)
    assert client_for(lurah_operator).get(reverse("evaluation:subject", args=[cideng.pk])).status_code == 404


def test_an_evaluator_scores_a_manual_indicator_with_evidence(
    client_for, small: Small, territory: Territory, kesbangpol_admin: User, media_root: None
) -> None:
    from sinergi.registry.tests.conftest import pdf

    round_ = make_round(
        kesbangpol_admin, territory.gambir, computed={}, manual=[services.ManualIndicator("Inovasi", Decimal(1))]
    )
    score = Score.objects.get(subject__region=territory.kel_gambir)
    url = reverse("evaluation:score-edit", args=[score.subject_id, score.indicator_id])

    response = client_for(kesbangpol_admin).post(url, {"value": "75", "note": "Bagus", "evidence": pdf()})

    assert response.status_code == 302
    score.refresh_from_db()
    assert score.value == Decimal(75)
    assert score.evidence
    download = client_for(kesbangpol_admin).get(reverse("evaluation:evidence", args=[score.pk]))
    assert download.status_code == 200
    round_.refresh_from_db()


def test_the_api_gives_a_result_with_its_computation(
    api_client_for, small: Small, territory: Territory, kesbangpol_admin: User, lurah_operator: User
) -> None:
    round_ = finished_round(kesbangpol_admin, territory.gambir)
    gambir = round_.subjects.get(region=territory.kel_gambir)

    body = api_client_for(lurah_operator).get(f"/api/v1/evaluation/results/{gambir.pk}").json()

    assert body["score"] == "60.00"
    assert body["rank"] == 1
    attendance = next(s for s in body["scores"] if s["indicator"] == "event_attendance")
    assert (attendance["numerator"], attendance["denominator"]) == (1, 2)
    ranking = api_client_for(kesbangpol_admin).get(f"/api/v1/evaluation/rounds/{round_.pk}").json()["ranking"]
    assert [r["region_code"] for r in ranking] == [territory.kel_gambir.code, territory.kel_cideng.code]


def test_a_round_is_created_and_computed_through_the_api(
    api_client_for, small: Small, territory: Territory, kesbangpol_admin: User, django_capture_on_commit_callbacks
) -> None:
    client = api_client_for(kesbangpol_admin)
    created = client.post(
        "/api/v1/evaluation/rounds",
        {
            "title": "Evaluasi Gambir",
            "region": territory.gambir.code,
            "subject_kind": "village",
            "period_start": "2026-01-01",
            "period_end": "2026-06-30",
            "indicators": {"event_attendance": 1},
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/api/v1/evaluation/rounds/{pk}/compute").status_code == 202
    ranking = client.get(f"/api/v1/evaluation/rounds/{pk}").json()["ranking"]
    assert [(r["region_code"], r["score"]) for r in ranking] == [
        (territory.kel_gambir.code, "50.00"),
        (territory.kel_cideng.code, "0.00"),
    ]


def test_bad_api_input_is_a_422_in_the_users_words(
    api_client_for, territory: Territory, kesbangpol_admin: User
) -> None:
    response = api_client_for(kesbangpol_admin).post(
        "/api/v1/evaluation/rounds",
        {
            "title": "X",
            "region": territory.gambir.code,
            "subject_kind": "village",
            "period_start": "2026-06-01",
            "period_end": "2026-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "The period must end on or after its start." in response.json()["detail"]
