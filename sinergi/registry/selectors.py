"""Reads of the register. Everything starts from the user's scope (``visible_to``); a missing
object and one out of scope both answer 404.

Lists run a fixed number of queries whatever their length, and search stays on indexed paths where
it can: a 16-digit query is a NIK, found by its keyed hash through the unique index; an
organisation's name or abbreviation is looked up by its words in a full-text index; an officer's
name is looked up in the full-text index of persons' names (word beginnings), whose few ids then
join officers by their person index, rather than reading 200,000 names for every page.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connections
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.accounts.models import Role
from sinergi.registry import nik as nik_tools
from sinergi.registry import permissions
from sinergi.registry.models import (
    ActivityReport,
    ChangeRequest,
    CoachingNote,
    Document,
    Officer,
    Organisation,
    OrganisationKind,
    OrmasProfile,
    Person,
    Sanction,
    organisation_scope,
)
from sinergi.territory.models import code_q

if TYPE_CHECKING:
    from sinergi.accounts.models import User

NIK_QUERY = re.compile(r"\d{16}")

# What the "missing data" filter can look for.
MISSING_CHOICES = [
    ("chair", gettext_lazy("No current chair")),
    ("contact", gettext_lazy("No phone or e-mail")),
    ("address", gettext_lazy("No address")),
    ("location", gettext_lazy("No map point")),
    ("registration", gettext_lazy("Ormas without registration number")),
    ("documents", gettext_lazy("No documents")),
]


def _current_officers(today: datetime.date) -> Q:
    return Q(ended_on__isnull=True, term_start__lte=today, term_end__gte=today)


def person_ids_named(q: str, *, using: str = "default") -> Any:
    """The ids of persons with a word in their name beginning with each word of ``q``, for
    ``pk__in``: ``slamet hak`` finds Slamet Hakim and Hakim bin Slamet.

    It reads the full-text index of migration 0003 (FTS5 on SQLite, a tsvector GIN index on
    PostgreSQL) instead of every row; another database gets a plain substring search.
    """
    words = re.findall(r"\w+", q.lower())
    vendor = connections[using].vendor
    if not words:
        return Person.objects.none().values("pk")
    if vendor == "sqlite":
        # Each word is quoted (it holds only word characters) and searched as a prefix.
        match = " AND ".join(f'"{word}"*' for word in words)
        return RawSQL(
            "SELECT rowid FROM registry_person_name_search WHERE registry_person_name_search MATCH %s", [match]
        )
    if vendor == "postgresql":
        query = " & ".join(f"{word}:*" for word in words)
        return RawSQL(
            "SELECT id FROM registry_person WHERE to_tsvector('simple'::regconfig, full_name) "
            "@@ to_tsquery('simple'::regconfig, %s)",
            [query],
        )
    return Person.objects.filter(full_name__icontains=q).values("pk")


def organisation_ids_named(q: str, *, using: str = "default") -> Any:
    """The ids of organisations whose name or abbreviation holds the words of ``q`` in that order,
    the last one as a word beginning, for ``pk__in``: ``pasar ba`` finds "Kelurahan Pasar Baru",
    ``RT 001`` finds "RT 001/RW 001" (not "RT 002/RW 001"), ``baru`` does not find "Pembaruan".

    It reads the full-text index of migration 0004 (FTS5 on SQLite, a tsvector GIN index on
    PostgreSQL) instead of every row; another database gets a plain substring search.
    """
    words = re.findall(r"\w+", q.lower())
    vendor = connections[using].vendor
    if not words:
        return Organisation.objects.none().values("pk")
    if vendor == "sqlite":
        # One phrase (its words hold only word characters), its last word a prefix.
        match = '"{}"*'.format(" ".join(words))
        return RawSQL(
            "SELECT rowid FROM registry_organisation_name_search WHERE registry_organisation_name_search MATCH %s",
            [match],
        )
    if vendor == "postgresql":
        query = " <-> ".join([*words[:-1], f"{words[-1]}:*"])
        return RawSQL(
            # The expression of migration 0004's GIN index, verbatim, or the index is not used.
            "SELECT id FROM registry_organisation WHERE to_tsvector('simple'::regconfig, "
            "translate(name || ' ' || abbreviation, '/.', '  ')) @@ to_tsquery('simple'::regconfig, %s)",
            [query],
        )
    return Organisation.objects.filter(Q(name__icontains=q) | Q(abbreviation__icontains=q)).values("pk")


def _search(queryset: QuerySet[Organisation], q: str) -> QuerySet[Organisation]:
    if NIK_QUERY.fullmatch(q):
        holders = Person.objects.filter(nik_hash=nik_tools.nik_hash(q)).values("pk")
        posts = Officer.objects.filter(person__in=holders, ended_on__isnull=True).values("organisation_id")
        # Both sides as id subqueries: an OR with the joined ormas column made the database read every
        # organisation (27 ms on SQLite, 69 ms on PostgreSQL at Jakarta scale, against 3 and 26 ms).
        registered = OrmasProfile.objects.filter(registration_number=q).values("organisation_id")
        return queryset.filter(Q(pk__in=posts) | Q(pk__in=registered))
    posts = Officer.objects.filter(person_id__in=person_ids_named(q, using=queryset.db), ended_on__isnull=True).values(
        "organisation_id"
    )
    registrations = OrmasProfile.objects.filter(registration_number__icontains=q).values("organisation_id")
    named = organisation_ids_named(q, using=queryset.db)
    return queryset.filter(Q(pk__in=named) | Q(pk__in=registrations) | Q(pk__in=posts))


def _expiring(queryset: QuerySet[Organisation], today: datetime.date, until: datetime.date) -> QuerySet[Organisation]:
    registrations = OrmasProfile.objects.filter(registration_expires_on__range=(today, until)).values("organisation_id")
    documents = _latest_documents().filter(valid_until__range=(today, until)).values("organisation_id")
    terms = _last_terms().filter(term_end__range=(today, until))
    if connections[queryset.db].vendor == "sqlite":
        # Checking the successor of every officer whose term ends in the window, in every
        # organisation, took SQLite ~110 ms at Jakarta scale; asked per organisation already
        # filtered, through the Officer(organisation, position) index, 25 to 35 ms.
        ending = Exists(terms.filter(organisation=OuterRef("pk")))
        return queryset.filter(Q(pk__in=registrations) | Q(pk__in=documents) | ending)
    # PostgreSQL is slower with Exists (2 to 5 times); it takes an id list of the terms in the
    # organisations already filtered (Ormas: 60 ms instead of 160; the whole register: 250 instead of 200).
    terms_ids = terms.filter(organisation__in=queryset.values("pk")).values("organisation_id")
    return queryset.filter(Q(pk__in=registrations) | Q(pk__in=documents) | Q(pk__in=terms_ids))


def _latest_documents() -> QuerySet[Document]:
    """Documents not superseded by a later one of the same type (a renewed SKT replaces the old)."""
    newer = Document.objects.filter(organisation=OuterRef("organisation"), type=OuterRef("type")).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gt=OuterRef("valid_until"))
    )
    return Document.objects.filter(valid_until__isnull=False).filter(~Exists(newer))


def _last_terms() -> QuerySet[Officer]:
    """Officers still in their post with no successor appointed to it yet."""
    successor = Officer.objects.filter(
        organisation=OuterRef("organisation"), position=OuterRef("position"), term_start__gt=OuterRef("term_start")
    )
    return Officer.objects.filter(ended_on__isnull=True).filter(~Exists(successor))


def _missing(queryset: QuerySet[Organisation], missing: str, today: datetime.date) -> QuerySet[Organisation]:
    if missing == "chair":
        chair = Officer.objects.filter(_current_officers(today), organisation=OuterRef("pk"), position="ketua")
        return queryset.filter(~Exists(chair))
    if missing == "contact":
        return queryset.filter(phone="", email="")
    if missing == "address":
        return queryset.filter(address="")
    if missing == "location":
        return queryset.filter(Q(latitude__isnull=True) | Q(longitude__isnull=True))
    if missing == "registration":
        registered = OrmasProfile.objects.filter(organisation=OuterRef("pk")).exclude(registration_number="")
        return queryset.filter(kind__is_ormas=True).filter(~Exists(registered))
    if missing == "documents":
        return queryset.filter(~Exists(Document.objects.filter(organisation=OuterRef("pk"))))
    raise ValueError(f"unknown missing-data filter {missing!r}")


def organisation_list(
    *,
    user: User,
    q: str = "",
    kind: OrganisationKind | str | None = None,
    region_code: str | None = None,
    status: str | None = None,
    expiring_days: int | None = None,
    missing: str | None = None,
) -> QuerySet[Organisation]:
    """The organisations ``user`` sees, filtered and in register order (territory, kind, name).

    ``q`` matches the words of the name or abbreviation in order, the last one by its beginning
    (``organisation_ids_named``), anywhere in the Ormas registration number, and the word
    beginnings of current officers' names (``person_ids_named``); a 16-digit ``q`` matches the
    exact NIK of a current officer. ``kind`` is a kind or its code;
    ``region_code`` keeps that region and everything below it; ``expiring_days`` keeps those with an
    Ormas registration, a document or an officer's term ending within that many days; ``missing``
    is one of ``MISSING_CHOICES``. Each row carries ``current_chairs`` (prefetched, one query a page).
    """
    today = timezone.localdate()
    queryset: QuerySet[Organisation] = Organisation.objects.visible_to(user).select_related(
        "kind", "region", "rw", "rt__rw", "ormas"
    )
    q = q.strip()
    if q:
        queryset = _search(queryset, q)
    if kind:
        queryset = queryset.filter(kind__code=kind) if isinstance(kind, str) else queryset.filter(kind=kind)
    if region_code:
        queryset = queryset.filter(code_q([region_code], "region__code"))
    if status:
        queryset = queryset.filter(status=status)
    if expiring_days is not None:
        queryset = _expiring(queryset, today, today + datetime.timedelta(days=expiring_days))
    if missing:
        queryset = _missing(queryset, missing, today)
    chairs = (
        Officer.objects.filter(_current_officers(today), position=Officer.Position.CHAIR)
        .select_related("person")
        .order_by("-term_start")
    )
    return queryset.prefetch_related(Prefetch("officers", queryset=chairs, to_attr="current_chairs"))


def organisation_get(*, user: User, pk: int) -> Organisation:
    """One organisation the user sees, with its kind and place; 404 otherwise."""
    organisation = (
        Organisation.objects.visible_to(user)
        .select_related("kind", "region", "rw", "rt__rw", "parent", "ormas")
        .filter(pk=pk)
        .first()
    )
    if organisation is None:
        raise Http404(_("No such organisation."))
    return organisation


@dataclass
class OrganisationDetail:
    """Everything the organisation page shows, read in a fixed number of queries."""

    organisation: Organisation
    current_officers: list[Officer]
    past_officers: list[Officer]
    documents: list[Document]
    branches: list[Organisation]
    activities: list[ActivityReport]
    coaching_notes: list[CoachingNote] = field(default_factory=list)
    sanctions: list[Sanction] = field(default_factory=list)
    pending_requests: list[ChangeRequest] = field(default_factory=list)
    representatives: list[Role] = field(default_factory=list)
    can_edit: bool = False
    can_represent: bool = False
    can_reveal_nik: bool = False


RECENT_ACTIVITIES = 20
BRANCHES_SHOWN = 50


def organisation_detail(*, user: User, pk: int) -> OrganisationDetail:
    """The organisation page: officers (current and past), documents, branches, recent activities,
    and for an Ormas its coaching notes and sanctions; for those who decide, pending requests."""
    organisation = organisation_get(user=user, pk=pk)
    today = timezone.localdate()
    officers = list(organisation.officers.select_related("person").order_by("position", "-term_start"))
    can_edit = permissions.can_edit(user, organisation)
    can_represent = permissions.can_represent(user, organisation)
    detail = OrganisationDetail(
        organisation=organisation,
        current_officers=[o for o in officers if o.is_current(today)],
        past_officers=[o for o in officers if not o.is_current(today)],
        documents=list(organisation.documents.order_by("type", "-issued_on", "-id")),
        branches=list(organisation.branches.select_related("kind", "region").order_by("name")[:BRANCHES_SHOWN]),
        activities=list(organisation.activity_reports.prefetch_related("photos")[:RECENT_ACTIVITIES]),
        can_edit=can_edit,
        can_represent=can_represent,
        can_reveal_nik=permissions.can_reveal_nik(user),
    )
    if organisation.kind.is_ormas:
        detail.coaching_notes = list(organisation.coaching_notes.all())
        detail.sanctions = list(organisation.sanctions.order_by("issued_on", "step", "id"))
    if can_edit or can_represent:
        detail.pending_requests = list(
            organisation.change_requests.filter(status=ChangeRequest.Status.PENDING).select_related("submitted_by")
        )
    if can_edit:
        detail.representatives = list(
            organisation.roles.filter(kind=Role.Kind.ORG_REPRESENTATIVE, is_active=True).select_related("user")
        )
    return detail


@dataclass(frozen=True)
class ExpiryItem:
    """Something that expires: an Ormas registration (SKT), a document, or an officer's term."""

    what: str  # "registration", "document" or "term"
    organisation: Organisation
    expires_on: datetime.date
    label: str
    obj: Any


def expiring(*, user: User, days: int, today: datetime.date | None = None) -> list[ExpiryItem]:
    """What expires in the next ``days`` days in organisations ``user`` sees, soonest first: Ormas
    registrations, the latest document of each type, and the terms of officers with no successor."""
    today = today or timezone.localdate()
    scope = organisation_scope(user, "organisation__") or Q()
    return _expiry(scope, today, today + datetime.timedelta(days=days))


def expiring_items(
    *, organisations: QuerySet[Organisation], today: datetime.date, until: datetime.date
) -> list[ExpiryItem]:
    """What expires from ``today`` to ``until`` in the active organisations among ``organisations``,
    soonest first. The reminder task asks for batches of organisation ids."""
    return _expiry(Q(organisation__in=organisations.values("pk")), today, until)


def _expiry(scope: Q, today: datetime.date, until: datetime.date) -> list[ExpiryItem]:
    """Expiring items of active organisations matching ``scope`` (a filter through ``organisation__``)."""
    scope &= Q(organisation__status=Organisation.Status.ACTIVE)
    related = ("organisation__kind", "organisation__region")
    items = [
        ExpiryItem(
            "registration",
            profile.organisation,
            profile.registration_expires_on,
            _("Registration %(number)s") % {"number": profile.registration_number or "-"},
            profile,
        )
        for profile in OrmasProfile.objects.filter(scope, registration_expires_on__range=(today, until)).select_related(
            *related
        )
        if profile.registration_expires_on
    ]
    items += [
        ExpiryItem("document", doc.organisation, doc.valid_until, str(doc), doc)
        for doc in _latest_documents().filter(scope, valid_until__range=(today, until)).select_related(*related)
        if doc.valid_until
    ]
    items += [
        ExpiryItem(
            "term",
            officer.organisation,
            officer.term_end,
            _("Term of %(person)s, %(position)s")
            % {"person": officer.person, "position": officer.get_position_display()},
            officer,
        )
        for officer in _last_terms().filter(scope, term_end__range=(today, until)).select_related("person", *related)
    ]
    return sorted(items, key=lambda item: (item.expires_on, item.organisation.name, item.what))


def officers_ending(*, user: User, year: int) -> QuerySet[Officer]:
    """Officers still in post whose term ends in ``year``, in organisations ``user`` sees."""
    return (
        Officer.objects.filter(
            organisation_scope(user, "organisation__") or Q(),
            ended_on__isnull=True,
            term_end__range=(datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
        )
        .select_related("person", "organisation__kind", "organisation__region", "organisation__rt__rw")
        .order_by("term_end", "organisation__name", "position")
    )


def not_reported(
    *, user: User, since: datetime.date | None = None, today: datetime.date | None = None
) -> QuerySet[Organisation]:
    """Active organisations of kinds that must report activities (Ormas) with no report held on or
    after ``since``; without ``since``, within each kind's reporting period. Rows carry
    ``last_report_on``."""
    today = today or timezone.localdate()
    kinds = OrganisationKind.objects.filter(activity_report_days__isnull=False)
    if since is not None:
        late = Q(kind__in=kinds, last_report_on__isnull=True) | Q(kind__in=kinds, last_report_on__lt=since)
    else:
        late = Q(pk__in=[])
        for kind in kinds:
            assert kind.activity_report_days is not None
            cutoff = today - datetime.timedelta(days=kind.activity_report_days)
            late |= Q(kind=kind) & (Q(last_report_on__isnull=True) | Q(last_report_on__lt=cutoff))
    latest = ActivityReport.objects.filter(organisation=OuterRef("pk")).order_by("-held_on").values("held_on")[:1]
    return (
        Organisation.objects.visible_to(user)
        .filter(status=Organisation.Status.ACTIVE)
        .annotate(last_report_on=Subquery(latest))
        .filter(late)
        .select_related("kind", "region")
    )


# Persons -----------------------------------------------------------------------------------------


def person_list(*, user: User, q: str = "") -> QuerySet[Person]:
    """Persons ``user`` sees, by name or exact NIK."""
    queryset = Person.objects.visible_to(user).select_related("region")
    q = q.strip()
    if NIK_QUERY.fullmatch(q):
        return queryset.filter(nik_hash=nik_tools.nik_hash(q))
    if q:
        return queryset.filter(pk__in=person_ids_named(q, using=queryset.db))
    return queryset


def person_get(*, user: User, pk: int) -> Person:
    person = Person.objects.visible_to(user).select_related("region", "rt__rw").filter(pk=pk).first()
    if person is None:
        raise Http404(_("No such person."))
    return person


def person_by_nik(*, user: User, nik: str) -> Person | None:
    """The person with exactly this NIK, wherever they live, for staff who register persons and
    appoint officers: whoever knows the full NIK may find the person it belongs to."""
    if not permissions.can_register_person(user, None) or not NIK_QUERY.fullmatch(nik.strip()):
        return None
    return Person.objects.filter(nik_hash=nik_tools.nik_hash(nik)).first()


# Self-service ------------------------------------------------------------------------------------


def change_request_list(*, user: User, status: str | None = ChangeRequest.Status.PENDING) -> QuerySet[ChangeRequest]:
    """Change requests of organisations ``user`` sees (a representative: their own organisation's)."""
    queryset = ChangeRequest.objects.filter(organisation_scope(user, "organisation__") or Q()).select_related(
        "organisation__kind", "organisation__region", "submitted_by", "decided_by"
    )
    return queryset.filter(status=status) if status else queryset


def responsible_staff(organisation: Organisation) -> QuerySet[User]:
    """The operators and administrators of the nearest units above the organisation: the
    kelurahan office for an RT, the city office for an Ormas registered at city level."""
    from sinergi.accounts.models import User

    code = organisation.region.code
    ancestors = [code[:i] for i in range(len(code), 0, -1) if i == len(code) or code[i] == "."]
    roles = Role.objects.filter(
        kind__in=Role.WRITE_KINDS, is_active=True, unit__is_active=True, unit__region__code__in=ancestors
    )
    nearest = max(roles.values_list("unit__region__code", flat=True), key=len, default=None)
    if nearest is None:
        return User.objects.none()
    return User.objects.filter(is_active=True, roles__in=roles.filter(unit__region__code=nearest)).distinct()
