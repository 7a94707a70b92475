"""After the sessions: the question bank and the pre- and post-tests, the satisfaction survey
(IKM, PermenPAN-RB 14/2017), certificates with a public verification code, and the generated
documents (attendance lists, commitments, certificates, the activity report)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Certificate codes: no 0/O, 1/I/L, so they can be read aloud and typed from paper.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_certificate_code() -> str:
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    return f"{body[:5]}-{body[5:]}"


class QuestionBank(models.Model):
    """A unit's questions on a subject, reused across events."""

    unit = models.ForeignKey("accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    bank = models.ForeignKey(QuestionBank, verbose_name=_("bank"), on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("question"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text[:80]


class Choice(models.Model):
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("answer"), max_length=300)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return self.text


class Test(models.Model):
    """The pre-test or the post-test of an event: a fixed set of questions from a bank."""

    class Kind(models.TextChoices):
        PRE = "pre", _("Pre-test")
        POST = "post", _("Post-test")

    event = models.ForeignKey("events.Event", verbose_name=_("event"), on_delete=models.CASCADE, related_name="tests")
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    questions = models.ManyToManyField(Question, verbose_name=_("questions"), related_name="tests")
    is_open = models.BooleanField(_("open for answers"), default=False)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("test")
        verbose_name_plural = _("tests")
        constraints = [models.UniqueConstraint(fields=["event", "kind"], name="test_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.event}: {self.get_kind_display()}"


class TestAttempt(models.Model):
    """One participant's answers to one test, scored 0-100 when submitted; one attempt each."""

    test = models.ForeignKey(Test, verbose_name=_("test"), on_delete=models.CASCADE, related_name="attempts")
    participant = models.ForeignKey(
        "events.Participant", verbose_name=_("participant"), on_delete=models.CASCADE, related_name="test_attempts"
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    correct = models.PositiveSmallIntegerField(_("correct answers"))
    total = models.PositiveSmallIntegerField(_("questions"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["submitted_at"]
        verbose_name = _("test attempt")
        verbose_name_plural = _("test attempts")
        constraints = [models.UniqueConstraint(fields=["test", "participant"], name="test_attempt_once")]

    def __str__(self) -> str:
        return f"{self.participant}: {self.score}"


class Answer(models.Model):
    attempt = models.ForeignKey(
        TestAttempt, verbose_name=_("attempt"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="+")
    choice = models.ForeignKey(
        Choice, verbose_name=_("answer"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["attempt", "question"], name="answer_once_per_question")]

    def __str__(self) -> str:
        return f"{self.attempt}: {self.question_id} -> {self.choice_id}"


LIKERT = [MinValueValidator(1), MaxValueValidator(4)]


class SurveyResponse(models.Model):
    """The satisfaction survey on the nine elements of PermenPAN-RB 14/2017 (U1-U9), each scored 1-4."""

    event = models.ForeignKey(
        "events.Event", verbose_name=_("event"), on_delete=models.CASCADE, related_name="survey_responses"
    )
    participant = models.OneToOneField(
        "events.Participant", verbose_name=_("participant"), on_delete=models.CASCADE, related_name="survey_response"
    )
    u1 = models.PositiveSmallIntegerField(_("requirements"), validators=LIKERT)
    u2 = models.PositiveSmallIntegerField(_("systems, mechanisms and procedures"), validators=LIKERT)
    u3 = models.PositiveSmallIntegerField(_("completion time"), validators=LIKERT)
    u4 = models.PositiveSmallIntegerField(_("cost"), validators=LIKERT)
    u5 = models.PositiveSmallIntegerField(_("products and kinds of service"), validators=LIKERT)
    u6 = models.PositiveSmallIntegerField(_("competence of the staff"), validators=LIKERT)
    u7 = models.PositiveSmallIntegerField(_("behaviour of the staff"), validators=LIKERT)
    u8 = models.PositiveSmallIntegerField(_("handling of complaints, suggestions and input"), validators=LIKERT)
    u9 = models.PositiveSmallIntegerField(_("facilities and infrastructure"), validators=LIKERT)
    suggestion = models.TextField(_("suggestion"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    ELEMENTS = ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9")

    class Meta:
        ordering = ["submitted_at"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self) -> str:
        return str(self.participant)


class Survey(models.Model):
    """Whether an event's satisfaction survey takes answers; staff open and close it."""

    event = models.OneToOneField(
        "events.Event", verbose_name=_("event"), on_delete=models.CASCADE, related_name="survey"
    )
    is_open = models.BooleanField(_("open for answers"), default=False)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return str(self.event)


class Certificate(models.Model):
    """A participant's certificate; its code opens the public verification page."""

    participant = models.OneToOneField(
        "events.Participant", verbose_name=_("participant"), on_delete=models.PROTECT, related_name="certificate"
    )
    code = models.CharField(_("verification code"), max_length=11, unique=True, default=new_certificate_code)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    valid_until = models.DateField(_("valid until"), null=True, blank=True, help_text=_("Empty: no expiry."))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoke_reason = models.CharField(_("reason for revoking"), max_length=255, blank=True)
    file = models.FileField(_("file"), upload_to="events/certificates/%Y%m/", blank=True, max_length=255)

    class Meta:
        ordering = ["issued_at", "pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.code


class GeneratedDocument(models.Model):
    """A document made by a task (attendance list, commitments, certificates, activity report,
    participants' spreadsheet): the page polls its status and offers the file when done."""

    class Kind(models.TextChoices):
        INVITATION_LETTERS = "invitation_letters", _("Invitation letters")
        ATTENDANCE_SIGNED = "attendance_signed", _("Signed attendance list")
        ATTENDANCE_BLANK = "attendance_blank", _("Blank attendance list")
        COMMITMENTS = "commitments", _("Signed commitments")
        CERTIFICATES = "certificates", _("Certificates")
        REPORT = "report", _("Activity report")
        PARTICIPANTS_XLSX = "participants_xlsx", _("Participants (Excel)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(
        "events.Event", verbose_name=_("event"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to="events/documents/%Y%m/", blank=True, max_length=255)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        indexes = [models.Index(fields=["event", "kind", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.event}: {self.get_kind_display()}"
