"""One of every object a URL can name, all inside Kelurahan or Kecamatan Gambir (Jakarta Pusat), for
the permission matrix and the API fuzzing. Built with the real services where they store files, so
every download URL has a file behind it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import Territory, Units
from sinergi.accounts.models import ApiToken, Role, User
from sinergi.accounts.services import token_create
from sinergi.audit.models import AuditEvent
from sinergi.notifications.models import Notification
from sinergi.privacy import services as privacy_services
from sinergi.privacy.models import Breach, DataSubjectRequest
from sinergi.privacy.services import breach_record
from sinergi.registry import services
from sinergi.registry.models import (
    ActivityReport,
    ChangeRequest,
    CoachingNote,
    Document,
    ExportJob,
    ImportJob,
    Officer,
    Organisation,
    OrganisationKind,
    Person,
    Sanction,
)
from sinergi.registry.tests.conftest import make_nik, make_person, make_representative, pdf, png, rt_of

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


@dataclass
class World:
    org: Organisation  # RT 001/RW 001 Kelurahan Gambir
    ormas: Organisation  # an Ormas of Kecamatan Gambir
    rt_chair: User
    representative: Role
    person: Person
    officer: Officer
    document: Document
    coaching: CoachingNote
    sanction: Sanction
    report: ActivityReport
    change_request: ChangeRequest
    import_job: ImportJob
    export_job: ExportJob
    notification: Notification
    breach: Breach
    event: AuditEvent
    staff: User  # the lurah operator, as the subject of the staff pages
    staff_role: Role
    token: ApiToken
    subject_request: DataSubjectRequest
    x: dict[str, Any] = field(default_factory=dict)  # each app's objects, by name (its tests/matrix.py)


def build_world(territory: Territory, units: Units, admin: User, lurah: User) -> World:
    """``admin`` (Kesbangpol) records everything; ``lurah`` owns the jobs, the notification and the token."""
    kinds = {kind.code: kind for kind in OrganisationKind.objects.all()}
    rt = rt_of(territory.kel_gambir, 1, 1)
    org = Organisation.objects.create(
        kind=kinds["rt"], name="RT 001/RW 001", region=territory.kel_gambir, rw=rt.rw, rt=rt
    )
    ormas = Organisation.objects.create(kind=kinds["ormas"], name="Perkumpulan Warga Gambir", region=territory.gambir)
    rt_chair = make_representative("ketua.rt1.gambir", "Slamet Ketua RT", org)
    person = make_person("Siti Aminah", make_nik(serial=7), territory.kel_gambir)
    officer = Officer.objects.create(
        organisation=org,
        person=person,
        position="ketua",
        term_start=datetime.date(2023, 1, 1),
        term_end=datetime.date(2028, 1, 1),
        no_party_statement=True,
    )
    document = services.document_add(by=admin, organisation=ormas, type="ad_art", file=pdf())
    coaching = services.coaching_note_add(
        by=admin, organisation=ormas, held_on=YESTERDAY, subject="Tertib", note="Catatan", attachment=pdf()
    )
    sanction = services.sanction_issue(
        by=admin, organisation=ormas, step=1, issued_on=YESTERDAY, letter_number="1/SP", reason="x", letter=pdf()
    )
    report = services.activity_report_add(
        by=admin,
        organisation=org,
        held_on=YESTERDAY,
        kind="meeting",
        title="Rapat",
        place="Balai",
        participants=9,
        photos=[png()],
    )
    change_request = services.change_request_submit(
        by=rt_chair, organisation=org, kind="contact", payload={"phone": "081234567890"}, attachment=pdf()
    )
    import_job = ImportJob.objects.create(
        target="organisations", file=SimpleUploadedFile("a.csv", b"name\n"), original_name="a.csv", created_by=lurah
    )
    export_job = ExportJob.objects.create(
        target="organisations",
        format="csv",
        status=ExportJob.Status.DONE,
        created_by=lurah,
        file=SimpleUploadedFile("e.csv", b"name\n"),
    )
    notification = Notification.objects.create(user=lurah, key="matrix", title="Halo", url="/register/")
    breach = breach_record(
        unit=units.jakpus,
        title="Laptop hilang",
        discovered_at=timezone.now(),
        description="x",
        data_affected="NIK",
        by=admin,
    )
    token, _key = token_create(user=lurah, name="matrix")
    subject_request = DataSubjectRequest.objects.create(
        person=person, kind=DataSubjectRequest.Kind.ACCESS, received_at=timezone.now(), recorded_by=admin
    )
    privacy_services.request_build_export(request_id=subject_request.pk)
    world = World(
        org=org,
        ormas=ormas,
        rt_chair=rt_chair,
        representative=Role.objects.get(user=rt_chair),
        person=person,
        officer=officer,
        document=document,
        coaching=coaching,
        sanction=sanction,
        report=report,
        change_request=change_request,
        import_job=import_job,
        export_job=export_job,
        notification=notification,
        breach=breach,
        event=AuditEvent.objects.filter(region_code=territory.kel_gambir.code).latest("id"),
        staff=lurah,
        staff_role=Role.objects.get(user=lurah),
        token=token,
        subject_request=subject_request,
    )
    from sinergi.core.tests.matrix_rows import MatrixContext, build_apps

    build_apps(MatrixContext(world=world, territory=territory, units=units, admin=admin, lurah=lurah))
    return world


def photo_pk(world: World) -> Any:
    return world.report.photos.get().pk
