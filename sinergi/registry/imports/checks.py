"""How a batch of import rows is checked: one checker per import.

A checker takes a batch of rows, parses every cell, looks up in a fixed number of queries what the
rows refer to, and applies the rules the services apply (``rules``, ``nik``, ``permissions`` and
the models' field checks); it never writes. Each row comes back either with a draft ready for the
bulk services in ``sinergi.registry.imports`` or with its problems, each naming the line, the
column and the reason in the user's language.
"""

from __future__ import annotations

import abc
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from sinergi.registry import nik as nik_tools
from sinergi.registry import permissions, rules
from sinergi.registry.imports.columns import (
    OFFICER_COLUMNS,
    ORGANISATION_COLUMNS,
    PERSON_COLUMNS,
    Column,
)
from sinergi.registry.imports.rows import Row, options_of
from sinergi.registry.models import ImportJob, Officer, Organisation, OrganisationKind, OrmasProfile, Person
from sinergi.registry.spreadsheets import as_bool, as_date, as_float, as_int, as_region_code, as_text
from sinergi.territory.models import RT, RW, Region

if TYPE_CHECKING:
    from sinergi.accounts.models import User


# --- lookups shared by the checkers ----------------------------------------------------------------


# Boundaries are GeoJSON, large to decode and of no use to an import.
BOUNDARIES = {
    "rw": ("boundary", "kelurahan__boundary"),
    "rt": ("boundary", "rw__boundary", "rw__kelurahan__boundary"),
    "organisation": ("region__boundary",),
}


class Places:
    """Regions, RW and RT looked up by code and number, cached for the whole file."""

    def __init__(self) -> None:
        self.regions: dict[str, Region | None] = {}
        self.rws: dict[tuple[int, int], RW | None] = {}
        self.rts: dict[tuple[int, int], RT | None] = {}

    def load(self, codes: Iterable[str], units: Iterable[tuple[str, int, int | None]]) -> None:
        """Fetch the regions of ``codes`` and the RW/RT of ``units`` ((kelurahan code, RW, RT))."""
        units = list(units)
        wanted = {code for code in codes if code not in self.regions}
        if wanted:
            for region in Region.objects.filter(code__in=wanted).defer("boundary"):
                self.regions[region.code] = region
            for code in wanted:
                self.regions.setdefault(code, None)
        rw_keys = {
            (kelurahan.pk, rw)
            for code, rw, _rt in units
            if (kelurahan := self.regions.get(code)) is not None and (kelurahan.pk, rw) not in self.rws
        }
        if rw_keys:
            # Every RW of the kelurahan named (a few dozen each) is cheaper to fetch than a long OR.
            kelurahan_ids = {kelurahan_id for kelurahan_id, _number in rw_keys}
            for rw_unit in (
                RW.objects.filter(kelurahan_id__in=kelurahan_ids).select_related("kelurahan").defer(*BOUNDARIES["rw"])
            ):
                self.rws.setdefault((rw_unit.kelurahan_id, rw_unit.number), rw_unit)
            for key in rw_keys:
                self.rws.setdefault(key, None)
        rt_keys = {
            (unit.pk, rt)
            for code, rw, rt in units
            if rt is not None
            and (kelurahan := self.regions.get(code)) is not None
            and (unit := self.rws.get((kelurahan.pk, rw))) is not None
            and (unit.pk, rt) not in self.rts
        }
        if rt_keys:
            rw_ids = {rw_id for rw_id, _number in rt_keys}
            for rt_unit in RT.objects.filter(rw_id__in=rw_ids).select_related("rw__kelurahan").defer(*BOUNDARIES["rt"]):
                self.rts.setdefault((rt_unit.rw_id, rt_unit.number), rt_unit)
            for key in rt_keys:
                self.rts.setdefault(key, None)

    def place(self, row: Row, code: str, rw: int | None, rt: int | None) -> tuple[Region | None, RW | None, RT | None]:
        """The region, RW and RT a row names, with a problem for each that does not exist."""
        region = self.regions.get(code) if code else None
        if code and region is None:
            row.error("region", _("There is no region with the code %(code)s.") % {"code": code})
            return None, None, None
        if rt is not None and rw is None:
            row.error("rw", _("Give the RW number with the RT number."))
            return region, None, None
        if rw is None or region is None:
            if rw is not None:
                row.error("region", _("Give the kelurahan code with the RW number."))
            return region, None, None
        rw_unit = self.rws.get((region.pk, rw))
        if rw_unit is None:
            row.error("rw", _("%(region)s has no RW %(number)03d.") % {"region": region, "number": rw})
            return region, None, None
        if rt is None:
            return region, rw_unit, None
        rt_unit = self.rts.get((rw_unit.pk, rt))
        if rt_unit is None:
            row.error("rt", _("%(rw)s has no RT %(number)03d.") % {"rw": rw_unit.label, "number": rt})
            return region, rw_unit, None
        return region, rw_unit, rt_unit


def _is_id(reference: str) -> bool:
    return reference.isascii() and reference.isdigit() and len(reference) < 12


class OrganisationRefs:
    """Organisations the user sees, found by Sinergi ID or Ormas registration number."""

    def __init__(self, by: User) -> None:
        self.by = by
        self.found: dict[str, list[Organisation]] = {}

    def load(self, references: Iterable[str]) -> None:
        wanted = {ref for ref in references if ref and ref not in self.found}
        if not wanted:
            return
        ids = [int(ref) for ref in wanted if _is_id(ref)]
        numbers = [ref for ref in wanted if not _is_id(ref)]
        visible = (
            Organisation.objects.visible_to(self.by)
            .filter(Q(pk__in=ids) | Q(ormas__registration_number__in=numbers))
            .select_related("kind", "region", "parent__parent")
            .defer(*BOUNDARIES["organisation"])
        )
        registered = dict(
            OrmasProfile.objects.filter(registration_number__in=numbers).values_list(
                "organisation_id", "registration_number"
            )
        )
        for ref in wanted:
            self.found[ref] = []
        for organisation in visible:
            if str(organisation.pk) in wanted:
                self.found[str(organisation.pk)].append(organisation)
            number = registered.get(organisation.pk)
            if number in wanted:
                self.found[number].append(organisation)

    def get(self, row: Row, key: str, reference: str) -> Organisation | None:
        matches = self.found.get(reference, [])
        if not matches:
            row.error(
                key,
                _("No organisation in your area has the Sinergi ID or registration number %(ref)s.")
                % {"ref": reference},
            )
            return None
        if len(matches) > 1:
            row.error(
                key,
                _("%(count)d organisations share the registration number %(ref)s; use the Sinergi ID.")
                % {"count": len(matches), "ref": reference},
            )
            return None
        return matches[0]


def _region_code(row: Row, *, required: bool = False) -> str:
    if not row.text("region", required=required):
        return ""
    return row.value("region", as_region_code) or ""


def nik_region_codes() -> set[str]:
    """Region codes above kelurahan, so ``validate_nik`` checks a NIK's prefix without a query per NIK."""
    return set(Region.objects.exclude(level=Region.Level.VILLAGE).values_list("code", flat=True))


def _number(value: Any) -> int | None:
    return as_int(value, minimum=1)


def _clean_fields(row: Row, instance: Any, fields: Sequence[str]) -> None:
    """The model's own checks (lengths, e-mail, choices) of the text ``fields`` a row typed; the
    other fields were parsed or looked up already. No database query."""
    try:
        instance.clean_fields(exclude=[f.name for f in instance._meta.fields if f.name not in fields])
    except ValidationError as exc:
        row.reject(exc, {name: name for name in exc.error_dict})


# --- checkers ------------------------------------------------------------------------------------


class Checker(abc.ABC):
    """Checks the rows of one import, batch by batch, remembering what earlier batches held.

    ``check`` never writes; ``written`` tells the checker that the good rows it accepted so far are
    now in the database (the import writes after each batch), so it stops counting them itself.
    """

    target: ClassVar[str]
    columns: ClassVar[list[Column]]

    def __init__(self, *, by: User) -> None:
        self.by = by

    @abc.abstractmethod
    def check(self, rows: list[Row]) -> list[Row]:
        """The rows with their problems filled in."""

    def written(self) -> None:  # noqa: B027 - an optional hook; most checkers keep nothing
        """The rows accepted so far are in the database now."""


@dataclass
class OrganisationDraft:
    line: int
    organisation: Organisation  # unsaved, placed and checked
    ormas: OrmasProfile | None = None


ORGANISATION_FIELDS = [
    "name",
    "abbreviation",
    "phone",
    "email",
    "address",
    "latitude",
    "longitude",
    "founded_on",
    "member_count",
    "field_of_activity",
]

ORGANISATION_TEXT = ["name", "abbreviation", "phone", "email", "address", "field_of_activity"]
ORMAS_TEXT = ["legal_form", "registration_number", "local_receipt_number", "npwp", "scope", "board_level"]
ORMAS_KEYS = [
    "legal_form",
    "registration_number",
    "registration_issued_on",
    "registration_expires_on",
    "local_receipt_number",
    "local_receipt_date",
    "npwp",
    "scope",
    "board_level",
]


class OrganisationChecker(Checker):
    target = ImportJob.Target.ORGANISATIONS
    columns = ORGANISATION_COLUMNS

    def __init__(self, *, by: User) -> None:
        super().__init__(by=by)
        self.kinds = {kind.code.casefold(): kind for kind in OrganisationKind.objects.all()}
        self.places = Places()
        self.parents = OrganisationRefs(by)
        self.seen: dict[tuple[Any, ...], int] = {}
        self.legal_forms = options_of(OrmasProfile.LegalForm.choices)
        self.scopes = options_of(OrmasProfile.Scope.choices)
        self.board_levels = options_of(OrmasProfile.BoardLevel.choices)

    def check(self, rows: list[Row]) -> list[Row]:
        parsed = [(row, self._parse(row)) for row in rows]
        self.places.load(
            (p["region"] for _row, p in parsed if p["region"]),
            ((p["region"], p["rw"], p["rt"]) for _row, p in parsed if p["region"] and p["rw"] is not None),
        )
        self.parents.load(p["parent"] for _row, p in parsed if p["parent"])
        for row, p in parsed:
            self._place(row, p)
        self._check_duplicates([(row, p) for row, p in parsed if not row.bad])
        return rows

    def _parse(self, row: Row) -> dict[str, Any]:
        typed_kind = row.text("kind", required=True)
        kind = self.kinds.get(typed_kind.casefold()) if typed_kind else None
        if typed_kind and kind is None:
            row.error("kind", _("There is no organisation kind with the code “%(code)s”.") % {"code": typed_kind})
        p: dict[str, Any] = {
            "kind": kind,
            "name": row.text("name", required=True),
            "abbreviation": row.text("abbreviation"),
            "region": _region_code(row, required=True),
            "rw": row.value("rw", _number),
            "rt": row.value("rt", _number),
            "parent": row.text("parent"),
            "phone": row.text("phone"),
            "email": row.text("email"),
            "address": row.text("address"),
            "latitude": row.value("latitude", as_float),
            "longitude": row.value("longitude", as_float),
            "founded_on": row.value("founded_on", as_date),
            "member_count": row.value("member_count", as_int),
            "field_of_activity": row.text("field_of_activity"),
        }
        ormas: dict[str, Any] = {
            "legal_form": row.choice("legal_form", self.legal_forms),
            "registration_number": row.text("registration_number"),
            "registration_issued_on": row.value("registration_issued_on", as_date),
            "registration_expires_on": row.value("registration_expires_on", as_date),
            "local_receipt_number": row.text("local_receipt_number"),
            "local_receipt_date": row.value("local_receipt_date", as_date),
            "npwp": row.text("npwp"),
            "scope": row.choice("scope", self.scopes) or OrmasProfile.Scope.CITY,
            "board_level": row.choice("board_level", self.board_levels) or OrmasProfile.BoardLevel.OTHER,
        }
        given = [key for key in ORMAS_KEYS if as_text(row.cells.get(key))]
        if given and kind is not None and not kind.is_ormas:
            row.error(given[0], _("Only an Ormas has a legal record, coaching and sanctions."))
        p["ormas"] = ormas if given and kind is not None and kind.is_ormas else None
        return p

    def _place(self, row: Row, p: dict[str, Any]) -> None:
        region, rw, rt = self.places.place(row, p["region"], p["rw"], p["rt"])
        parent = self.parents.get(row, "parent", p["parent"]) if p["parent"] else None
        kind = p["kind"]
        if row.bad or kind is None:
            return
        try:
            region, rw, rt = rules.placement(kind=kind, region=region, rw=rw, rt=rt)
        except ValidationError as exc:
            row.reject(exc, {"region": "region", "rw": "rw", "rt": "rt"}, "region")
            return
        if not self.by.can_write(region):
            row.error("region", _("You may not register organisations in %(region)s.") % {"region": region})
            return
        fields = {k: p[k] for k in ORGANISATION_FIELDS}
        organisation = Organisation(kind=kind, region=region, rw=rw, rt=rt, parent=parent, **fields)
        try:
            rules.check_parent(organisation, parent)
        except ValidationError as exc:
            row.reject(exc, {}, "parent")
        _clean_fields(row, organisation, ORGANISATION_TEXT)
        if organisation.latitude is not None or organisation.longitude is not None:
            try:  # the map point's ranges are database constraints; one query each, for these rows only
                organisation.validate_constraints(exclude={"kind", "rw", "rt"})
            except ValidationError as exc:
                row.reject(exc, {}, "latitude")
        profile = None
        if p["ormas"] is not None:
            profile = OrmasProfile(organisation=organisation, **p["ormas"])
            try:
                rules.ormas_record(profile)
            except ValidationError as exc:
                row.reject(exc, {}, "legal_form")
            _clean_fields(row, profile, ORMAS_TEXT)
        if not row.bad:
            row.draft = OrganisationDraft(row.line, organisation, profile)

    def _check_duplicates(self, candidates: list[tuple[Row, dict[str, Any]]]) -> None:
        """One organisation per kind and RT or RW unit; one of a kind and name per region."""
        drafts = [(row, row.draft.organisation) for row, _p in candidates if row.draft is not None]
        if not drafts:
            return
        # Candidates by unit or by (region, name), in one query of IN lists; the keys then decide.
        rts = {org.rt_id for _row, org in drafts if org.rt_id}
        rws = {org.rw_id for _row, org in drafts if org.rw_id and not org.rt_id}
        plain = [org for _row, org in drafts if not org.rw_id]
        wanted = Q(rt_id__in=rts) | Q(rw_id__in=rws, rt__isnull=True)
        if plain:
            wanted |= Q(
                rw__isnull=True,
                region_id__in={org.region_id for org in plain},
                lname__in={org.name.lower() for org in plain},
            )
        existing: dict[tuple[Any, ...], int] = {}
        for pk, kind_id, region_id, rw_id, rt_id, lname in (
            Organisation.objects.annotate(lname=Lower("name"))
            .filter(wanted)
            .values_list("pk", "kind_id", "region_id", "rw_id", "rt_id", "lname")
        ):
            existing[self._key(kind_id, region_id, rw_id, rt_id, lname)] = pk
        for row, org in drafts:
            key = self._key(org.kind_id, org.region_id, org.rw_id, org.rt_id, org.name.lower())
            if key in self.seen:
                row.error("name", _("Line %(line)d already has this organisation.") % {"line": self.seen[key]})
            elif key in existing:
                row.error(
                    "name",
                    _("This organisation is already registered (Sinergi ID %(id)d).") % {"id": existing[key]},
                )
            self.seen.setdefault(key, row.line)
            if row.bad:
                row.draft = None

    @staticmethod
    def _key(kind_id: int, region_id: int, rw_id: int | None, rt_id: int | None, lname: str) -> tuple[Any, ...]:
        if rt_id:
            return (kind_id, "rt", rt_id)
        if rw_id:
            return (kind_id, "rw", rw_id)
        return (kind_id, region_id, lname)


@dataclass
class PersonDraft:
    line: int
    person: Person  # unsaved, its NIK protected
    nik: str = field(repr=False)


SEX_OPTIONS = options_of(
    Person.Sex.choices,
    ("L", Person.Sex.MALE),
    ("laki-laki", Person.Sex.MALE),
    ("laki", Person.Sex.MALE),
    ("P", Person.Sex.FEMALE),
    ("perempuan", Person.Sex.FEMALE),
    ("wanita", Person.Sex.FEMALE),
)


class PersonChecker(Checker):
    target = ImportJob.Target.PERSONS
    columns = PERSON_COLUMNS

    def __init__(self, *, by: User) -> None:
        super().__init__(by=by)
        self.places = Places()
        self.seen: dict[str, int] = {}  # NIK hash -> first line
        self.region_codes = nik_region_codes()

    def check(self, rows: list[Row]) -> list[Row]:
        parsed = [(row, self._parse(row)) for row in rows]
        hashes = {p["hash"] for _row, p in parsed if p["hash"]}
        registered = set(Person.objects.filter(nik_hash__in=hashes).values_list("nik_hash", flat=True))
        self.places.load(
            (p["region"] for _row, p in parsed if p["region"]),
            ((p["region"], p["rw"], p["rt"]) for _row, p in parsed if p["region"] and p["rw"] is not None),
        )
        for row, p in parsed:
            digest = p["hash"]
            if digest:
                if digest in self.seen:
                    row.error("nik", _("Line %(line)d has the same NIK.") % {"line": self.seen[digest]})
                elif digest in registered:
                    row.error("nik", _("A person with this NIK is already registered."))
                self.seen.setdefault(digest, row.line)
            self._build(row, p)
        return rows

    def _parse(self, row: Row) -> dict[str, Any]:
        typed_nik = row.text("nik", required=True)
        p: dict[str, Any] = {
            "full_name": row.text("full_name", required=True),
            "sex": row.choice("sex", SEX_OPTIONS) or None,
            "birth_date": row.value("birth_date", as_date),
            "phone": row.text("phone"),
            "email": row.text("email"),
            "address": row.text("address"),
            "region": _region_code(row),
            "rw": row.value("rw", _number),
            "rt": row.value("rt", _number),
            "info": None,
            "hash": "",
        }
        if typed_nik:
            try:
                p["info"] = nik_tools.validate_nik(typed_nik, region_codes=self.region_codes)
            except ValidationError as exc:
                row.reject(exc, {}, "nik")
            else:
                p["hash"] = nik_tools.nik_hash(p["info"].nik)
                try:
                    rules.person_identity(p["info"], sex=p["sex"], birth_date=p["birth_date"])
                except ValidationError as exc:
                    row.reject(exc, {"sex": "sex", "birth_date": "birth_date"}, "nik")
        return p

    def _build(self, row: Row, p: dict[str, Any]) -> None:
        region, _rw, rt = self.places.place(row, p["region"], p["rw"], p["rt"])
        if row.bad:
            return
        try:
            region = rules.domicile(region, rt)
        except ValidationError as exc:
            row.reject(exc, {"region": "region", "rt": "rt"}, "region")
            return
        if not permissions.can_register_person(self.by, region):
            row.error("region", _("You may not register persons here."))
            return
        info: nik_tools.NikInfo = p["info"]
        person = Person(
            full_name=p["full_name"],
            nik_hash=p["hash"],
            nik_masked=nik_tools.mask_nik(info.nik),
            sex=info.sex,
            birth_date=info.birth_date,
            phone=p["phone"],
            email=p["email"],
            address=p["address"],
            region=region,
            rt=rt,
        )
        _clean_fields(row, person, ["full_name", "phone", "email", "address"])
        if not row.bad:
            row.draft = PersonDraft(row.line, person, info.nik)


@dataclass
class OfficerDraft:
    line: int
    officer: Officer  # unsaved, checked against the kind's rules
    warnings: list[str] = field(default_factory=list)


BREACH_COLUMNS = {
    "overlap": "position",
    "third_term": "position",
    "double_post": "nik",
    "party_statement": "no_party_statement",
    "term_length": "term_end",
}


class OfficerChecker(Checker):
    target = ImportJob.Target.OFFICERS
    columns = OFFICER_COLUMNS

    def __init__(self, *, by: User) -> None:
        super().__init__(by=by)
        self.organisations = OrganisationRefs(by)
        self.positions = options_of(Officer.Position.choices)
        self.region_codes = nik_region_codes()
        # Appointments accepted in earlier batches and not written yet: the rules count them too.
        self.pending_by_person: dict[int, list[rules.Post]] = defaultdict(list)
        self.pending_by_organisation: dict[int, list[rules.Post]] = defaultdict(list)

    def written(self) -> None:
        self.pending_by_person.clear()
        self.pending_by_organisation.clear()

    def check(self, rows: list[Row]) -> list[Row]:
        parsed = [(row, self._parse(row)) for row in rows]
        self.organisations.load(p["organisation"] for _row, p in parsed if p["organisation"])
        hashes = {p["hash"] for _row, p in parsed if p["hash"]}
        persons = {
            person.nik_hash: person
            for person in Person.objects.filter(nik_hash__in=hashes).only("pk", "full_name", "nik_hash")
        }
        for row, p in parsed:
            p["organisation"] = (
                self.organisations.get(row, "organisation", p["organisation"]) if p["organisation"] else None
            )
            if p["hash"]:
                p["person"] = persons.get(p["hash"])
                if p["person"] is None:
                    row.error("nik", _("No person with this NIK is registered; import the persons first."))
        ready = [(row, p) for row, p in parsed if not row.bad]
        person_ids = {p["person"].pk for _row, p in ready}
        organisation_ids = {p["organisation"].pk for _row, p in ready}
        book = rules.PostBook.load(person_ids=person_ids, organisation_ids=organisation_ids)
        pending = {
            id(post): post
            for ids, index in ((person_ids, self.pending_by_person), (organisation_ids, self.pending_by_organisation))
            for key in ids
            for post in index.get(key, ())
        }
        for post in pending.values():
            book.add(post)
        for row, p in ready:
            self._appoint(row, p, book)
        return rows

    def _parse(self, row: Row) -> dict[str, Any]:
        typed_nik = row.text("nik", required=True)
        p: dict[str, Any] = {
            "organisation": row.text("organisation", required=True),
            "hash": "",
            "person": None,
            "full_name": row.text("full_name"),
            "position": row.choice("position", self.positions, required=True),
            "position_title": row.text("position_title"),
            "sk_number": row.text("sk_number"),
            "sk_date": row.value("sk_date", as_date),
            "sk_issuer": row.text("sk_issuer"),
            "term_start": row.value("term_start", as_date, required=True),
            "term_end": row.value("term_end", as_date),
            "is_acting": row.value("is_acting", as_bool),
            "no_party_statement": row.value("no_party_statement", as_bool),
        }
        if typed_nik:
            try:
                info = nik_tools.validate_nik(typed_nik, region_codes=self.region_codes)
            except ValidationError as exc:
                row.reject(exc, {}, "nik")
            else:
                p["hash"] = nik_tools.nik_hash(info.nik)
        return p

    def _appoint(self, row: Row, p: dict[str, Any], book: rules.PostBook) -> None:
        organisation: Organisation = p["organisation"]
        person: Person = p["person"]
        if not permissions.can_edit(self.by, organisation):
            row.error("organisation", _("You may not change %(organisation)s.") % {"organisation": organisation})
            return
        if (
            p["full_name"]
            and " ".join(p["full_name"].split()).casefold() != " ".join(person.full_name.split()).casefold()
        ):
            row.warn("full_name", _("The NIK belongs to %(name)s.") % {"name": person.full_name})
        try:
            term_end, breaches = rules.appointment_term(
                organisation=organisation,
                position=p["position"],
                term_start=p["term_start"],
                term_end=p["term_end"],
            )
        except ValidationError as exc:
            row.reject(exc, {"position": "position", "term_end": "term_end"}, "organisation")
            return
        breaches += book.breaches(
            organisation=organisation,
            person=person,
            position=p["position"],
            term_start=p["term_start"],
            term_end=term_end,
            no_party_statement=bool(p["no_party_statement"]),
        )
        warnings = []
        for breach in breaches:
            if breach.mode == rules.RuleMode.REFUSE:
                row.error(BREACH_COLUMNS.get(breach.rule, ""), breach.message)
            elif breach.mode == rules.RuleMode.WARN:
                row.warn(BREACH_COLUMNS.get(breach.rule, ""), breach.message)
                warnings.append(breach.message)
        officer = Officer(
            person=person,
            organisation=organisation,
            position=p["position"],
            position_title=p["position_title"],
            sk_number=p["sk_number"],
            sk_date=p["sk_date"],
            sk_issuer=p["sk_issuer"],
            term_start=p["term_start"],
            term_end=term_end,
            is_acting=bool(p["is_acting"]),
            no_party_statement=bool(p["no_party_statement"]),
        )
        _clean_fields(row, officer, ["position_title", "sk_number", "sk_issuer"])
        if row.bad:
            return
        row.draft = OfficerDraft(row.line, officer, warnings)
        post = rules.Post(
            person_id=person.pk,
            organisation_id=organisation.pk,
            position=officer.position,
            term_start=officer.term_start,
            term_end=officer.term_end,
            is_acting=officer.is_acting,
            in_lembaga=organisation.kind.is_lembaga,
            person_name=person.full_name,
            organisation_name=organisation.name,
        )
        book.add(post)
        self.pending_by_person[post.person_id].append(post)
        self.pending_by_organisation[post.organisation_id].append(post)


CHECKERS: dict[str, type[Checker]] = {
    ImportJob.Target.ORGANISATIONS: OrganisationChecker,
    ImportJob.Target.PERSONS: PersonChecker,
    ImportJob.Target.OFFICERS: OfficerChecker,
}
