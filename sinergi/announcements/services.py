"""Writes of the announcements app: draft, send, read, acknowledge, relay, ask and answer, remind.
Every function is keyword-only, checks who may do it and writes its audit event; side effects
(tasks, mail) wait for the commit. The fan-out itself, and the progress tallies, are in
``fanout.py``.
"""

from __future__ import annotations

import datetime
import functools
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import nh3
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from sinergi.accounts.models import Role, Unit, User
from sinergi.announcements import fanout
from sinergi.announcements.models import (
    Announcement,
    Answer,
    Attachment,
    Delivery,
    DeliveryMessage,
    FanoutBatch,
    Question,
    RelayPhoto,
    RelayReport,
)
from sinergi.audit.services import record
from sinergi.registry import rules, targeting

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "a", "h3", "h4", "blockquote", "table", "thead",
    "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"colspan", "rowspan"}, "td": {"colspan", "rowspan"}}
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
MAX_ATTACHMENTS = 5
MAX_PHOTOS = 10
ATTACHMENT_TYPES = frozenset({"pdf", "jpg", "png", "docx"})


def batch_size() -> int:
    return int(getattr(settings, "SINERGI_ANNOUNCEMENT_BATCH_SIZE", 1000))


def reminder_days() -> int:
    return int(getattr(settings, "SINERGI_ANNOUNCEMENT_REMINDER_DAYS", 3))


def max_reminders() -> int:
    return int(getattr(settings, "SINERGI_ANNOUNCEMENT_MAX_REMINDERS", 3))


# Permissions -------------------------------------------------------------------------------------


def sender_units(user: User) -> list[Unit]:
    """The units the user may send announcements for: where they are an operator or administrator."""
    if user.is_superuser:
        return list(Unit.objects.filter(is_active=True).select_related("region"))
    return [r.unit for r in user.active_roles() if r.kind in Role.WRITE_KINDS and r.unit and r.unit.is_active]


def can_send(user: User) -> bool:
    return user.is_authenticated and bool(user.is_superuser or sender_units(user))


def can_manage(user: User, announcement: Announcement) -> bool:
    """Edit, send, cancel and answer questions: operators and administrators of the sending unit,
    and administrators whose territory covers it."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if any(r.kind in Role.WRITE_KINDS and r.unit_id == announcement.unit_id for r in user.active_roles()):
        return True
    return user.can_administer(announcement.unit.region)


def _represents(user: User, delivery: Delivery) -> bool:
    return any(
        r.kind == Role.Kind.ORG_REPRESENTATIVE and r.organisation_id == delivery.organisation_id
        for r in user.active_roles()
    )


# Drafting ----------------------------------------------------------------------------------------


def sanitise(body: str) -> str:
    """Formatted text reduced to safe HTML: scripts, styles, event handlers and unknown tags go.
    Plain text (a message typed on a phone) keeps its paragraphs and line breaks."""
    body = body.strip()
    if not HTML_TAG.search(body):
        paragraphs = [p.strip() for p in body.replace("\r\n", "\n").split("\n\n") if p.strip()]
        body = "".join("<p>" + "<br>".join(nh3.clean_text(line) for line in p.split("\n")) + "</p>" for p in paragraphs)
    return nh3.clean(
        body,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def _check_fields(
    *, title: str, body: str, publish_at: datetime.datetime | None, expires_at: datetime.datetime | None,
    relay_required: bool, relay_due: datetime.date | None,
) -> dict[str, list[str]]:  # fmt: skip
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give the announcement a title.")]
    if not strip_tags(body).strip():
        errors["body"] = [_("Write the message.")]
    if expires_at and expires_at <= (publish_at or timezone.now()):
        errors["expires_at"] = [_("The end of validity must come after publication.")]
    if relay_required and relay_due is None:
        errors["relay_due"] = [_("Say by when organisations must report how they passed it on.")]
    if relay_due and relay_due < timezone.localdate():
        errors["relay_due"] = [_("The relay report cannot be due in the past.")]
    return errors


def _check_attachments(files: Sequence[File[Any]]) -> list[rules.Upload]:
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": _("At most %(count)d attachments.") % {"count": MAX_ATTACHMENTS}})
    uploads = []
    for file in files:
        try:
            uploads.append(rules.check_upload(file, allowed=ATTACHMENT_TYPES))
        except ValidationError as exc:
            raise ValidationError({"attachments": exc.messages}) from None
    return uploads


def _store_attachments(announcement: Announcement, files: Sequence[File[Any]], uploads: list[rules.Upload]) -> None:
    for file, upload in zip(files, uploads, strict=True):
        attachment = Attachment(announcement=announcement, name=(getattr(file, "name", "") or "lampiran")[:200])
        attachment.file.save(f"{uuid.uuid4().hex}.{upload.type}", file, save=False)
        attachment.save()


@transaction.atomic
def announcement_create(
    *,
    by: User,
    unit: Unit,
    title: str,
    body: str,
    audience: targeting.Audience,
    category: str = Announcement.Category.OTHER,
    source_name: str = "",
    publish_at: datetime.datetime | None = None,
    expires_at: datetime.datetime | None = None,
    ack_required: bool = True,
    relay_required: bool = False,
    relay_due: datetime.date | None = None,
    send_gateway: bool = False,
    attachments: Sequence[File[Any]] = (),
) -> Announcement:
    """A draft announcement from ``unit``, which ``by`` must send for, to ``audience`` (checked
    against ``by``'s territory). Nothing is delivered before ``announcement_send``."""
    if unit not in sender_units(by):
        raise PermissionDenied
    body = sanitise(body)
    errors = _check_fields(
        title=title,
        body=body,
        publish_at=publish_at,
        expires_at=expires_at,
        relay_required=relay_required,
        relay_due=relay_due,
    )
    if category not in Announcement.Category.values:
        errors["category"] = [_("Choose a category.")]
    try:
        targeting.validate(audience, user=by)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault("audience" if field == "__all__" else field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    uploads = _check_attachments(attachments)
    announcement = Announcement.objects.create(
        unit=unit,
        title=title.strip()[:200],
        body=body,
        category=category,
        source_name=source_name.strip()[:200],
        publish_at=publish_at,
        expires_at=expires_at,
        ack_required=ack_required,
        relay_required=relay_required,
        relay_due=relay_due if relay_required else None,
        send_gateway=send_gateway,
        audience=audience.as_json(),
        created_by=by,
    )
    _store_attachments(announcement, attachments, uploads)
    record(
        action="announcements.announcement.create",
        obj=announcement,
        changes={"title": [None, announcement.title], "audience": [None, announcement.audience]},
        region_code=unit.region.code,
    )
    return announcement


EDITABLE = (
    "title", "body", "category", "source_name", "publish_at", "expires_at", "ack_required", "relay_required",
    "relay_due", "send_gateway",
)  # fmt: skip


@transaction.atomic
def announcement_update(
    *,
    by: User,
    announcement: Announcement,
    audience: targeting.Audience | None = None,
    attachments: Sequence[File[Any]] = (),
    **fields: Any,
) -> Announcement:
    """Change a draft (or a scheduled announcement, which goes back to draft until sent again)."""
    announcement = Announcement.objects.select_for_update().select_related("unit__region").get(pk=announcement.pk)
    if not can_manage(by, announcement):
        raise PermissionDenied
    if announcement.status not in (Announcement.Status.DRAFT, Announcement.Status.SCHEDULED):
        raise ValidationError(_("Only a draft or a scheduled announcement can be changed."))
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "body" in fields:
        fields["body"] = sanitise(fields["body"])
    values = {name: fields.get(name, getattr(announcement, name)) for name in EDITABLE}
    errors = _check_fields(
        title=values["title"],
        body=values["body"],
        publish_at=values["publish_at"],
        expires_at=values["expires_at"],
        relay_required=values["relay_required"],
        relay_due=values["relay_due"],
    )
    if audience is not None:
        try:
            targeting.validate(audience, user=by)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault("audience" if field == "__all__" else field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    uploads = _check_attachments([*attachments])
    if announcement.attachments.count() + len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": _("At most %(count)d attachments.") % {"count": MAX_ATTACHMENTS}})
    changes = {n: [getattr(announcement, n), v] for n, v in values.items() if getattr(announcement, n) != v}
    for name, value in values.items():
        setattr(announcement, name, value)
    if not announcement.relay_required:
        announcement.relay_due = None
    update_fields = [*EDITABLE, "status"]
    if audience is not None and audience.as_json() != announcement.audience:
        changes["audience"] = [announcement.audience, audience.as_json()]
        announcement.audience = audience.as_json()
        update_fields.append("audience")
    announcement.status = Announcement.Status.DRAFT
    announcement.save(update_fields=update_fields)
    _store_attachments(announcement, attachments, uploads)
    record(
        action="announcements.announcement.update",
        obj=announcement,
        changes=changes,
        region_code=announcement.unit.region.code,
    )
    return announcement


# Sending -----------------------------------------------------------------------------------------


@transaction.atomic
def announcement_send(*, by: User, announcement: Announcement) -> Announcement:
    """Send a draft: at once, or at its publish time (then the periodic ``publish_due`` starts it).
    The recipients are the active organisations the audience names inside ``by``'s territory."""
    announcement = Announcement.objects.select_for_update().select_related("unit__region").get(pk=announcement.pk)
    if not can_manage(by, announcement):
        raise PermissionDenied
    if announcement.status != Announcement.Status.DRAFT:
        raise ValidationError(_("This announcement was already sent or cancelled."))
    audience = targeting.Audience.from_json(announcement.audience)
    targeting.validate(audience, user=by)
    if not targeting.organisations(audience, user=by).exists():
        raise ValidationError(_("The audience names no active organisation."))
    announcement.sent_by = by
    if announcement.publish_at and announcement.publish_at > timezone.now():
        announcement.status = Announcement.Status.SCHEDULED
        announcement.save(update_fields=["sent_by", "status"])
        action = "announcements.announcement.schedule"
    else:
        announcement.save(update_fields=["sent_by"])
        _fanout_start(announcement)
        action = "announcements.announcement.send"
    record(
        action=action,
        obj=announcement,
        changes={
            "status": [Announcement.Status.DRAFT, announcement.status],
            "recipients": [0, announcement.recipients_total],
        },
        region_code=announcement.unit.region.code,
    )
    return announcement


def _fanout_start(announcement: Announcement) -> None:
    """Write the batches of recipients and enqueue them after commit (inside the caller's transaction)."""
    sender = announcement.sent_by or announcement.created_by
    audience = targeting.Audience.from_json(announcement.audience)
    ids = list(targeting.organisations(audience, user=sender).order_by("pk").values_list("pk", flat=True))
    size = batch_size()
    chunks = [ids[i : i + size] for i in range(0, len(ids), size)]
    now = timezone.now()
    FanoutBatch.objects.bulk_create(
        [
            FanoutBatch(announcement=announcement, number=n, organisation_ids=chunk, enqueued_at=now)
            for n, chunk in enumerate(chunks, 1)
        ],
        ignore_conflicts=True,
    )
    announcement.status = Announcement.Status.SENDING if chunks else Announcement.Status.SENT
    announcement.recipients_total = len(ids)
    announcement.batches_total = len(chunks)
    announcement.sent_at = now
    announcement.finished_at = None if chunks else now
    announcement.save(
        update_fields=["status", "recipients_total", "batches_total", "sent_at", "finished_at", "sent_by"]
    )
    batch_ids = list(FanoutBatch.objects.filter(announcement=announcement).values_list("pk", flat=True))
    transaction.on_commit(functools.partial(_enqueue_batches, batch_ids))


def _enqueue_batches(batch_ids: list[int]) -> None:
    from sinergi.announcements.tasks import deliver_batch

    for pk in batch_ids:
        deliver_batch.enqueue(batch_id=pk)


@transaction.atomic
def announcement_cancel(*, by: User, announcement: Announcement) -> Announcement:
    """Withdraw a draft or scheduled announcement (one already delivered cannot be unsent)."""
    announcement = Announcement.objects.select_for_update().select_related("unit__region").get(pk=announcement.pk)
    if not can_manage(by, announcement):
        raise PermissionDenied
    if announcement.status not in (Announcement.Status.DRAFT, Announcement.Status.SCHEDULED):
        raise ValidationError(_("Only a draft or a scheduled announcement can be cancelled."))
    before = announcement.status
    announcement.status = Announcement.Status.CANCELLED
    announcement.save(update_fields=["status"])
    record(
        action="announcements.announcement.cancel",
        obj=announcement,
        changes={"status": [before, announcement.status]},
        region_code=announcement.unit.region.code,
    )
    return announcement


def publish_due(*, now: datetime.datetime | None = None) -> int:
    """Start the fan-out of scheduled announcements whose publish time has come; returns how many."""
    now = now or timezone.now()
    started = 0
    for pk in Announcement.objects.filter(status=Announcement.Status.SCHEDULED, publish_at__lte=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            announcement = (
                Announcement.objects.select_for_update(skip_locked=True)
                .select_related("unit__region")
                .filter(pk=pk, status=Announcement.Status.SCHEDULED)
                .first()
            )
            if announcement is None:
                continue  # another worker took it
            _fanout_start(announcement)
            record(
                action="announcements.announcement.publish",
                obj=announcement,
                changes={"status": [Announcement.Status.SCHEDULED, announcement.status]},
                region_code=announcement.unit.region.code,
            )
            started += 1
    return started


def fanout_resume(*, older_than_seconds: int | None = None) -> int:
    """Enqueue again the batches a lost task left pending (a worker killed, an enqueue that failed).
    Safe to overdo: a batch already done does nothing."""
    if older_than_seconds is None:
        older_than_seconds = int(getattr(settings, "SINERGI_ANNOUNCEMENT_RESUME_AFTER_SECONDS", 600))
    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    stale = FanoutBatch.objects.filter(
        status=FanoutBatch.Status.PENDING,
        enqueued_at__lt=cutoff,
        announcement__status=Announcement.Status.SENDING,
    )
    ids = list(stale.values_list("pk", flat=True))
    if ids:
        FanoutBatch.objects.filter(pk__in=ids).update(enqueued_at=timezone.now())
        _enqueue_batches(ids)
    return len(ids)


# The organisation's side -------------------------------------------------------------------------


def _own(by: User, delivery: Delivery) -> None:
    if not _represents(by, delivery):
        raise PermissionDenied
    if delivery.announcement.status == Announcement.Status.CANCELLED:
        raise PermissionDenied


@transaction.atomic
def delivery_open(*, by: User, delivery: Delivery) -> Delivery:
    """A representative opened the announcement: the first opening counts as read."""
    _own(by, delivery)
    if delivery.read_at is not None:
        return delivery
    now = timezone.now()
    if Delivery.objects.filter(pk=delivery.pk, read_at__isnull=True).update(read_at=now, read_by=by):
        fanout.tally_add(delivery, read=1)
        delivery.read_at, delivery.read_by = now, by
        record(
            action="announcements.delivery.read",
            obj=delivery,
            changes={"read_at": [None, now]},
            region_code=delivery.area_code,
        )
    return delivery


@transaction.atomic
def delivery_acknowledge(*, by: User, delivery: Delivery) -> Delivery:
    """The organisation confirms it received the announcement (once; again is no change)."""
    _own(by, delivery)
    if delivery.acknowledged_at is not None:
        return delivery
    now = timezone.now()
    read = Delivery.objects.filter(pk=delivery.pk, read_at__isnull=True).update(read_at=now, read_by=by)
    acknowledged = Delivery.objects.filter(pk=delivery.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=now, acknowledged_by=by
    )
    fanout.tally_add(delivery, read=read, acknowledged=acknowledged)
    delivery.refresh_from_db(fields=["read_at", "read_by", "acknowledged_at", "acknowledged_by"])
    record(
        action="announcements.delivery.acknowledge",
        obj=delivery,
        changes={"acknowledged_at": [None, delivery.acknowledged_at]},
        region_code=delivery.area_code,
    )
    return delivery


@transaction.atomic
def relay_report_file(
    *,
    by: User,
    delivery: Delivery,
    method: str,
    held_on: datetime.date,
    residents_reached: int,
    note: str = "",
    photos: Iterable[File[Any]] = (),
) -> RelayReport:
    """Record how the organisation passed the announcement on, with up to 10 photos. Filing one
    also acknowledges the announcement: who relayed it has received it."""
    _own(by, delivery)
    errors: dict[str, Any] = {}
    if method not in RelayReport.Method.values:
        errors["method"] = _("Choose how it was passed on.")
    if held_on > timezone.localdate():
        errors["held_on"] = _("The date cannot be in the future.")
    if delivery.delivered_at and held_on < timezone.localtime(delivery.delivered_at).date():
        errors["held_on"] = _("The date cannot be before the announcement arrived.")
    if residents_reached < 0 or residents_reached > 1_000_000:
        errors["residents_reached"] = _("Give a number between 0 and 1,000,000.")
    photos = list(photos)
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = _("At most %(count)d photos.") % {"count": MAX_PHOTOS}
    if errors:
        raise ValidationError(errors)
    uploads = []
    for photo in photos:
        try:
            uploads.append(rules.check_upload(photo, allowed=rules.PHOTO_TYPES))
        except ValidationError as exc:
            raise ValidationError({"photos": exc.messages}) from None
    # The delivery's row lock makes two reports filed at once add up, and the tally's share exact.
    locked = Delivery.objects.select_for_update().filter(pk=delivery.pk)
    reached_before = locked.values_list("residents_reached", flat=True).get()
    report = RelayReport.objects.create(
        delivery=delivery,
        method=method,
        held_on=held_on,
        residents_reached=residents_reached,
        note=note.strip(),
        created_by=by,
    )
    for photo, upload in zip(photos, uploads, strict=True):
        stored = RelayPhoto(report=report)
        stored.image.save(f"{uuid.uuid4().hex}.{upload.type}", photo, save=False)
        stored.save()
    now = timezone.now()
    reached = RelayReport.objects.filter(delivery=delivery).aggregate(n=Sum("residents_reached"))["n"] or 0
    Delivery.objects.filter(pk=delivery.pk).update(residents_reached=reached)
    read = Delivery.objects.filter(pk=delivery.pk, read_at__isnull=True).update(read_at=now, read_by=by)
    acknowledged = Delivery.objects.filter(pk=delivery.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=now, acknowledged_by=by
    )
    relayed = Delivery.objects.filter(pk=delivery.pk, relayed_at__isnull=True).update(relayed_at=now)
    fanout.tally_add(delivery, read=read, acknowledged=acknowledged, relayed=relayed, reached=reached - reached_before)
    record(
        action="announcements.relay.create",
        obj=report,
        changes={"method": [None, method], "residents_reached": [None, residents_reached], "photos": [0, len(photos)]},
        region_code=delivery.area_code,
    )
    return report


@transaction.atomic
def question_ask(*, by: User, delivery: Delivery, text: str) -> Question:
    """An organisation asks the sending unit about the announcement; its staff are told."""
    _own(by, delivery)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write your question.")})
    if len(text) > 2000:
        raise ValidationError({"text": _("Keep the question under 2,000 characters.")})
    question = Question.objects.create(announcement=delivery.announcement, delivery=delivery, text=text, asked_by=by)
    announcement = delivery.announcement
    record(
        action="announcements.question.create",
        obj=question,
        changes={"text": [None, text]},
        region_code=announcement.unit.region.code,
    )
    staff = User.objects.filter(
        roles__unit=announcement.unit, roles__kind__in=Role.WRITE_KINDS, roles__is_active=True, is_active=True
    ).distinct()
    from sinergi.notifications.services import notify

    notify(
        users=staff,
        key=f"announcements.question:{question.pk}",
        title=_("Question about: %(title)s") % {"title": announcement.title},
        body=Truncator(text).chars(300),
        url=reverse("announcements:detail", args=[announcement.pk]) + "#questions",
    )
    return question


@transaction.atomic
def question_answer(*, by: User, question: Question, text: str) -> Answer:
    """The sending unit answers; the answer is shown to every recipient, and the asker is told."""
    announcement = question.announcement
    if not can_manage(by, announcement):
        raise PermissionDenied
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the answer.")})
    if Answer.objects.filter(question=question).exists():
        raise ValidationError(_("This question has been answered already."))
    answer = Answer.objects.create(question=question, text=text, answered_by=by)
    record(
        action="announcements.answer.create",
        obj=answer,
        changes={"question": [None, question.pk], "text": [None, text]},
        region_code=announcement.unit.region.code,
    )
    from sinergi.notifications.services import notify

    notify(
        users=User.objects.filter(
            roles__organisation_id=question.delivery.organisation_id,
            roles__kind=Role.Kind.ORG_REPRESENTATIVE,
            roles__is_active=True,
        ).distinct(),
        key=f"announcements.answer:{answer.pk}",
        title=_("Answer about: %(title)s") % {"title": announcement.title},
        body=Truncator(text).chars(300),
        url=reverse("announcements:delivery", args=[question.delivery_id]),
    )
    return answer


# Reminders ---------------------------------------------------------------------------------------


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind the organisations that have not acknowledged an announcement that asks for it: at
    most once every ``SINERGI_ANNOUNCEMENT_REMINDER_DAYS`` days per delivery and at most
    ``SINERGI_ANNOUNCEMENT_MAX_REMINDERS`` times. Each chunk is claimed by a conditional update in
    its own transaction, so two runs at once remind nobody twice. Returns how many were reminded."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=reminder_days())
    due = Q(acknowledged_at__isnull=True, reminders_sent__lt=max_reminders(), delivered_at__lte=cutoff) & (
        Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lte=cutoff)
    )
    live = Announcement.objects.filter(
        status__in=[Announcement.Status.SENT, Announcement.Status.SENDING], ack_required=True
    ).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    reminded = 0
    for announcement in live.select_related("unit"):
        last = 0
        while True:
            ids = list(
                Delivery.objects.filter(due, announcement=announcement, pk__gt=last)
                .order_by("pk")
                .values_list("pk", flat=True)[: batch_size()]
            )
            if not ids:
                break
            last = ids[-1]
            with transaction.atomic():
                claimed = list(
                    Delivery.objects.select_for_update(skip_locked=True)
                    .filter(due, pk__in=ids)
                    .values_list("pk", "organisation_id", "reminders_sent")
                )
                if not claimed:
                    continue
                Delivery.objects.filter(pk__in=[pk for pk, _o, _n in claimed]).update(
                    reminders_sent=F("reminders_sent") + 1, last_reminded_at=now
                )
                by_sequence: dict[int, list[tuple[int, int]]] = defaultdict(list)
                for pk, org, sent in claimed:
                    by_sequence[sent + 1].append((pk, org))
                for sequence, pairs in by_sequence.items():
                    fanout.tell(announcement, pairs, purpose=DeliveryMessage.Purpose.REMINDER, sequence=sequence)
                reminded += len(claimed)
    return reminded
