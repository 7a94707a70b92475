"""The after stage's panels on pages of the other stages: the event hub (tests, survey, certificates,
documents) and the participant's token page (links to the tests, the survey, the certificate)."""

from __future__ import annotations

from typing import Any

from django import template

from sinergi.events.models import Certificate, Event, GeneratedDocument, Participant, Survey, SurveyResponse, Test
from sinergi.events.selectors import after

register = template.Library()
BUSY = (GeneratedDocument.Status.PENDING, GeneratedDocument.Status.RUNNING)


@register.inclusion_tag("events/after/_event_panel_body.html", takes_context=True)
def after_event_panel(context: template.Context, event: Event, can_edit: bool) -> dict[str, Any]:
    """Counts of the event's after stage and its documents, for government staff only."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_government_staff:
        return {"show": False}
    tests = after.tests_of(event)
    pre, post = tests.get(Test.Kind.PRE), tests.get(Test.Kind.POST)
    summary, _rows = after.knowledge_gain(event)
    documents = list(after.documents_of(event)[:20])
    return {
        "show": True,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "event": event,
        "can_edit": can_edit,
        "pre_count": pre.attempt_count if pre else 0,  # type: ignore[attr-defined]
        "post_count": post.attempt_count if post else 0,  # type: ignore[attr-defined]
        "pre_open": bool(pre and pre.is_open),
        "post_open": bool(post and post.is_open),
        "summary": summary,
        "ikm": after.ikm_of(event),
        "survey_open": after.survey_is_open(event),
        "certificate_count": Certificate.objects.filter(participant__event=event, revoked_at__isnull=True).count(),
        "documents": documents,
        "busy": any(
            d.status in (GeneratedDocument.Status.PENDING, GeneratedDocument.Status.RUNNING) for d in documents
        ),
        "errors": [],
    }


@register.inclusion_tag("events/after/_participant_panel_body.html")
def after_participant_panel(participant: Participant) -> dict[str, Any]:
    """What the participant can do now: open tests, their scores, the survey, their certificate."""
    scores = dict(participant.test_attempts.values_list("test__kind", "score"))
    tests = [
        {"kind": test.kind, "label": test.get_kind_display(), "is_open": test.is_open, "score": scores.get(test.kind)}
        for test in Test.objects.filter(event_id=participant.event_id).order_by("-kind")  # pre before post
        if test.is_open or test.kind in scores
    ]
    return {
        "participant": participant,
        "tests": tests,
        "survey_open": Survey.objects.filter(event_id=participant.event_id, is_open=True).exists(),
        "survey_answered": SurveyResponse.objects.filter(participant=participant).exists(),
        "certificate": after.participant_certificate(participant),
    }
