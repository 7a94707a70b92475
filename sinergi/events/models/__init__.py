"""Events: meetings, trainings, briefings, coaching and gatherings, from the numbered invitation to
the activity report.

Split by stage: ``plan`` (the event, its days and programme, letters, invitations, participants),
``day`` (check-in, commitments, minutes, photos) and ``after`` (tests, satisfaction survey,
certificates, generated documents).
"""

from sinergi.events.models.after import (
    Answer,
    Certificate,
    Choice,
    GeneratedDocument,
    Question,
    QuestionBank,
    Survey,
    SurveyResponse,
    Test,
    TestAttempt,
)
from sinergi.events.models.day import (
    CheckIn,
    CommitmentSignature,
    CommitmentText,
    EventCommitment,
    FollowUp,
    Minutes,
    Photo,
)
from sinergi.events.models.plan import (
    Event,
    EventDay,
    EventQuerySet,
    Invitation,
    LetterNumbering,
    Material,
    Participant,
    Session,
    Speaker,
)

__all__ = [
    "Answer",
    "Certificate",
    "CheckIn",
    "Choice",
    "CommitmentSignature",
    "CommitmentText",
    "Event",
    "EventCommitment",
    "EventDay",
    "EventQuerySet",
    "FollowUp",
    "GeneratedDocument",
    "Invitation",
    "LetterNumbering",
    "Material",
    "Minutes",
    "Participant",
    "Photo",
    "Question",
    "QuestionBank",
    "Session",
    "Speaker",
    "Survey",
    "SurveyResponse",
    "Test",
    "TestAttempt",
]
