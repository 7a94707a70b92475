"""Intake by the public form and the API: spam traps, rate limit, file checks, idempotency, similar
cases and joining them; the public page, the reporter's link, rating and dispute."""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import Territory, Units
from sinergi.accounts.models import User
from sinergi.cases import forms, services
from sinergi.cases.models import Case, Category
from sinergi.cases.tests.conftest import PNG, png
from sinergi.notifications.models import OutboundMessage

pytestmark = pytest.mark.django_db


def old_token(seconds: int = 30) -> str:
    return signing.dumps({"t": int(time.time()) - seconds, "n": "n" + str(time.time_ns())}, salt=forms.TOKEN_SALT)


def form_data(flood: Category, territory: Territory, **extra: Any) -> dict[str, Any]:
    data = {
        "kind": "complaint",
        "category": flood.pk,
        "description": "Saluran air di depan pasar tersumbat sampah",
        "region": territory.kel_gambir.code,
        "rw": 1,
        "rt": 2,
        "reporter_name": "Siti Aminah",
        "reporter_phone": "081234567890",
        "reporter_email": "siti@contoh.test",
        "form_token": old_token(),
        "website": "",
    }
    data.update(extra)
    return data


# The public form ---------------------------------------------------------------------------------


def test_a_resident_sends_a_complaint_with_a_photo_and_gets_the_tracking_number(
    flood: Category, territory: Territory, units: Units
) -> None:
    client = Client()
    assert client.get(reverse("cases:submit")).status_code == 200

    response = client.post(reverse("cases:submit"), form_data(flood, territory, photos=[png()]), follow=True)

    case = Case.objects.get()
    assert response.status_code == 200
    assert case.number in response.content.decode()
    assert case.channel == Case.Channel.PUBLIC
    assert case.rt is not None
    assert case.rt.number == 2
    assert case.attachments.count() == 1
    assert response.redirect_chain[-1][0] == services.reporter_url(case)


def test_sending_the_same_form_twice_stores_one_case(flood: Category, territory: Territory, units: Units) -> None:
    data = form_data(flood, territory)
    client = Client()
    client.post(reverse("cases:submit"), data)
    client.post(reverse("cases:submit"), data)

    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("trap", "message"),
    [
        ({"website": "http://spam.example"}, "could not be accepted"),
        ({"form_token": "forged"}, "expired"),
        ({"form_token": "fresh"}, "too fast"),
    ],
)
def test_spam_traps_refuse_a_bot_and_store_nothing(
    flood: Category, territory: Territory, units: Units, trap: dict[str, str], message: str
) -> None:
    if trap.get("form_token") == "fresh":
        trap = {"form_token": forms.new_form_token()}
    response = Client().post(reverse("cases:submit"), form_data(flood, territory, **trap))

    assert response.status_code == 422
    assert message in response.content.decode()
    assert Case.objects.count() == 0


def test_the_public_form_is_rate_limited_per_address(
    flood: Category, territory: Territory, units: Units, settings: Any
) -> None:
    settings.SINERGI_CASE_RATE_LIMIT = 2
    client = Client()
    statuses = [
        client.post(reverse("cases:submit"), form_data(flood, territory, form_token=old_token())).status_code
        for _ in range(3)
    ]
    other = Client(REMOTE_ADDR="10.9.8.7").post(reverse("cases:submit"), form_data(flood, territory)).status_code

    assert statuses == [302, 302, 429]
    assert other == 302
    assert Case.objects.count() == 3


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("foto.png", b"MZ\x90\x00 an executable", "not one of"),
        ("foto.jpg", PNG, "should end in .png"),
        ("besar.png", PNG + b"\0" * (6 * 1024 * 1024), "at most"),
    ],
)
def test_a_file_that_is_not_a_photo_or_too_big_is_refused(
    flood: Category, territory: Territory, units: Units, name: str, content: bytes, message: str
) -> None:
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    response = Client().post(reverse("cases:submit"), form_data(flood, territory, photos=[upload]))

    assert response.status_code == 422
    assert message in response.content.decode()
    assert Case.objects.count() == 0


def test_text_is_escaped_on_every_page(
    file_case: Callable[..., services.Submission], client_for: Callable[[User], Client], lurah_operator: User
) -> None:
    case = file_case(description="<script>alert(1)</script> banjir").case
    services.case_transition(case=case, to_status="rejected", by=lurah_operator, note="<b>tidak</b>")

    for client, url in (
        (client_for(lurah_operator), reverse("cases:detail", args=[case.number])),
        (Client(), services.reporter_url(case)),
        (Client(), reverse("cases:track", args=[case.number])),
    ):
        body = client.get(url).content.decode()
        assert "<script>alert" not in body
        assert "<b>tidak</b>" not in body


# The API -----------------------------------------------------------------------------------------


def api_body(flood: Category, territory: Territory, **extra: Any) -> dict[str, Any]:
    body = {
        "kind": "complaint",
        "category_id": flood.pk,
        "description": "Lampu jalan mati di depan sekolah",
        "region_code": territory.kel_gambir.code,
        "reporter_phone": "081298765432",
    }
    body.update(extra)
    return body


def test_an_api_submission_retried_with_the_same_key_is_stored_once_with_the_same_answer(
    flood: Category, territory: Territory, units: Units
) -> None:
    client = Client()
    send = lambda: client.post(  # noqa: E731
        "/api/v1/cases", api_body(flood, territory), content_type="application/json", headers={"Idempotency-Key": "k-1"}
    )
    first, second = send(), send()

    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Case.objects.count() == 1
    case = Case.objects.get()
    assert case.channel == Case.Channel.API
    assert first.json()["number"] == case.number
    other = client.post(
        "/api/v1/cases", api_body(flood, territory), content_type="application/json", headers={"Idempotency-Key": "k-2"}
    )
    assert other.status_code == 201
    assert Case.objects.count() == 2


def test_a_new_case_is_stored_with_its_first_step_its_audit_event_and_the_receipt(
    flood: Category, territory: Territory, units: Units, django_capture_on_commit_callbacks: Any
) -> None:
    # On PostgreSQL the intake writes all of this in one statement, elsewhere through the ORM: the
    # same rows either way, which is what this test holds both to.
    from django.core import mail

    from sinergi.audit.models import AuditEvent
    from sinergi.cases.models import CaseTransition
    from sinergi.core import workdays

    with django_capture_on_commit_callbacks(execute=True):
        response = Client(REMOTE_ADDR="203.0.113.9").post(
            "/api/v1/cases",
            api_body(flood, territory, reporter_email="warga@contoh.test"),
            content_type="application/json",
            headers={"Idempotency-Key": "receipt-1"},
        )

    assert response.status_code == 201
    case = Case.objects.get(number=response.json()["number"])
    assert case.status == Case.Status.WAITING
    assert case.current_unit == units.kel_gambir
    assert case.due_on == workdays.add_working_days(timezone.localdate(), flood.sla_days)
    step = CaseTransition.objects.get(case=case)
    assert (step.from_status, step.to_status, step.unit, step.created_at) == (
        "",
        Case.Status.WAITING,
        units.kel_gambir,
        case.created_at,
    )
    event = AuditEvent.objects.get(action="cases.case.submit")
    assert (event.object_type, event.object_id, event.object_repr) == ("cases.case", str(case.pk), case.number)
    assert event.ip == "203.0.113.9"
    assert event.changes["channel"] == "api"
    receipt = OutboundMessage.objects.get(key=f"cases:{case.pk}:received")
    assert receipt.recipient == "warga@contoh.test"
    assert receipt.status == OutboundMessage.Status.SENT  # handed over by the sweep deliver_soon queued
    assert [m.to for m in mail.outbox] == [["warga@contoh.test"]]
    assert case.number in mail.outbox[0].body
    assert services.reporter_url(case) in mail.outbox[0].body


def test_a_retry_over_the_rate_limit_still_gets_the_case_it_stored(
    flood: Category, territory: Territory, units: Units, settings: Any
) -> None:
    settings.SINERGI_CASE_RATE_LIMIT = 1
    client = Client()

    def send(key: str) -> Any:
        body = api_body(flood, territory)
        return client.post("/api/v1/cases", body, content_type="application/json", headers={"Idempotency-Key": key})

    first, retry, other = send("r-1"), send("r-1"), send("r-2")

    assert (first.status_code, retry.status_code, other.status_code) == (201, 201, 429)
    assert retry.json()["number"] == first.json()["number"]
    assert Case.objects.count() == 1


def test_a_category_switched_off_is_refused_at_the_next_api_submission(
    flood: Category, territory: Territory, units: Units, django_capture_on_commit_callbacks: Any
) -> None:
    # The API reads categories and kelurahan from the shared cache; an edit must reach it at once.
    client = Client()
    body = api_body(flood, territory)
    assert client.post("/api/v1/cases", body, content_type="application/json").status_code == 201
    drain = Category.objects.get(pk=body["category_id"])
    with django_capture_on_commit_callbacks(execute=True):
        drain.is_active = False
        drain.save()

    refused = client.post("/api/v1/cases", body, content_type="application/json")

    assert refused.status_code == 422
    assert "Choose a category" in str(refused.json())
    assert Case.objects.count() == 1


def test_the_idempotency_key_is_unique_in_the_database(file_case: Callable[..., services.Submission]) -> None:
    from django.db import IntegrityError, transaction

    file_case(idempotency_key="api:same")
    duplicate = Case.objects.get()
    duplicate.pk, duplicate.number = None, "ADU-26-ZZZZZZ"
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_the_api_refuses_bad_input_with_a_clear_message(flood: Category, territory: Territory, units: Units) -> None:
    response = Client().post(
        "/api/v1/cases", api_body(flood, territory, region_code="99.99"), content_type="application/json"
    )
    assert response.status_code == 422
    assert "No kelurahan has this code" in str(response.json())
    assert Case.objects.count() == 0


def test_the_api_is_rate_limited_per_address(
    flood: Category, territory: Territory, units: Units, settings: Any
) -> None:
    settings.SINERGI_CASE_RATE_LIMIT = 1
    client = Client()
    statuses = [
        client.post("/api/v1/cases", api_body(flood, territory), content_type="application/json").status_code
        for _ in range(2)
    ]
    assert statuses == [201, 429]


def test_public_tracking_by_api_shows_no_personal_data(file_case: Callable[..., services.Submission]) -> None:
    case = file_case().case
    body = Client().get(f"/api/v1/cases/track/{case.number}").content.decode()

    assert case.number in body
    for private in ("Siti", "081234567890", "siti@contoh.test", "Saluran air di depan pasar"):
        assert private not in body


# Similar cases and joining -----------------------------------------------------------------------


def test_similar_open_cases_of_the_same_place_and_category_are_offered(
    file_case: Callable[..., services.Submission], flood: Category, territory: Territory
) -> None:
    case = file_case().case
    file_case(description="Jalan berlubang di depan sekolah")

    response = Client().get(
        reverse("cases:similar"),
        {"region": territory.kel_gambir.code, "category": flood.pk, "description": "saluran tersumbat sampah meluap"},
    )

    assert case.number in response.content.decode()
    assert response.content.decode().count("<li>") == 1
    assert "meluap, saluran, sampah, tersumbat" in response.content.decode()
    assert "depan pasar" not in response.content.decode()  # the other reporter's own words stay private


def test_joining_at_intake_keeps_the_new_reporter_informed_of_the_other_case(
    file_case: Callable[..., services.Submission], lurah_operator: User, django_capture_on_commit_callbacks
) -> None:
    first = file_case().case
    with django_capture_on_commit_callbacks(execute=True):
        joined = file_case(link_to=first, reporter_email="budi@contoh.test").case
    joined.refresh_from_db()
    assert joined.status == Case.Status.MERGED
    assert joined.duplicate_of == first

    with django_capture_on_commit_callbacks(execute=True):
        services.case_transition(case=first, to_status="validated", by=lurah_operator, note="Dicek")

    told = OutboundMessage.objects.filter(recipient="budi@contoh.test").order_by("pk")
    assert told.count() == 3  # received, joined, and the step of the other case
    assert first.number in told.last().body  # type: ignore[union-attr]
    assert OutboundMessage.objects.filter(recipient="siti@contoh.test", body__contains="Dicek").count() == 1


def test_staff_merge_a_duplicate_and_its_reporter_hears_of_the_other_case(
    file_case: Callable[..., services.Submission],
    lurah_operator: User,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks,
) -> None:
    first = file_case().case
    second = file_case(reporter_email="", reporter_phone="0811000111").case
    client = client_for(lurah_operator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cases:merge", args=[second.number]), {"into": first.number})
        services.case_transition(case=first, to_status="validated", by=lurah_operator, note="Segera")

    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.status, second.duplicate_of) == (Case.Status.MERGED, first)
    assert OutboundMessage.objects.filter(channel="sms", recipient="0811000111", body__contains="Segera").exists()
    page = Client().get(reverse("cases:track", args=[second.number])).content.decode()
    assert first.number in page


def test_a_case_cannot_join_a_closed_case_or_itself(
    file_case: Callable[..., services.Submission], lurah_operator: User
) -> None:
    from django.core.exceptions import ValidationError

    first = file_case().case
    with pytest.raises(ValidationError):
        services.case_merge(case=first, into=first, by=lurah_operator)
    services.case_transition(case=first, to_status="rejected", by=lurah_operator, note="x")
    with pytest.raises(ValidationError):
        file_case(link_to=Case.objects.get(pk=first.pk))


# Tracking, rating and dispute --------------------------------------------------------------------


def test_the_public_page_shows_status_and_timeline_without_personal_data(
    file_case: Callable[..., services.Submission], lurah_operator: User
) -> None:
    case = file_case(address="Jl. Kebon Sirih 5").case
    services.case_transition(case=case, to_status="validated", by=lurah_operator, note="Sudah dicek")

    body = Client().get(reverse("cases:track", args=[case.number])).content.decode()

    assert "Validated" in body
    assert "Sudah dicek" in body
    for private in ("Siti", "081234567890", "siti@contoh.test", "Saluran air", "Kebon Sirih", lurah_operator.full_name):
        assert private not in body


def test_a_stranger_who_knows_the_number_cannot_rate_or_dispute(
    file_case: Callable[..., services.Submission], lurah_operator: User
) -> None:
    case = file_case().case
    services.case_transition(case=case, to_status="rejected", by=lurah_operator, note="x")
    client = Client()

    assert client.get(reverse("cases:reporter", args=[case.number, "wrong"])).status_code == 404
    assert client.post(reverse("cases:rate", args=[case.number, "wrong"]), {"rating": 1}).status_code == 404
    assert client.post(reverse("cases:dispute", args=[case.number, "wrong"]), {"reason": "x"}).status_code == 404
    assert Case.objects.get(pk=case.pk).rating is None


def test_the_reporter_rates_a_finished_case_and_disputes_it_which_reopens_it(
    file_case: Callable[..., services.Submission], lurah_operator: User
) -> None:
    case = file_case().case
    for step in ("validated", "in_progress"):
        services.case_transition(case=case, to_status=step, by=lurah_operator)
    services.case_transition(case=case, to_status="done", by=lurah_operator, proof=[png()])
    secret = services.reporter_secret(case)
    client = Client()

    page = client.get(reverse("cases:reporter", args=[case.number, secret])).content.decode()
    assert "Rate the result" in page
    assert (
        client.post(
            reverse("cases:rate", args=[case.number, secret]), {"rating": 2, "comment": "Masih bau"}
        ).status_code
        == 302
    )
    assert Case.objects.get(pk=case.pk).rating == 2

    assert (
        client.post(reverse("cases:dispute", args=[case.number, secret]), {"reason": "Masih tersumbat"}).status_code
        == 302
    )
    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS
    assert case.closed_at is None
    assert case.transitions.last().is_dispute  # type: ignore[union-attr]


def test_a_dispute_after_the_allowed_days_is_refused(
    file_case: Callable[..., services.Submission], lurah_operator: User, settings: Any
) -> None:
    from django.core.exceptions import ValidationError

    settings.SINERGI_CASE_DISPUTE_DAYS = 7
    case = file_case().case
    services.case_transition(case=case, to_status="rejected", by=lurah_operator, note="x")
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - datetime.timedelta(days=8))

    with pytest.raises(ValidationError, match="7 days"):
        services.case_dispute(case=case, secret=services.reporter_secret(case), reason="Belum beres")
    assert Case.objects.get(pk=case.pk).status == Case.Status.REJECTED
