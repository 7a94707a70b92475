"""Staff pages and the staff API: scope (a unit sees the cases routed to it or inside its territory,
others get 404), the inbox and its filters, bulk disposition, intake by staff and by an RT chair,
and the category tree for administrators."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import Territory, Units
from sinergi.accounts.models import Unit, User
from sinergi.audit.models import AuditEvent
from sinergi.cases import services
from sinergi.cases.models import Case, Category
from sinergi.cases.tests.conftest import png

pytestmark = pytest.mark.django_db


def test_a_unit_sees_only_cases_routed_to_it_or_in_its_territory(
    file_case: Callable[..., services.Submission],
    territory: Territory,
    lurah_operator: User,
    outsider_operator: User,
    camat_operator: User,
    city_viewer: User,
    west_admin: User,
    sudin_operator: User,
    sudin_west_operator: User,
    sudin: Unit,
) -> None:
    gambir = file_case().case
    pasar_baru = file_case(region=territory.kel_pasar_baru).case

    def sees(user: User) -> set[str]:
        return set(Case.objects.visible_to(user).values_list("number", flat=True))

    assert sees(lurah_operator) == {gambir.number}
    assert sees(outsider_operator) == {pasar_baru.number}
    assert sees(camat_operator) == {gambir.number}
    assert sees(city_viewer) == {gambir.number, pasar_baru.number}
    assert sees(west_admin) == set()
    assert sees(sudin_operator) == set()  # an agency sees nothing until a case is routed to it

    services.case_transition(case=gambir, to_status="validated", by=lurah_operator)
    services.case_transition(case=gambir, to_status="disposition", by=lurah_operator, unit=sudin)
    assert sees(sudin_operator) == {gambir.number}
    assert sees(sudin_west_operator) == set()
    assert sees(lurah_operator) == {gambir.number}  # still in the kelurahan's territory


def test_out_of_scope_pages_and_api_answer_404(
    file_case: Callable[..., services.Submission],
    client_for: Callable[[User], Client],
    api_client_for: Callable[[User], Client],
    outsider_operator: User,
    west_admin: User,
) -> None:
    case = file_case().case
    for user in (outsider_operator, west_admin):
        client = client_for(user)
        assert client.get(reverse("cases:detail", args=[case.number])).status_code == 404
        assert (
            client.post(reverse("cases:transition", args=[case.number]), {"to_status": "validated"}).status_code == 404
        )
        assert api_client_for(user).get(f"/api/v1/cases/inbox/{case.number}").status_code == 404
        assert client.get(reverse("cases:detail", args=["ADU-26-NOPE22"])).status_code == 404
    assert Case.objects.get(pk=case.pk).status == Case.Status.WAITING


def test_a_viewer_reads_but_may_not_act(
    file_case: Callable[..., services.Submission], client_for: Callable[[User], Client], city_viewer: User
) -> None:
    case = file_case().case
    client = client_for(city_viewer)

    assert client.get(reverse("cases:detail", args=[case.number])).status_code == 200
    assert client.post(reverse("cases:transition", args=[case.number]), {"to_status": "validated"}).status_code == 403
    assert client.post(reverse("cases:contact", args=[case.number])).status_code == 403


def test_the_inbox_filters_and_shows_overdue_cases_in_red(
    file_case: Callable[..., services.Submission], client_for: Callable[[User], Client], lurah_operator: User
) -> None:
    late = file_case().case
    Case.objects.filter(pk=late.pk).update(due_on=datetime.date.today() - datetime.timedelta(days=3))
    on_time = file_case(description="Usulan taman bermain").case
    client = client_for(lurah_operator)

    page = client.get(reverse("cases:inbox")).content.decode()
    assert late.number in page
    assert on_time.number in page
    assert f'class="sla-overdue" data-number="{late.number}"' in page

    overdue = client.get(reverse("cases:inbox"), {"sla": "overdue"}, headers={"HX-Request": "true"})
    assert late.number in overdue.content.decode()
    assert on_time.number not in overdue.content.decode()
    assert "<html" not in overdue.content.decode()  # htmx gets the partial only


def test_the_inbox_list_costs_the_same_queries_for_many_cases(
    file_case: Callable[..., services.Submission], client_for: Callable[[User], Client], lurah_operator: User
) -> None:
    client = client_for(lurah_operator)
    file_case()
    client.get(reverse("cases:inbox"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("cases:inbox"), headers={"HX-Request": "true"})
    for n in range(10):
        file_case(description=f"Keluhan nomor {n}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("cases:inbox"), headers={"HX-Request": "true"})

    assert len(many) == len(few)


def test_bulk_disposition_passes_every_chosen_case_or_none(
    file_case: Callable[..., services.Submission],
    client_for: Callable[[User], Client],
    lurah_operator: User,
    sudin: Unit,
    units: Units,
) -> None:
    cases = [file_case(description=f"Got mampet {n}").case for n in range(3)]
    for case in cases:
        services.case_transition(case=case, to_status="validated", by=lurah_operator)
    client = client_for(lurah_operator)

    refused = client.post(reverse("cases:bulk"), {"cases": [c.number for c in cases], "unit": units.kel_pasar_baru.pk})
    assert refused.status_code == 302
    assert set(Case.objects.values_list("status", flat=True)) == {"validated"}

    client.post(reverse("cases:bulk"), {"cases": [c.number for c in cases], "unit": sudin.pk, "note": "Ke Sudin"})
    assert set(Case.objects.values_list("current_unit", flat=True)) == {sudin.pk}
    assert set(Case.objects.values_list("status", flat=True)) == {"disposition"}


def test_the_workload_table_counts_open_and_overdue_cases_per_unit(
    file_case: Callable[..., services.Submission], client_for: Callable[[User], Client], city_admin: User
) -> None:
    file_case()
    late = file_case().case
    Case.objects.filter(pk=late.pk).update(due_on=datetime.date.today() - datetime.timedelta(days=1))

    client = client_for(city_admin)
    assert reverse("cases:workload") in client.get(reverse("cases:inbox")).content.decode()  # loaded when opened
    page = client.get(reverse("cases:workload")).content.decode()
    assert 'id="case-workload"' in page
    assert 'Kantor Kelurahan Gambir</a></td><td>2</td><td class="text-danger fw-semibold">1</td>' in page


def test_a_kelurahan_operator_works_a_case_from_its_page(
    file_case: Callable[..., services.Submission], client_for: Callable[[User], Client], lurah_operator: User
) -> None:
    case = file_case().case
    client = client_for(lurah_operator)

    assert (
        client.post(
            reverse("cases:transition", args=[case.number]), {"to_status": "validated", "note": "ok"}
        ).status_code
        == 302
    )
    assert client.post(reverse("cases:transition", args=[case.number]), {"to_status": "in_progress"}).status_code == 302
    missing = client.post(reverse("cases:transition", args=[case.number]), {"to_status": "done"})
    assert missing.status_code == 422
    assert "Attach a photo or document" in missing.content.decode()
    done = client.post(reverse("cases:transition", args=[case.number]), {"to_status": "done", "proof": [png()]})
    assert done.status_code == 302
    assert Case.objects.get(pk=case.pk).status == "done"

    contact = client.post(reverse("cases:contact", args=[case.number]), headers={"HX-Request": "true"})
    assert "081234567890" in contact.content.decode()
    assert AuditEvent.objects.filter(action="cases.case_contact.view").count() == 1


def test_staff_record_a_case_heard_at_an_event(
    client_for: Callable[[User], Client], lurah_operator: User, flood: Category, territory: Territory
) -> None:
    response = client_for(lurah_operator).post(
        reverse("cases:create"),
        {
            "kind": "aspiration",
            "category": flood.pk,
            "description": "Usul normalisasi kali",
            "region": territory.kel_gambir.code,
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert (case.channel, case.submitted_by) == (Case.Channel.STAFF, lurah_operator)


def test_an_rt_chair_sends_the_aspirations_of_a_meeting_for_the_rt(
    client_for: Callable[[User], Client], rt_chair: User, rt_org, flood: Category, territory: Territory, units: Units
) -> None:
    client = client_for(rt_chair)
    page = client.get(reverse("cases:create")).content.decode()
    assert "Sent on behalf of" in page

    response = client.post(
        reverse("cases:create"),
        {
            "kind": "aspiration",
            "category": flood.pk,
            "description": "Hasil rapat RT: mohon pengerukan got",
            "region": territory.kel_gambir.code,
            "organisation": rt_org.pk,
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:mine")
    assert (case.channel, case.organisation, case.submitted_by) == (Case.Channel.PORTAL, rt_org, rt_chair)
    assert case.number in client.get(reverse("cases:mine")).content.decode()
    assert client.get(reverse("cases:inbox")).status_code == 404


def test_administrators_edit_the_category_tree(
    client_for: Callable[[User], Client], kesbangpol_admin: User, lurah_operator: User, flood: Category, agency: Unit
) -> None:
    admin = client_for(kesbangpol_admin)
    response = admin.post(
        reverse("cases:category-create"),
        {"name": "Pompa air", "parent": flood.parent_id, "unit": agency.pk, "sla_days": 2, "is_active": "on"},
    )
    assert response.status_code == 302
    made = Category.objects.get(name="Pompa air")
    assert (made.parent_id, made.unit, made.sla_days) == (flood.parent_id, agency, 2)
    assert AuditEvent.objects.filter(action="cases.category.create").exists()

    admin.post(reverse("cases:category-edit", args=[made.pk]), {"name": "Pompa air", "sla_days": 3, "unit": agency.pk})
    made.refresh_from_db()
    assert (made.sla_days, made.is_active, made.parent_id) == (3, False, None)
    cycle = admin.post(
        reverse("cases:category-edit", args=[flood.parent_id]),
        {"name": "Banjir dan drainase", "parent": flood.pk, "sla_days": 7},
    )
    assert cycle.status_code == 422
    assert client_for(lurah_operator).get(reverse("cases:categories")).status_code == 404


def test_the_staff_api_lists_and_moves_cases_in_scope(
    file_case: Callable[..., services.Submission],
    api_client_for: Callable[[User], Client],
    lurah_operator: User,
    outsider_operator: User,
    sudin: Unit,
) -> None:
    case = file_case().case
    client = api_client_for(lurah_operator)

    listed = client.get("/api/v1/cases/inbox").json()
    assert [c["number"] for c in listed["items"]] == [case.number]
    assert api_client_for(outsider_operator).get("/api/v1/cases/inbox").json()["count"] == 0

    moved = client.post(f"/api/v1/cases/inbox/{case.number}/transitions", {"to_status": "validated", "note": "ok"})
    assert moved.status_code == 200
    assert moved.json()["status"] == "validated"
    wrong = client.post(f"/api/v1/cases/inbox/{case.number}/transitions", {"to_status": "done"})
    assert wrong.status_code == 422
    passed = client.post(
        f"/api/v1/cases/inbox/{case.number}/transitions", {"to_status": "disposition", "unit_id": sudin.pk}
    )
    assert passed.json()["unit_id"] == sudin.pk
    timeline = client.get(f"/api/v1/cases/inbox/{case.number}/timeline").json()
    assert [s["status"] for s in timeline] == ["waiting", "validated", "disposition"]


def test_a_huge_inbox_counts_only_up_to_a_cap(
    file_case: Callable[..., services.Submission],
    client_for: Callable[[User], Client],
    lurah_operator: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sinergi.cases import selectors

    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    for n in range(3):
        file_case(description=f"Keluhan {n}")

    page = client_for(lurah_operator).get(reverse("cases:inbox")).content.decode()
    assert "More than 2 cases" in page


@pytest.mark.parametrize("cap", [10_000, 2], ids=["few cases", "many cases"])
def test_the_inbox_lists_the_newest_first_and_under_an_sla_filter_the_most_overdue_first(
    cap: int,
    file_case: Callable[..., services.Submission],
    client_for: Callable[[User], Client],
    api_client_for: Callable[[User], Client],
    city_admin: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A count above the cap switches to another query plan (selectors.ordered); the order must not change.
    from django.utils import timezone

    from sinergi.cases import selectors

    monkeypatch.setattr(selectors, "COUNT_CAP", cap)
    monkeypatch.setattr(selectors, "SLA_WALK_FROM", cap)
    oldest, middle, newest = (file_case().case for _ in range(3))
    now, today = timezone.now(), datetime.date.today()
    for case, age, overdue in ((oldest, 3, 1), (middle, 2, 5), (newest, 1, 3)):
        Case.objects.filter(pk=case.pk).update(
            created_at=now - datetime.timedelta(days=age), due_on=today - datetime.timedelta(days=overdue)
        )
    client = client_for(city_admin)

    def order(path: str) -> list[str]:
        page = client.get(path).content.decode()
        return sorted((oldest.number, middle.number, newest.number), key=page.index)

    assert order(reverse("cases:inbox")) == [newest.number, middle.number, oldest.number]
    assert order(reverse("cases:inbox") + "?sla=overdue") == [middle.number, newest.number, oldest.number]
    listed = api_client_for(city_admin).get("/api/v1/cases/inbox?sla=overdue").json()
    assert [c["number"] for c in listed["items"]] == [middle.number, newest.number, oldest.number]
    assert listed["count"] == 3
