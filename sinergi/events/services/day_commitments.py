"""Commitments: the library of versioned texts (Pakta Integritas, Ikrar Netralitas ASN) kept per
unit, the versions an event uses, and the participants' signatures under them.

A text is never edited: a new wording is a new version. A signature records the typed name, the
drawn signature, the time, the address and device it came from and the SHA-256 of the text as the
participant read it; it cannot be changed or deleted, and a text that changed between reading and
signing is refused."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import Unit
from sinergi.audit.services import record
from sinergi.events import permissions
from sinergi.events.models import CommitmentSignature, CommitmentText, Event, EventCommitment, Participant
from sinergi.events.services.day_common import clean_signature, require_open_for_attendance

if TYPE_CHECKING:
    from sinergi.accounts.models import User


def text_digest(text: CommitmentText) -> str:
    """SHA-256 (hex) of the title and text a participant reads and signs."""
    return hashlib.sha256(f"{text.title}\n\n{text.body}".encode()).hexdigest()


def _normalised(name: str) -> str:
    return " ".join(name.split()).casefold()


def _required(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("This field is required.")})
    return value


@transaction.atomic
def commitment_text_create(*, by: User, unit: Unit, kind: str, title: str, body: str) -> CommitmentText:
    """Add a text to the unit's library, as the next version of any text with the same kind and title."""
    if not by.can_write(unit.region):
        raise PermissionDenied(_("You may not add texts for this unit."))
    if kind not in CommitmentText.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of commitment.")})
    title, body = _required(title, "title"), _required(body, "body")
    # Serialise versioning per unit: two staff saving at once get versions n and n+1.
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    last = CommitmentText.objects.filter(unit=unit, kind=kind, title=title).aggregate(v=Max("version"))["v"] or 0
    latest = CommitmentText.objects.filter(unit=unit, kind=kind, title=title, version=last).first()
    if latest is not None and latest.body == body:
        raise ValidationError({"body": _("This is the same text as version %(version)s.") % {"version": last}})
    text = CommitmentText.objects.create(unit=unit, kind=kind, title=title, body=body, version=last + 1, created_by=by)
    record(
        action="events.commitment_text.create",
        obj=text,
        actor=by,
        region_code=unit.region.code,
        changes={"title": [None, title], "version": [None, text.version], "digest": [None, text_digest(text)]},
    )
    return text


def commitment_text_revise(*, by: User, text: CommitmentText, body: str) -> CommitmentText:
    """A new wording of ``text``: the next version; the old one stays as it was signed."""
    return commitment_text_create(by=by, unit=text.unit, kind=text.kind, title=text.title, body=body)


@transaction.atomic
def event_commitment_attach(*, by: User, event: Event, text: CommitmentText) -> EventCommitment:
    """Let the participants of ``event`` sign ``text`` (one version of each text per event)."""
    permissions.require_edit(by, event)
    require_open_for_attendance(event)
    if not CommitmentText.objects.visible_to(by).filter(pk=text.pk).exists():
        raise ValidationError({"text": _("Choose a text from the library.")})
    if event.commitments.filter(text=text).exists():
        raise ValidationError({"text": _("The event already uses this text.")})
    other = event.commitments.filter(text__unit=text.unit, text__kind=text.kind, text__title=text.title).first()
    if other is not None:
        raise ValidationError(
            {
                "text": _("The event already uses version %(version)s of this text; remove it first.")
                % {"version": other.text.version}
            }
        )
    commitment = EventCommitment.objects.create(event=event, text=text)
    record(
        action="events.commitment.attach",
        obj=commitment,
        actor=by,
        region_code=event.region.code,
        changes={"text": [None, text.pk], "version": [None, text.version]},
    )
    return commitment


@transaction.atomic
def event_commitment_detach(*, by: User, commitment: EventCommitment) -> None:
    """Remove a text nobody has signed yet from the event."""
    event = commitment.event
    permissions.require_edit(by, event)
    require_open_for_attendance(event)
    if commitment.signatures.exists():
        raise ValidationError(_("Participants have already signed this text: it stays with the event."))
    record(
        action="events.commitment.detach",
        obj=commitment,
        actor=by,
        region_code=event.region.code,
        changes={"text": [commitment.text_id, None]},
    )
    commitment.delete()


@transaction.atomic
def commitment_sign(
    *,
    participant: Participant,
    commitment: EventCommitment,
    typed_name: str,
    drawn: str,
    digest: str,
    ip_address: str | None = None,
    user_agent: str = "",
) -> CommitmentSignature:
    """The participant signs ``commitment`` on their page: their name typed as registered, a drawn
    signature, and the digest of the text they read, which must still be the text of the event."""
    event = commitment.event
    if participant.event_id != event.pk:
        raise ValidationError(_("This text is not part of your event."))
    if participant.status != Participant.Status.REGISTERED:
        raise ValidationError(_("Only registered participants sign the commitments of the event."))
    require_open_for_attendance(event)
    text = CommitmentText.objects.get(pk=commitment.text_id)
    if digest != text_digest(text):
        raise ValidationError(_("The text has changed since you opened it. Read it again, then sign."))
    typed_name = " ".join((typed_name or "").split())
    if not typed_name:
        raise ValidationError({"typed_name": _("Type your full name.")})
    if _normalised(typed_name) != _normalised(participant.full_name):
        raise ValidationError(
            {"typed_name": _("Type your name as registered: %(name)s.") % {"name": participant.full_name}}
        )
    drawn = clean_signature(drawn, field="drawn")
    if CommitmentSignature.objects.filter(commitment=commitment, participant=participant).exists():
        raise ValidationError(_("You have already signed this text."))
    signature = CommitmentSignature(
        commitment=commitment,
        participant=participant,
        typed_name=typed_name,
        drawn=drawn,
        signed_at=timezone.now(),
        ip_address=ip_address or None,
        user_agent=(user_agent or "")[:255],
        text_digest=digest,
    )
    try:
        with transaction.atomic():
            signature.save()
    except IntegrityError:
        raise ValidationError(_("You have already signed this text.")) from None
    record(
        action="events.commitment.sign",
        obj=signature,
        actor=None,
        region_code=event.region.code,
        changes={"participant": [None, participant.pk], "text": [None, text.pk], "digest": [None, digest]},
    )
    return signature
