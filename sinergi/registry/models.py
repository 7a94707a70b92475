"""The register: Ormas and every lembaga kemasyarakatan, their officers, documents and history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sinergi.territory.models import RT, RW, Region, code_q

if TYPE_CHECKING:
    from sinergi.accounts.models import User


class RuleMode(models.TextChoices):
    """What the register does when a rule of the law is broken: warn and save, refuse, or not check.

    ``off`` is for kinds the rule does not apply to: the no-party statement binds lembaga
    kemasyarakatan officers (Permendagri 18/2018), not Ormas officers, whose terms their own
    statutes set.
    """

    WARN = "warn", _("Warn")
    REFUSE = "refuse", _("Refuse")
    OFF = "off", _("Do not check")


class Placement(models.TextChoices):
    """Where in the territory an organisation of a kind sits."""

    RT = "rt", _("RT unit")
    RW = "rw", _("RW unit")
    VILLAGE = "village", _("Kelurahan")
    DISTRICT = "district", _("Kecamatan")
    CITY = "city", _("City")
    PROVINCE = "province", _("Province")


class OrganisationKind(models.Model):
    """A kind of organisation (RT, RW, LMK, FKDM, PKK, Karang Taruna, Ormas ...) and its rules.

    Term length and limit are settings per kind, not constants: Pergub DKI 22/2022 gives RT and RW
    5 years and at most 2 terms; Perda DKI 5/2010 gives LMK 3 years.
    """

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    is_ormas = models.BooleanField(
        _("is an Ormas"), default=False, help_text=_("Ormas have a legal record, coaching and sanctions.")
    )
    is_lembaga = models.BooleanField(
        _("is a lembaga kemasyarakatan"),
        default=True,
        help_text=_("No person may hold posts in two lembaga kemasyarakatan at once (Permendagri 18/2018)."),
    )
    placements = models.JSONField(_("allowed placements"), default=list)
    term_years = models.PositiveSmallIntegerField(_("term length (years)"), default=5)
    max_terms = models.PositiveSmallIntegerField(_("maximum consecutive terms"), default=2)
    third_term_rule = models.CharField(
        _("more terms than allowed"), max_length=6, choices=RuleMode.choices, default=RuleMode.REFUSE
    )
    double_post_rule = models.CharField(
        _("posts in two lembaga at once"), max_length=6, choices=RuleMode.choices, default=RuleMode.REFUSE
    )
    party_statement_rule = models.CharField(
        _("officer without a no-party statement"), max_length=6, choices=RuleMode.choices, default=RuleMode.WARN
    )
    overlap_rule = models.CharField(
        _("overlapping terms in one post"), max_length=6, choices=RuleMode.choices, default=RuleMode.REFUSE
    )
    reminder_days = models.PositiveSmallIntegerField(_("remind this many days before expiry"), default=60)
    activity_report_days = models.PositiveSmallIntegerField(
        _("expected activity report every (days)"),
        null=True,
        blank=True,
        help_text=_("Empty: no reporting duty. Ormas must report their activities."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("organisation kind")
        verbose_name_plural = _("organisation kinds")

    def __str__(self) -> str:
        return self.name


def territory_q(codes: list[str], field: str) -> Q:
    """Rows whose region ``field`` lies at or below any of ``codes``, written for the query planner.

    A large territory (a province or city, holding most rows) is matched through the join to its
    regions, so a list can walk the index of its order and stop at one page; a small one (a
    kecamatan or kelurahan) through the ids of its regions, so the database starts from those few
    rows rather than walking the whole list. The two forms differ by more than ten times on SQLite.
    """
    if is_large_territory(codes):
        return code_q(codes, f"{field}__code")
    return Q(**{f"{field}__in": Region.objects.filter(code_q(codes)).values("pk")})


def is_large_territory(codes: list[str]) -> bool:
    """Whether ``codes`` hold a province or a city: most of the register rather than a few pages."""
    return any(code.count(".") < 2 for code in codes)


def organisation_scope(user: User, path: str = "") -> Q | None:
    """The organisations ``user`` sees, as a filter through ``path`` (``"organisation__"`` from an
    officer or a document); None when the user sees everything.

    Staff see the organisations in their territory, a representative their own organisation. Lists
    of officers or documents filter through this join rather than ``organisation__in=<visible
    organisations>``, which would make the database collect every visible organisation's id first.
    """
    codes = user.scope_codes()
    if codes is None:
        return None
    q = territory_q(codes, f"{path}region")
    represented = user.represented_organisation_ids()
    if represented:
        q |= Q(**{f"{path}pk__in": represented})
    return q


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def visible_to(self, user: User) -> OrganisationQuerySet:
        """Staff see organisations in their territory; a representative sees their own organisation."""
        scope = organisation_scope(user)
        return self if scope is None else self.filter(scope)


class Organisation(models.Model):
    """One Ormas or lembaga kemasyarakatan, placed in its territory.

    ``region`` is always the administrative region it sits in (the kelurahan of an RT or RW),
    which is what scoping filters on; ``rw`` and ``rt`` pin RW and RT organisations to their unit.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")
        SUSPENDED = "suspended", _("Suspended")
        DISSOLVED = "dissolved", _("Dissolved")

    kind = models.ForeignKey(
        OrganisationKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="organisations"
    )
    name = models.CharField(_("name"), max_length=200)
    abbreviation = models.CharField(_("abbreviation"), max_length=50, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="organisations"
    )
    rw = models.ForeignKey(
        RW, verbose_name=_("RW"), null=True, blank=True, on_delete=models.PROTECT, related_name="organisations"
    )
    rt = models.ForeignKey(
        RT, verbose_name=_("RT"), null=True, blank=True, on_delete=models.PROTECT, related_name="organisations"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="branches",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    status_since = models.DateField(_("status since"), default=timezone.localdate)
    status_reason = models.CharField(_("reason for status"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("secretariat address"), max_length=255, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    member_count = models.PositiveIntegerField(_("number of members"), null=True, blank=True)
    field_of_activity = models.CharField(_("field of activity"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["region__code", "kind__sort_order", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [
            models.Index(fields=["kind", "status"]),
            models.Index(fields=["name"]),
            # Branches by name: without it SQLite walks the name index of every organisation.
            models.Index(fields=["parent", "name"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "rt"],
                condition=Q(rt__isnull=False),
                name="org_one_per_rt_and_kind",
                violation_error_message=_("This RT already has an organisation of this kind."),
            ),
            models.UniqueConstraint(
                fields=["kind", "rw"],
                condition=Q(rw__isnull=False, rt__isnull=True),
                name="org_one_per_rw_and_kind",
                violation_error_message=_("This RW already has an organisation of this kind."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90), name="org_latitude_range"
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="org_longitude_range",
            ),
            models.CheckConstraint(condition=Q(rt__isnull=True) | Q(rw__isnull=False), name="org_rt_needs_rw"),
        ]

    def __str__(self) -> str:
        return self.name


class OrmasProfile(models.Model):
    """The legal record of an Ormas (UU 17/2013 as amended by UU 16/2017; Permendagri 57/2017)."""

    class LegalForm(models.TextChoices):
        ASSOCIATION = "perkumpulan", _("Legal entity: association (perkumpulan), AHU")
        FOUNDATION = "yayasan", _("Legal entity: foundation (yayasan), AHU")
        SKT = "skt", _("Registered without legal entity (SKT)")

    class Scope(models.TextChoices):
        NATIONAL = "national", _("National")
        PROVINCIAL = "provincial", _("Provincial")
        CITY = "city", _("City/Regency")

    class BoardLevel(models.TextChoices):
        DPP = "dpp", _("Central board (DPP)")
        DPD = "dpd", _("Regional board (DPD)")
        DPC = "dpc", _("Branch board (DPC)")
        OTHER = "other", _("Other")

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="ormas"
    )
    legal_form = models.CharField(_("legal form"), max_length=12, choices=LegalForm.choices)
    registration_number = models.CharField(
        _("registration number (AHU or SKT)"), max_length=100, blank=True, db_index=True
    )
    registration_issued_on = models.DateField(_("issued on"), null=True, blank=True)
    registration_expires_on = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("An SKT is valid 5 years; an AHU legal entity does not expire."),
    )
    local_receipt_number = models.CharField(_("local receipt number (SKTL)"), max_length=100, blank=True)
    local_receipt_date = models.DateField(_("local receipt date"), null=True, blank=True)
    npwp = models.CharField(_("NPWP"), max_length=20, blank=True)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.CITY)
    board_level = models.CharField(_("board level"), max_length=5, choices=BoardLevel.choices, default=BoardLevel.OTHER)

    class Meta:
        verbose_name = _("Ormas legal record")
        verbose_name_plural = _("Ormas legal records")
        indexes = [models.Index(fields=["registration_expires_on"])]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_legal_form_display()})"


def document_path(instance: Document, filename: str) -> str:
    # The stored name never uses the uploaded name, which a user controls.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"registry/{instance.organisation_id}/{timezone.now():%Y%m}/{instance.uuid}.{ext}"


class Document(models.Model):
    """A legal or supporting document of an organisation, stored through Django's storage API."""

    class Type(models.TextChoices):
        AD_ART = "ad_art", _("Statutes (AD/ART)")
        NOTARIAL_DEED = "notarial_deed", _("Notarial deed")
        AHU_DECREE = "ahu_decree", _("AHU decree (legal entity)")
        SKT = "skt", _("SKT")
        LOCAL_RECEIPT = "local_receipt", _("Local receipt of presence (SKTL)")
        DOMICILE_LETTER = "domicile_letter", _("Domicile letter")
        OFFICE_PHOTO = "office_photo", _("Office photo")
        WORK_PROGRAMME = "work_programme", _("Work programme")
        NPWP = "npwp", _("NPWP")
        BOARD_DECREE = "board_decree", _("Board decree (SK kepengurusan)")
        STATEMENT_NO_DISPUTE = "statement_no_dispute", _("Statement: no leadership dispute")
        STATEMENT_REPORTING = "statement_reporting", _("Statement: will report activities")
        STATEMENT_NO_PARTY = "statement_no_party", _("Statement: not a political party member")
        OTHER = "other", _("Other")

    uuid = models.UUIDField(_("uuid"), unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="documents"
    )
    type = models.CharField(_("type"), max_length=25, choices=Type.choices)
    number = models.CharField(_("number"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=document_path, max_length=255)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["organisation", "type", "-issued_on"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["valid_until"])]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.number}".strip()


class CoachingNote(models.Model):
    """A note of coaching (pembinaan) given to an Ormas."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="coaching_notes"
    )
    held_on = models.DateField(_("date"))
    subject = models.CharField(_("subject"), max_length=200)
    note = models.TextField(_("note"))
    attachment = models.FileField(_("attachment"), upload_to="registry/coaching/%Y%m/", blank=True, max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("coaching note")
        verbose_name_plural = _("coaching notes")

    def __str__(self) -> str:
        return f"{self.held_on}: {self.subject}"


class Sanction(models.Model):
    """One step on the sanction path of UU 16/2017, recorded in order.

    Written warning (once; 7 working days to comply), then order to stop activities, then a
    recommendation of revocation to the ministry: a city records and recommends, it does not revoke.
    """

    class Step(models.IntegerChoices):
        WARNING = 1, _("Written warning")
        STOP_ACTIVITIES = 2, _("Order to stop activities")
        REVOCATION_RECOMMENDATION = 3, _("Recommendation of revocation to the ministry")

    class Outcome(models.TextChoices):
        OPEN = "open", pgettext_lazy("sanction outcome", "Open")
        COMPLIED = "complied", _("Complied")
        ESCALATED = "escalated", _("Escalated to the next step")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="sanctions"
    )
    step = models.PositiveSmallIntegerField(_("step"), choices=Step.choices)
    issued_on = models.DateField(_("date"))
    letter_number = models.CharField(_("letter number"), max_length=100)
    reason = models.TextField(_("reason"))
    deadline = models.DateField(_("deadline to comply"), null=True, blank=True)
    letter = models.FileField(_("letter"), upload_to="registry/sanctions/%Y%m/", max_length=255)
    evidence = models.FileField(_("evidence"), upload_to="registry/sanctions/%Y%m/", blank=True, max_length=255)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.OPEN)
    outcome_on = models.DateField(_("outcome date"), null=True, blank=True)
    outcome_note = models.TextField(_("outcome note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["organisation", "issued_on", "step"]
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        constraints = [
            # One open path at a time: each step at most once while the path is open.
            models.UniqueConstraint(
                fields=["organisation", "step"],
                condition=Q(outcome="open"),
                name="sanction_one_open_step",
                violation_error_message=_("This step of the sanction path is already open."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.letter_number}"


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, user: User) -> PersonQuerySet:
        """Persons living in the user's territory or holding a post in an organisation the user sees."""
        codes = user.scope_codes()
        if codes is None:
            return self
        serving = Officer.objects.filter(organisation_scope(user, "organisation__")).values("person_id")
        if is_large_territory(codes):
            return self.filter(code_q(codes, "region__code") | Q(pk__in=serving))
        # One list of ids (a union) lets PostgreSQL start from them; an OR of two lists reads every person.
        living = Person.objects.filter(territory_q(codes, "region")).values("pk")
        return self.filter(pk__in=living.union(serving))


class Person(models.Model):
    """A person in the register. The NIK is personal data (UU 27/2022): encrypted at rest, found
    by a keyed hash, shown masked; revealing it needs a permission and is audited."""

    class Sex(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    full_name = models.CharField(_("full name"), max_length=150)
    nik_encrypted = models.TextField(_("NIK (encrypted)"), editable=False)
    nik_hash = models.CharField(
        _("NIK lookup hash"),
        max_length=64,
        unique=True,
        editable=False,
        error_messages={"unique": _("A person with this NIK is already registered.")},
    )
    nik_masked = models.CharField(_("NIK"), max_length=16, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("domicile (kelurahan)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="persons",
    )
    rt = models.ForeignKey(
        RT, verbose_name=_("RT"), null=True, blank=True, on_delete=models.PROTECT, related_name="persons"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        permissions = [("reveal_nik", _("Can reveal a full NIK"))]
        indexes = [models.Index(fields=["full_name"])]

    def __str__(self) -> str:
        return self.full_name


class Officer(models.Model):
    """A person's post in an organisation, appointed by an SK, for a term."""

    class Position(models.TextChoices):
        CHAIR = "ketua", _("Chair (ketua)")
        VICE_CHAIR = "wakil_ketua", _("Vice chair (wakil ketua)")
        SECRETARY = "sekretaris", _("Secretary (sekretaris)")
        TREASURER = "bendahara", _("Treasurer (bendahara)")
        SECTION = "bidang", _("Section head (bidang/seksi)")
        MEMBER = "anggota", _("Member (anggota)")

    # Posts held by one person at a time; sections and members are many.
    SINGLE_POSTS = frozenset({Position.CHAIR, Position.VICE_CHAIR, Position.SECRETARY, Position.TREASURER})

    class EndReason(models.TextChoices):
        TERM_ENDED = "term_ended", _("Term ended")
        REPLACED = "replaced", _("Replaced")
        DEATH = "death", _("Death")
        RESIGNATION = "resignation", _("Resignation")
        INCAPACITY = "incapacity", _("Permanent incapacity")
        REQUIREMENTS = "requirements", _("No longer meets the requirements")
        PROHIBITION = "prohibition", _("Broke a prohibition")

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="posts")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="officers"
    )
    position = models.CharField(_("position"), max_length=12, choices=Position.choices)
    position_title = models.CharField(_("title"), max_length=100, blank=True, help_text=_("E.g. Seksi Keamanan."))
    sk_number = models.CharField(_("SK number"), max_length=100, blank=True)
    sk_date = models.DateField(_("SK date"), null=True, blank=True)
    sk_issuer = models.CharField(_("SK issued by"), max_length=150, blank=True)
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"))
    is_acting = models.BooleanField(_("acting (Plt.)"), default=False)
    no_party_statement = models.BooleanField(_("signed the no-party-membership statement"), default=False)
    ended_on = models.DateField(_("left on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for leaving"), max_length=12, choices=EndReason.choices, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["organisation", "position", "-term_start"]
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        indexes = [
            models.Index(fields=["organisation", "position"]),
            models.Index(fields=["term_end"]),
            models.Index(fields=["person", "term_start"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(term_end__gt=models.F("term_start")), name="officer_term_positive"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, end_reason="") | Q(ended_on__isnull=False) & ~Q(end_reason=""),
                name="officer_end_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_position_display()} {self.organisation}"

    def is_current(self, on: object = None) -> bool:
        day = on or timezone.localdate()
        return self.term_start <= day <= self.term_end and (self.ended_on is None or self.ended_on > day)  # type: ignore[operator]


class ActivityReport(models.Model):
    """What an organisation did: kerja bakti, ronda, posyandu, a meeting."""

    class Kind(models.TextChoices):
        COMMUNITY_WORK = "kerja_bakti", _("Community work (kerja bakti)")
        NIGHT_WATCH = "ronda", _("Night watch (ronda/siskamling)")
        POSYANDU = "posyandu", _("Posyandu")
        MEETING = "meeting", _("Meeting")
        SOCIAL = "social", _("Social or religious activity")
        TRAINING = "training", _("Training or briefing")
        OTHER = "other", _("Other")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="activity_reports"
    )
    held_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    place = models.CharField(_("place"), max_length=200)
    participants = models.PositiveIntegerField(_("participants"))
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("activity report")
        verbose_name_plural = _("activity reports")
        indexes = [models.Index(fields=["organisation", "held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


class ActivityPhoto(models.Model):
    report = models.ForeignKey(
        ActivityReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("photo"), upload_to="registry/activities/%Y%m/", max_length=255)

    class Meta:
        ordering = ["id"]
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")

    def __str__(self) -> str:
        return self.image.name or ""


class ChangeRequest(models.Model):
    """A representative's proposal (new contact data, an officer change with its SK) awaiting a decision."""

    class Kind(models.TextChoices):
        CONTACT = "contact", _("Contact data")
        OFFICER_APPOINT = "officer_appoint", _("New officer")
        OFFICER_END = "officer_end", _("Officer leaves")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="change_requests"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    payload = models.JSONField(_("proposed change"))
    attachment = models.FileField(_("SK or evidence"), upload_to="registry/requests/%Y%m/", blank=True, max_length=255)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        indexes = [models.Index(fields=["status", "organisation"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.organisation}"


class ImportJob(models.Model):
    """An Excel or CSV import: checked first (dry run), then written all-or-nothing or good rows only."""

    class Target(models.TextChoices):
        ORGANISATIONS = "organisations", _("Organisations")
        PERSONS = "persons", _("Persons")
        OFFICERS = "officers", _("Officers")

    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all", _("All rows or none")
        GOOD_ROWS = "good", _("Only the good rows")

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    target = models.CharField(_("what"), max_length=15, choices=Target.choices)
    file = models.FileField(_("file"), upload_to="registry/imports/%Y%m/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    mode = models.CharField(_("mode"), max_length=4, choices=Mode.choices, default=Mode.ALL_OR_NOTHING)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    bad_rows = models.PositiveIntegerField(_("bad rows"), default=0)
    written_rows = models.PositiveIntegerField(_("rows written"), default=0)
    errors = models.JSONField(_("problems"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.get_target_display()}: {self.original_name}"


class ExportJob(models.Model):
    """An export of a filtered list, built by a task when it is large."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    target = models.CharField(_("what"), max_length=15, choices=ImportJob.Target.choices)
    format = models.CharField(_("format"), max_length=4, choices=[("xlsx", "Excel"), ("csv", "CSV")])
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    reveal_nik = models.BooleanField(_("NIK in full"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    file = models.FileField(_("file"), upload_to="registry/exports/%Y%m/", blank=True, max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return f"{self.get_target_display()} ({self.format})"
