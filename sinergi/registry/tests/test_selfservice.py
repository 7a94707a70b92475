"""Self-service: a Ketua RT on a phone keeps the contact data current, reports activities and proposes
officer changes with the SK; the Lurah operator approves or rejects with a reason; all of it is in
the audit log, and the RT chair sees and edits only their own RT."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.audit.models import AuditEvent
from sinergi.registry.models import ActivityReport, ChangeRequest, Officer, Organisation, Person
from sinergi.registry.tests.conftest import make_nik, pdf, png

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
# A cheap Android phone: the pages must work there (they are the same pages; this is what it sends).
PHONE = {"User-Agent": "Mozilla/5.0 (Linux; Android 11; SM-A022F) AppleWebKit/537.36 Mobile Safari/537.36"}


@pytest.fixture(autouse=True)
def english(settings) -> None:
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def phone(client_for, rt_chair: User) -> Client:
    """The Ketua RT 001/RW 001 Gambir, signed in on their phone."""
    client = client_for(rt_chair)
    client.defaults.update({"HTTP_USER_AGENT": PHONE["User-Agent"]})
    return client


def audit(*prefixes: str) -> list[tuple[str, str]]:
    """``(action, actor username)`` of the audit events whose action starts with one of ``prefixes``."""
    rows = AuditEvent.objects.order_by("id").values_list("action", "actor__username")
    return [(action, actor) for action, actor in rows if action.startswith(prefixes)]


def propose_chair(client: Client, organisation: Organisation, **extra: str) -> None:
    response = client.post(
        f"/register/{organisation.pk}/usul-pengurus/",
        {
            "nik": make_nik(serial=301),
            "full_name": "Budi Santoso",
            "phone": "0812 3456 7890",
            "position": "ketua",
            "term_start": "2025-01-06",
            "sk_number": "45/2025",
            "sk_date": "2025-01-03",
            "sk_issuer": "Lurah Gambir",
            "no_party_statement": "on",
            "attachment": pdf("sk-ketua.pdf"),
            **extra,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def test_the_rt_chair_lands_on_their_own_organisation(phone: Client, rt_org) -> None:
    response = phone.get("/register/saya/", follow=True)

    assert response.redirect_chain[-1][0] == f"/register/saya/{rt_org.pk}/"
    assert response.context["organisation"] == rt_org
    assert 'name="viewport"' in response.content.decode()


def test_the_rt_chair_sees_and_edits_only_their_rt(phone: Client, rt_org, other_rt_org, outsider_rt_org) -> None:
    assert [o.pk for o in phone.get("/register/").context["page"].object_list] == [rt_org.pk]
    assert phone.get(f"/register/{rt_org.pk}/").status_code == 200
    for org in (other_rt_org, outsider_rt_org):
        for url in (f"/register/{org.pk}/", f"/register/saya/{org.pk}/", f"/register/{org.pk}/kontak/"):
            assert phone.get(url).status_code == 404, url
        assert phone.post(f"/register/{org.pk}/kontak/", {"phone": "0"}).status_code == 404
    # Their own RT: contact data yes, everything else is for staff.
    assert phone.get(f"/register/{rt_org.pk}/kontak/").status_code == 200
    for url in (f"/register/{rt_org.pk}/ubah/", f"/register/{rt_org.pk}/status/", f"/register/{rt_org.pk}/pengurus/"):
        assert phone.get(url).status_code == 403, url
    assert phone.get("/register/usulan/").status_code == 404


def test_contact_data_applies_at_once_and_is_audited(phone: Client, rt_org) -> None:
    response = phone.post(
        f"/register/{rt_org.pk}/kontak/",
        {
            "phone": "0812-1111-2222",
            "email": "rt1rw1.gambir@example.id",
            "address": "Jl. Mawar 3",
            "latitude": "-6.1764",
            "longitude": "106.8267",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"/register/saya/{rt_org.pk}/"
    rt_org.refresh_from_db()
    assert (rt_org.phone, rt_org.address, rt_org.latitude) == ("0812-1111-2222", "Jl. Mawar 3", -6.1764)
    assert audit("registry.") == [("registry.organisation.update", "ketua.rt1.gambir")]
    assert not ChangeRequest.objects.exists()


def test_a_map_point_needs_both_coordinates(phone: Client, rt_org) -> None:
    response = phone.post(f"/register/{rt_org.pk}/kontak/", {"latitude": "-6.17"})

    assert response.status_code == 422
    rt_org.refresh_from_db()
    assert rt_org.latitude is None


def test_the_rt_chair_reports_an_activity_with_photos(phone: Client, rt_org) -> None:
    response = phone.post(
        f"/register/{rt_org.pk}/kegiatan/",
        {
            "held_on": TODAY.isoformat(),
            "kind": "ronda",
            "title": "Ronda malam",
            "place": "Pos RT 001",
            "participants": "8",
            "photos": [png("ronda.png")],
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"/register/saya/{rt_org.pk}/#activities"
    assert ActivityReport.objects.get().photos.count() == 1


def test_an_officer_change_needs_the_sk(phone: Client, rt_org) -> None:
    response = phone.post(
        f"/register/{rt_org.pk}/usul-pengurus/",
        {"nik": make_nik(serial=302), "full_name": "Budi", "position": "ketua", "term_start": "2025-01-06"},
    )

    assert response.status_code == 422
    assert "attachment" in response.context["form"].errors
    assert not ChangeRequest.objects.exists()


def test_a_proposal_keeps_the_nik_out_of_the_payload(phone: Client, rt_org) -> None:
    propose_chair(phone, rt_org)

    change_request = ChangeRequest.objects.get()
    assert make_nik(serial=301) not in str(change_request.payload)
    assert change_request.payload["nik_masked"] == "3171••••••••0301"
    assert change_request.status == ChangeRequest.Status.PENDING


def test_the_lurah_approves_an_officer_change_proposed_by_the_rt_chair_from_a_phone(
    phone: Client, client_for, lurah_operator: User, rt_org, territory
) -> None:
    propose_chair(phone, rt_org)
    change_request = ChangeRequest.objects.get()
    lurah = client_for(lurah_operator)
    lurah.defaults.update({"HTTP_USER_AGENT": PHONE["User-Agent"]})

    queue = lurah.get("/register/usulan/")
    assert list(queue.context["page"].object_list) == [change_request]
    page = lurah.get(f"/register/usulan/{change_request.pk}/")
    body = page.content.decode()
    assert "Budi Santoso" in body
    assert "3171••••••••0301" in body
    assert make_nik(serial=301) not in body
    assert lurah.get(f"/register/usulan/{change_request.pk}/lampiran/").status_code == 200

    response = lurah.post(f"/register/usulan/{change_request.pk}/", {"approve": "1"})

    assert response.status_code == 302
    change_request.refresh_from_db()
    assert change_request.status == ChangeRequest.Status.APPROVED
    officer = Officer.objects.get()
    assert (officer.organisation, officer.person.full_name, officer.sk_number) == (rt_org, "Budi Santoso", "45/2025")
    assert audit("registry.") == [
        ("registry.change_request.submit", "ketua.rt1.gambir"),
        ("registry.person.create", "lurah.gambir"),
        ("registry.officer.appoint", "lurah.gambir"),
        ("registry.change_request.approve", "lurah.gambir"),
    ]
    # The RT chair sees the decision on their page.
    mine = phone.get(f"/register/saya/{rt_org.pk}/")
    assert next(iter(mine.context["requests"])).status == ChangeRequest.Status.APPROVED
    assert [o.person.full_name for o in mine.context["officers"]] == ["Budi Santoso"]


def test_a_rejection_needs_a_reason_the_rt_chair_reads(phone: Client, client_for, lurah_operator: User, rt_org) -> None:
    propose_chair(phone, rt_org)
    change_request = ChangeRequest.objects.get()
    lurah = client_for(lurah_operator)

    assert lurah.post(f"/register/usulan/{change_request.pk}/", {"approve": "0"}).status_code == 422
    response = lurah.post(
        f"/register/usulan/{change_request.pk}/", {"approve": "0", "reason": "SK belum ditandatangani Lurah."}
    )

    assert response.status_code == 302
    change_request.refresh_from_db()
    assert change_request.status == ChangeRequest.Status.REJECTED
    assert not Officer.objects.exists()
    assert not Person.objects.exists()
    assert "SK belum ditandatangani Lurah." in phone.get(f"/register/saya/{rt_org.pk}/").content.decode()


def test_an_approval_the_rules_refuse_stays_pending(
    phone: Client, client_for, lurah_operator: User, rt_org, person_factory
) -> None:
    sitting = person_factory("Ketua Sekarang", serial=303)
    Officer.objects.create(
        organisation=rt_org,
        person=sitting,
        position="ketua",
        term_start=datetime.date(2024, 1, 1),
        term_end=datetime.date(2028, 12, 31),
    )
    propose_chair(phone, rt_org)
    change_request = ChangeRequest.objects.get()

    response = client_for(lurah_operator).post(f"/register/usulan/{change_request.pk}/", {"approve": "1"})

    assert response.status_code == 422
    change_request.refresh_from_db()
    assert change_request.status == ChangeRequest.Status.PENDING
    assert Officer.objects.count() == 1


def test_the_rt_chair_proposes_that_an_officer_leaves(
    phone: Client, client_for, lurah_operator: User, rt_org, person_factory
) -> None:
    officer = Officer.objects.create(
        organisation=rt_org,
        person=person_factory("Bendahara Lama", serial=304),
        position="bendahara",
        term_start=datetime.date(2024, 1, 1),
        term_end=datetime.date(2028, 12, 31),
    )

    response = phone.post(
        f"/register/pengurus/{officer.pk}/usul-berhenti/",
        {"ended_on": TODAY.isoformat(), "reason": "resignation", "attachment": pdf("surat-mundur.pdf")},
    )
    change_request = ChangeRequest.objects.get()
    client_for(lurah_operator).post(f"/register/usulan/{change_request.pk}/", {"approve": "1"})

    assert response.status_code == 302
    officer.refresh_from_db()
    assert (officer.ended_on, officer.end_reason) == (TODAY, "resignation")


def test_the_rt_chair_cannot_decide_their_own_proposal(phone: Client, rt_org) -> None:
    propose_chair(phone, rt_org)
    change_request = ChangeRequest.objects.get()

    assert phone.get(f"/register/usulan/{change_request.pk}/").status_code == 200
    assert phone.post(f"/register/usulan/{change_request.pk}/", {"approve": "1"}).status_code == 403
    change_request.refresh_from_db()
    assert change_request.status == ChangeRequest.Status.PENDING


def test_proposals_of_another_kelurahan_are_404_for_the_lurah(
    client_for, rt_chair: User, outsider_operator: User, rt_org
) -> None:
    phone = client_for(rt_chair)
    propose_chair(phone, rt_org)
    change_request = ChangeRequest.objects.get()
    outsider = client_for(outsider_operator)

    assert list(outsider.get("/register/usulan/").context["page"].object_list) == []
    assert outsider.get(f"/register/usulan/{change_request.pk}/").status_code == 404
    assert outsider.post(f"/register/usulan/{change_request.pk}/", {"approve": "1"}).status_code == 404
    assert outsider.get(f"/register/usulan/{change_request.pk}/lampiran/").status_code == 404


def test_done_means_the_lurah_finds_the_rts_sees_terms_ending_and_approves_from_a_phone(
    phone: Client, client_for, lurah_operator: User, rt_org, other_rt_org, outsider_rt_org, person_factory
) -> None:
    """The issue's first "done means", end to end through the pages."""
    end_of_year = datetime.date(TODAY.year, 12, 31)
    chair = Officer.objects.create(
        organisation=other_rt_org,
        person=person_factory("Ketua Lama", serial=310),
        position="ketua",
        term_start=end_of_year.replace(year=end_of_year.year - 5) + datetime.timedelta(days=1),
        term_end=end_of_year,
    )
    lurah = client_for(lurah_operator)
    lurah.defaults.update({"HTTP_USER_AGENT": PHONE["User-Agent"]})

    rts = lurah.get("/register/", {"kind": "rt", "area": "31.71.01.1001"}).context["page"].object_list
    ending = lurah.get("/register/masa-bakti/").context["page"].object_list
    propose_chair(phone, rt_org)
    change_request = ChangeRequest.objects.get()
    approved = lurah.post(f"/register/usulan/{change_request.pk}/", {"approve": "1"})

    assert {o.pk for o in rts} == {rt_org.pk, other_rt_org.pk}
    assert list(ending) == [chair]
    assert approved.status_code == 302
    assert Officer.objects.filter(organisation=rt_org, position="ketua").exists()
    assert [action for action, _actor in audit("registry.")] == [
        "registry.change_request.submit",
        "registry.person.create",
        "registry.officer.appoint",
        "registry.change_request.approve",
    ]
    assert set(AuditEvent.objects.filter(action__startswith="registry.").values_list("region_code", flat=True)) == {
        "31.71.01.1001"
    }
