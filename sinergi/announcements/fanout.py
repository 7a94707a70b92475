"""The fan-out of an announcement, and the tallies its progress page reads.

Built to survive a worker killed midway: sending writes one ``FanoutBatch`` per batch of
organisations and enqueues a task per batch (``services.announcement_send``). A batch locks its row
(two runs of it take turns), creates its deliveries with one INSERT ... SELECT ... ON CONFLICT DO
NOTHING against the unique (announcement, organisation) constraint, then tells the representatives
of the deliveries not yet told (``Delivery.notified_at``), marks them told and recounts the tallies
of its areas in the same transaction. Notifications are unique per user and key and outbound
messages per channel, recipient and key, so a batch run twice (or re-enqueued by
``services.fanout_resume``) sends nothing twice. ``tally_add`` keeps the tallies as organisations
read, acknowledge and relay.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import Greatest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from sinergi.accounts.models import Role
from sinergi.announcements.models import (
    CITY_LENGTH,
    DISTRICT_LENGTH,
    Announcement,
    Delivery,
    DeliveryMessage,
    DeliveryTally,
    FanoutBatch,
    area_columns,
)
from sinergi.audit.services import record
from sinergi.core import sql
from sinergi.notifications.models import Notification, OutboundMessage
from sinergi.notifications.services import absolute_url, message_send
from sinergi.registry.models import Organisation, OrganisationKind
from sinergi.territory.models import Region


def _excerpt(announcement: Announcement) -> str:
    return Truncator(strip_tags(announcement.body).replace("&nbsp;", " ")).chars(300)


def fanout_batch_run(*, batch_id: int) -> int:
    """Deliver one batch: create its deliveries, tell the representatives not told yet, recount the
    tallies of its areas, and update the announcement's progress. Returns how many deliveries were
    told in this run."""
    batch = FanoutBatch.objects.select_related("announcement__unit__region").filter(pk=batch_id).first()
    if batch is None or batch.status == FanoutBatch.Status.DONE:
        return 0
    announcement = batch.announcement
    if announcement.status not in (Announcement.Status.SENDING, Announcement.Status.SENT):
        return 0
    FanoutBatch.objects.filter(pk=batch.pk).update(attempts=F("attempts") + 1)
    with transaction.atomic():
        # Two runs of one batch at once (its task enqueued again while the first still runs) take
        # turns here, and the second finds the batch done.
        if not FanoutBatch.objects.select_for_update().filter(pk=batch.pk, status=FanoutBatch.Status.PENDING).exists():
            return 0
        now = timezone.now()
        _deliveries_insert(announcement, batch.organisation_ids, now)
        rows = list(
            Delivery.objects.filter(announcement=announcement, organisation_id__in=batch.organisation_ids).values_list(
                "pk", "organisation_id", "area_code", "notified_at"
            )
        )
        # The batch's lock keeps every other run of it out: the deliveries not told yet are this run's.
        pending = [(pk, org) for pk, org, _area, told in rows if told is None]
        tell(announcement, pending, purpose=DeliveryMessage.Purpose.ANNOUNCEMENT, sequence=0)
        Delivery.objects.filter(pk__in=[pk for pk, _org in pending]).update(notified_at=now)
        FanoutBatch.objects.filter(pk=batch.pk).update(status=FanoutBatch.Status.DONE, done_at=now)
        _tallies_recount(announcement.pk, {area for _pk, _org, area, _told in rows})
        record(
            action="announcements.fanout.batch",
            obj=announcement,
            changes={"batch": [None, batch.number], "told": [0, len(pending)]},
            region_code=announcement.unit.region.code,
        )
    _update_progress(announcement.pk)
    return len(pending)


def _deliveries_insert(announcement: Announcement, organisation_ids: list[int], now: datetime.datetime) -> None:
    """Create the missing deliveries of these organisations with one INSERT ... SELECT from the
    register: a model instance and its field conversions per row were most of the fan-out's time at
    33,000 recipients. ON CONFLICT DO NOTHING against the unique (announcement, organisation)
    constraint keeps a batch run twice from delivering twice; the columns not read from the register
    take their fields' defaults, so a field added later needs no change here."""
    if not organisation_ids:
        return
    quote = connection.ops.quote_name
    from_register = {
        "organisation": "o.id",
        "area_code": "r.code",
        "city_code": f"substr(r.code, 1, {CITY_LENGTH})",
        "district_code": f"substr(r.code, 1, {DISTRICT_LENGTH})",
        "kind_code": "k.code",
    }
    # One parameter for the whole list of ids: binding a placeholder per id costs more than the insert.
    ids: list[int] | str
    if connection.vendor == "postgresql":
        wanted, ids = "= ANY(%s)", list(organisation_ids)
    else:
        wanted, ids = "IN (SELECT value FROM json_each(%s))", json.dumps(list(organisation_ids))
    source = (
        f"{quote(Organisation._meta.db_table)} o JOIN {quote(Region._meta.db_table)} r ON r.id = o.region_id "
        f"JOIN {quote(OrganisationKind._meta.db_table)} k ON k.id = o.kind_id WHERE o.id {wanted}"
    )
    statement, params = sql.insert(
        Delivery(announcement=announcement, delivered_at=now), expressions=from_register, source=source
    )
    statement += " ON CONFLICT (announcement_id, organisation_id) DO NOTHING"
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, ids])


def _tallies_recount(announcement_id: int, areas: Iterable[str]) -> None:
    """Count the deliveries of ``announcement_id`` in these areas again, into their tallies.

    The tally rows are made when missing and locked before counting, in code order: an increment
    (``_tally_add``) waiting on a lock lands after this count, a count waiting on one sees the
    increment once it is committed, and two batches recounting the same kelurahan never deadlock."""
    codes = sorted(set(areas))
    if not codes:
        return
    DeliveryTally.objects.bulk_create(
        [DeliveryTally(announcement_id=announcement_id, **area_columns(code)) for code in codes], ignore_conflicts=True
    )
    tallies = dict(
        DeliveryTally.objects.select_for_update()
        .filter(announcement_id=announcement_id, area_code__in=codes)
        .order_by("area_code")
        .values_list("area_code", "pk")
    )
    counts = (
        Delivery.objects.filter(announcement_id=announcement_id, area_code__in=codes)
        .values("area_code")
        .annotate(
            total=Count("pk"),
            read=Count("read_at"),
            acknowledged=Count("acknowledged_at"),
            relayed=Count("relayed_at"),
            reached=Sum("residents_reached"),
        )
        .order_by()
    )
    found = {row["area_code"]: row for row in counts}
    empty = {"total": 0, "read": 0, "acknowledged": 0, "relayed": 0, "reached": 0}
    rows = []
    for code, pk in tallies.items():
        row = found.get(code, empty)
        rows.append(
            DeliveryTally(
                pk=pk,
                total=row["total"],
                read=row["read"],
                acknowledged=row["acknowledged"],
                relayed=row["relayed"],
                reached=row["reached"] or 0,
            )
        )
    DeliveryTally.objects.bulk_update(rows, ["total", "read", "acknowledged", "relayed", "reached"])


@transaction.atomic
def delivery_tallies_recount(*, announcement: Announcement) -> None:
    """Rebuild the tallies of ``announcement`` from its deliveries, after deliveries were changed in
    bulk outside the services (the demo data, a benchmark); areas left without deliveries go."""
    areas = set(Delivery.objects.filter(announcement=announcement).values_list("area_code", flat=True).distinct())
    areas.update(DeliveryTally.objects.filter(announcement=announcement).values_list("area_code", flat=True))
    _tallies_recount(announcement.pk, areas)
    DeliveryTally.objects.filter(announcement=announcement, total=0).delete()


def tally_add(delivery: Delivery, **counts: int) -> None:
    """Add to the tally of ``delivery``'s area, in the caller's transaction. A delivery written
    outside the fan-out may have no tally yet: then its area is counted."""
    changes = {name: F(name) + n for name, n in counts.items() if n}
    if not changes:
        return
    if not DeliveryTally.objects.filter(announcement_id=delivery.announcement_id, area_code=delivery.area_code).update(
        **changes
    ):
        _tallies_recount(delivery.announcement_id, [delivery.area_code])


def _update_progress(announcement_id: int) -> None:
    """Counters recomputed rather than incremented, so a batch run twice counts once;
    ``recipients_total`` never falls below what was delivered (the check constraint holds)."""
    done = FanoutBatch.objects.filter(announcement_id=announcement_id, status=FanoutBatch.Status.DONE).count()
    delivered = DeliveryTally.objects.filter(announcement_id=announcement_id).aggregate(n=Sum("total"))["n"] or 0
    Announcement.objects.filter(pk=announcement_id).update(
        batches_done=done, deliveries_done=delivered, recipients_total=Greatest(F("recipients_total"), delivered)
    )
    Announcement.objects.filter(
        pk=announcement_id, status=Announcement.Status.SENDING, batches_done=F("batches_total")
    ).update(status=Announcement.Status.SENT, finished_at=timezone.now())


def tell(announcement: Announcement, deliveries: list[tuple[int, int]], *, purpose: str, sequence: int) -> None:
    """Tell the representatives of these (delivery id, organisation id) pairs: an inbox entry per
    representative and delivery, an e-mail per address, and with ``send_gateway`` a WhatsApp message
    per organisation phone; each also logged as a ``DeliveryMessage`` of the delivery."""
    if not deliveries:
        return
    by_org = {org: pk for pk, org in deliveries}
    reps: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for org_id, user_id, email in Role.objects.filter(
        kind=Role.Kind.ORG_REPRESENTATIVE, is_active=True, user__is_active=True, organisation_id__in=list(by_org)
    ).values_list("organisation_id", "user_id", "user__email"):
        reps[org_id].append((user_id, email))
    reminder = purpose == DeliveryMessage.Purpose.REMINDER
    title = (_("Reminder: %(title)s") if reminder else _("Announcement: %(title)s")) % {"title": announcement.title}
    title = title[:200]
    excerpt = _excerpt(announcement)
    now = timezone.now()
    notifications: list[Notification] = []
    messages: list[DeliveryMessage] = []
    emails: dict[str, list[int]] = defaultdict(list)
    # One reverse() for the batch, not one per delivery: the link differs only by the delivery's id.
    marker = 987654321
    link = reverse("announcements:delivery", args=[marker])
    for org_id, users in reps.items():
        delivery_pk = by_org[org_id]
        url = link.replace(str(marker), str(delivery_pk))
        key = f"announcements.{purpose}:{delivery_pk}:{sequence}"
        for user_id, email in users:
            notifications.append(
                Notification(user_id=user_id, key=key, title=title, body=excerpt, url=url, created_at=now)
            )
            messages.append(
                DeliveryMessage(
                    delivery_id=delivery_pk,
                    channel=DeliveryMessage.Channel.IN_APP,
                    purpose=purpose,
                    sequence=sequence,
                    recipient=str(user_id),
                    created_at=now,
                )
            )
            if email:
                emails[email].append(delivery_pk)
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    key = f"announcements.{purpose}:{announcement.pk}:{sequence}"
    outbound: dict[tuple[str, str], int] = {}
    if emails:
        mail = render_to_string(
            "notifications/email/notification.txt",
            {"title": title, "body": excerpt, "link": absolute_url(reverse("announcements:inbox"))},
        )
        message_send(channel=OutboundMessage.Channel.EMAIL, recipients=list(emails), subject=title, body=mail, key=key)
    phones: dict[str, list[int]] = defaultdict(list)
    if announcement.send_gateway and not reminder:
        for org_id, phone in (
            Organisation.objects.filter(pk__in=list(by_org)).exclude(phone="").values_list("pk", "phone")
        ):
            phones[phone.strip()].append(by_org[org_id])
        if phones:
            text = _("%(sender)s: %(title)s. Read it in Sinergi: %(link)s") % {
                "sender": announcement.unit.short_name or announcement.unit.name,
                "title": announcement.title,
                "link": absolute_url(reverse("announcements:inbox")),
            }
            message_send(channel=OutboundMessage.Channel.WHATSAPP, recipients=list(phones), body=text, key=key)
    for channel, recipients in ((OutboundMessage.Channel.EMAIL, emails), (OutboundMessage.Channel.WHATSAPP, phones)):
        if recipients:
            outbound.update(
                ((channel, r), pk)
                for r, pk in OutboundMessage.objects.filter(
                    channel=channel, key=key, recipient__in=list(recipients)
                ).values_list("recipient", "pk")
            )
            for recipient, delivery_pks in recipients.items():
                messages.extend(
                    DeliveryMessage(
                        delivery_id=delivery_pk,
                        channel=channel,
                        purpose=purpose,
                        sequence=sequence,
                        recipient=recipient[:254],
                        outbound_id=outbound.get((channel, recipient)),
                        created_at=now,
                    )
                    for delivery_pk in delivery_pks
                )
    DeliveryMessage.objects.bulk_create(messages, ignore_conflicts=True)
