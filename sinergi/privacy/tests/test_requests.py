"""Data-subject requests: a copy of the data with its processing trail, correction, anonymisation."""

from __future__ import annotations

import datetime
import io
import json

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import Territory
from sinergi.accounts.models import User
from sinergi.audit.models import AuditEvent
from sinergi.privacy import services, tasks
from sinergi.privacy.models import DataSubjectRequest
from sinergi.registry import nik as nik_tools
from sinergi.registry import selectors as registry_selectors
from sinergi.registry import services as registry_services
from sinergi.registry.models import Officer, Organisation, Person
from sinergi.registry.tests.conftest import make_nik

pytestmark = pytest.mark.django_db

NIK = make_nik(serial=42)
LIST = "/privasi/permintaan/"


@pytest.fixture
def person(lurah_operator: User, territory: Territory) -> Person:
    """Siti, registered by the Gambir operator through the register's service (so she has a trail)."""
    return registry_services.person_create(
        by=lurah_operator,
        full_name="Siti Aminah",
        nik=NIK,
        phone="0812-1111-2222",
        email="siti@example.test",
        address="Jl. Tanah Abang II No. 5",
        region=territory.kel_gambir,
    )


def ask(person: Person, by: User, kind: str, **extra: object) -> DataSubjectRequest:
    return services.request_record(
        by=by, nik=NIK, kind=kind, received_at=timezone.now() - datetime.timedelta(hours=1), **extra
    )


def appoint(person: Person, organisation: Organisation, by: User, start: datetime.date) -> Officer:
    officer, _warnings = registry_services.officer_appoint(
        by=by, organisation=organisation, person=person, position="ketua", term_start=start, no_party_statement=True
    )
    return officer


def test_an_access_request_gives_the_data_and_who_processed_it(
    client_for, city_admin: User, lurah_operator: User, person: Person, rt_org: Organisation,
    django_capture_on_commit_callbacks,
) -> None:  # fmt: skip
    appoint(person, rt_org, lurah_operator, timezone.localdate() - datetime.timedelta(days=30))
    registry_services.person_update(by=city_admin, person=person, phone="0813-0000-9999")
    client = client_for(city_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/privasi/permintaan/baru/",
            {"nik": NIK, "kind": "access", "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
        )

    request = DataSubjectRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/privasi/permintaan/{request.pk}/"
    assert (request.status, request.recorded_by) == (DataSubjectRequest.Status.DONE, city_admin)
    data = json.loads(b"".join(client.get(f"/privasi/permintaan/{request.pk}/berkas.json").streaming_content))
    assert data["person"]["nik"] == NIK
    assert data["person"]["full_name"] == "Siti Aminah"
    assert data["person"]["phone"] == "0813-0000-9999"
    assert [post["organisation"] for post in data["posts"]] == [rt_org.name]
    assert [org["name"] for org in data["organisations"]] == [rt_org.name]
    trail = [(event["actor"], event["action"]) for event in data["processing"]]
    assert trail[:3] == [
        ("Joko Kelurahan Gambir", "registry.person.create"),
        ("Joko Kelurahan Gambir", "registry.officer.appoint"),
        ("Budi Pemerintahan Jakpus", "registry.person.update"),
    ]
    assert ("Budi Pemerintahan Jakpus", "privacy.request.create") in trail
    assert data["processing"][2]["fields"] == ["phone"]

    xlsx = openpyxl.load_workbook(
        io.BytesIO(b"".join(client.get(f"/privasi/permintaan/{request.pk}/berkas.xlsx").streaming_content))
    )
    assert xlsx.sheetnames == ["person", "posts", "organisations", "change_requests", "processing"]
    assert ["nik", NIK] in [[c.value for c in row] for row in xlsx["person"].iter_rows()]
    downloads = AuditEvent.objects.filter(action="privacy.request.download", object_id=str(request.pk))
    assert sorted(e.changes["format"][1] for e in downloads) == ["json", "xlsx"]
    assert {e.actor for e in downloads} == {city_admin}


def test_building_the_file_twice_changes_nothing(city_admin: User, person: Person) -> None:
    request = ask(person, city_admin, "access")
    tasks.build_access_export.call(request.pk)
    request.refresh_from_db()
    first = (request.export_json.name, request.export_built_at)

    tasks.build_access_export.call(request.pk)

    request.refresh_from_db()
    assert (request.export_json.name, request.export_built_at) == first
    assert AuditEvent.objects.filter(action="privacy.request.export").count() == 1


def test_the_requester_is_found_by_the_exact_nik_in_the_administrators_territory(
    city_admin: User, west_admin: User, person: Person
) -> None:
    with pytest.raises(ValidationError, match="No person with this NIK"):
        services.request_record(by=city_admin, nik=make_nik(serial=43), kind="access", received_at=timezone.now())
    # The administrator of another city is told the same: a NIK does not reveal where a person lives.
    with pytest.raises(ValidationError, match="No person with this NIK"):
        ask(person, west_admin, "access")
    assert not DataSubjectRequest.objects.exists()


def test_the_deadline_is_three_times_24_hours_after_receipt(client_for, city_admin: User, person: Person) -> None:
    request = ask(person, city_admin, "correction")

    assert request.deadline == request.received_at + datetime.timedelta(hours=72)
    page = client_for(city_admin).get(f"/privasi/permintaan/{request.pk}/").content.decode()
    assert "Answer by" in page


def test_a_correction_goes_through_the_register(client_for, city_admin: User, person: Person) -> None:
    request = ask(person, city_admin, "correction")

    response = client_for(city_admin).post(
        f"/privasi/permintaan/{request.pk}/koreksi/",
        {"full_name": "Siti Aminah Rahayu", "nik": "", "phone": "0812-1111-2222", "email": "", "address": ""},
    )

    assert response.status_code == 302
    person.refresh_from_db()
    request.refresh_from_db()
    assert (person.full_name, person.email, person.address) == ("Siti Aminah Rahayu", "", "")
    assert request.status == DataSubjectRequest.Status.DONE
    update = AuditEvent.objects.get(action="registry.person.update")
    assert sorted(update.changes) == ["address", "email", "full_name"]
    assert AuditEvent.objects.get(action="privacy.request.complete").changes["fields"][1] == [
        "address",
        "email",
        "full_name",
        "phone",
    ]


def test_anonymisation_is_refused_while_the_person_holds_a_post(
    client_for, city_admin: User, lurah_operator: User, person: Person, rt_org: Organisation
) -> None:
    officer = appoint(person, rt_org, lurah_operator, timezone.localdate() - datetime.timedelta(days=400))
    request = ask(person, city_admin, "erasure")
    client = client_for(city_admin)

    response = client.post(f"/privasi/permintaan/{request.pk}/anonimkan/", follow=True)

    person.refresh_from_db()
    request.refresh_from_db()
    assert "holds a post" in response.content.decode()
    assert person.full_name == "Siti Aminah"
    assert request.status == DataSubjectRequest.Status.OPEN
    assert not AuditEvent.objects.filter(action="registry.person.anonymise").exists()

    registry_services.officer_end(
        by=lurah_operator, officer=officer, ended_on=timezone.localdate(), reason="resignation"
    )
    client.post(f"/privasi/permintaan/{request.pk}/anonimkan/")

    person.refresh_from_db()
    request.refresh_from_db()
    assert person.full_name == f"Anonim #{person.pk}"
    assert (person.phone, person.email, person.address, person.rt) == ("", "", "", None)
    assert person.birth_date == datetime.date(1980, 1, 1)
    assert request.status == DataSubjectRequest.Status.DONE
    # The NIK no longer finds anyone, and no trace of it stays in the row.
    assert registry_selectors.person_by_nik(user=city_admin, nik=NIK) is None
    assert not Person.objects.filter(nik_hash=nik_tools.nik_hash(NIK)).exists()
    assert NIK not in nik_tools.decrypt_nik(person.nik_encrypted)
    assert NIK[6:12] not in person.nik_masked
    # The post stays in the organisation's history, held by the anonymous person.
    assert Officer.objects.get(pk=officer.pk).person_id == person.pk
    event = AuditEvent.objects.get(action="registry.person.anonymise")
    assert (event.actor, event.object_repr) == (city_admin, f"Anonim #{person.pk}")
    assert "Siti" not in json.dumps(event.changes)
    # The NIK is free again: the same person may be registered anew.
    registry_services.person_create(by=lurah_operator, full_name="Siti Aminah", nik=NIK)


def test_a_request_is_handled_only_in_the_administrators_territory(
    client_for, city_admin: User, west_admin: User, lurah_operator: User, person: Person
) -> None:
    access = ask(person, city_admin, "access")
    tasks.build_access_export.call(access.pk)
    erasure = ask(person, city_admin, "erasure")
    correction = ask(person, city_admin, "correction")
    outsider = client_for(west_admin)

    for url in (
        f"/privasi/permintaan/{access.pk}/",
        f"/privasi/permintaan/{access.pk}/berkas.json",
        f"/privasi/permintaan/{access.pk}/berkas.xlsx",
        f"/privasi/permintaan/{correction.pk}/koreksi/",
    ):
        assert outsider.get(url).status_code == 404, url
    assert outsider.post(f"/privasi/permintaan/{erasure.pk}/anonimkan/").status_code == 404
    assert "Siti" not in outsider.get(LIST).content.decode()
    # An operator of the person's own kelurahan is not an administrator: no request pages at all.
    operator = client_for(lurah_operator)
    assert operator.get(LIST).status_code == 404
    assert operator.get(f"/privasi/permintaan/{access.pk}/").status_code == 404
    assert not AuditEvent.objects.filter(action="privacy.request.download").exists()
    assert Person.objects.get(pk=person.pk).full_name == "Siti Aminah"
    assert "Siti" in client_for(city_admin).get(LIST).content.decode()
