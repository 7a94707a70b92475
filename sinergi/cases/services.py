"""Every change to a case: intake, each step of the workflow, merge, rating and dispute, escalation,
the category tree, and the audited reading of a reporter's contact.

Each function is keyword-only, atomic, writes its audit event, and leaves messages to the reporter
to ``transaction.on_commit`` (through the notifications outbox, which is itself idempotent by key).
"""

from __future__ import annotations

import datetime
import hmac
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from sinergi.accounts.models import Role, Unit, User
from sinergi.audit.services import build as audit_event
from sinergi.audit.services import record
from sinergi.cases import reference, routing, workflow
from sinergi.cases.geo import locate_kelurahan
from sinergi.cases.models import Attachment, Case, CaseTransition, Category
from sinergi.cases.permissions import can_act
from sinergi.core import sql, workdays
from sinergi.notifications.models import OutboundMessage
from sinergi.notifications.services import absolute_url, deliver_soon, message_send, notify
from sinergi.registry import nik as crypto
from sinergi.registry import rules
from sinergi.territory.models import RT, RW, Region

if TYPE_CHECKING:
    from django.core.files import File

    from sinergi.registry.models import Organisation

# Crockford-like alphabet without 0/O, 1/I/L and U: nothing to misread on a phone or over the phone.
NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
NUMBER_LENGTH = 6
PREFIX = {Case.Kind.ASPIRATION: "ASP", Case.Kind.COMPLAINT: "ADU", Case.Kind.INFORMATION: "INF"}
PHOTO_TYPES = frozenset({"jpg", "png"})
PROOF_TYPES = frozenset({"jpg", "png", "pdf"})
DESCRIPTION_MAX = 5000
NOTE_MAX = 2000


def max_upload_bytes() -> int:
    return int(getattr(settings, "SINERGI_CASE_MAX_UPLOAD_BYTES", 5 * 1024 * 1024))


def max_photos() -> int:
    return int(getattr(settings, "SINERGI_CASE_MAX_PHOTOS", 5))


def dispute_days() -> int:
    return int(getattr(settings, "SINERGI_CASE_DISPUTE_DAYS", 7))


# Tracking numbers and the reporter's secret ------------------------------------------------------


def new_number(kind: str, today: datetime.date | None = None) -> str:
    """``ADU-26-7KQ4M2``: kind, two-digit year, six random characters (30^6, about 729 million)."""
    year = (today or timezone.localdate()).year % 100
    body = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(NUMBER_LENGTH))
    prefix = PREFIX.get(Case.Kind(kind), "ASP") if kind in Case.Kind.values else "ASP"
    return f"{prefix}-{year:02d}-{body}"


def reporter_secret(case: Case) -> str:
    """The secret in the reporter's link (rating and dispute). Derived from the number with the site's
    key, so it is never stored and the same submission retried gets the same link."""
    return salted_hmac("sinergi.cases.reporter", case.number, algorithm="sha256").hexdigest()[:24]


def secret_matches(case: Case, secret: str) -> bool:
    return bool(secret) and hmac.compare_digest(reporter_secret(case), secret)


def reporter_url(case: Case) -> str:
    return reverse("cases:reporter", args=[case.number, reporter_secret(case)])


def public_url(case: Case) -> str:
    return reverse("cases:track", args=[case.number])


# Files -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedFile:
    file: File[Any]
    upload: rules.Upload


def check_files(files: Sequence[File[Any]], *, allowed: frozenset[str], field: str) -> list[CheckedFile]:
    """Refuse a file that is too big, or whose content (not its name) is not one of ``allowed``."""
    limit = max_upload_bytes()
    checked = []
    for file in files:
        if (file.size or 0) > limit:
            raise ValidationError(
                {
                    field: _("The file %(name)s is %(size)s; at most %(max)s is allowed.")
                    % {"name": file.name, "size": filesizeformat(file.size), "max": filesizeformat(limit)}
                }
            )
        try:
            upload = rules.check_upload(file, allowed=allowed)
        except ValidationError as exc:
            raise ValidationError({field: exc.messages}) from None
        checked.append(CheckedFile(file=file, upload=upload))
    return checked


def _store(case: Case, files: list[CheckedFile], purpose: str, transition: CaseTransition | None) -> None:
    for item in files:
        attachment = Attachment(
            case=case,
            transition=transition,
            purpose=purpose,
            content_type=item.upload.content_type,
            size=item.upload.size,
            original_name=item.upload.original_name,
        )
        attachment.file.save(f"{uuid.uuid4().hex}.{item.upload.type}", item.file, save=False)
        attachment.save()


# Telling the reporter ----------------------------------------------------------------------------


def _contact(case: Case) -> tuple[str, str]:
    email = crypto.decrypt_nik(case.reporter_email_enc) if case.reporter_email_enc else ""
    phone = crypto.decrypt_nik(case.reporter_phone_enc) if case.reporter_phone_enc else ""
    return email, phone


@dataclass(frozen=True)
class ReporterMessage:
    channel: str
    recipient: str
    subject: str
    body: str
    key: str


def _reporter_message(
    case: Case, *, key: str, subject: str, body: str, email: str, phone: str
) -> ReporterMessage | None:
    """E-mail when the reporter gave an address, else SMS through the gateway when they gave a phone;
    ``None`` when they left no contact. Every message ends with the reporter's own link."""
    text = f"{body}\n\n{_('Follow your case:')} {absolute_url(reporter_url(case))}"
    if email:
        return ReporterMessage(OutboundMessage.Channel.EMAIL, email, subject, text, key)
    if phone:
        return ReporterMessage(OutboundMessage.Channel.SMS, phone, "", f"{subject}. {text}", key)
    return None


def _tell_reporter(case: Case, *, key: str, subject: str, body: str) -> None:
    email, phone = _contact(case)
    message = _reporter_message(case, key=key, subject=subject, body=body, email=email, phone=phone)
    if message is not None:
        message_send(
            channel=message.channel,
            recipients=[message.recipient],
            subject=message.subject,
            body=message.body,
            key=message.key,
        )


def _receipt_text(case: Case) -> tuple[str, str]:
    """Subject and body of the receipt that gives the reporter a new case's tracking number."""
    subject = _("Case %(number)s received") % {"number": case.number}
    body = _("We received your report. Its tracking number is %(number)s.") % {"number": case.number}
    return subject, body


def _tell_reporters(case: Case, transition: CaseTransition) -> None:
    """The reporter of ``case`` and of every case merged into it hear of the step."""
    subject = _("Case %(number)s: %(status)s") % {"number": case.number, "status": case.get_status_display()}
    body = transition.note or subject
    for each in [case, *Case.objects.filter(duplicate_of=case)]:
        if each.pk != case.pk:
            body_each = _("The case %(number)s, which yours was joined with, moved on: %(note)s") % {
                "number": case.number,
                "note": body,
            }
        else:
            body_each = body
        _tell_reporter(each, key=f"cases:{each.pk}:step:{transition.pk}", subject=subject, body=body_each)


def _tell_unit(unit: Unit, case: Case, *, key: str, title: str) -> None:
    users = User.objects.filter(roles__unit=unit, roles__is_active=True, roles__kind__in=Role.WRITE_KINDS)
    notify(users=users, key=key, title=title, url=reverse("cases:detail", args=[case.number]))


# Intake ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    case: Case
    created: bool  # False when an idempotency key named a case stored before

    @property
    def secret(self) -> str:
        return reporter_secret(self.case)


def _place(
    region: Region | None, latitude: float | None, longitude: float | None, rw: RW | None, rt: RT | None
) -> Region:
    if (latitude is None) != (longitude is None):
        raise ValidationError({"latitude": _("Give both latitude and longitude, or neither.")})
    if latitude is not None and longitude is not None:
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise ValidationError({"latitude": _("The point is not a place on Earth.")})
        found = locate_kelurahan(latitude, longitude)
        if found is not None:
            region = found
        elif region is None:
            raise ValidationError(
                {"latitude": _("The point is outside every kelurahan we know; choose the kelurahan.")}
            )
    if region is None:
        raise ValidationError({"region": _("Choose the kelurahan where it happened.")})
    if region.level != Region.Level.VILLAGE:
        raise ValidationError({"region": _("Choose a kelurahan, not a larger area.")})
    if rw is not None and rw.kelurahan_id != region.pk:
        raise ValidationError({"rw": _("This RW is not in %(region)s.") % {"region": region.display_name}})
    if rt is not None and (rw is None or rt.rw_id != rw.pk):
        raise ValidationError({"rt": _("This RT is not in the chosen RW.")})
    return region


def _encrypt(value: str) -> str:
    value = value.strip()
    return crypto.encrypt_nik(value) if value else ""


def case_submit(
    *,
    kind: str,
    category: Category,
    description: str,
    region: Region | None = None,
    rw: RW | None = None,
    rt: RT | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    address: str = "",
    photos: Sequence[File[Any]] = (),
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_email: str = "",
    anonymous: bool = False,
    channel: str = Case.Channel.PUBLIC,
    by: User | None = None,
    organisation: Organisation | None = None,
    idempotency_key: str | None = None,
    link_to: Case | None = None,
    looked_up: reference.Reference | None = None,
) -> Submission:
    """Record a case, give it its tracking number and send it to the kelurahan office where it happened.

    With ``idempotency_key`` a retried submission returns the case stored the first time (the key is
    unique in the database, so two concurrent retries store one case). With ``link_to`` the reporter
    joins an open case about the same problem: the new case is kept, closed as joined, and its
    reporter hears of every step of the other one.
    """
    # A retried key is found by the unique index when the insert below fails, not by a query first:
    # the busiest write pays for one statement less.
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("Describe the problem or proposal.")})
    if len(description) > DESCRIPTION_MAX:
        raise ValidationError({"description": _("At most %(max)d characters.") % {"max": DESCRIPTION_MAX}})
    if kind not in Case.Kind.values:
        raise ValidationError({"kind": _("Choose a kind.")})
    if not category.is_active:
        raise ValidationError({"category": _("This category is no longer used; choose another.")})
    if channel not in Case.Channel.values:
        raise ValidationError({"channel": _("Unknown channel.")})
    region = _place(region, latitude, longitude, rw, rt)
    if len(photos) > max_photos():
        raise ValidationError({"photos": _("At most %(max)d photos.") % {"max": max_photos()}})
    checked = check_files(photos, allowed=PHOTO_TYPES, field="photos")
    if link_to is not None and (
        not link_to.is_open or link_to.region_id != region.pk or link_to.category_id != category.pk
    ):
        raise ValidationError({"link_to": _("Only an open case of the same kelurahan and category can be joined.")})
    # ``looked_up``: the reference data the caller read from the cache already (the API does).
    looked_up = looked_up or reference.Reference()
    place = looked_up.place
    unit = (place if place is not None and place.region.pk == region.pk else reference.place_of(region)).office
    if unit is None:
        raise ValidationError({"region": _("No government office handles %(region)s yet.") % {"region": region}})
    email = reporter_email.strip()
    if email and "@" not in email:
        raise ValidationError({"reporter_email": _("Enter a valid e-mail address.")})
    now = timezone.now()
    case = Case(
        kind=kind,
        category=category,
        description=description,
        region=region,
        region_code=region.code,
        rw=rw,
        rt=rt,
        latitude=latitude,
        longitude=longitude,
        address=address.strip()[:255],
        channel=channel,
        organisation=organisation,
        submitted_by=by if by is not None and by.is_authenticated else None,
        reporter_name_enc="" if anonymous else _encrypt(reporter_name),
        reporter_phone_enc=_encrypt(reporter_phone),
        reporter_email_enc=_encrypt(email),
        is_anonymous=anonymous,
        current_unit=unit,
        idempotency_key=idempotency_key or None,
        created_at=now,
        updated_at=now,
        due_on=looked_up.due_on(category.sla_days),
    )
    changes = {"kind": kind, "category": category.pk, "channel": channel, "unit": unit.pk, "photos": len(checked)}
    if connection.vendor == "postgresql" and not checked and link_to is None:
        return _insert_at_once(case, changes=changes, actor=by, contact=(email, reporter_phone.strip()))
    with transaction.atomic():
        return _insert(case, changes=changes, actor=by, checked=checked, link_to=link_to)


def _stored(idempotency_key: str | None) -> Case | None:
    return Case.objects.filter(idempotency_key=idempotency_key).first() if idempotency_key else None


def _insert(
    case: Case, *, changes: dict[str, Any], actor: User | None, checked: list[CheckedFile], link_to: Case | None
) -> Submission:
    """Store a new case through the ORM: the case, its first step, its photos, the audit event and
    the receipt to the reporter, in the caller's transaction."""
    for _attempt in range(5):
        case.number = new_number(case.kind)
        try:
            with transaction.atomic():
                case.save()
            break
        except IntegrityError:
            stored = _stored(case.idempotency_key)
            if stored is not None:
                # The key was used before (a retry, or a concurrent retry that won): answer with its case.
                return Submission(case=stored, created=False)
            case.pk = None
    else:  # pragma: no cover - five collisions in 729 million
        raise IntegrityError("no free tracking number")
    first = CaseTransition.objects.create(
        case=case,
        from_status="",
        to_status=Case.Status.WAITING,
        unit=case.current_unit,
        actor=case.submitted_by,
        created_at=case.created_at,
    )
    _store(case, checked, Attachment.Purpose.REPORT, first)
    record(action="cases.case.submit", obj=case, actor=actor, region_code=case.region_code, changes=changes)
    subject, body = _receipt_text(case)
    _tell_reporter(case, key=f"cases:{case.pk}:received", subject=subject, body=body)
    if link_to is not None:
        _merge(case, link_to, actor=actor, note=_("Joined by the reporter at intake."))
    return Submission(case=case, created=True)


def _insert_at_once(case: Case, *, changes: dict[str, Any], actor: User | None, contact: tuple[str, str]) -> Submission:
    """Store a new case on PostgreSQL in one statement: the case, its first step, the audit event and
    the queued receipt, chained by ``WITH`` (atomic without a transaction block of its own).

    The public intake is Sinergi's busiest write: this is the same set of rows ``_insert`` writes
    (the tests check both), in one round trip instead of eight. ``ON CONFLICT DO NOTHING`` answers a
    retried idempotency key (its case is returned) and a tracking number already taken (another
    is drawn)."""
    email, phone = contact
    step = CaseTransition(
        from_status="",
        to_status=Case.Status.WAITING,
        unit=case.current_unit,
        actor=case.submitted_by,
        created_at=case.created_at,
    )
    # What the later rows share with the case comes from the row the first INSERT returns.
    returned = "id, number, created_at, current_unit_id, submitted_by_id, region_code"
    from_case = {"created_at": "c.created_at"}
    step_from_case = {**from_case, "case": "c.id", "unit": "c.current_unit_id", "actor": "c.submitted_by_id"}
    event_from_case = {
        **from_case,
        "object_id": "CAST(c.id AS varchar)",
        "object_repr": "c.number",
        "region_code": "c.region_code",
    }
    for _attempt in range(5):
        case.number = new_number(case.kind)
        event = audit_event(
            action="cases.case.submit",
            obj=case,
            actor=actor,
            region_code=case.region_code,
            changes=changes,
            object_id="-",
        )
        parts: list[str] = []
        params: list[Any] = []
        for name, (statement, values) in (
            ("c", sql.insert(case)),
            ("t", sql.insert(step, expressions=step_from_case, source="c")),
            ("a", sql.insert(event, expressions=event_from_case, source="c")),
        ):
            suffix = f" ON CONFLICT DO NOTHING RETURNING {returned}" if name == "c" else ""
            parts.append(f"{name} AS ({statement}{suffix})")
            params.extend(values)
        subject, body = _receipt_text(case)
        receipt = _reporter_message(case, key="-", subject=subject, body=body, email=email, phone=phone)
        if receipt is not None:
            message = OutboundMessage(
                channel=receipt.channel,
                recipient=receipt.recipient,
                subject=receipt.subject,
                body=receipt.body,
                key="-",
                created_at=case.created_at,
            )
            statement, values = sql.insert(
                message, expressions={**from_case, "key": "'cases:' || c.id || ':received'"}, source="c"
            )
            parts.append(f"m AS ({statement})")
            params.extend(values)
        with connection.cursor() as cursor:
            cursor.execute(f"WITH {', '.join(parts)} SELECT id FROM c", params)  # noqa: S608 - quoted names, values bound
            row = cursor.fetchone()
        if row is not None:
            case.pk = row[0]
            case._state.adding = False
            if receipt is not None:
                transaction.on_commit(deliver_soon)
            return Submission(case=case, created=True)
        stored = _stored(case.idempotency_key)
        if stored is not None:
            return Submission(case=stored, created=False)
    raise IntegrityError("no free tracking number")  # pragma: no cover - five collisions in 729 million


def _tell_reporter_after(case_id: int, key: str, subject: str, body: str) -> None:
    case = Case.objects.filter(pk=case_id).first()
    if case is not None:
        _tell_reporter(case, key=key, subject=subject, body=body)


# The workflow ------------------------------------------------------------------------------------


def _locked(case: Case) -> Case:
    return (
        Case.objects.select_for_update(of=("self",)).select_related("category", "current_unit__region").get(pk=case.pk)
    )


def _step(
    case: Case,
    *,
    to_status: str,
    unit: Unit,
    actor: User | None,
    note: str,
    is_escalation: bool = False,
    is_dispute: bool = False,
) -> CaseTransition:
    now = timezone.now()
    transition = CaseTransition.objects.create(
        case=case,
        from_status=case.status,
        to_status=to_status,
        unit=unit,
        actor=actor if actor is not None and actor.is_authenticated else None,
        note=note,
        is_escalation=is_escalation,
        is_dispute=is_dispute,
        created_at=now,
    )
    before = {"status": case.status, "unit": case.current_unit_id}
    case.status = to_status
    case.current_unit = unit
    case.status_note = note
    case.updated_at = now
    fields = ["status", "current_unit", "status_note", "updated_at"]
    if to_status in Case.CLOSED_STATUSES:
        case.closed_at = now
        fields.append("closed_at")
    case.save(update_fields=fields)
    record(
        action="cases.case.dispute" if is_dispute else "cases.case.transition",
        obj=case,
        actor=actor,
        region_code=case.region_code,
        changes={
            "status": [before["status"], to_status],
            "unit": [before["unit"], unit.pk],
            "note": note,
            "dispute": is_dispute,
        },
    )
    return transition


@transaction.atomic
def case_transition(
    *,
    case: Case,
    to_status: str,
    by: User,
    note: str = "",
    unit: Unit | None = None,
    proof: Sequence[File[Any]] = (),
) -> Case:
    """Move ``case`` to ``to_status`` along the allowed table.

    A rejection needs its reason, a disposition the unit to pass to (one of
    ``routing.disposition_targets``), and finishing needs at least one proof photo or document.
    The reporter (and those whose cases were joined with it) hear of the step.
    """
    case = _locked(case)
    if not can_act(by, case):
        raise PermissionDenied(_("You may not act on case %(number)s.") % {"number": case.number})
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": _("At most %(max)d characters.") % {"max": NOTE_MAX}})
    if not workflow.can_move(case.status, to_status):
        raise ValidationError(
            _("A case that is %(from)s cannot become %(to)s.")
            % {
                "from": case.get_status_display(),
                "to": Case.Status(to_status).label if to_status in Case.Status.values else to_status,
            }
        )
    if to_status in workflow.NEEDS_REASON and not note:
        raise ValidationError({"note": _("Give the reason; the reporter will read it.")})
    target = case.current_unit
    if to_status in workflow.NEEDS_UNIT:
        targets = routing.disposition_targets(case)
        if unit is None or unit.pk not in {u.pk for u in targets}:
            raise ValidationError({"unit": _("Choose one of the units this category may be passed to.")})
        target = unit
    checked: list[CheckedFile] = []
    if to_status in workflow.NEEDS_PROOF:
        if not proof:
            raise ValidationError({"proof": _("Attach a photo or document that shows the result.")})
        if len(proof) > max_photos():
            raise ValidationError({"proof": _("At most %(max)d files.") % {"max": max_photos()}})
        checked = check_files(proof, allowed=PROOF_TYPES, field="proof")
    transition = _step(case, to_status=to_status, unit=target, actor=by, note=note)
    _store(case, checked, Attachment.Purpose.PROOF, transition)
    transaction.on_commit(lambda: _tell_reporters(case, transition))
    if to_status == Case.Status.DISPOSITION:
        title = _("Case %(number)s was passed to your unit") % {"number": case.number}
        _tell_unit(target, case, key=f"cases:{case.pk}:unit:{transition.pk}", title=title)
    return case


@transaction.atomic
def cases_dispose(*, cases: Sequence[Case], unit: Unit, by: User, note: str = "") -> int:
    """Pass several cases on to ``unit`` at once (the inbox's bulk disposition); all or none."""
    if not cases:
        raise ValidationError(_("Choose at least one case."))
    for case in cases:
        case_transition(case=case, to_status=Case.Status.DISPOSITION, by=by, note=note, unit=unit)
    return len(cases)


def _merge(case: Case, into: Case, *, actor: User | None, note: str) -> CaseTransition:
    while into.duplicate_of_id and into.duplicate_of:
        into = into.duplicate_of
    if into.pk == case.pk:
        raise ValidationError({"into": _("A case cannot be joined with itself.")})
    if not into.is_open:
        raise ValidationError({"into": _("Only an open case can take in duplicates.")})
    case.duplicate_of = into
    case.save(update_fields=["duplicate_of"])
    Case.objects.filter(duplicate_of=case).update(duplicate_of=into)
    text = note or _("Joined with %(number)s, which deals with the same problem.") % {"number": into.number}
    transition = _step(case, to_status=Case.Status.MERGED, unit=case.current_unit, actor=actor, note=text)
    record(
        action="cases.case.merge",
        obj=case,
        actor=actor,
        region_code=case.region_code,
        changes={"into": into.number},
    )
    subject = _("Case %(number)s joined with %(into)s") % {"number": case.number, "into": into.number}
    body = _(
        "Your case %(number)s is about the same problem as %(into)s. We will tell you of every step of %(into)s."
    ) % {"number": case.number, "into": into.number}
    key = f"cases:{case.pk}:merged:{transition.pk}"
    transaction.on_commit(lambda: _tell_reporter_after(case.pk, key, subject, body))
    return transition


@transaction.atomic
def case_merge(*, case: Case, into: Case, by: User, note: str = "") -> Case:
    """Close ``case`` as a duplicate of ``into``; its reporter (and those of cases joined with it) then
    hear of every step of ``into``."""
    case = _locked(case)
    into = Case.objects.select_for_update().get(pk=into.pk)
    if not can_act(by, case):
        raise PermissionDenied(_("You may not act on case %(number)s.") % {"number": case.number})
    if not case.is_open:
        raise ValidationError(_("Only an open case can be joined with another."))
    if not Case.objects.visible_to(by).filter(pk=into.pk).exists():
        raise ValidationError({"into": _("No case with this number in your area.")})
    _merge(case, into, actor=by, note=(note or "").strip())
    return case


# The reporter ------------------------------------------------------------------------------------


@transaction.atomic
def case_rate(*, case: Case, secret: str, rating: int, comment: str = "") -> Case:
    """The reporter's rating (1 to 5) of a finished case, through the secret link only."""
    case = _locked(case)
    if not secret_matches(case, secret):
        raise PermissionDenied(_("Only the reporter, through their own link, may rate this case."))
    if case.status not in (Case.Status.DONE, Case.Status.REJECTED):
        raise ValidationError(_("A case can be rated once it is finished."))
    if rating not in range(1, 6):
        raise ValidationError({"rating": _("Give 1 to 5 stars.")})
    comment = (comment or "").strip()[:NOTE_MAX]
    before = [case.rating, case.rating_comment]
    case.rating, case.rating_comment, case.rated_at = rating, comment, timezone.now()
    case.save(update_fields=["rating", "rating_comment", "rated_at"])
    record(
        action="cases.case.rate",
        obj=case,
        region_code=case.region_code,
        changes={"rating": [before[0], rating], "comment": [before[1], comment]},
    )
    return case


def dispute_deadline(case: Case) -> datetime.datetime | None:
    if case.closed_at is None or case.status not in workflow.REOPEN:
        return None
    return case.closed_at + datetime.timedelta(days=dispute_days())


@transaction.atomic
def case_dispute(*, case: Case, secret: str, reason: str) -> Case:
    """The reporter disputes the result within ``SINERGI_CASE_DISPUTE_DAYS``: the case reopens with the
    unit that closed it, with a fresh service level."""
    case = _locked(case)
    if not secret_matches(case, secret):
        raise PermissionDenied(_("Only the reporter, through their own link, may dispute this case."))
    deadline = dispute_deadline(case)
    if deadline is None:
        raise ValidationError(_("Only a finished or rejected case can be disputed."))
    if timezone.now() > deadline:
        raise ValidationError(
            _("The result can be disputed for %(days)d days after it was given; that time has passed.")
            % {"days": dispute_days()}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what is still wrong.")})
    transition = _step(
        case,
        to_status=workflow.REOPEN[case.status],
        unit=case.current_unit,
        actor=None,
        note=reason[:NOTE_MAX],
        is_dispute=True,
    )
    case.closed_at = None
    case.due_on = workdays.add_working_days(timezone.localdate(), case.category.sla_days)
    case.escalated_to, case.escalated_at = None, None
    case.save(update_fields=["closed_at", "due_on", "escalated_to", "escalated_at"])
    title = _("Case %(number)s was disputed by its reporter") % {"number": case.number}
    _tell_unit(case.current_unit, case, key=f"cases:{case.pk}:dispute:{transition.pk}", title=title)
    transaction.on_commit(lambda: _tell_reporters(case, transition))
    return case


# Service level -----------------------------------------------------------------------------------


def escalate_overdue(*, today: datetime.date | None = None, limit: int = 500) -> int:
    """Escalate each open case past its due date, once, to the unit above the one holding it.

    Each case is claimed by a conditional update (``escalated_at`` still empty), so two workers
    running this at once escalate a case once. Returns how many were escalated.
    """
    today = today or timezone.localdate()
    ids = list(
        Case.objects.open()
        .filter(due_on__lt=today, escalated_at__isnull=True)
        .order_by("due_on", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    done = 0
    for pk in ids:
        if _escalate_one(pk, today):
            done += 1
    return done


@transaction.atomic
def _escalate_one(pk: int, today: datetime.date) -> bool:
    case = (
        Case.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("current_unit__region", "current_unit__parent")
        .filter(pk=pk, escalated_at__isnull=True, status__in=Case.OPEN_STATUSES, due_on__lt=today)
        .first()
    )
    if case is None:
        return False
    above = routing.unit_above(case.current_unit)
    now = timezone.now()
    case.escalated_to, case.escalated_at = above, now
    case.save(update_fields=["escalated_to", "escalated_at"])
    late = workdays.working_days_between(case.due_on, today)
    note = _("Overdue by %(days)d working days; escalated to %(unit)s.") % {
        "days": late,
        "unit": above or _("nobody (no unit above)"),
    }
    CaseTransition.objects.create(
        case=case,
        from_status=case.status,
        to_status=case.status,
        unit=above or case.current_unit,
        note=note,
        is_escalation=True,
        created_at=now,
    )
    record(
        action="cases.case.escalate",
        obj=case,
        region_code=case.region_code,
        changes={"to": above.pk if above else None, "due_on": case.due_on, "late_days": late},
    )
    title = _("Case %(number)s is overdue") % {"number": case.number}
    if above is not None:
        _tell_unit(above, case, key=f"cases:{case.pk}:escalated", title=title)
    _tell_unit(case.current_unit, case, key=f"cases:{case.pk}:overdue", title=title)
    return True


# The reporter's contact --------------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str
    email: str


@transaction.atomic
def contact_reveal(*, case: Case, by: User) -> Contact:
    """The reporter's contact, for staff who may act on the case; every reading is in the audit log.
    An anonymous reporter's contact is used only to tell them of progress, never shown."""
    if not can_act(by, case):
        raise PermissionDenied(_("You may not see this reporter's contact."))
    if case.is_anonymous:
        raise PermissionDenied(_("The reporter asked to stay anonymous."))
    email, phone = _contact(case)
    name = crypto.decrypt_nik(case.reporter_name_enc) if case.reporter_name_enc else ""
    record(action="cases.case_contact.view", obj=case, actor=by, region_code=case.region_code)
    return Contact(name=name, phone=phone, email=email)


# Categories --------------------------------------------------------------------------------------

CATEGORY_FIELDS = ["name", "parent", "unit", "unit_kind", "sla_days", "is_active"]


def _require_admin(by: User) -> None:
    if not by.is_administrator:
        raise PermissionDenied(_("Only administrators edit the categories."))


def _check_category(category: Category) -> None:
    if not category.name.strip():
        raise ValidationError({"name": _("This field is required.")})
    if category.sla_days < 1:
        raise ValidationError({"sla_days": _("At least one working day.")})
    parent = category.parent
    while parent is not None:
        if category.pk and parent.pk == category.pk:
            raise ValidationError({"parent": _("A category cannot sit under itself.")})
        parent = parent.parent
    duplicate = Category.objects.filter(parent=category.parent, name__iexact=category.name.strip())
    if category.pk:
        duplicate = duplicate.exclude(pk=category.pk)
    if duplicate.exists():
        raise ValidationError({"name": _("A category with this name already exists here.")})


@transaction.atomic
def category_save(*, by: User | None, category: Category | None = None, **values: Any) -> Category:
    """Create a category (``category`` None) or change one; administrators only (``by`` None: the demo)."""
    if by is not None:
        _require_admin(by)
    unknown = set(values) - set(CATEGORY_FIELDS)
    if unknown:
        raise TypeError(f"unknown category fields: {sorted(unknown)}")
    creating = category is None
    category = category or Category()
    before = {f: getattr(category, f"{f}_id" if f in {"parent", "unit"} else f, None) for f in CATEGORY_FIELDS}
    for name, value in values.items():
        setattr(category, name, value)
    category.name = category.name.strip()
    _check_category(category)
    category.save()
    after = {f: getattr(category, f"{f}_id" if f in {"parent", "unit"} else f, None) for f in CATEGORY_FIELDS}
    record(
        action="cases.category.create" if creating else "cases.category.update",
        obj=category,
        actor=by,
        changes={k: [before[k], after[k]] for k in CATEGORY_FIELDS if before[k] != after[k]},
    )
    return category
