"""Evaluation rounds: creating, computing (twice), ranking, manual scores, finishing, reports, and
who sees what."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from conftest import Territory
from sinergi.accounts.models import User
from sinergi.evaluation import selectors, services
from sinergi.evaluation.models import Round, RoundIndicator, Score, Subject
from sinergi.evaluation.tests.conftest import Small, finished_round, make_round
from sinergi.registry.tests.conftest import PDF

pytestmark = pytest.mark.django_db


def scores(round_: Round) -> dict[str, Decimal | None]:
    return {s.region.name: s.score for s in round_.subjects.select_related("region")}


def test_it_computes_scores_and_ranks_the_kelurahan(small: Small, territory: Territory, kesbangpol_admin: User) -> None:
    round_ = make_round(kesbangpol_admin, territory.gambir)
    services.round_compute(round_id=round_.pk)

    round_.refresh_from_db()
    assert round_.status == Round.Status.COMPUTED
    assert round_.progress_done == round_.progress_total
    # Gambir: 50, 100, 50, 50, 50 -> 60. Cideng: 0, 0, (no documents), 0, 0 -> 0.
    assert scores(round_) == {"Gambir": Decimal("60.00"), "Cideng": Decimal("0.00")}
    assert [(s.region.name, s.rank) for s in selectors.ranking(round_)] == [("Gambir", 1), ("Cideng", 2)]


def test_computing_twice_gives_the_same_result(small: Small, territory: Territory, kesbangpol_admin: User) -> None:
    round_ = make_round(kesbangpol_admin, territory.gambir)
    services.round_compute(round_id=round_.pk)
    first = list(Score.objects.order_by("pk").values_list("pk", "value", "numerator", "denominator"))

    services.round_compute(round_id=round_.pk)

    assert list(Score.objects.order_by("pk").values_list("pk", "value", "numerator", "denominator")) == first


def test_a_second_compute_request_while_computing_changes_nothing(
    small: Small, territory: Territory, kesbangpol_admin: User, django_capture_on_commit_callbacks
) -> None:
    round_ = make_round(kesbangpol_admin, territory.gambir)
    with django_capture_on_commit_callbacks() as callbacks:
        services.round_compute_start(round_=round_, by=kesbangpol_admin)
        services.round_compute_start(round_=round_, by=kesbangpol_admin)
    assert len(callbacks) == 1


def test_the_compute_task_runs_after_the_request(
    small: Small, territory: Territory, kesbangpol_admin: User, django_capture_on_commit_callbacks
) -> None:
    round_ = make_round(kesbangpol_admin, territory.gambir)
    with django_capture_on_commit_callbacks(execute=True):
        services.round_compute_start(round_=round_, by=kesbangpol_admin)
    round_.refresh_from_db()
    assert round_.status == Round.Status.COMPUTED


def test_the_change_is_against_the_previous_finished_round(
    small: Small, territory: Territory, kesbangpol_admin: User
) -> None:
    finished_round(
        kesbangpol_admin,
        territory.gambir,
        start=datetime.date(2025, 7, 1),
        end=datetime.date(2025, 12, 31),
        computed={"officers_present": Decimal(1)},
        title="Semester II 2025",
    )
    round_ = make_round(kesbangpol_admin, territory.gambir, computed={"officers_present": Decimal(1)})
    services.round_compute(round_id=round_.pk)

    gambir = round_.subjects.get(region=territory.kel_gambir)
    # In 2025 RT 001's chair was in office, RT 002 had none: 50 then and now.
    assert (gambir.score, gambir.previous_score, gambir.change) == (Decimal("50.00"), Decimal("50.00"), 0)


def test_manual_scores_count_with_their_weight_and_evidence(
    small: Small, territory: Territory, kesbangpol_admin: User, media_root: None
) -> None:
    round_ = make_round(
        kesbangpol_admin,
        territory.gambir,
        computed={"officers_present": Decimal(1)},
        manual=[services.ManualIndicator("Kebersihan kantor", Decimal(1))],
    )
    services.round_compute(round_id=round_.pk)
    score = Score.objects.get(subject__region=territory.kel_gambir, indicator__kind=RoundIndicator.Kind.MANUAL)

    services.score_set(
        score=score,
        by=kesbangpol_admin,
        value=Decimal(90),
        note="Bersih",
        evidence=SimpleUploadedFile("foto.pdf", PDF, content_type="application/pdf"),
    )

    gambir = Subject.objects.get(round=round_, region=territory.kel_gambir)
    assert gambir.score == Decimal("70.00")  # (50 + 90) / 2
    score.refresh_from_db()
    assert score.evidence_name == "foto.pdf"
    assert score.scored_by == kesbangpol_admin


def test_a_manual_score_out_of_range_is_refused(small: Small, territory: Territory, kesbangpol_admin: User) -> None:
    round_ = make_round(
        kesbangpol_admin, territory.gambir, computed={}, manual=[services.ManualIndicator("Inovasi", Decimal(1))]
    )
    score = Score.objects.filter(subject__round=round_).first()
    assert score is not None
    with pytest.raises(ValidationError):
        services.score_set(score=score, by=kesbangpol_admin, value=Decimal(101))


def test_a_round_with_missing_manual_scores_cannot_be_finished(
    small: Small, territory: Territory, kesbangpol_admin: User
) -> None:
    round_ = make_round(
        kesbangpol_admin, territory.gambir, computed={}, manual=[services.ManualIndicator("Inovasi", Decimal(1))]
    )
    services.round_compute(round_id=round_.pk)
    round_.refresh_from_db()
    with pytest.raises(ValidationError, match="2 manual scores are still missing"):
        services.round_finish(round_=round_, by=kesbangpol_admin)


def test_bad_input_is_refused_with_nothing_written(territory: Territory, kesbangpol_admin: User) -> None:
    with pytest.raises(ValidationError) as info:
        make_round(
            kesbangpol_admin,
            territory.kel_gambir,  # a kelurahan holds no kelurahan
            start=datetime.date(2026, 6, 1),
            end=datetime.date(2026, 1, 1),
            computed={"nope": Decimal(1)},
        )
    assert set(info.value.message_dict) == {"region", "period_end", "computed"}
    assert not Round.objects.exists()


def test_an_operator_cannot_evaluate_outside_their_territory(territory: Territory, lurah_operator: User) -> None:
    with pytest.raises(PermissionDenied):
        make_round(lurah_operator, territory.gambir)


def test_organisations_of_a_kind_can_be_evaluated(
    small: Small, territory: Territory, lurah_operator: User, kinds: dict
) -> None:
    round_ = make_round(
        lurah_operator,
        territory.kel_gambir,
        kind=Round.SubjectKind.ORGANISATION,
        organisation_kind=kinds["rt"],
        computed={"event_attendance": Decimal(1)},
    )
    services.round_compute(round_id=round_.pk)
    assert dict(round_.subjects.values_list("organisation__name", "score")) == {
        "RT 001/RW 001": Decimal("100.00"),
        "RT 002/RW 001": Decimal("0.00"),
    }


def test_the_excel_report_guards_formulas(small: Small, territory: Territory, kesbangpol_admin: User) -> None:
    round_ = make_round(
        kesbangpol_admin, territory.gambir, manual=[services.ManualIndicator("=HYPERLINK(1)", Decimal(1))]
    )
    services.round_compute(round_id=round_.pk)

    sheet = load_workbook(io.BytesIO(selectors.report_xlsx(round_))).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert "'=HYPERLINK(1) (1.00)" in rows[0]
    assert rows[1][:4] == (1, territory.kel_gambir.code, "Kelurahan Gambir", 60)


def test_the_pdf_report_is_made_and_kept(
    small: Small, territory: Territory, kesbangpol_admin: User, media_root: None
) -> None:
    round_ = finished_round(kesbangpol_admin, territory.gambir)
    services.report_make(round_id=round_.pk)
    round_.refresh_from_db()
    assert round_.report.read().startswith(b"%PDF")


def test_a_lurah_sees_their_result_only_once_the_round_is_finished(
    small: Small, territory: Territory, kesbangpol_admin: User, lurah_operator: User, outsider_operator: User
) -> None:
    round_ = make_round(kesbangpol_admin, territory.gambir)
    services.round_compute(round_id=round_.pk)
    gambir = round_.subjects.get(region=territory.kel_gambir)
    assert not Subject.objects.visible_to(lurah_operator).exists()

    round_.refresh_from_db()
    services.round_finish(round_=round_, by=kesbangpol_admin)

    assert list(Subject.objects.visible_to(lurah_operator)) == [gambir]
    assert not Round.objects.visible_to(lurah_operator).exists()  # not the whole ranking
    assert not Subject.objects.visible_to(outsider_operator).exists()
