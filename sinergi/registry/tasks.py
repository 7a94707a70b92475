"""Scheduled work of the register: reminders before an Ormas registration (SKT), a document or an
officer's term expires.

Each organisation kind says how many days ahead to remind (``OrganisationKind.reminder_days``).
Who is told:

- the responsible staff: the active operators and administrators of the nearest unit above the
  organisation that has any (``selectors.responsible_staff``): the kelurahan office for an RT, RW,
  LMK or a kelurahan-level PKK; the kecamatan office for a kecamatan-level one; the city office for
  an Ormas registered at city level; the province (Kesbangpol) only where no nearer unit has staff;
- the organisation's own representatives (role ``org_representative``).

Both in the inbox and by e-mail, once per item and expiry date (the notification key names both): a
second run the same day, or the next day, tells nobody twice, while a renewed document or a new
term with a new date is reminded again. Organisations are read in chunks of ``CHUNK`` ids, each
handled by its own task, so no run holds the whole register in memory.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.db.models import Max
from django.tasks import task
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from sinergi.accounts.models import Role, User
from sinergi.core.context import acting_as
from sinergi.notifications.models import Notification
from sinergi.notifications.services import notify
from sinergi.registry import selectors
from sinergi.registry.models import Organisation, OrganisationKind
from sinergi.registry.selectors import ExpiryItem

CHUNK = 300


@task
def send_expiry_reminders() -> int:
    """Daily: queue one reminder run per chunk of active organisations; returns how many chunks."""
    today = timezone.localdate().isoformat()
    active = Organisation.objects.filter(status=Organisation.Status.ACTIVE).order_by("pk")
    chunks, last = 0, 0
    while ids := list(active.filter(pk__gt=last).values_list("pk", flat=True)[:CHUNK]):
        remind_expiring.enqueue(organisation_ids=ids, on=today)
        chunks, last = chunks + 1, ids[-1]
    return chunks


@task
def remind_expiring(organisation_ids: list[int], on: str) -> int:
    """Remind about what expires in these organisations, as seen on day ``on``; safe to run twice."""
    with acting_as(None, channel="task"), translation.override(settings.LANGUAGE_CODE):
        return expiry_reminders_send(organisation_ids=organisation_ids, today=datetime.date.fromisoformat(on))


def reminder_key(item: ExpiryItem) -> str:
    """One key per expiring thing and expiry date: ``registry.expiry:document:12:2027-01-31``."""
    return f"registry.expiry:{item.what}:{item.obj.pk}:{item.expires_on.isoformat()}"


def _message(item: ExpiryItem) -> tuple[str, str]:
    organisation = item.organisation
    when = formats.date_format(item.expires_on, "DATE_FORMAT")
    title = _("%(organisation)s: %(what)s expires on %(date)s") % {
        "organisation": organisation,
        "what": item.label,
        "date": when,
    }
    body = _(
        "%(what)s of %(organisation)s (%(kind)s, %(region)s) expires on %(date)s. "
        "Renew it, or record the new one in Sinergi, before it lapses."
    ) % {
        "what": item.label,
        "organisation": organisation,
        "kind": organisation.kind,
        "region": organisation.region,
        "date": when,
    }
    return title, body


def expiry_reminders_send(*, organisation_ids: list[int], today: datetime.date) -> int:
    """Notify staff and representatives of each item of these organisations that expires within its
    kind's reminder days and was not reminded yet; returns how many notifications were new."""
    longest = OrganisationKind.objects.aggregate(days=Max("reminder_days"))["days"] or 0
    candidates = selectors.expiring_items(
        organisations=Organisation.objects.filter(pk__in=organisation_ids),
        today=today,
        until=today + datetime.timedelta(days=longest),
    )
    due = {
        reminder_key(item): item
        for item in candidates
        if item.expires_on <= today + datetime.timedelta(days=item.organisation.kind.reminder_days)
    }
    # An item reminded before (to anyone) is done; only new items need recipients worked out.
    done = set(Notification.objects.filter(key__in=list(due)).values_list("key", flat=True).distinct())
    pending = {key: item for key, item in due.items() if key not in done}
    if not pending:
        return 0

    representatives: dict[int, set[int]] = defaultdict(set)
    for organisation_id, user_id in Role.objects.filter(
        kind=Role.Kind.ORG_REPRESENTATIVE,
        is_active=True,
        organisation_id__in={item.organisation.pk for item in pending.values()},
    ).values_list("organisation_id", "user_id"):
        representatives[organisation_id].add(user_id)
    staff: dict[str, set[int]] = {}  # organisations in one region share their responsible staff

    created = 0
    for key, item in pending.items():
        organisation = item.organisation
        code = organisation.region.code
        if code not in staff:
            staff[code] = set(selectors.responsible_staff(organisation).values_list("pk", flat=True))
        recipients = staff[code] | representatives[organisation.pk]
        title, body = _message(item)
        created += notify(
            users=User.objects.filter(pk__in=recipients),
            key=key,
            title=title,
            body=body,
            url=f"/register/{organisation.pk}/",
        )
    return created
