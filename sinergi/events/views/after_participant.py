"""Pages a participant opens from their token page on a phone (no account): the pre- and post-test,
the satisfaction survey and their certificate; and the public certificate verification page.

The verification page shows only what the certificate itself shows (name, event, date, issuer) and
whether it is valid: no contact, organisation or other personal data."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from sinergi.events.forms_after import SurveyForm, TakeTestForm
from sinergi.events.models import Participant, SurveyResponse, Test
from sinergi.events.permissions import participant_by_token
from sinergi.events.selectors import after
from sinergi.events.services import after_documents, after_survey, after_tests


def _back(participant: Participant) -> HttpResponse:
    return redirect("events:participant", token=participant.token)


def _attach(form: SurveyForm | TakeTestForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@never_cache
@csrf_protect
def test_take(request: HttpRequest, token: str, kind: str) -> HttpResponse:
    participant = participant_by_token(token)
    if kind not in Test.Kind.values:
        raise Http404
    test = after.tests_of(participant.event).get(kind)
    if test is None:
        raise Http404
    attempt = after.attempt_of(test, participant)
    form = None
    if attempt is None and test.is_open and participant.status == Participant.Status.REGISTERED:
        form = TakeTestForm(request.POST or None, test=test)
        if request.method == "POST" and form.is_valid():
            try:
                attempt = after_tests.attempt_submit(test=test, participant=participant, answers=form.answers())
            except ValidationError as exc:
                _attach(form, exc)
            else:
                messages.success(
                    request,
                    _("Thank you. Your score: %(score)s (%(correct)d of %(total)d right).")
                    % {"score": attempt.score, "correct": attempt.correct, "total": attempt.total},
                )
                return redirect("events:test-take", token=token, kind=kind)
    context = {"participant": participant, "test": test, "attempt": attempt, "form": form}
    return render(request, "events/after/test_take.html", context)


@never_cache
@csrf_protect
def survey(request: HttpRequest, token: str) -> HttpResponse:
    participant = participant_by_token(token)
    event = participant.event
    answered = SurveyResponse.objects.filter(participant=participant).exists()
    is_open = after.survey_is_open(event)
    form = None
    if not answered and is_open and participant.status == Participant.Status.REGISTERED:
        form = SurveyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                after_survey.survey_submit(
                    participant=participant, answers=form.answers(), suggestion=form.cleaned_data["suggestion"]
                )
            except ValidationError as exc:
                _attach(form, exc)
            else:
                messages.success(request, _("Thank you for answering the survey."))
                return _back(participant)
    context = {"participant": participant, "event": event, "answered": answered, "is_open": is_open, "form": form}
    return render(request, "events/after/survey.html", context)


@never_cache
def certificate_download(request: HttpRequest, token: str) -> HttpResponse:
    participant = participant_by_token(token)
    certificate = after.participant_certificate(participant)
    if certificate is None:
        raise Http404
    content = after_documents.certificate_pdf(certificate)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sertifikat-{certificate.code}.pdf"'
    return response


def certificate_lookup(request: HttpRequest) -> HttpResponse:
    """The public form: type the code printed on a certificate."""
    code = request.GET.get("code", "").strip()
    if code:
        return redirect("events:certificate-verify", code=code.upper().replace(" ", ""))
    return render(request, "events/after/certificate_lookup.html")


def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: whether a certificate with this code exists and is valid. Anyone may ask, no account."""
    certificate = after.certificate_verify(code)
    today = timezone.localdate()
    context = {
        "code": code,
        "certificate": certificate,
        "event": certificate.participant.event if certificate else None,
        "days": list(certificate.participant.event.days.all()) if certificate else [],
        "expired": bool(certificate and certificate.valid_until and certificate.valid_until < today),
    }
    return render(request, "events/after/certificate_verify.html", context, status=200 if certificate else 404)
