"""The rules of the law the register checks before a write: where an organisation may sit, officers'
terms and posts, the order of sanctions, and what an uploaded file may be.

Services call these; they only read. A rule an organisation kind may relax (``RuleMode``) comes
back as a ``Breach`` so the caller can warn or refuse; the others raise ``ValidationError``.
"""

from __future__ import annotations

import datetime
import re
import zipfile
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.template.defaultfilters import date as format_date
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from sinergi.core.workdays import add_working_days
from sinergi.registry.models import (
    Officer,
    Organisation,
    OrganisationKind,
    OrmasProfile,
    Person,
    Placement,
    RuleMode,
    Sanction,
)
from sinergi.territory.models import RT, RW, Region

if TYPE_CHECKING:
    from django.core.files import File

    from sinergi.registry.nik import NikInfo

# UU 16/2017: a written warning gives the Ormas 7 working days to comply.
WARNING_WORKING_DAYS = 7
# Terms of one person in one post count as consecutive unless the post was empty longer than this.
MAX_GAP_DAYS = 366

LEVEL_PLACEMENT: dict[str, str] = {
    Region.Level.VILLAGE: Placement.VILLAGE,
    Region.Level.DISTRICT: Placement.DISTRICT,
    Region.Level.CITY: Placement.CITY,
    Region.Level.PROVINCE: Placement.PROVINCE,
}


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def default_term_end(kind: OrganisationKind, term_start: datetime.date) -> datetime.date:
    """The last day of a full term: an RT chair appointed on 1 March 2024 serves until 28 February 2029."""
    return add_years(term_start, kind.term_years) - datetime.timedelta(days=1)


def _fmt(day: datetime.date | None) -> str:
    return format_date(day, "j F Y") if day else ""


# Placement ---------------------------------------------------------------------------------------


def placement(
    *, kind: OrganisationKind, region: Region | None, rw: RW | None, rt: RT | None
) -> tuple[Region, RW | None, RT | None]:
    """Where an organisation of ``kind`` sits: its region (the kelurahan for an RT or RW unit), RW and RT.

    An RT organisation sits in its RT unit, an RW organisation in its RW unit, the others in a region
    whose level is among the kind's placements.
    """
    allowed = set(kind.placements)
    if rt is not None or rw is not None:
        if rt is not None:
            if Placement.RT not in allowed:
                raise ValidationError({"rt": _("A %(kind)s does not sit in an RT.") % {"kind": kind}})
            if rw is not None and rw.pk != rt.rw_id:
                raise ValidationError({"rt": _("%(rt)s is not in %(rw)s.") % {"rt": rt, "rw": rw}})
            rw = rt.rw
        else:
            assert rw is not None
            if Placement.RW not in allowed:
                raise ValidationError({"rw": _("A %(kind)s does not sit in an RW.") % {"kind": kind}})
        kelurahan = rw.kelurahan
        if region is not None and not region.contains(kelurahan):
            raise ValidationError(
                {"region": _("%(unit)s lies in %(kelurahan)s.") % {"unit": rw.label, "kelurahan": kelurahan}}
            )
        return kelurahan, rw, rt
    if region is None:
        raise ValidationError({"region": _("Choose where the organisation sits.")})
    if LEVEL_PLACEMENT.get(region.level) not in allowed:
        places = ", ".join(str(Placement(p).label) for p in kind.placements if p in Placement.values)
        raise ValidationError(
            {"region": _("A %(kind)s sits in: %(places)s.") % {"kind": kind, "places": places or "-"}}
        )
    return region, None, None


def check_parent(organisation: Organisation, parent: Organisation | None) -> None:
    """A parent must be another organisation, not one of its own branches; an Ormas branch has an Ormas parent."""
    if parent is None:
        return
    if organisation.kind.is_ormas and not parent.kind.is_ormas:
        raise ValidationError({"parent": _("The parent of an Ormas branch must be an Ormas.")})
    seen: set[int] = set()
    node: Organisation | None = parent
    while node is not None and node.pk not in seen:
        if organisation.pk is not None and node.pk == organisation.pk:
            raise ValidationError({"parent": _("An organisation cannot be a branch of itself or of its own branch.")})
        seen.add(node.pk)
        node = node.parent


# Ormas legal record -----------------------------------------------------------------------------

# Permendagri 57/2017: an SKT is valid 5 years.
SKT_VALID_YEARS = 5


def ormas_record(profile: OrmasProfile) -> None:
    """Normalise and check an Ormas's legal record in place. An SKT is valid 5 years from its issue
    unless the letter says otherwise; a legal entity registered through AHU does not expire."""
    if profile.npwp:
        # Written 01.234.567.8-901.000 (15 digits) or, since 2024, as the 16-digit NIK.
        digits = re.sub(r"[.\-\s]", "", profile.npwp)
        if not (digits.isascii() and digits.isdigit() and len(digits) in (15, 16)):
            raise ValidationError({"npwp": _("An NPWP has 15 or 16 digits.")})
        profile.npwp = digits
    if profile.legal_form == OrmasProfile.LegalForm.SKT:
        if profile.registration_issued_on and not profile.registration_expires_on:
            profile.registration_expires_on = add_years(profile.registration_issued_on, SKT_VALID_YEARS)
    elif profile.registration_expires_on:
        raise ValidationError({"registration_expires_on": _("A legal entity registered through AHU does not expire.")})
    if (
        profile.registration_issued_on
        and profile.registration_expires_on
        and profile.registration_expires_on <= profile.registration_issued_on
    ):
        raise ValidationError({"registration_expires_on": _("The registration must expire after it was issued.")})


# Persons -----------------------------------------------------------------------------------------


def person_identity(info: NikInfo, *, sex: str | None, birth_date: datetime.date | None) -> None:
    """Sex and date of birth given with a NIK must be the ones the NIK encodes."""
    if sex and sex != info.sex:
        raise ValidationError({"sex": _("The NIK belongs to a person of the other sex.")})
    if birth_date and birth_date != info.birth_date:
        raise ValidationError(
            {"birth_date": _("The NIK gives the date of birth %(day)s.") % {"day": info.birth_date.isoformat()}}
        )


def domicile(region: Region | None, rt: RT | None) -> Region | None:
    """A person's kelurahan: the RT's when an RT is given (and then ``region`` must be it), else a
    kelurahan or desa, or none."""
    if rt is not None:
        kelurahan = rt.rw.kelurahan
        if region is not None and region.pk != kelurahan.pk:
            raise ValidationError({"rt": _("%(rt)s is not in %(region)s.") % {"rt": rt, "region": region}})
        return kelurahan
    if region is not None and region.level != Region.Level.VILLAGE:
        raise ValidationError({"region": _("Choose a kelurahan or desa.")})
    return region


# Officers ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Breach:
    """A rule an appointment breaks, with what the organisation kind says to do about it."""

    rule: str  # "third_term", "double_post", "party_statement", "overlap" or "term_length"
    mode: str  # a RuleMode value: warn or refuse
    message: str


def appointment_term(
    *, organisation: Organisation, position: str, term_start: datetime.date, term_end: datetime.date | None
) -> tuple[datetime.date, list[Breach]]:
    """Check what an appointment needs besides the post rules: an organisation that is not dissolved,
    a known position, a term that ends after it starts. Return the term's end (by default the kind's
    full term) and a breach when the term runs longer than the kind's term length."""
    kind = organisation.kind
    if organisation.status == Organisation.Status.DISSOLVED:
        raise ValidationError(_("%(organisation)s is dissolved.") % {"organisation": organisation})
    if position not in Officer.Position.values:
        raise ValidationError({"position": _("Choose a valid position.")})
    longest = default_term_end(kind, term_start)
    term_end = term_end or longest
    if term_end <= term_start:
        raise ValidationError({"term_end": _("The term must end after it starts.")})
    breaches = []
    if term_end > longest:
        breaches.append(
            Breach(
                "term_length",
                RuleMode.REFUSE if kind.is_lembaga else RuleMode.WARN,
                _("A term of a %(kind)s lasts %(years)d years, until %(day)s at the latest.")
                % {"kind": kind, "years": kind.term_years, "day": longest.isoformat()},
            )
        )
    return term_end, breaches


@dataclass(frozen=True)
class Post:
    """A post as the officer rules see it: a saved ``Officer``, or an appointment not written yet
    (an import checks each row against the database and against the rows before it)."""

    person_id: int
    organisation_id: int
    position: str
    term_start: datetime.date
    term_end: datetime.date
    ended_on: datetime.date | None = None
    is_acting: bool = False
    in_lembaga: bool = False  # the organisation's kind is a lembaga kemasyarakatan
    person_name: str = ""
    organisation_name: str = ""
    officer_id: int | None = None

    def occupies(self, term_start: datetime.date, term_end: datetime.date) -> bool:
        """Held on some day of [term_start, term_end]; a post left on ``ended_on`` ends the day before."""
        return (
            self.term_start <= term_end
            and self.term_end >= term_start
            and (self.ended_on is None or self.ended_on > term_start)
        )


class PostBook:
    """The posts the officer rules compare an appointment with, indexed by person and by post.

    ``load`` reads, in one query, every post of some persons and of some organisations, which is what
    the rules need to check appointments of those persons to those organisations; ``add`` puts in an
    appointment accepted but not yet written, so a whole batch (an import) is checked against the
    database and against itself with the same code that checks a single appointment.
    """

    def __init__(self, posts: Iterable[Post] = ()) -> None:
        self._by_person: dict[int, list[Post]] = defaultdict(list)
        self._by_post: dict[tuple[int, str], list[Post]] = defaultdict(list)
        self._officer_ids: set[int] = set()
        for post in posts:
            self.add(post)

    @classmethod
    def load(cls, *, person_ids: Collection[int], organisation_ids: Collection[int]) -> PostBook:
        rows = Officer.objects.filter(Q(person_id__in=person_ids) | Q(organisation_id__in=organisation_ids)).values(
            "person_id",
            "organisation_id",
            "position",
            "term_start",
            "term_end",
            "ended_on",
            "is_acting",
            officer_id=F("pk"),
            in_lembaga=F("organisation__kind__is_lembaga"),
            person_name=F("person__full_name"),
            organisation_name=F("organisation__name"),
        )
        return cls(Post(**row) for row in rows)

    def add(self, post: Post) -> None:
        if post.officer_id is not None:
            if post.officer_id in self._officer_ids:
                return
            self._officer_ids.add(post.officer_id)
        self._by_person[post.person_id].append(post)
        self._by_post[(post.organisation_id, post.position)].append(post)

    def breaches(
        self,
        *,
        organisation: Organisation,
        person: Person,
        position: str,
        term_start: datetime.date,
        term_end: datetime.date,
        no_party_statement: bool,
    ) -> list[Breach]:
        """The rules of the organisation's kind that appointing ``person`` to ``position`` would break."""
        kind = organisation.kind
        breaches: list[Breach] = []
        single_post = position in Officer.SINGLE_POSTS
        position_label = Officer.Position(position).label

        if single_post and kind.overlap_rule != RuleMode.OFF:
            clashes = [p for p in self._by_post[(organisation.pk, position)] if p.occupies(term_start, term_end)]
            if clashes:
                clash = min(clashes, key=lambda p: p.term_start)
                breaches.append(
                    Breach(
                        "overlap",
                        kind.overlap_rule,
                        _("%(person)s already holds the post of %(position)s from %(start)s to %(end)s.")
                        % {
                            "person": clash.person_name,
                            "position": position_label,
                            "start": _fmt(clash.term_start),
                            "end": _fmt(clash.term_end),
                        },
                    )
                )

        if kind.is_lembaga and kind.double_post_rule != RuleMode.OFF:
            others = [
                p
                for p in self._by_person[person.pk]
                if p.in_lembaga and p.organisation_id != organisation.pk and p.occupies(term_start, term_end)
            ]
            if others:
                other = min(others, key=lambda p: p.term_start)
                breaches.append(
                    Breach(
                        "double_post",
                        kind.double_post_rule,
                        _(
                            "%(person)s holds a post in %(other)s until %(end)s; no one may hold posts "
                            "in two lembaga kemasyarakatan at once."
                        )
                        % {"person": person, "other": other.organisation_name, "end": _fmt(other.term_end)},
                    )
                )

        if single_post and kind.third_term_rule != RuleMode.OFF:
            count = self.consecutive_terms(
                organisation_id=organisation.pk, person_id=person.pk, position=position, term_start=term_start
            )
            if count > kind.max_terms:
                breaches.append(
                    Breach(
                        "third_term",
                        kind.third_term_rule,
                        _(
                            "This would be term %(count)d in a row for %(person)s as %(position)s; "
                            "a %(kind)s allows at most %(max)d."
                        )
                        % {
                            "count": count,
                            "person": person,
                            "position": position_label,
                            "kind": kind,
                            "max": kind.max_terms,
                        },
                    )
                )

        if kind.party_statement_rule != RuleMode.OFF and not no_party_statement:
            breaches.append(
                Breach(
                    "party_statement",
                    kind.party_statement_rule,
                    _("%(person)s has not signed the statement of not being a member of a political party.")
                    % {"person": person},
                )
            )
        return breaches

    def consecutive_terms(
        self, *, organisation_id: int, person_id: int, position: str, term_start: datetime.date
    ) -> int:
        """How many terms in a row ``person_id`` would serve in the post with a term starting on ``term_start``.

        Earlier terms count while no one else held the post in between and it was not left empty for
        more than a year (a gap in the records means someone else most likely held it). Acting (Plt.)
        posts neither count nor break the row.
        """
        earlier = sorted(
            (p for p in self._by_post[(organisation_id, position)] if not p.is_acting and p.term_start < term_start),
            key=lambda p: p.term_start,
            reverse=True,
        )
        count, next_start = 1, term_start
        for post in earlier:
            last_day = min(post.term_end, post.ended_on) if post.ended_on else post.term_end
            if post.person_id != person_id or (next_start - last_day).days > MAX_GAP_DAYS:
                break
            count += 1
            next_start = post.term_start
        return count


def officer_breaches(
    *,
    organisation: Organisation,
    person: Person,
    position: str,
    term_start: datetime.date,
    term_end: datetime.date,
    no_party_statement: bool,
) -> list[Breach]:
    """The rules of the organisation's kind that appointing ``person`` to ``position`` would break."""
    book = PostBook.load(person_ids=[person.pk], organisation_ids=[organisation.pk])
    return book.breaches(
        organisation=organisation,
        person=person,
        position=position,
        term_start=term_start,
        term_end=term_end,
        no_party_statement=no_party_statement,
    )


def consecutive_terms(*, organisation: Organisation, person: Person, position: str, term_start: datetime.date) -> int:
    """How many terms in a row ``person`` would serve in the post with a term starting on ``term_start``."""
    book = PostBook.load(person_ids=[], organisation_ids=[organisation.pk])
    return book.consecutive_terms(
        organisation_id=organisation.pk, person_id=person.pk, position=position, term_start=term_start
    )


# Sanctions ---------------------------------------------------------------------------------------


def sanction_previous(*, organisation: Organisation, step: int, issued_on: datetime.date) -> Sanction | None:
    """Check that ``step`` may be issued now; return the open step it escalates, if any.

    UU 16/2017 goes written warning, then order to stop activities, then (for a city) a
    recommendation of revocation. A path that ended in compliance starts again with a warning.
    """
    last = organisation.sanctions.order_by("-issued_on", "-step", "-id").first()
    if last is None or last.outcome == Sanction.Outcome.COMPLIED:
        if step != Sanction.Step.WARNING:
            raise ValidationError({"step": _("The sanction path starts with a written warning.")})
        return None
    if last.step == Sanction.Step.REVOCATION_RECOMMENDATION:
        raise ValidationError({"step": _("A recommendation of revocation was already sent; the path has ended.")})
    expected = Sanction.Step(last.step + 1)
    if step != expected:
        raise ValidationError(
            {"step": _("The next step of this sanction path is: %(step)s.") % {"step": expected.label}}
        )
    if issued_on < last.issued_on:
        raise ValidationError({"issued_on": _("The next step cannot be dated before the previous one.")})
    if last.step == Sanction.Step.WARNING and last.deadline and issued_on <= last.deadline:
        raise ValidationError(
            {
                "issued_on": _(
                    "The written warning gives until %(deadline)s to comply; the next step may follow after it."
                )
                % {"deadline": _fmt(last.deadline)}
            }
        )
    return last if last.outcome == Sanction.Outcome.OPEN else None


def warning_deadline(issued_on: datetime.date) -> datetime.date:
    return add_working_days(issued_on, WARNING_WORKING_DAYS)


# Uploads -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """What a checked file is: its type by content, MIME type, size and the name it came with."""

    type: str
    content_type: str
    size: int
    original_name: str


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
EXTENSIONS = {"pdf": "pdf", "jpg": "jpg", "jpeg": "jpg", "png": "png", "docx": "docx"}
DOCUMENT_TYPES = frozenset({"pdf", "jpg", "png", "docx"})
PHOTO_TYPES = frozenset({"jpg", "png"})


def _sniff(stream: IO[Any]) -> str | None:
    """The file's type from its content, whatever its name says."""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(stream) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            stream.seek(0)
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return "docx"
    return None


def check_upload(file: File[Any], *, allowed: frozenset[str] = DOCUMENT_TYPES) -> Upload:
    """Refuse a file whose content is not one of ``allowed``, whose extension disagrees, or that is too big."""
    name = PurePath(file.name or "").name
    allowed_names = ", ".join(sorted(t.upper() for t in allowed))
    size = file.size or 0
    if size == 0:
        raise ValidationError(_("The file %(name)s is empty.") % {"name": name})
    limit = settings.REGISTRY_MAX_UPLOAD_BYTES
    if size > limit:
        raise ValidationError(
            _("The file %(name)s is %(size)s; at most %(max)s is allowed.")
            % {"name": name, "size": filesizeformat(size), "max": filesizeformat(limit)}
        )
    sniffed = _sniff(file)
    ext = EXTENSIONS.get(PurePath(name).suffix.lower().lstrip("."))
    if sniffed is None or sniffed not in allowed:
        raise ValidationError(_("The file %(name)s is not one of: %(types)s.") % {"name": name, "types": allowed_names})
    if ext != sniffed:
        raise ValidationError(
            _("The file %(name)s holds a %(type)s file; its name should end in .%(ext)s.")
            % {"name": name, "type": sniffed.upper(), "ext": sniffed}
        )
    return Upload(type=sniffed, content_type=CONTENT_TYPES[sniffed], size=size, original_name=name[:255])
