"""The workflow: every allowed step and every refused one, routing, proof, reasons, notifications."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from hypothesis import given
from hypothesis import strategies as st

from conftest import Territory, Units
from sinergi.accounts.models import Unit, User
from sinergi.audit.models import AuditEvent
from sinergi.cases import routing, services, workflow
from sinergi.cases.models import Case, CaseTransition, Category
from sinergi.cases.tests.conftest import pdf, png
from sinergi.notifications.models import OutboundMessage

pytestmark = pytest.mark.django_db
S = Case.Status


def move(case: Case, to: str, by: User, **extra: object) -> Case:
    return services.case_transition(case=case, to_status=to, by=by, **extra)  # type: ignore[arg-type]


def test_a_new_case_gets_a_tracking_number_and_goes_to_the_kelurahan_office(
    file_case: Callable[..., services.Submission], units: Units
) -> None:
    case = file_case().case

    assert case.number.startswith("ADU-")
    assert len(case.number.split("-")[2]) == 6
    assert not set(case.number.split("-")[2]) & set("01OIL")
    assert case.status == S.WAITING
    assert case.current_unit == units.kel_gambir
    assert case.transitions.get().to_status == S.WAITING
    assert AuditEvent.objects.filter(action="cases.case.submit", object_id=str(case.pk)).exists()


def test_the_reporter_contact_is_stored_encrypted(file_case: Callable[..., services.Submission]) -> None:
    case = file_case().case
    row = Case.objects.filter(pk=case.pk).values("reporter_name_enc", "reporter_phone_enc", "reporter_email_enc").get()

    assert "Siti" not in str(row)
    assert "081234567890" not in str(row)


def test_the_kelurahan_validates_and_passes_a_case_to_the_suku_dinas_which_finishes_it_with_proof(
    file_case: Callable[..., services.Submission], lurah_operator: User, sudin_operator: User, sudin: Unit
) -> None:
    case = file_case().case

    move(case, S.VALIDATED, lurah_operator, note="Dicek di lokasi")
    assert routing.disposition_targets(case)[0] == sudin
    move(case, S.DISPOSITION, lurah_operator, unit=sudin)
    case.refresh_from_db()
    assert case.current_unit == sudin
    move(case, S.IN_PROGRESS, sudin_operator)
    move(case, S.DONE, sudin_operator, note="Sudah dikeruk", proof=[png()])

    case.refresh_from_db()
    assert case.status == S.DONE
    assert case.closed_at is not None
    assert list(case.transitions.values_list("to_status", flat=True)) == [
        S.WAITING,
        S.VALIDATED,
        S.DISPOSITION,
        S.IN_PROGRESS,
        S.DONE,
    ]
    assert case.attachments.filter(purpose="proof").count() == 1
    assert AuditEvent.objects.filter(action="cases.case.transition", object_id=str(case.pk)).count() == 4


def test_an_agency_passes_a_case_down_to_its_suku_dinas(
    file_case: Callable[..., services.Submission],
    lurah_operator: User,
    agency_operator: User,
    agency: Unit,
    sudin: Unit,
) -> None:
    case = file_case().case
    move(case, S.VALIDATED, lurah_operator)
    move(case, S.DISPOSITION, lurah_operator, unit=agency)

    assert sudin in routing.disposition_targets(Case.objects.get(pk=case.pk))
    move(Case.objects.get(pk=case.pk), S.DISPOSITION, agency_operator, unit=sudin)
    assert Case.objects.get(pk=case.pk).current_unit == sudin


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ([], S.DONE),
        ([], S.IN_PROGRESS),
        ([], S.DISPOSITION),
        ([], S.COORDINATION),
        ([S.VALIDATED], S.WAITING),
        ([S.VALIDATED], S.VALIDATED),
        ([S.VALIDATED, S.IN_PROGRESS], S.VALIDATED),
        ([S.VALIDATED, S.IN_PROGRESS], S.REJECTED),
    ],
)
def test_a_step_outside_the_table_is_refused_and_changes_nothing(
    file_case: Callable[..., services.Submission], lurah_operator: User, path: list[str], refused: str
) -> None:
    case = file_case().case
    for step in path:
        move(case, step, lurah_operator)
    before = CaseTransition.objects.count()

    with pytest.raises(ValidationError, match="cannot become"):
        move(Case.objects.get(pk=case.pk), refused, lurah_operator, proof=[png()])

    assert CaseTransition.objects.count() == before
    assert Case.objects.get(pk=case.pk).status == (path[-1] if path else S.WAITING)


@given(st.sampled_from(S.values), st.sampled_from(S.values))
def test_the_table_allows_nothing_out_of_a_closed_case(from_status: str, to_status: str) -> None:
    if from_status in Case.CLOSED_STATUSES:
        assert not workflow.can_move(from_status, to_status)
    if to_status == S.WAITING:
        assert not workflow.can_move(from_status, to_status)


def test_a_rejection_needs_a_reason_which_the_reporter_reads(
    file_case: Callable[..., services.Submission], lurah_operator: User, django_capture_on_commit_callbacks
) -> None:
    case = file_case().case
    with pytest.raises(ValidationError, match="reason"):
        move(case, S.REJECTED, lurah_operator)

    with django_capture_on_commit_callbacks(execute=True):
        move(case, S.REJECTED, lurah_operator, note="Bukan kewenangan pemda")

    case.refresh_from_db()
    assert case.status == S.REJECTED
    assert case.status_note == "Bukan kewenangan pemda"
    mail = OutboundMessage.objects.filter(recipient="siti@contoh.test", body__contains="Bukan kewenangan pemda")
    assert mail.exists()


def test_finishing_needs_a_proof_of_a_real_photo_or_document(
    file_case: Callable[..., services.Submission], lurah_operator: User
) -> None:
    case = file_case().case
    move(case, S.VALIDATED, lurah_operator)
    move(case, S.IN_PROGRESS, lurah_operator)

    with pytest.raises(ValidationError, match="photo or document"):
        move(case, S.DONE, lurah_operator)
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("hasil.png", b"MZ\x90\x00 not a picture", content_type="image/png")
    with pytest.raises(ValidationError):
        move(case, S.DONE, lurah_operator, proof=[fake])
    assert Case.objects.get(pk=case.pk).status == S.IN_PROGRESS

    move(case, S.DONE, lurah_operator, proof=[pdf("berita-acara.pdf")])
    assert Case.objects.get(pk=case.pk).status == S.DONE


def test_a_disposition_goes_only_to_a_unit_the_category_names(
    file_case: Callable[..., services.Submission], lurah_operator: User, units: Units, sudin_west: Unit
) -> None:
    case = file_case().case
    move(case, S.VALIDATED, lurah_operator)

    for wrong in (None, units.kel_pasar_baru, sudin_west):
        with pytest.raises(ValidationError, match="units this category"):
            move(case, S.DISPOSITION, lurah_operator, unit=wrong)


def test_a_category_of_a_unit_kind_goes_to_that_kind_of_office(
    file_case: Callable[..., services.Submission], adminduk: Category, units: Units, lurah_operator: User
) -> None:
    case = file_case(category=adminduk).case
    assert routing.disposition_targets(case) == []  # the kelurahan itself acts: it starts the work

    move(case, S.VALIDATED, lurah_operator)
    move(case, S.IN_PROGRESS, lurah_operator)
    assert Case.objects.get(pk=case.pk).current_unit == units.kel_gambir


def test_only_the_holder_or_an_administrator_of_the_area_acts(
    file_case: Callable[..., services.Submission],
    outsider_operator: User,
    city_viewer: User,
    camat_operator: User,
    sudin_operator: User,
    city_admin: User,
) -> None:
    case = file_case().case
    for user in (outsider_operator, city_viewer, camat_operator, sudin_operator):
        with pytest.raises(PermissionDenied):
            move(case, S.VALIDATED, user)

    move(case, S.VALIDATED, city_admin)
    assert Case.objects.get(pk=case.pk).status == S.VALIDATED


def test_every_step_tells_the_reporter_by_email_or_else_by_sms(
    file_case: Callable[..., services.Submission], lurah_operator: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        by_mail = file_case().case
        by_phone = file_case(reporter_email="", reporter_phone="0811222333").case
        move(by_mail, S.VALIDATED, lurah_operator)
        move(by_phone, S.VALIDATED, lurah_operator)

    assert OutboundMessage.objects.filter(channel="email", recipient="siti@contoh.test").count() == 2
    sms = OutboundMessage.objects.filter(channel="sms", recipient="0811222333")
    assert sms.count() == 2
    assert {m.status for m in sms} == {OutboundMessage.Status.LOGGED}


def test_the_number_is_unique_in_the_database(file_case: Callable[..., services.Submission]) -> None:
    case = file_case().case
    twin = Case.objects.get(pk=case.pk)
    twin.pk = None
    twin.idempotency_key = None
    with pytest.raises(IntegrityError):
        twin.save()


def test_reading_the_reporter_contact_is_audited_and_refused_for_an_anonymous_reporter(
    file_case: Callable[..., services.Submission], lurah_operator: User, outsider_operator: User
) -> None:
    case = file_case().case
    contact = services.contact_reveal(case=case, by=lurah_operator)

    assert contact.phone == "081234567890"
    assert AuditEvent.objects.filter(action="cases.case_contact.view", actor=lurah_operator).count() == 1
    with pytest.raises(PermissionDenied):
        services.contact_reveal(case=case, by=outsider_operator)
    hidden = file_case(anonymous=True).case
    with pytest.raises(PermissionDenied):
        services.contact_reveal(case=hidden, by=lurah_operator)


def test_a_point_on_the_map_decides_the_kelurahan(
    file_case: Callable[..., services.Submission], territory: Territory, units: Units
) -> None:
    # Inside the square boundary of Kelurahan Pasar Baru (conftest), though Gambir was chosen.
    case = file_case(latitude=-6.1661, longitude=106.8346).case
    assert case.region == territory.kel_pasar_baru
    assert case.current_unit == units.kel_pasar_baru

    with pytest.raises(ValidationError, match="outside every kelurahan"):
        file_case(region=None, latitude=-7.5, longitude=110.0)


def test_the_partial_indexes_cover_exactly_the_open_statuses() -> None:
    from sinergi.cases.models import OPEN_STATUS_VALUES

    assert [str(s) for s in Case.OPEN_STATUSES] == OPEN_STATUS_VALUES
