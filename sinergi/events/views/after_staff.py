"""Staff pages of the after stage: question banks, an event's tests and results, the survey's IKM,
certificates, and the generated documents (requested, polled, downloaded).

Every page is for government staff who see the event (others, a representative included, get 404);
every change needs the right to edit it (a viewer gets 403)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.accounts.models import Unit
from sinergi.core.htmx import is_htmx
from sinergi.core.http import AuthedRequest
from sinergi.events.forms_after import BankForm, QuestionForm, RevokeForm, TestQuestionsForm
from sinergi.events.models import Event, GeneratedDocument, SurveyResponse, Test
from sinergi.events.permissions import can_edit, event_get
from sinergi.events.selectors import after
from sinergi.events.services import after_documents, after_survey, after_tests

BUSY = (GeneratedDocument.Status.PENDING, GeneratedDocument.Status.RUNNING)


def _staff_event(request: AuthedRequest, pk: int) -> Event:
    """The event for staff who see it; 404 for anyone else (a representative sees only its invitation)."""
    if not request.user.is_government_staff:
        raise Http404
    return event_get(request.user, pk)


def _require_staff(request: AuthedRequest) -> None:
    if not request.user.is_government_staff:
        raise Http404


def _attach(form: BaseForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _flash(request: AuthedRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _writable_units(request: AuthedRequest) -> list[Unit]:
    units = Unit.objects.visible_to(request.user).filter(is_active=True).select_related("region")
    return [u for u in units if request.user.can_write(u.region)]


# Question banks ----------------------------------------------------------------------------------


@login_required
def bank_list(request: AuthedRequest) -> HttpResponse:
    _require_staff(request)
    writable = _writable_units(request)
    units = Unit.objects.filter(pk__in=[u.pk for u in writable])
    form = BankForm(request.POST or None, units=units)
    if request.method == "POST":
        if not writable:
            raise PermissionDenied
        if form.is_valid():
            try:
                bank = after_tests.bank_create(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _attach(form, exc)
            else:
                messages.success(request, _("Question bank created. Add its questions."))
                return redirect("events:bank", pk=bank.pk)
    banks = after.banks_visible_to(request.user).annotate(question_count=Count("questions")).order_by("name", "pk")
    page = Paginator(banks, 50).get_page(request.GET.get("page"))
    return render(request, "events/after/bank_list.html", {"page": page, "form": form if writable else None})


@login_required
def bank_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    bank = get_object_or_404(after.banks_visible_to(request.user), pk=pk)
    editable = request.user.can_write(bank.unit.region)
    form = QuestionForm(request.POST or None)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            try:
                after_tests.question_add(
                    bank=bank,
                    text=form.cleaned_data["text"],
                    choices=form.choices(),
                    correct=form.cleaned_data["correct"],
                    by=request.user,
                )
            except ValidationError as exc:
                _attach(form, exc)
            else:
                messages.success(request, _("Question added."))
                return redirect("events:bank", pk=bank.pk)
    context = {"bank": bank, "questions": after.bank_questions(bank), "form": form, "editable": editable}
    return render(request, "events/after/bank_detail.html", context)


@login_required
@require_POST
def question_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    question = get_object_or_404(after.questions_visible_to(request.user).select_related("bank__unit__region"), pk=pk)
    try:
        after_tests.question_delete(question=question, by=request.user)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("Question removed."))
    return redirect("events:bank", pk=question.bank_id)


# Tests and results -------------------------------------------------------------------------------


@login_required
def tests(request: AuthedRequest, pk: int) -> HttpResponse:
    event = _staff_event(request, pk)
    summary, results = after.knowledge_gain(event)
    context = {
        "event": event,
        "can_edit": can_edit(request.user, event),
        "tests": after.tests_of(event),
        "kinds": Test.Kind.choices,
        "summary": summary,
        "results": results,
    }
    return render(request, "events/after/tests.html", context)


def _kind(kind: str) -> str:
    if kind not in Test.Kind.values:
        raise Http404
    return kind


@login_required
def test_questions(request: AuthedRequest, pk: int, kind: str) -> HttpResponse:
    event = _staff_event(request, pk)
    kind = _kind(kind)
    test = event.tests.filter(kind=kind).first()
    questions = after.questions_visible_to(request.user).order_by("bank__name", "order", "pk")
    initial = {"questions": list(test.questions.all()) if test else []}
    if test is None and kind == Test.Kind.POST:  # the usual: the post-test asks what the pre-test asked
        pre = event.tests.filter(kind=Test.Kind.PRE).first()
        initial["questions"] = list(pre.questions.all()) if pre else []
    form = TestQuestionsForm(request.POST or None, questions=questions, initial=initial)
    if request.method == "POST":
        if not can_edit(request.user, event):
            raise PermissionDenied
        if form.is_valid():
            try:
                after_tests.test_set_questions(
                    event=event, kind=kind, questions=list(form.cleaned_data["questions"]), by=request.user
                )
            except ValidationError as exc:
                _attach(form, exc)
            else:
                messages.success(request, _("The test's questions are saved."))
                return redirect("events:tests", pk=event.pk)
    context = {
        "event": event,
        "kind_label": Test.Kind(kind).label,
        "can_edit": can_edit(request.user, event),
        "form": form,
        "has_banks": after.banks_visible_to(request.user).exists(),
    }
    return render(request, "events/after/test_questions.html", context)


@login_required
@require_POST
def test_state(request: AuthedRequest, pk: int, kind: str) -> HttpResponse:
    event = _staff_event(request, pk)
    test = event.tests.filter(kind=_kind(kind)).first()
    if not can_edit(request.user, event):
        raise PermissionDenied
    if test is None:
        messages.error(request, _("Choose the test's questions before opening it."))
        return redirect("events:tests", pk=event.pk)
    is_open = request.POST.get("open") == "1"
    try:
        after_tests.test_set_open(test=test, is_open=is_open, by=request.user)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("The test is open.") if is_open else _("The test is closed."))
    return redirect("events:tests", pk=event.pk)


# Survey ------------------------------------------------------------------------------------------


@login_required
def survey_results(request: AuthedRequest, pk: int) -> HttpResponse:
    event = _staff_event(request, pk)
    ikm = after.ikm_of(event)
    labels = {f.name: f.verbose_name for f in SurveyResponse._meta.fields if f.name in SurveyResponse.ELEMENTS}
    context = {
        "event": event,
        "can_edit": can_edit(request.user, event),
        "is_open": after.survey_is_open(event),
        "ikm": ikm,
        "rows": [(labels[e.element], e) for e in ikm.elements] if ikm else [],
        "suggestions": after.suggestions_of(event),
    }
    return render(request, "events/after/survey_results.html", context)


@login_required
@require_POST
def survey_state(request: AuthedRequest, pk: int) -> HttpResponse:
    event = _staff_event(request, pk)
    is_open = request.POST.get("open") == "1"
    try:
        after_survey.survey_set_open(event=event, is_open=is_open, by=request.user)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("The survey is open.") if is_open else _("The survey is closed."))
    return redirect("events:survey-results", pk=event.pk)


# Certificates ------------------------------------------------------------------------------------


@login_required
def certificates(request: AuthedRequest, pk: int) -> HttpResponse:
    event = _staff_event(request, pk)
    issued = after.certificates_of(event).order_by("participant__full_name", "pk")
    context = {
        "event": event,
        "can_edit": can_edit(request.user, event),
        "page": Paginator(issued, 100).get_page(request.GET.get("page")),
        "eligible": after.eligible_for_certificate(event).count(),
        "every_day": after.needs_every_day(event, event.days.count()),
        "waiting": after.eligible_for_certificate(event).filter(certificate__isnull=True).count(),
    }
    return render(request, "events/after/certificates.html", context)


@login_required
@require_POST
def certificates_issue(request: AuthedRequest, pk: int) -> HttpResponse:
    return _request_document(request, pk, GeneratedDocument.Kind.CERTIFICATES)


@login_required
def certificate_revoke(request: AuthedRequest, pk: int, certificate_pk: int) -> HttpResponse:
    event = _staff_event(request, pk)
    certificate = get_object_or_404(after.certificates_of(event), pk=certificate_pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST":
        if not can_edit(request.user, event):
            raise PermissionDenied
        if form.is_valid():
            try:
                after_documents.certificate_revoke(
                    certificate=certificate, reason=form.cleaned_data["reason"], by=request.user
                )
            except ValidationError as exc:
                _attach(form, exc)
            else:
                messages.success(request, _("Certificate %(code)s revoked.") % {"code": certificate.code})
                return redirect("events:certificates", pk=event.pk)
    return render(
        request,
        "events/after/certificate_revoke.html",
        {"event": event, "certificate": certificate, "form": form, "can_edit": can_edit(request.user, event)},
    )


# Documents ---------------------------------------------------------------------------------------


def _request_document(request: AuthedRequest, pk: int, kind: str) -> HttpResponse:
    event = _staff_event(request, pk)
    try:
        after_documents.document_request(event=event, kind=kind, by=request.user)
    except ValidationError as exc:
        if is_htmx(request):
            return _documents_partial(request, event, errors=exc.messages)
        _flash(request, exc)
    else:
        if is_htmx(request):
            return _documents_partial(request, event)
        messages.success(request, _("The document is being made; it appears below when ready."))
    return redirect("events:detail", pk=event.pk)


@login_required
@require_POST
def report_request(request: AuthedRequest, pk: int) -> HttpResponse:
    return _request_document(request, pk, GeneratedDocument.Kind.REPORT)


def _documents_partial(request: AuthedRequest, event: Event, errors: list[str] | None = None) -> HttpResponse:
    documents = list(after.documents_of(event)[:20])
    context = {
        "event": event,
        "documents": documents,
        "can_edit": can_edit(request.user, event),
        "busy": any(
            d.status in (GeneratedDocument.Status.PENDING, GeneratedDocument.Status.RUNNING) for d in documents
        ),
        "errors": errors or [],
    }
    response = render(request, "events/after/_documents.html", context)
    add_never_cache_headers(response)
    return response


@login_required
def documents(request: AuthedRequest, pk: int) -> HttpResponse:
    """The event's generated documents: a partial the event page polls while one is being made."""
    return _documents_partial(request, _staff_event(request, pk))


def _document(request: AuthedRequest, pk: int) -> GeneratedDocument:
    _require_staff(request)
    document = after.document_get(Event.objects.visible_to(request.user), pk)
    if document is None:
        raise Http404
    return document


@login_required
def document_download(request: AuthedRequest, pk: int) -> FileResponse:
    document = _document(request, pk)
    if document.status != GeneratedDocument.Status.DONE or not document.file:
        raise Http404
    name = (document.file.name or "").rsplit("/", 1)[-1]
    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=name)
    add_never_cache_headers(response)
    return response
