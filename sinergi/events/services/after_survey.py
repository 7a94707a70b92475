"""Writes of the satisfaction survey (PermenPAN-RB 14/2017): staff open and close it, each registered
participant answers the nine elements once through their token page."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import User
from sinergi.audit.services import record
from sinergi.events.models import Event, Participant, Survey, SurveyResponse
from sinergi.events.permissions import require_edit

SUGGESTION_MAX = 2000


@transaction.atomic
def survey_set_open(*, event: Event, is_open: bool, by: User) -> Survey:
    """Open the event's survey for answers, or close it."""
    require_edit(by, event)
    if is_open and event.status in (Event.Status.DRAFT, Event.Status.CANCELLED):
        raise ValidationError(_("Publish the event before opening its survey."))
    survey, _created = Survey.objects.select_for_update().get_or_create(event=event)
    if survey.is_open != is_open:
        survey.is_open = is_open
        if is_open and survey.opened_at is None:
            survey.opened_at = timezone.now()
        survey.save(update_fields=["is_open", "opened_at"])
        record(
            action="events.survey.open" if is_open else "events.survey.close",
            obj=survey,
            actor=by,
            region_code=event.region.code,
            changes={"is_open": [not is_open, is_open]},
        )
    return survey


@transaction.atomic
def survey_submit(*, participant: Participant, answers: Mapping[str, int], suggestion: str = "") -> SurveyResponse:
    """A participant's answers to the nine elements (``u1``..``u9``, each 1-4); once per participant."""
    event = participant.event
    if participant.status != Participant.Status.REGISTERED:
        raise ValidationError(_("Only registered participants answer the survey."))
    if not Survey.objects.filter(event=event, is_open=True).exists():
        raise ValidationError(_("The survey is closed."))
    if SurveyResponse.objects.filter(participant=participant).exists():
        raise ValidationError(_("You have already answered the survey. Thank you."))
    errors = {}
    values: dict[str, int] = {}
    for element in SurveyResponse.ELEMENTS:
        value = answers.get(element)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 4:
            errors[element] = _("Choose one of the four answers.")
        else:
            values[element] = value
    suggestion = suggestion.strip()
    if len(suggestion) > SUGGESTION_MAX:
        errors["suggestion"] = _("Keep the suggestion under %(count)d characters.") % {"count": SUGGESTION_MAX}
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                event=event, participant=participant, suggestion=suggestion, submitted_at=timezone.now(), **values
            )
    except IntegrityError:
        raise ValidationError(_("You have already answered the survey. Thank you.")) from None
    record(action="events.survey.answer", obj=response, region_code=event.region.code, changes={})
    return response
