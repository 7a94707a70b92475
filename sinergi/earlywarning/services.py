"""Writes of early warning: FKDM membership, reports and nihil, verification, follow-up, links,
topics and rules, and the audit of every view of a report. Keyword-only, atomic, audited."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import Role
from sinergi.audit.services import record
from sinergi.earlywarning import permissions
from sinergi.earlywarning.models import (
    Attachment,
    EscalationRule,
    FollowUp,
    Report,
    Severity,
    SituationReport,
    Topic,
)
from sinergi.registry import rules
from sinergi.registry.models import Organisation
from sinergi.territory.models import RT, RW, Region

if TYPE_CHECKING:
    from django.core.files import File

    from sinergi.accounts.models import User

MAX_ATTACHMENTS = 5
# How many days back a phone may file (a report saved offline on a long trip still counts).
BACKDATE_DAYS = 7


# Membership ----------------------------------------------------------------------------------------


def fkdm_chain(area_code: str) -> list[Organisation]:
    """The FKDM organisations at ``area_code`` (a kelurahan's code) and above it: kelurahan,
    kecamatan, city and province FKDM, nearest first."""
    parts = area_code.split(".")
    codes = [".".join(parts[:i]) for i in range(len(parts), 0, -1)]
    found = Organisation.objects.filter(
        kind__code=permissions.FKDM_KIND, region__code__in=codes, status=Organisation.Status.ACTIVE
    ).select_related("region")
    return sorted(found, key=lambda o: (-len(o.region.code), o.pk))


@transaction.atomic
def fkdm_member_grant(*, by: User, organisation: Organisation, user: User) -> Role:
    """Make ``user`` a member of an FKDM who may file early-warning reports."""
    if organisation.kind.code != permissions.FKDM_KIND:
        raise ValidationError(_("Only an FKDM has members who file early-warning reports."))
    if not permissions.can_manage_members(by, organisation):
        raise PermissionDenied(_("You may not change %(organisation)s.") % {"organisation": organisation})
    if not user.is_active:
        raise ValidationError(_("This account is switched off."))
    if user.is_government_staff:
        raise ValidationError(_("A staff account cannot also be an FKDM member; make a separate account."))
    role = Role.objects.filter(user=user, organisation=organisation, kind=Role.Kind.FKDM_MEMBER).first()
    if role is not None and role.is_active:
        raise ValidationError(
            _("%(user)s is already a member of %(organisation)s.") % {"user": user, "organisation": organisation}
        )
    if role is None:
        role = Role.objects.create(user=user, organisation=organisation, kind=Role.Kind.FKDM_MEMBER)
    else:
        role.is_active = True
        role.created_at = timezone.now()
        role.save(update_fields=["is_active", "created_at"])
    record(
        action="earlywarning.member.grant",
        obj=role,
        actor=by,
        region_code=organisation.region.code,
        changes={"user": [None, user.pk], "organisation": [None, organisation.pk]},
    )
    return role


@transaction.atomic
def fkdm_member_revoke(*, by: User, role: Role) -> None:
    """End a membership. The member's reports stay, seen by the FKDM chain and the offices."""
    if role.kind != Role.Kind.FKDM_MEMBER or role.organisation is None:
        raise ValueError("not an FKDM membership")
    organisation = role.organisation
    if not permissions.can_manage_members(by, organisation):
        raise PermissionDenied(_("You may not change %(organisation)s.") % {"organisation": organisation})
    record(
        action="earlywarning.member.revoke",
        obj=role,
        actor=by,
        region_code=organisation.region.code,
        changes={"user": [role.user_id, None], "organisation": [organisation.pk, None]},
    )
    role.is_active = False
    role.save(update_fields=["is_active"])


# Reports -------------------------------------------------------------------------------------------


def _member_organisation(by: User, organisation: Organisation | None) -> Organisation:
    mine = permissions.member_organisations(by)
    if not mine:
        raise PermissionDenied(_("Only FKDM members file early-warning reports."))
    if organisation is None:
        return mine[0]
    for own in mine:
        if own.pk == organisation.pk:
            return own
    raise PermissionDenied(_("You are not a member of %(organisation)s.") % {"organisation": organisation})


def _check_day(for_date: datetime.date) -> None:
    today = timezone.localdate()
    if for_date > today:
        raise ValidationError({"for_date": _("The date cannot be in the future.")})
    if for_date < today - datetime.timedelta(days=BACKDATE_DAYS):
        raise ValidationError(
            {"for_date": _("A report can be filed at most %(days)s days late.") % {"days": BACKDATE_DAYS}}
        )


def _place(
    organisation: Organisation, kelurahan: Region | None, rw_number: int | None, rt_number: int | None
) -> tuple[Region, RW | None, RT | None]:
    if kelurahan is None:
        if organisation.region.level != Region.Level.VILLAGE:
            raise ValidationError({"kelurahan": _("Choose the kelurahan where it happened.")})
        kelurahan = organisation.region
    if kelurahan.level != Region.Level.VILLAGE or not organisation.region.contains(kelurahan):
        raise ValidationError({"kelurahan": _("Choose a kelurahan of your FKDM's area.")})
    rw = rt = None
    if rw_number is not None:
        rw = RW.objects.filter(kelurahan=kelurahan, number=rw_number).first()
        if rw is None:
            raise ValidationError({"rw": _("This kelurahan has no RW %(number)s.") % {"number": rw_number}})
    if rt_number is not None:
        if rw is None:
            raise ValidationError({"rt": _("Give the RW of the RT.")})
        rt = RT.objects.filter(rw=rw, number=rt_number).first()
        if rt is None:
            raise ValidationError({"rt": _("%(rw)s has no RT %(number)s.") % {"rw": rw, "number": rt_number}})
    return kelurahan, rw, rt


def _existing(client_uuid: uuid.UUID, by: User) -> Report | None:
    """The report already stored under this client id (the phone sent it before), if it is ``by``'s."""
    found = Report.objects.filter(client_uuid=client_uuid).first()
    if found is not None and found.reporter_id != by.pk:
        raise ValidationError({"client_uuid": _("This client id belongs to another report.")})
    return found


@transaction.atomic
def nihil_submit(
    *,
    by: User,
    client_uuid: uuid.UUID | None = None,
    for_date: datetime.date | None = None,
    organisation: Organisation | None = None,
) -> tuple[Report, bool]:
    """Say "nothing to report" for a day. Returns the nihil and whether it is new: sending it again
    (the same phone, the same day) stores nothing twice."""
    client_uuid = client_uuid or uuid.uuid4()
    if (found := _existing(client_uuid, by)) is not None:
        return found, False
    organisation = _member_organisation(by, organisation)
    for_date = for_date or timezone.localdate()
    _check_day(for_date)
    same_day = Report.objects.filter(reporter=by, for_date=for_date, kind=Report.Kind.NIHIL).first()
    if same_day is not None:
        return same_day, False
    try:
        with transaction.atomic():
            nihil = Report.objects.create(
                client_uuid=client_uuid,
                kind=Report.Kind.NIHIL,
                reporter=by,
                organisation=organisation,
                for_date=for_date,
                kelurahan=organisation.region if organisation.region.level == Region.Level.VILLAGE else None,
                area_code=organisation.region.code,
                occurred_at=timezone.now(),
            )
    except IntegrityError:  # the same nihil arrived twice at once
        return Report.objects.get(reporter=by, for_date=for_date, kind=Report.Kind.NIHIL), False
    record(
        action="earlywarning.nihil.submit",
        obj=nihil,
        actor=by,
        region_code=nihil.area_code,
        changes={"for_date": [None, for_date]},
    )
    return nihil, True


@transaction.atomic
def report_submit(
    *,
    by: User,
    athg: str,
    domain: str,
    topics: Sequence[Topic],
    severity: int,
    occurred_at: datetime.datetime,
    description: str,
    source: str,
    client_uuid: uuid.UUID | None = None,
    organisation: Organisation | None = None,
    kelurahan: Region | None = None,
    rw_number: int | None = None,
    rt_number: int | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    source_link: str = "",
    for_date: datetime.date | None = None,
    attachments: Sequence[File[Any]] = (),
) -> tuple[Report, bool]:
    """File a report. Returns it and whether it is new: a phone that sends the same report again
    (same ``client_uuid``, after a lost connection) gets the stored one back. Escalation rules are
    evaluated at once."""
    client_uuid = client_uuid or uuid.uuid4()
    if (found := _existing(client_uuid, by)) is not None:
        return found, False
    organisation = _member_organisation(by, organisation)
    errors: dict[str, str] = {}
    if athg not in Report.Athg.values:
        errors["athg"] = _("Choose threat, challenge, obstacle or disturbance.")
    if domain not in Report.Domain.values:
        errors["domain"] = _("Choose a domain.")
    if severity not in Severity.values:
        errors["severity"] = _("Choose a severity.")
    if source not in Report.Source.values:
        errors["source"] = _("Say how you know it.")
    if not topics:
        errors["topics"] = _("Choose at least one topic.")
    description = (description or "").strip()
    if not description:
        errors["description"] = _("Describe what happened.")
    if source == Report.Source.SOCIAL_MEDIA and not source_link.strip():
        errors["source_link"] = _("Give the link to the post.")
    if occurred_at > timezone.now() + datetime.timedelta(minutes=5):
        errors["occurred_at"] = _("The time cannot be in the future.")
    if (latitude is None) != (longitude is None):
        errors["latitude"] = _("Give both latitude and longitude, or neither.")
    if len(attachments) > MAX_ATTACHMENTS:
        errors["attachments"] = _("At most %(count)s files.") % {"count": MAX_ATTACHMENTS}
    if errors:
        raise ValidationError(errors)
    for_date = for_date or timezone.localdate()
    _check_day(for_date)
    place, rw, rt = _place(organisation, kelurahan, rw_number, rt_number)
    uploads = []
    for file in attachments:
        try:
            uploads.append((file, rules.check_upload(file)))
        except ValidationError as exc:
            raise ValidationError({"attachments": exc.messages}) from None
    report = Report(
        client_uuid=client_uuid,
        kind=Report.Kind.REPORT,
        reporter=by,
        organisation=organisation,
        for_date=for_date,
        athg=athg,
        domain=domain,
        severity=severity,
        kelurahan=place,
        area_code=place.code,
        rw=rw,
        rt=rt,
        latitude=latitude,
        longitude=longitude,
        occurred_at=occurred_at,
        description=description,
        source=source,
        source_link=source_link.strip(),
    )
    report.full_clean(exclude=["client_uuid", "reporter", "organisation", "kelurahan", "rw", "rt"])
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # the same report arrived twice at once
        return Report.objects.get(client_uuid=client_uuid), False
    report.topics.set(topics)
    for file, upload in uploads:
        attachment = Attachment(
            report=report, original_name=upload.original_name, content_type=upload.content_type, size=upload.size
        )
        attachment.file.save(f"{uuid.uuid4().hex}.{upload.type}", file, save=False)
        attachment.save()
    record(
        action="earlywarning.report.submit",
        obj=report,
        actor=by,
        region_code=report.area_code,
        changes={
            "athg": [None, athg],
            "domain": [None, domain],
            "severity": [None, severity],
            "topics": [None, sorted(t.code for t in topics)],
            "kelurahan": [None, place.code],
        },
    )
    from sinergi.earlywarning import escalation

    escalation.evaluate_report(report)
    return report, True


def report_viewed(*, by: User, report: Report, how: str) -> None:
    """Record that ``by`` read a report (the page, the API, the PDF or an attachment)."""
    record(
        action=f"earlywarning.report.view_{how}",
        obj=report,
        actor=by,
        region_code=report.area_code,
        changes={"how": how},
    )


def _require_handle(by: User, report: Report) -> None:
    if not permissions.can_handle(by, report.area_code):
        raise PermissionDenied(_("Only the Lurah's, Camat's and Kesbangpol's operators handle reports."))


def _require_report(report: Report) -> None:
    if report.is_nihil:
        raise ValidationError(_("A nihil has nothing to verify or follow up."))


@transaction.atomic
def report_verify(*, by: User, report: Report, status: str, note: str = "") -> Report:
    """Mark a report confirmed, not confirmed or false (or back to not verified)."""
    _require_handle(by, report)
    _require_report(report)
    if status not in Report.Status.values:
        raise ValidationError({"status": _("Choose confirmed, could not be confirmed or false.")})
    note = (note or "").strip()
    if status == Report.Status.FALSE and not note:
        raise ValidationError({"note": _("Say why the report is false.")})
    before = [report.status, report.verification_note]
    report.status = status
    report.verification_note = note
    report.verified_by = by if status != Report.Status.UNVERIFIED else None
    report.verified_at = timezone.now() if status != Report.Status.UNVERIFIED else None
    report.save(update_fields=["status", "verification_note", "verified_by", "verified_at"])
    record(
        action="earlywarning.report.verify",
        obj=report,
        actor=by,
        region_code=report.area_code,
        changes={"status": [before[0], status], "verification_note": [before[1], note]},
    )
    return report


@transaction.atomic
def followup_add(*, by: User, report: Report, action: str, owner: str, due_on: datetime.date | None) -> FollowUp:
    """Record an action to take on a report, who carries it out and by when."""
    _require_handle(by, report)
    _require_report(report)
    errors = {}
    action, owner = (action or "").strip(), (owner or "").strip()
    if not action:
        errors["action"] = _("Say what will be done.")
    if not owner:
        errors["owner"] = _("Say who carries it out.")
    if due_on is not None and due_on < report.occurred_at.date():
        errors["due_on"] = _("The due date cannot be before the report.")
    if errors:
        raise ValidationError(errors)
    followup = FollowUp.objects.create(report=report, action=action, owner=owner[:150], due_on=due_on, created_by=by)
    record(
        action="earlywarning.followup.add",
        obj=followup,
        actor=by,
        region_code=report.area_code,
        changes={
            "report": [None, report.pk],
            "action": [None, action],
            "owner": [None, owner],
            "due_on": [None, due_on],
        },
    )
    return followup


@transaction.atomic
def followup_done(*, by: User, followup: FollowUp) -> FollowUp:
    """Mark a follow-up action done."""
    report = followup.report
    _require_handle(by, report)
    if followup.done_at is not None:
        raise ValidationError(_("This follow-up is already done."))
    followup.done_at = timezone.now()
    followup.save(update_fields=["done_at"])
    record(
        action="earlywarning.followup.done",
        obj=followup,
        actor=by,
        region_code=report.area_code,
        changes={"done_at": [None, followup.done_at]},
    )
    return followup


@transaction.atomic
def report_link(*, by: User, report: Report, link_kind: str, reference: str) -> Report:
    """Link a report to an aspiration or complaint (by its tracking number) or to an event (by its
    number), or remove the link (empty kind)."""
    _require_handle(by, report)
    _require_report(report)
    reference = (reference or "").strip()
    if link_kind not in Report.LinkKind.values:
        raise ValidationError({"link_kind": _("Choose a case or an event.")})
    if link_kind and not reference:
        raise ValidationError({"reference": _("Give the tracking number of the case or the number of the event.")})
    if not link_kind:
        reference = ""
    before = [report.link_kind, report.link_reference]
    report.link_kind, report.link_reference = link_kind, reference[:60]
    report.save(update_fields=["link_kind", "link_reference"])
    record(
        action="earlywarning.report.link",
        obj=report,
        actor=by,
        region_code=report.area_code,
        changes={"link_kind": [before[0], link_kind], "link_reference": [before[1], report.link_reference]},
    )
    return report


# Topics and rules ----------------------------------------------------------------------------------


def _require_settings(by: User) -> None:
    if not permissions.can_manage_settings(by):
        raise PermissionDenied(_("Only the province's administrators change topics and escalation rules."))


@transaction.atomic
def topic_save(
    *, by: User, topic: Topic | None, code: str, name: str, sort_order: int = 100, is_active: bool = True
) -> Topic:
    """Add a topic or change one."""
    _require_settings(by)
    made = topic is None
    topic = topic or Topic()
    before = {"code": topic.code, "name": topic.name, "sort_order": topic.sort_order, "is_active": topic.is_active}
    topic.code, topic.name, topic.sort_order, topic.is_active = code.strip(), name.strip(), sort_order, is_active
    topic.full_clean()
    topic.save()
    after = {"code": topic.code, "name": topic.name, "sort_order": topic.sort_order, "is_active": topic.is_active}
    record(
        action="earlywarning.topic.create" if made else "earlywarning.topic.update",
        obj=topic,
        actor=by,
        changes={k: [None if made else before[k], v] for k, v in after.items() if made or before[k] != v},
    )
    return topic


RULE_FIELDS = ["name", "kind", "min_severity", "count", "hours", "topic", "percent", "is_active"]


@transaction.atomic
def rule_save(*, by: User, rule: EscalationRule | None, **fields: Any) -> EscalationRule:
    """Add an escalation rule or change one."""
    _require_settings(by)
    made = rule is None
    rule = rule or EscalationRule()
    before = {name: getattr(rule, name if name != "topic" else "topic_id") for name in RULE_FIELDS}
    for name, value in fields.items():
        if name not in RULE_FIELDS:
            raise TypeError(f"unknown field {name}")
        setattr(rule, name, value)
    rule.full_clean()
    rule.save()
    after = {name: getattr(rule, name if name != "topic" else "topic_id") for name in RULE_FIELDS}
    record(
        action="earlywarning.rule.create" if made else "earlywarning.rule.update",
        obj=rule,
        actor=by,
        changes={k: [None if made else before[k], v] for k, v in after.items() if made or before[k] != v},
    )
    return rule


# Weekly situation reports --------------------------------------------------------------------------


@transaction.atomic
def situation_request(*, by: User, region: Region, week_start: datetime.date) -> SituationReport:
    """Ask for the weekly situation report of a city or kecamatan; a task makes the PDF."""
    if not permissions.is_watcher(by) or not permissions.area_visible(by, region.code):
        raise PermissionDenied(_("You do not watch this area."))
    if region.level not in (Region.Level.CITY, Region.Level.DISTRICT, Region.Level.PROVINCE):
        raise ValidationError({"region": _("Choose a city or a kecamatan.")})
    if week_start > timezone.localdate():
        raise ValidationError({"week_start": _("The date cannot be in the future.")})
    week_start = week_start - datetime.timedelta(days=week_start.weekday())
    job = SituationReport.objects.create(region=region, week_start=week_start, created_by=by)
    record(
        action="earlywarning.situation.request",
        obj=job,
        actor=by,
        region_code=region.code,
        changes={"week_start": [None, week_start]},
    )
    from sinergi.earlywarning.tasks import make_situation_report

    transaction.on_commit(lambda: make_situation_report.enqueue(job.pk))
    return job


def reports_per_days() -> tuple[int, int]:
    """The reporting rhythm: (reports, days); the default asks one report or nihil a day."""
    value = getattr(settings, "SINERGI_FKDM_REPORTS_PER_DAYS", (1, 1))
    reports, days = int(value[0]), int(value[1])
    return max(reports, 1), max(days, 1)
