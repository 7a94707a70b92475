"""Sending invitations and telling people about changes: in-app to the organisation's
representatives, e-mail to the invitation's address, and a short SMS or WhatsApp through the
gateway (``settings.SINERGI_EVENTS_GATEWAY_CHANNEL``; the default gateway only logs).

Every message has a key per invitation or participant, so sending again reaches nobody twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sinergi.accounts.models import Role, User
from sinergi.audit.services import record
from sinergi.events import permissions
from sinergi.events.models import Event, Invitation, Participant
from sinergi.notifications.models import OutboundMessage
from sinergi.notifications.services import absolute_url, gateway_send, message_send, notify

SEND_BATCH = 200


def gateway_channel() -> str:
    """``sms``, ``whatsapp`` or ``""`` (no text messages)."""
    channel = str(getattr(settings, "SINERGI_EVENTS_GATEWAY_CHANNEL", "whatsapp"))
    return channel if channel in ("sms", "whatsapp") else ""


def participant_page_url(participant: Participant) -> str:
    """The absolute address of the participant's own page (what their QR code holds)."""
    try:
        path = reverse("events:participant", args=[participant.token])
    except NoReverseMatch:  # the day stage's page is not installed
        path = f"/kegiatan/peserta/{participant.token}/"
    return absolute_url(path)


def _when(event: Event) -> str:
    days = list(event.days.all())
    if not days:
        return ""
    first = days[0]
    text = date_format(first.date, "l, j F Y")
    if len(days) > 1:
        text = _("%(first)s to %(last)s") % {"first": text, "last": date_format(days[-1].date, "l, j F Y")}
    return f"{text}, {first.starts_at:%H.%M}"


def representatives(organisation_ids: Iterable[int]) -> dict[int, list[int]]:
    """Organisation id -> ids of its active representatives' accounts."""
    result: dict[int, list[int]] = {}
    rows = Role.objects.filter(
        kind=Role.Kind.ORG_REPRESENTATIVE,
        is_active=True,
        organisation_id__in=list(organisation_ids),
        user__is_active=True,
    ).values_list("organisation_id", "user_id")
    for org_id, user_id in rows:
        result.setdefault(org_id, []).append(user_id)
    return result


def invitation_send_batch(*, event: Event, invitation_ids: Sequence[int]) -> int:
    """Send the invitations among ``invitation_ids`` not sent yet; each in its own transaction, so
    a crash leaves the rest for the next run. Returns how many were sent."""
    pending = list(
        Invitation.objects.filter(event=event, pk__in=list(invitation_ids), sent_at__isnull=True).select_related(
            "organisation"
        )
    )
    reps = representatives(i.organisation_id for i in pending if i.organisation_id)
    when = _when(event)
    channel = gateway_channel()
    sent = 0
    for invitation in pending:
        with transaction.atomic():
            claimed = Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=True).update(sent_at=timezone.now())
            if not claimed:
                continue
            key = f"events.invitation.{invitation.pk}"
            url = reverse("events:invitation-answer", args=[invitation.pk])
            title = _("Invitation: %(title)s") % {"title": event.title}
            body = _("%(when)s at %(venue)s. Please answer whether you attend and name your delegates.") % {
                "when": when,
                "venue": event.venue,
            }
            users = User.objects.filter(pk__in=reps.get(invitation.organisation_id or 0, []))
            notify(users=users, key=key, title=title, body=body, url=url)
            if invitation.email:
                letter = absolute_url(reverse("events:invitation-letter", args=[invitation.pk]))
                greeting = _("Dear %(addressee)s,") % {"addressee": invitation.addressee}
                links = _("Invitation letter: %(letter)s\nAnswer: %(answer)s") % {
                    "letter": letter,
                    "answer": absolute_url(url),
                }
                message_send(
                    channel=OutboundMessage.Channel.EMAIL,
                    recipients=[invitation.email],
                    subject=title,
                    body=f"{greeting}\n\n{title}\n{body}\n\n{links}\n",
                    key=key,
                )
            if channel and invitation.phone:
                gateway_send(
                    channel=channel,
                    recipient=invitation.phone,
                    body=f"{title}. {body} {absolute_url(url)}"[:600],
                    key=key,
                )
            sent += 1
    return sent


@transaction.atomic
def invitations_send(*, by: User, event: Event, invitation_ids: Sequence[int] | None = None) -> int:
    """Queue the sending of the event's unsent invitations (or those of ``invitation_ids``) as
    background tasks in batches; returns how many are queued. The invitations page shows progress."""
    permissions.require_edit(by, event)
    if event.status not in (Event.Status.PUBLISHED, Event.Status.RUNNING):
        from django.core.exceptions import ValidationError

        raise ValidationError(_("Publish the event before sending its invitations."))
    queryset = event.invitations.filter(sent_at__isnull=True)
    if invitation_ids is not None:
        queryset = queryset.filter(pk__in=list(invitation_ids))
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    record(
        action="events.invitations.send",
        obj=event,
        actor=by,
        region_code=event.region.code,
        changes={"count": len(ids)},
    )
    if ids:
        from sinergi.events.tasks_plan import send_invitations

        def enqueue() -> None:
            for start in range(0, len(ids), SEND_BATCH):
                send_invitations.enqueue(event_id=event.pk, invitation_ids=ids[start : start + SEND_BATCH])

        transaction.on_commit(enqueue)
    return len(ids)


def notify_cancelled(*, event: Event) -> None:
    """Tell the invited representatives and the registered participants that the event is cancelled."""
    title = _("Cancelled: %(title)s") % {"title": event.title}
    body = event.cancel_reason
    org_ids = event.invitations.filter(organisation__isnull=False).values_list("organisation_id", flat=True)
    user_ids = [uid for ids in representatives(org_ids).values() for uid in ids]
    notify(
        users=User.objects.filter(pk__in=user_ids),
        key=f"events.cancelled.{event.pk}",
        title=title,
        body=body,
        url=reverse("events:detail", args=[event.pk]),
    )
    emails = event.participants.exclude(status=Participant.Status.CANCELLED).exclude(email="")
    message_send(
        channel=OutboundMessage.Channel.EMAIL,
        recipients=emails.values_list("email", flat=True),
        subject=title,
        body=f"{title}\n{body}\n",
        key=f"events.cancelled.{event.pk}",
    )


def notify_promoted(*, event: Event, participants: Sequence[Participant]) -> None:
    """Tell each participant who moved up from the waiting list that they now have a place."""
    channel = gateway_channel()
    for participant in participants:
        key = f"events.promoted.{participant.pk}"
        text = _("A place has become free: %(name)s is now registered for %(title)s (%(when)s).") % {
            "name": participant.full_name,
            "title": event.title,
            "when": _when(event),
        }
        link = participant_page_url(participant)
        if participant.email:
            message_send(
                channel=OutboundMessage.Channel.EMAIL,
                recipients=[participant.email],
                subject=_("Registered: %(title)s") % {"title": event.title},
                body=f"{text}\n{link}\n",
                key=key,
            )
        if channel and participant.phone:
            gateway_send(channel=channel, recipient=participant.phone, body=f"{text} {link}"[:600], key=key)
        if participant.user_id:
            notify(
                users=User.objects.filter(pk=participant.user_id),
                key=key,
                title=_("Registered: %(title)s") % {"title": event.title},
                body=text,
                url=reverse("events:detail", args=[event.pk]),
            )
