"""Planning an event: create, edit, publish, finish or cancel it; its days and programme (sessions,
speakers, materials); the letter number; the audience and its invitations; the answers of the
invited organisations; and registration with capacity, waiting list and one registration per person.

Every function is keyword-only, runs in one transaction, checks before it writes, and records an
audit event. Staff act on events they may edit (``permissions.can_edit``); an organisation's
representative answers its own invitation; open registration needs no account.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit.services import diff, record, snapshot
from sinergi.events import permissions
from sinergi.events.models import (
    Event,
    EventDay,
    Invitation,
    LetterNumbering,
    Material,
    Participant,
    Session,
    Speaker,
)
from sinergi.registry import rules
from sinergi.registry.models import Officer, Organisation
from sinergi.registry.targeting import Audience
from sinergi.registry.targeting import organisations as audience_organisations
from sinergi.registry.targeting import validate as audience_validate

if TYPE_CHECKING:
    from django.core.files import File

    from sinergi.accounts.models import Unit, User
    from sinergi.registry.models import Person
    from sinergi.territory.models import Region

EVENT_FIELDS = [
    "kind",
    "title",
    "theme",
    "basis",
    "purpose",
    "venue",
    "venue_address",
    "venue_region",
    "capacity",
    "delegates_per_organisation",
    "open_registration",
    "budget_line",
    "letter_number",
    "letter_date",
    "letter_place",
    "signatory_name",
    "signatory_position",
    "signatory_nip",
]
EVENT_AUDIT_FIELDS = ["unit", "region", "status", "cancel_reason", *EVENT_FIELDS]
CLOSED = frozenset({Event.Status.FINISHED, Event.Status.CANCELLED})
ANSWERABLE = frozenset({Event.Status.PUBLISHED, Event.Status.RUNNING})
ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
BATCH = 500


@dataclass(frozen=True)
class DayInput:
    """One day of an event: its date and its hours."""

    date: datetime.date
    starts_at: datetime.time
    ends_at: datetime.time


@dataclass(frozen=True)
class Delegate:
    """A person an organisation sends: their name, and optionally who they stand in for."""

    full_name: str
    position: str = ""
    phone: str = ""
    email: str = ""
    substitute_for: str = ""

    @classmethod
    def from_value(cls, value: Delegate | Mapping[str, Any]) -> Delegate:
        if isinstance(value, Delegate):
            return value
        return cls(**{k: str(v or "").strip() for k, v in value.items() if k in cls.__dataclass_fields__})


# Checks ---------------------------------------------------------------------------------------------


def _require_edit(by: User, event: Event) -> None:
    permissions.require_edit(by, event)


def _require_open(event: Event) -> None:
    if event.status in CLOSED:
        raise ValidationError(
            _("This event is %(status)s; it can no longer be changed.") % {"status": event.get_status_display()}
        )


def _text(value: str | None, field: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    return value


def _locked(event: Event) -> Event:
    """Lock the event's row so concurrent registrations see each other's places."""
    return Event.objects.select_for_update().select_related("unit__region", "region").get(pk=event.pk)


def _audit(action: str, obj: Any, by: User | None, event: Event, changes: Mapping[str, Any] | None = None) -> None:
    record(action=action, obj=obj, actor=by, region_code=event.region.code, changes=changes or {})


def _check_days(days: Sequence[DayInput]) -> None:
    if not days:
        raise ValidationError({"days": _("Give at least one day.")})
    dates = [d.date for d in days]
    if len(set(dates)) != len(dates):
        raise ValidationError({"days": _("Each date can be given only once.")})
    for day in days:
        if day.ends_at <= day.starts_at:
            raise ValidationError({"days": _("A day must end after it starts (%(date)s).") % {"date": day.date}})


def _check_fields(fields: Mapping[str, Any]) -> None:
    if unknown := set(fields) - set(EVENT_FIELDS):
        raise ValueError(f"not event fields: {sorted(unknown)}")
    nip = str(fields.get("signatory_nip") or "")
    if nip and not re.fullmatch(r"\d{18}", nip.replace(" ", "")):
        raise ValidationError({"signatory_nip": _("A NIP has 18 digits.")})
    if fields.get("delegates_per_organisation") == 0:
        raise ValidationError({"delegates_per_organisation": _("Allow at least one delegate per organisation.")})
    if fields.get("capacity") == 0:
        raise ValidationError({"capacity": _("The capacity is at least 1; leave it empty for no limit.")})


# Events ---------------------------------------------------------------------------------------------


@transaction.atomic
def event_create(
    *,
    by: User,
    unit: Unit,
    region: Region,
    kind: str,
    title: str,
    venue: str,
    days: Sequence[DayInput],
    **fields: Any,
) -> Event:
    """A draft event of ``unit`` for the territory ``region``, with its days. ``by`` must write in
    both the unit's territory and the event's territory."""
    if not (by.can_write(unit.region) and by.can_write(region)):
        raise PermissionDenied(_("You may create events only for your own unit and territory."))
    if kind not in Event.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of event.")})
    _check_fields(fields)
    _check_days(days)
    event = Event(
        unit=unit,
        region=region,
        kind=kind,
        title=_text(title, "title"),
        venue=_text(venue, "venue"),
        created_by=by,
        **fields,
    )
    if event.signatory_nip:
        event.signatory_nip = event.signatory_nip.replace(" ", "")
    event.full_clean(exclude=["created_by", "unit", "region", "audience"])
    event.save()
    EventDay.objects.bulk_create(
        EventDay(event=event, date=d.date, starts_at=d.starts_at, ends_at=d.ends_at) for d in days
    )
    _audit("events.event.create", event, by, event, snapshot(event, EVENT_AUDIT_FIELDS))
    return event


@transaction.atomic
def event_update(*, by: User, event: Event, **fields: Any) -> Event:
    """Change the event's details (not its status); refused once it is finished or cancelled."""
    _require_edit(by, event)
    event = _locked(event)
    _require_open(event)
    _check_fields(fields)
    before = snapshot(event, EVENT_AUDIT_FIELDS)
    for name, value in fields.items():
        setattr(event, name, value.strip() if isinstance(value, str) else value)
    if event.signatory_nip:
        event.signatory_nip = event.signatory_nip.replace(" ", "")
    event.full_clean(exclude=["created_by", "unit", "region", "audience"])
    event.updated_at = timezone.now()
    event.save()
    changes = diff(before, snapshot(event, EVENT_AUDIT_FIELDS))
    if changes:
        _audit("events.event.update", event, by, event, changes)
    if "capacity" in changes:
        _promote(event)
    return event


@transaction.atomic
def event_publish(*, by: User, event: Event) -> Event:
    """Publish a draft: it becomes visible to the invited organisations and open for answers. The
    letter gets the unit's next number and today's date when it has none."""
    _require_edit(by, event)
    event = _locked(event)
    if event.status != Event.Status.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    if not event.days.exists():
        raise ValidationError(_("Give the event at least one day before publishing it."))
    today = timezone.localdate()
    if not event.letter_date:
        event.letter_date = today
    if not event.letter_number:
        event.letter_number = letter_number_next(unit=event.unit, on=event.letter_date)
    event.status = Event.Status.PUBLISHED
    event.published_at = event.updated_at = timezone.now()
    event.save(update_fields=["status", "published_at", "updated_at", "letter_number", "letter_date"])
    _audit("events.event.publish", event, by, event, {"letter_number": event.letter_number})
    return event


@transaction.atomic
def event_start(*, by: User, event: Event) -> Event:
    """Mark a published event as running (its first day has come); doing it twice changes nothing."""
    _require_edit(by, event)
    event = _locked(event)
    if event.status == Event.Status.RUNNING:
        return event
    if event.status != Event.Status.PUBLISHED:
        raise ValidationError(_("Only a published event can start."))
    event.status = Event.Status.RUNNING
    event.updated_at = timezone.now()
    event.save(update_fields=["status", "updated_at"])
    _audit("events.event.start", event, by, event)
    return event


@transaction.atomic
def event_finish(*, by: User, event: Event) -> Event:
    """Close a published or running event; afterwards its plan and attendance can no longer change."""
    _require_edit(by, event)
    event = _locked(event)
    if event.status not in ANSWERABLE:
        raise ValidationError(_("Only a published or running event can be finished."))
    event.status = Event.Status.FINISHED
    event.finished_at = event.updated_at = timezone.now()
    event.save(update_fields=["status", "finished_at", "updated_at"])
    _audit("events.event.finish", event, by, event)
    return event


@transaction.atomic
def event_cancel(*, by: User, event: Event, reason: str) -> Event:
    """Cancel an event that has not finished, with a reason; the invited representatives are told."""
    _require_edit(by, event)
    event = _locked(event)
    reason = _text(reason, "reason")
    if event.status in CLOSED:
        raise ValidationError(_("A finished or cancelled event cannot be cancelled."))
    was_public = event.status != Event.Status.DRAFT
    event.status = Event.Status.CANCELLED
    event.cancel_reason = reason[:255]
    event.updated_at = timezone.now()
    event.save(update_fields=["status", "cancel_reason", "updated_at"])
    _audit("events.event.cancel", event, by, event, {"reason": reason})
    if was_public:
        from sinergi.events.services.plan_notify import notify_cancelled

        notify_cancelled(event=event)
    return event


# Letter numbers -------------------------------------------------------------------------------------


def default_unit_code(unit: Unit) -> str:
    """Initials of the unit's name (``Bagian Pemerintahan Kota ...`` -> ``BPK...``), at most 8 letters."""
    letters = "".join(word[0] for word in re.findall(r"[A-Za-z]+", unit.name) if word[0].isupper())
    return (letters or "UNIT")[:8]


def letter_numbering_for(unit: Unit) -> LetterNumbering:
    """The unit's numbering, made with the defaults the first time (safe when two requests race)."""
    numbering = LetterNumbering.objects.filter(unit=unit).first()
    if numbering is not None:
        return numbering
    try:
        with transaction.atomic():
            return LetterNumbering.objects.create(unit=unit, unit_code=default_unit_code(unit))
    except IntegrityError:
        return LetterNumbering.objects.get(unit=unit)


def letter_number_format(numbering: LetterNumbering, number: int, on: datetime.date) -> str:
    """The pattern filled in: ``{number}/{classification}/{unit}/{month_roman}/{year}``."""
    values = {
        "number": number,
        "classification": numbering.classification,
        "unit": numbering.unit_code,
        "month_roman": ROMAN[on.month],
        "month": f"{on.month:02d}",
        "year": on.year,
    }
    try:
        return numbering.pattern.format(**values)
    except (KeyError, IndexError, ValueError):
        raise ValidationError(
            {"pattern": _("The numbering pattern has an unknown placeholder; use %(names)s.") % {"names": PLACEHOLDERS}}
        ) from None


PLACEHOLDERS = "{number}, {classification}, {unit}, {month_roman}, {month}, {year}"


@transaction.atomic
def letter_number_next(*, unit: Unit, on: datetime.date) -> str:
    """The unit's next letter number for a letter dated ``on``. The numbering row is locked, so two
    letters never get one number and none is skipped; the count starts again at 1 each year."""
    letter_numbering_for(unit)
    numbering = LetterNumbering.objects.select_for_update().select_related("unit").get(unit=unit)
    if numbering.year != on.year:
        numbering.year = on.year
        numbering.last_number = 0
    numbering.last_number += 1
    number = letter_number_format(numbering, numbering.last_number, on)
    numbering.save(update_fields=["year", "last_number"])
    record(
        action="events.letter_number.issue",
        obj=numbering,
        region_code=unit.region.code,
        changes={"number": number},
    )
    return number


@transaction.atomic
def letter_numbering_update(
    *, by: User, unit: Unit, pattern: str, unit_code: str, classification: str
) -> LetterNumbering:
    """Change how ``unit`` numbers its letters; for administrators of the unit's territory."""
    if not by.can_administer(unit.region):
        raise PermissionDenied(_("Only an administrator of the unit may change its letter numbering."))
    numbering = letter_numbering_for(unit)
    numbering = LetterNumbering.objects.select_for_update().get(pk=numbering.pk)
    before = snapshot(numbering, ["pattern", "unit_code", "classification"])
    numbering.pattern = _text(pattern, "pattern")
    numbering.unit_code = _text(unit_code, "unit_code", required=False)
    numbering.classification = _text(classification, "classification", required=False)
    if "{number}" not in numbering.pattern:
        raise ValidationError({"pattern": _("The pattern must hold {number}.")})
    letter_number_format(numbering, 1, timezone.localdate())
    numbering.full_clean()
    numbering.save()
    record(
        action="events.letter_numbering.update",
        obj=numbering,
        actor=by,
        region_code=unit.region.code,
        changes=diff(before, snapshot(numbering, ["pattern", "unit_code", "classification"])),
    )
    return numbering


# Days and programme ---------------------------------------------------------------------------------


@transaction.atomic
def event_day_add(
    *, by: User, event: Event, date: datetime.date, starts_at: datetime.time, ends_at: datetime.time
) -> EventDay:
    """Add a day to the event."""
    _require_edit(by, event)
    event = _locked(event)
    _require_open(event)
    _check_days([DayInput(date, starts_at, ends_at)])
    if event.days.filter(date=date).exists():
        raise ValidationError({"date": _("The event already has this day.")})
    day = EventDay.objects.create(event=event, date=date, starts_at=starts_at, ends_at=ends_at)
    _audit("events.day.add", day, by, event, {"date": date, "starts_at": starts_at, "ends_at": ends_at})
    return day


@transaction.atomic
def event_day_update(
    *, by: User, day: EventDay, date: datetime.date, starts_at: datetime.time, ends_at: datetime.time
) -> EventDay:
    """Change a day's date or hours."""
    event = day.event
    _require_edit(by, event)
    event = _locked(event)
    _require_open(event)
    _check_days([DayInput(date, starts_at, ends_at)])
    if event.days.filter(date=date).exclude(pk=day.pk).exists():
        raise ValidationError({"date": _("The event already has this day.")})
    before = snapshot(day, ["date", "starts_at", "ends_at"])
    day.date, day.starts_at, day.ends_at = date, starts_at, ends_at
    day.save()
    _audit("events.day.update", day, by, event, diff(before, snapshot(day, ["date", "starts_at", "ends_at"])))
    return day


@transaction.atomic
def event_day_remove(*, by: User, day: EventDay) -> None:
    """Remove a day that nobody checked in on; the last day cannot be removed."""
    event = day.event
    _require_edit(by, event)
    event = _locked(event)
    _require_open(event)
    if event.days.count() <= 1:
        raise ValidationError(_("An event keeps at least one day."))
    if day.check_ins.exists():
        raise ValidationError(_("Participants have checked in on this day; it cannot be removed."))
    _audit("events.day.remove", day, by, event, {"date": day.date})
    day.delete()


def _check_session_times(day: EventDay, starts_at: datetime.time, ends_at: datetime.time) -> None:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("A session must end after it starts.")})


@transaction.atomic
def session_add(
    *,
    by: User,
    event: Event,
    day: EventDay,
    starts_at: datetime.time,
    ends_at: datetime.time,
    title: str,
    description: str = "",
) -> Session:
    """Add a part of the programme on one of the event's days."""
    _require_edit(by, event)
    _require_open(event)
    if day.event_id != event.pk:
        raise ValidationError({"day": _("Choose a day of this event.")})
    _check_session_times(day, starts_at, ends_at)
    session = Session.objects.create(
        event=event,
        day=day,
        starts_at=starts_at,
        ends_at=ends_at,
        title=_text(title, "title")[:200],
        description=(description or "").strip(),
    )
    _audit("events.session.add", session, by, event, snapshot(session, ["day", "starts_at", "ends_at", "title"]))
    return session


@transaction.atomic
def session_update(
    *,
    by: User,
    session: Session,
    day: EventDay,
    starts_at: datetime.time,
    ends_at: datetime.time,
    title: str,
    description: str = "",
) -> Session:
    """Change a session's day, times, title or description."""
    event = session.event
    _require_edit(by, event)
    _require_open(event)
    if day.event_id != event.pk:
        raise ValidationError({"day": _("Choose a day of this event.")})
    _check_session_times(day, starts_at, ends_at)
    fields = ["day", "starts_at", "ends_at", "title", "description"]
    before = snapshot(session, fields)
    session.day, session.starts_at, session.ends_at = day, starts_at, ends_at
    session.title = _text(title, "title")[:200]
    session.description = (description or "").strip()
    session.save()
    _audit("events.session.update", session, by, event, diff(before, snapshot(session, fields)))
    return session


@transaction.atomic
def session_remove(*, by: User, session: Session) -> None:
    """Remove a session with its speakers and materials."""
    event = session.event
    _require_edit(by, event)
    _require_open(event)
    _audit("events.session.remove", session, by, event, {"title": session.title})
    for material in session.materials.all():
        material.file.delete(save=False)
    session.delete()


@transaction.atomic
def speaker_add(*, by: User, session: Session, name: str, position: str = "", institution: str = "") -> Speaker:
    """Add a speaker (narasumber) to a session: name, position, institution (KPUD, Bawaslu, BPS ...)."""
    event = session.event
    _require_edit(by, event)
    _require_open(event)
    speaker = Speaker.objects.create(
        session=session,
        name=_text(name, "name")[:150],
        position=(position or "").strip()[:150],
        institution=(institution or "").strip()[:150],
    )
    _audit("events.speaker.add", speaker, by, event, snapshot(speaker, ["session", "name", "position", "institution"]))
    return speaker


@transaction.atomic
def speaker_remove(*, by: User, speaker: Speaker) -> None:
    """Remove a speaker from a session."""
    event = speaker.session.event
    _require_edit(by, event)
    _require_open(event)
    _audit("events.speaker.remove", speaker, by, event, {"name": speaker.name})
    speaker.delete()


@transaction.atomic
def material_add(*, by: User, session: Session, title: str, file: File[Any]) -> Material:
    """Attach a material file (PDF, Word document or picture) to a session; the file is checked by
    its content before it is stored."""
    event = session.event
    _require_edit(by, event)
    _require_open(event)
    title = _text(title, "title")[:200]
    try:
        upload = rules.check_upload(file, allowed=rules.DOCUMENT_TYPES)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    material = Material(session=session, title=title)
    material.file.save(f"{uuid.uuid4().hex}.{upload.type}", file, save=False)
    material.save()
    _audit("events.material.add", material, by, event, {"title": title, "size": upload.size, "type": upload.type})
    return material


@transaction.atomic
def material_remove(*, by: User, material: Material) -> None:
    """Remove a material and its file."""
    event = material.session.event
    _require_edit(by, event)
    _require_open(event)
    _audit("events.material.remove", material, by, event, {"title": material.title})
    material.file.delete(save=False)
    material.delete()


# Audience and invitations ---------------------------------------------------------------------------


@transaction.atomic
def audience_set(*, by: User, event: Event, audience: Audience) -> Event:
    """Store who is invited: kinds of organisation in areas, and/or named organisations."""
    _require_edit(by, event)
    event = _locked(event)
    _require_open(event)
    audience_validate(audience, user=by)
    before = event.audience
    event.audience = audience.as_json()
    event.updated_at = timezone.now()
    event.save(update_fields=["audience", "updated_at"])
    _audit("events.event.audience", event, by, event, {"audience": [before, event.audience]})
    return event


def chairs_by_organisation(organisation_ids: Iterable[int]) -> dict[int, Officer]:
    """The current chair (ketua) of each organisation that has one, with their person."""
    today = timezone.localdate()
    officers = (
        Officer.objects.filter(
            organisation_id__in=list(organisation_ids),
            position=Officer.Position.CHAIR,
            ended_on__isnull=True,
            term_start__lte=today,
            term_end__gte=today,
        )
        .select_related("person")
        .order_by("organisation_id", "-term_start")
    )
    chairs: dict[int, Officer] = {}
    for officer in officers:
        chairs.setdefault(officer.organisation_id, officer)
    return chairs


def addressee_for(organisation: Organisation, chair: Officer | None) -> str:
    """Kepada Yth.: the chair by position, with the name when the register knows it."""
    label = _("Chair of %(organisation)s") % {"organisation": organisation.name}
    if organisation.rt_id or organisation.rw_id:
        label = _("Chair of %(organisation)s, Kelurahan %(kelurahan)s") % {
            "organisation": organisation.name,
            "kelurahan": organisation.region.name,
        }
    if chair is not None:
        label = f"{label} ({chair.person.full_name})"
    return label[:255]


@transaction.atomic
def invitations_create(*, by: User, event: Event, organisation_ids: Sequence[int] | None = None) -> int:
    """One invitation per organisation of the audience (or of ``organisation_ids``, a part of it),
    addressed to its current chair; organisations already invited are skipped, so running it again
    adds only the new ones. Returns how many were made."""
    _require_edit(by, event)
    event = _locked(event)
    _require_open(event)
    audience = Audience.from_json(event.audience)
    if audience.is_empty():
        raise ValidationError(_("Choose the audience first."))
    queryset = audience_organisations(audience, user=by).select_related("region")
    if organisation_ids is not None:
        queryset = queryset.filter(pk__in=list(organisation_ids))
    invited = set(event.invitations.filter(organisation__isnull=False).values_list("organisation_id", flat=True))
    made = 0
    batch: list[Organisation] = []

    def flush() -> int:
        chairs = chairs_by_organisation(o.pk for o in batch)
        rows = []
        for org in batch:
            chair = chairs.get(org.pk)
            rows.append(
                Invitation(
                    event=event,
                    organisation=org,
                    addressee=addressee_for(org, chair),
                    email=org.email or (chair.person.email if chair else ""),
                    phone=org.phone or (chair.person.phone if chair else ""),
                )
            )
        Invitation.objects.bulk_create(rows, batch_size=BATCH)
        batch.clear()
        return len(rows)

    for org in queryset.order_by("pk").iterator(chunk_size=BATCH):
        if org.pk in invited:
            continue
        batch.append(org)
        if len(batch) >= BATCH:
            made += flush()
    if batch:
        made += flush()
    _audit("events.invitations.create", event, by, event, {"count": made})
    return made


@transaction.atomic
def invitation_add_individual(
    *,
    by: User,
    event: Event,
    full_name: str,
    position: str = "",
    addressee: str = "",
    email: str = "",
    phone: str = "",
) -> Invitation:
    """Invite a person by name (an official, a speaker); they are registered as a participant at once."""
    _require_edit(by, event)
    _require_open(event)
    full_name = _text(full_name, "full_name")[:150]
    invitation = Invitation.objects.create(
        event=event,
        addressee=(addressee or "").strip()[:255] or (f"{full_name}, {position}" if position else full_name)[:255],
        email=(email or "").strip(),
        phone=(phone or "").strip()[:30],
        answer=Invitation.Answer.ATTENDING,
    )
    _register(
        event=event,
        by=by,
        delegate=Delegate(full_name=full_name, position=position, phone=phone, email=email),
        source=Participant.Source.INDIVIDUAL,
        invitation=invitation,
    )
    _audit("events.invitation.add", invitation, by, event, {"addressee": invitation.addressee})
    return invitation


@transaction.atomic
def invitation_remove(*, by: User, invitation: Invitation) -> None:
    """Withdraw an invitation that has not been answered yet."""
    event = invitation.event
    _require_edit(by, event)
    _require_open(event)
    if invitation.answer != Invitation.Answer.PENDING or invitation.participants.exists():
        raise ValidationError(_("This invitation has been answered; it cannot be withdrawn."))
    _audit("events.invitation.remove", invitation, by, event, {"addressee": invitation.addressee})
    invitation.delete()


@transaction.atomic
def invitations_mark_sent(*, by: User, event: Event, invitation_ids: Sequence[int]) -> int:
    """Mark invitations as sent (their letters and messages went out); returns how many."""
    _require_edit(by, event)
    return Invitation.objects.filter(event=event, pk__in=list(invitation_ids), sent_at__isnull=True).update(
        sent_at=timezone.now()
    )


def can_answer(user: User, invitation: Invitation) -> bool:
    """The organisation's representative, or staff who may edit the event."""
    if invitation.organisation_id is not None and permissions.can_answer(user, invitation.organisation_id):
        return True
    return permissions.can_edit(user, invitation.event)


@transaction.atomic
def invitation_answer(
    *,
    by: User,
    invitation: Invitation,
    attending: bool,
    delegates: Sequence[Delegate | Mapping[str, Any]] = (),
    reason: str = "",
) -> Invitation:
    """The organisation's answer: attending with its delegates (at most the event's number per
    organisation; a delegate may stand in for someone), or not attending. Answering again replaces
    the delegates; a place given up goes to the first on the waiting list."""
    event = invitation.event
    if not can_answer(by, invitation):
        raise PermissionDenied(_("Only the invited organisation's representative may answer this invitation."))
    event = _locked(event)
    if event.status not in ANSWERABLE:
        raise ValidationError(_("This event is not open for answers."))
    wanted = [Delegate.from_value(d) for d in delegates]
    if attending:
        if not wanted:
            raise ValidationError({"delegates": _("Name at least one delegate.")})
        if len(wanted) > event.delegates_per_organisation:
            raise ValidationError(
                {
                    "delegates": _("At most %(count)s delegates per organisation.")
                    % {"count": event.delegates_per_organisation}
                }
            )
        for d in wanted:
            _text(d.full_name, "delegates")
        identities = [_identity_of(d, invitation.organisation) for d in wanted]
        if len(set(identities)) != len(identities):
            raise ValidationError({"delegates": _("The same person is named twice.")})
    current = list(invitation.participants.exclude(status=Participant.Status.CANCELLED))
    keep = {_identity_of(Delegate.from_value(d), invitation.organisation) for d in wanted} if attending else set()
    for participant in current:
        if participant.identity not in keep:
            _cancel(participant)
    kept = {p.identity for p in current if p.identity in keep}
    for d in wanted if attending else []:
        if _identity_of(d, invitation.organisation) in kept:
            continue
        _register(
            event=event,
            by=by,
            delegate=d,
            source=Participant.Source.INVITATION,
            invitation=invitation,
            organisation=invitation.organisation,
        )
    invitation.answer = Invitation.Answer.ATTENDING if attending else Invitation.Answer.DECLINED
    invitation.answered_at = timezone.now()
    invitation.answered_by = by
    invitation.decline_reason = "" if attending else (reason or "").strip()[:255]
    invitation.save(update_fields=["answer", "answered_at", "answered_by", "decline_reason"])
    _audit(
        "events.invitation.answer",
        invitation,
        by,
        event,
        {"answer": invitation.answer, "delegates": [d.full_name for d in wanted] if attending else []},
    )
    _promote(event)
    return invitation


# Registration ---------------------------------------------------------------------------------------


def _normal_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits


def _normal_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def participant_identity(
    *,
    full_name: str,
    organisation: Organisation | None = None,
    phone: str = "",
    email: str = "",
    person: Person | None = None,
) -> str:
    """What makes a person the same person within one event: their register entry, else their phone
    number, else their e-mail, else their name within their organisation."""
    if person is not None:
        return f"person:{person.pk}"
    if (digits := _normal_phone(phone)) and len(digits) >= 8:
        return f"phone:{digits}"
    if email and email.strip():
        return f"email:{email.strip().lower()}"
    org = organisation.pk if organisation is not None else ""
    return f"name:{_normal_name(full_name)}|org:{org}"[:200]


def _identity_of(d: Delegate, organisation: Organisation | None) -> str:
    return participant_identity(full_name=d.full_name, organisation=organisation, phone=d.phone, email=d.email)


def registered_count(event: Event) -> int:
    return event.participants.filter(status=Participant.Status.REGISTERED).count()


def _register(
    *,
    event: Event,
    by: User | None,
    delegate: Delegate,
    source: str,
    invitation: Invitation | None = None,
    organisation: Organisation | None = None,
    person: Person | None = None,
) -> Participant:
    """Register one person (the event row is locked by the caller): a place if one is free, else the
    waiting list. The same person twice is refused."""
    full_name = _text(delegate.full_name, "full_name")[:150]
    identity = participant_identity(
        full_name=full_name, organisation=organisation, phone=delegate.phone, email=delegate.email, person=person
    )
    existing = (
        event.participants.exclude(status=Participant.Status.CANCELLED)
        .filter(identity=identity)
        .select_related("organisation")
        .first()
    )
    if existing is not None:
        raise ValidationError(
            {"full_name": _("%(name)s is already registered for this event.") % {"name": existing.full_name}}
        )
    full = event.capacity is not None and registered_count(event) >= event.capacity
    waiting = event.participants.filter(status=Participant.Status.WAITLISTED).exists()
    status = Participant.Status.WAITLISTED if full or waiting else Participant.Status.REGISTERED
    participant = Participant(
        event=event,
        invitation=invitation,
        organisation=organisation,
        person=person,
        user=by if source == Participant.Source.OPEN and by is not None and by.is_authenticated else None,
        full_name=full_name,
        position=delegate.position[:150],
        phone=delegate.phone[:30],
        email=delegate.email,
        identity=identity,
        is_substitute=bool(delegate.substitute_for),
        substitute_for=delegate.substitute_for[:150],
        source=source,
        status=status,
    )
    if participant.email:
        try:
            participant.full_clean(exclude=["event", "invitation", "organisation", "person", "user", "identity"])
        except ValidationError as exc:
            raise ValidationError({"email": exc.message_dict.get("email", exc.messages)}) from None
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError:
        raise ValidationError(
            {"full_name": _("%(name)s is already registered for this event.") % {"name": full_name}}
        ) from None
    _audit("events.participant.register", participant, by, event, {"status": status, "source": source})
    return participant


@transaction.atomic
def participant_register(
    *,
    event: Event,
    full_name: str,
    by: User | None = None,
    source: str = Participant.Source.STAFF,
    organisation: Organisation | None = None,
    invitation: Invitation | None = None,
    person: Person | None = None,
    position: str = "",
    phone: str = "",
    email: str = "",
    substitute_for: str = "",
) -> Participant:
    """Register one person for the event. Staff (``source=staff``) need the right to edit the event;
    open registration (``source=open``) needs the event's open link switched on and no account.
    Past the capacity the person goes on the waiting list; a person already registered is refused."""
    if source == Participant.Source.OPEN:
        if not event.open_registration:
            raise PermissionDenied(_("This event does not take open registrations."))
        if not (phone or "").strip() and not (email or "").strip():
            raise ValidationError({"phone": _("Give a phone number or an e-mail address.")})
    else:
        if by is None:
            raise PermissionDenied
        _require_edit(by, event)
    event = _locked(event)
    if event.status not in ANSWERABLE and not (
        source == Participant.Source.STAFF and event.status == Event.Status.DRAFT
    ):
        raise ValidationError(_("This event is not open for registration."))
    return _register(
        event=event,
        by=by,
        delegate=Delegate(
            full_name=full_name,
            position=(position or "").strip(),
            phone=(phone or "").strip(),
            email=(email or "").strip(),
            substitute_for=(substitute_for or "").strip(),
        ),
        source=source,
        invitation=invitation,
        organisation=organisation,
        person=person,
    )


def _cancel(participant: Participant) -> None:
    participant.status = Participant.Status.CANCELLED
    participant.save(update_fields=["status"])


@transaction.atomic
def participant_cancel(*, by: User | None, participant: Participant) -> Participant:
    """Cancel a registration (staff, the organisation's representative, or the participant through
    their page with ``by=None``); the first on the waiting list moves up."""
    event = participant.event
    if by is not None and not (
        permissions.can_edit(by, event)
        or (participant.organisation_id and permissions.can_answer(by, participant.organisation_id))
    ):
        raise PermissionDenied(_("You may not cancel this registration."))
    event = _locked(event)
    if event.status in CLOSED:
        raise ValidationError(_("This event is over; its registrations can no longer change."))
    if participant.status == Participant.Status.CANCELLED:
        return participant
    if participant.check_ins.exists():
        raise ValidationError(_("%(name)s has already checked in.") % {"name": participant.full_name})
    _cancel(participant)
    _audit("events.participant.cancel", participant, by, event)
    _promote(event)
    return participant


def _promote(event: Event) -> list[Participant]:
    """Give free places to the waiting list, first come first served (the event row is locked)."""
    waiting = event.participants.filter(status=Participant.Status.WAITLISTED).order_by("registered_at", "pk")
    free = waiting.count() if event.capacity is None else max(0, event.capacity - registered_count(event))
    moved = list(waiting[:free])
    if not moved:
        return []
    Participant.objects.filter(pk__in=[p.pk for p in moved]).update(status=Participant.Status.REGISTERED)
    for participant in moved:
        participant.status = Participant.Status.REGISTERED
        record(
            action="events.participant.promote",
            obj=participant,
            region_code=event.region.code,
            changes={"status": ["waitlisted", "registered"]},
        )
    from sinergi.events.services.plan_notify import notify_promoted

    notify_promoted(event=event, participants=moved)
    return moved
