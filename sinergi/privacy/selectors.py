"""Reads for data-subject requests: who may handle a person's request, and everything Sinergi holds
about a person with the trail of who processed it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from sinergi.audit.models import AuditEvent
from sinergi.privacy.models import DataSubjectRequest
from sinergi.registry import nik as nik_tools
from sinergi.registry.models import ChangeRequest, Officer, Person

if TYPE_CHECKING:
    from sinergi.accounts.models import User

# ``nik_hash`` of an anonymised person: not hexadecimal, so it never equals the HMAC of a real NIK.
TOMBSTONE_PREFIX = "anon-"


def is_anonymised(person: Person) -> bool:
    return person.nik_hash.startswith(TOMBSTONE_PREFIX)


def administers_person(user: User, person: Person) -> bool:
    """An administrator of the person's domicile or of an organisation where they hold or held a post."""
    if not user.is_authenticated or not user.is_active:
        return False
    if person.region is not None and user.can_administer(person.region):
        return True
    posts = Officer.objects.filter(person=person).select_related("organisation__region")
    return any(user.can_administer(post.organisation.region) for post in posts)


def request_list(*, user: User) -> QuerySet[DataSubjectRequest]:
    """The requests the user handles, newest first."""
    return DataSubjectRequest.objects.visible_to(user).select_related("person", "recorded_by")


def current_posts(person: Person) -> QuerySet[Officer]:
    """Posts the person holds today or is appointed to from a later day (not ended, term not over)."""
    today = timezone.localdate()
    return (
        Officer.objects.filter(person=person, term_end__gte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .select_related("organisation")
    )


def _value(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def person_data(*, person: Person) -> dict[str, Any]:
    """Everything Sinergi holds about ``person`` (the NIK in full) and every audit event about them,
    their posts and their requests: the answer to an access request (UU 27/2022 art. 7, 32)."""
    posts = list(
        Officer.objects.filter(person=person)
        .select_related("organisation__kind", "organisation__region")
        .order_by("term_start", "pk")
    )
    organisations = {post.organisation_id: post.organisation for post in posts}
    post_ids = [post.pk for post in posts]
    # Change requests name a person by id (a proposed appointment) or one of their posts (a proposed end).
    change_requests = ChangeRequest.objects.filter(
        Q(payload__person_id=person.pk) | Q(kind=ChangeRequest.Kind.OFFICER_END, payload__officer_id__in=post_ids)
    ).select_related("organisation", "submitted_by", "decided_by")
    request_ids = [str(pk) for pk in person.data_requests.values_list("pk", flat=True)]
    trail = AuditEvent.objects.filter(
        Q(object_type="registry.person", object_id=str(person.pk))
        | Q(object_type="registry.officer", object_id__in=[str(pk) for pk in post_ids])
        | Q(object_type="privacy.datasubjectrequest", object_id__in=request_ids)
    ).order_by("created_at", "pk")
    return {
        "person": {
            "id": person.pk,
            "full_name": person.full_name,
            "nik": "" if is_anonymised(person) else nik_tools.decrypt_nik(person.nik_encrypted),
            "sex": person.get_sex_display(),
            "birth_date": _value(person.birth_date),
            "phone": person.phone,
            "email": person.email,
            "address": person.address,
            "domicile": f"{person.region.code} {person.region.name}" if person.region else "",
            "rt": str(person.rt) if person.rt else "",
            "created_at": _value(person.created_at),
            "updated_at": _value(person.updated_at),
        },
        "posts": [
            {
                "id": post.pk,
                "organisation": post.organisation.name,
                "position": post.get_position_display(),
                "title": post.position_title,
                "sk_number": post.sk_number,
                "sk_date": _value(post.sk_date),
                "sk_issuer": post.sk_issuer,
                "term_start": _value(post.term_start),
                "term_end": _value(post.term_end),
                "acting": post.is_acting,
                "no_party_statement": post.no_party_statement,
                "ended_on": _value(post.ended_on),
                "end_reason": post.get_end_reason_display() if post.end_reason else "",
            }
            for post in posts
        ],
        "organisations": [
            {
                "id": organisation.pk,
                "name": organisation.name,
                "kind": organisation.kind.name,
                "territory": f"{organisation.region.code} {organisation.region.name}",
            }
            for organisation in organisations.values()
        ],
        "change_requests": [
            {
                "id": change.pk,
                "organisation": change.organisation.name,
                "kind": change.get_kind_display(),
                "status": change.get_status_display(),
                "submitted_by": str(change.submitted_by),
                "submitted_at": _value(change.submitted_at),
                "decided_by": str(change.decided_by) if change.decided_by else "",
                "decided_at": _value(change.decided_at),
                # The proposal as stored, less the encrypted NIK of a proposed new person.
                "proposal": {k: v for k, v in change.payload.items() if k != "nik_encrypted"},
            }
            for change in change_requests
        ],
        "processing": [
            {
                "time": _value(event.created_at),
                "actor": event.actor_label or "Sinergi",
                "action": event.action,
                "object": f"{event.object_type} {event.object_id}",
                "channel": event.get_channel_display(),
                "fields": sorted(event.changes),
                "changes": event.changes,
            }
            for event in trail
        ],
    }
