"""Pages of aspirations and complaints.

Public, with no account: the intake form (spam traps and a rate limit per address), the tracking
page by number (status and timeline, no personal data), and the reporter's own page behind the
secret link (rating, dispute, proof photos). Signed in: intake by staff or an organisation's
representative, one's own submissions; staff: the inbox (htmx), a case with its steps, the
category tree for administrators. A case out of scope answers 404, like one that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from sinergi.accounts.models import Role, Unit
from sinergi.cases import forms, routing, selectors, services, throttle, workflow
from sinergi.cases.geo import public_boundaries
from sinergi.cases.models import Attachment, Case, Category
from sinergi.cases.permissions import can_act, is_case_staff
from sinergi.core.htmx import is_htmx
from sinergi.core.http import AuthedRequest
from sinergi.registry.models import Organisation
from sinergi.territory.models import Region

PER_PAGE = 25


class CappedPaginator(Paginator):
    """A paginator given its count, counted at most to ``selectors.COUNT_CAP`` (``selectors.capped_count``),
    so a province-wide inbox of a million cases stays fast."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._capped = count

    @property
    def count(self) -> int:
        return self._capped

    @property
    def capped(self) -> bool:
        return self._capped > selectors.COUNT_CAP


def _attach(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _status(form: Any) -> int:
    return 422 if form.is_bound and form.errors else 200


# Intake ------------------------------------------------------------------------------------------


def _submit_from(form: forms.CaseForm, request: HttpRequest, *, channel: str, **extra: Any) -> services.Submission:
    data = form.cleaned_data
    if data["category_obj"] is None:
        raise ValidationError({"category": _("Choose a category.")})
    return services.case_submit(
        kind=data["kind"],
        category=data["category_obj"],
        description=data["description"],
        region=data["region_obj"],
        rw=data["rw_obj"],
        rt=data["rt_obj"],
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
        address=data.get("address") or "",
        photos=data.get("photos") or [],
        reporter_name=data.get("reporter_name") or "",
        reporter_phone=data.get("reporter_phone") or "",
        reporter_email=data.get("reporter_email") or "",
        anonymous=bool(data.get("anonymous")),
        link_to=data.get("link_to"),
        channel=channel,
        idempotency_key=data.get("idempotency_key"),
        **extra,
    )


def _intake_page(request: HttpRequest, form: forms.CaseForm, *, title: str, public: bool) -> HttpResponse:
    return render(request, "cases/submit.html", {"form": form, "title": title, "public": public}, status=_status(form))


@never_cache
def submit(request: HttpRequest) -> HttpResponse:
    """The public intake: no account, a phone-sized form with a map, photos and spam traps."""
    if request.method == "POST":
        form = forms.CaseForm(request.POST, request.FILES, public=True)
        if not throttle.hit():
            form.is_valid()
            form.add_error(None, _("Too many reports from your connection; please try again later."))
            return render(
                request,
                "cases/submit.html",
                {"form": form, "title": _("Send an aspiration or complaint"), "public": True},
                status=429,
            )
        if form.is_valid():
            try:
                submission = _submit_from(form, request, channel=Case.Channel.PUBLIC)
            except ValidationError as exc:
                _attach(form, exc)
            else:
                messages.success(
                    request, _("Thank you. Your tracking number is %(number)s.") % {"number": submission.case.number}
                )
                return redirect(services.reporter_url(submission.case))
    else:
        form = forms.CaseForm(public=True)
    return _intake_page(request, form, title=_("Send an aspiration or complaint"), public=True)


def _represented(request: AuthedRequest) -> list[Organisation]:
    ids = [
        r.organisation_id
        for r in request.user.active_roles()
        if r.kind == Role.Kind.ORG_REPRESENTATIVE and r.organisation_id
    ]
    return list(Organisation.objects.filter(pk__in=ids).select_related("region"))


@login_required
def create(request: AuthedRequest) -> HttpResponse:
    """Intake by a signed-in user: staff entering what they heard, or an organisation's representative
    (an RT chair) sending what residents raised in a meeting, on behalf of their organisation."""
    organisations = [] if request.user.is_government_staff else _represented(request)
    channel = Case.Channel.STAFF if request.user.is_government_staff else Case.Channel.PORTAL
    if request.method == "POST":
        form = forms.CaseForm(request.POST, request.FILES, organisations=organisations)
        if form.is_valid():
            organisation = next((o for o in organisations if o.pk == form.cleaned_data.get("organisation")), None)
            try:
                submission = _submit_from(form, request, channel=channel, by=request.user, organisation=organisation)
            except ValidationError as exc:
                _attach(form, exc)
            else:
                messages.success(request, _("Case %(number)s was recorded.") % {"number": submission.case.number})
                if Case.objects.visible_to(request.user).filter(pk=submission.case.pk).exists():
                    return redirect("cases:detail", submission.case.number)
                return redirect("cases:mine")
    else:
        initial: dict[str, Any] = {}
        if organisations:
            initial["region"] = organisations[0].region.code
        form = forms.CaseForm(initial=initial, organisations=organisations)
    return _intake_page(request, form, title=_("Record an aspiration or complaint"), public=False)


@login_required
def mine(request: AuthedRequest) -> HttpResponse:
    """Cases the user entered (an RT chair's aspirations), with their status."""
    cases = Case.objects.filter(submitted_by=request.user).select_related("category", "region")
    page = Paginator(cases, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "cases/mine.html", {"page": page})


@require_GET
def similar(request: HttpRequest) -> HttpResponse:
    """Open cases like the one being written (same kelurahan and category), offered to join."""
    found: list[selectors.Similar] = []
    try:
        region = Region.objects.filter(code=request.GET.get("region", ""), level=Region.Level.VILLAGE).first()
        category = Category.objects.filter(pk=int(request.GET.get("category") or 0), is_active=True).first()
    except ValueError:
        region = category = None
    if region is not None and category is not None:
        found = selectors.similar_open(region, category, request.GET.get("description", "")[:5000])
    return render(request, "cases/submit.html#similar", {"similar": found})


@require_GET
@gzip_page
def boundaries(request: HttpRequest) -> HttpResponse:
    """Every kelurahan's simplified boundary, for the intake map (public data); gzipped, about 26 KB
    for Jakarta, so the intake page stays light on a phone."""
    response = HttpResponse(public_boundaries(), content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response


# Tracking ----------------------------------------------------------------------------------------


def _public_case(number: str) -> Case:
    return get_object_or_404(
        Case.objects.select_related("category__parent", "region__parent", "current_unit", "duplicate_of"),
        number=number.strip().upper(),
    )


def _tracking_context(case: Case) -> dict[str, Any]:
    followed = case.duplicate_of if case.status == Case.Status.MERGED and case.duplicate_of else None
    return {
        "case": case,
        "timeline": selectors.timeline(case),
        "followed": followed,
        "followed_timeline": selectors.timeline(followed) if followed else [],
    }


@require_GET
def track_search(request: HttpRequest) -> HttpResponse:
    number = (request.GET.get("number") or "").strip().upper()
    if number:
        if Case.objects.filter(number=number).exists():
            return redirect("cases:track", number)
        return render(request, "cases/track_search.html", {"number": number, "missing": True}, status=404)
    return render(request, "cases/track_search.html", {"number": ""})


@require_GET
def track(request: HttpRequest, number: str) -> HttpResponse:
    """Anyone with the number: status and timeline, without the reporter, the description or photos."""
    case = _public_case(number)
    return render(request, "cases/track.html", _tracking_context(case))


def _reporter_case(number: str, secret: str) -> Case:
    case = _public_case(number)
    if not services.secret_matches(case, secret):
        raise Http404
    return case


@never_cache
@require_GET
def reporter(request: HttpRequest, number: str, secret: str) -> HttpResponse:
    """The reporter's own page (secret link): the tracking page plus their text, photos, proofs,
    rating and dispute."""
    case = _reporter_case(number, secret)
    return render(request, "cases/track.html", _reporter_context(case, secret))


def _reporter_context(
    case: Case, secret: str, rate_form: forms.RateForm | None = None, dispute_form: forms.DisputeForm | None = None
) -> dict[str, Any]:
    deadline = services.dispute_deadline(case)
    return {
        **_tracking_context(case),
        "secret": secret,
        "reporter_view": True,
        "can_rate": case.status in (Case.Status.DONE, Case.Status.REJECTED),
        "can_dispute": deadline is not None and timezone.now() <= deadline,
        "dispute_deadline": deadline,
        "rate_form": rate_form or forms.RateForm(initial={"rating": case.rating, "comment": case.rating_comment}),
        "dispute_form": dispute_form or forms.DisputeForm(),
        "attachments": list(case.attachments.all()),
    }


@require_POST
def rate(request: HttpRequest, number: str, secret: str) -> HttpResponse:
    case = _reporter_case(number, secret)
    form = forms.RateForm(request.POST)
    if form.is_valid():
        try:
            services.case_rate(
                case=case, secret=secret, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]
            )
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("Thank you for your rating."))
            return redirect(services.reporter_url(case))
    return render(request, "cases/track.html", _reporter_context(case, secret, rate_form=form), status=422)


@require_POST
def dispute(request: HttpRequest, number: str, secret: str) -> HttpResponse:
    case = _reporter_case(number, secret)
    form = forms.DisputeForm(request.POST)
    if form.is_valid():
        try:
            services.case_dispute(case=case, secret=secret, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("Your case was reopened."))
            return redirect(services.reporter_url(case))
    return render(request, "cases/track.html", _reporter_context(case, secret, dispute_form=form), status=422)


def _file(attachment: Attachment) -> FileResponse:
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=attachment.content_type, filename=attachment.original_name)
    response["Cache-Control"] = "private, max-age=300"
    response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline")
    return response


@require_GET
def reporter_file(request: HttpRequest, number: str, secret: str, pk: int) -> FileResponse:
    case = _reporter_case(number, secret)
    return _file(get_object_or_404(Attachment, case=case, pk=pk))


# Staff -------------------------------------------------------------------------------------------


def _staff_or_404(request: AuthedRequest) -> None:
    if not is_case_staff(request.user):
        raise Http404


def _case_or_404(request: AuthedRequest, number: str) -> Case:
    _staff_or_404(request)
    return get_object_or_404(
        Case.objects.visible_to(request.user).select_related(
            "category__parent",
            "category__unit",
            "region__parent",
            "current_unit__region",
            "escalated_to",
            "duplicate_of",
            "rw",
            "rt__rw",
        ),
        number=number.strip().upper(),
    )


def _filters(request: HttpRequest) -> selectors.InboxFilters:
    def integer(name: str) -> int | None:
        value = request.GET.get(name, "")
        return int(value) if value.isdigit() else None

    status = request.GET.get("status", "open")
    if status not in {"open", "", *Case.Status.values}:
        status = "open"
    sla = request.GET.get("sla", "")
    return selectors.InboxFilters(
        status=status,
        category=integer("category"),
        area=request.GET.get("area", "").strip()[:13],
        sla=sla if sla in dict(selectors.Sla.CHOICES) else "",
        unit=integer("unit"),
        q=request.GET.get("q", "").strip()[:100],
    )


@login_required
@vary_on_headers("HX-Request")
def inbox(request: AuthedRequest) -> HttpResponse:
    """The staff inbox: the cases routed to the user's units or inside their territory, filtered."""
    _staff_or_404(request)
    filters = _filters(request)
    cases = selectors.inbox(request.user, filters)
    count = selectors.capped_count(cases)
    page = CappedPaginator(selectors.ordered(cases, filters, count=count), PER_PAGE, count=count).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    soon = selectors.soon_limit(today)
    rows = [(case, selectors.sla_state(case, today, soon)) for case in page.object_list]
    context: dict[str, Any] = {
        "page": page,
        "rows": rows,
        "filters": filters,
        "statuses": Case.Status.choices,
        "sla_choices": selectors.Sla.CHOICES,
        "category_choices": selectors.category_choices(),
        "areas": Region.objects.visible_to(request.user)
        .exclude(level=Region.Level.PROVINCE)
        .only("code", "name", "level")
        .order_by("code")[:400],
        "can_bulk": any(r.kind in Role.WRITE_KINDS for r in request.user.active_roles()) or request.user.is_superuser,
        "bulk_units": Unit.objects.filter(is_active=True, kind__in=[Unit.Kind.AGENCY, Unit.Kind.SUB_AGENCY]).order_by(
            "name"
        ),
    }
    if is_htmx(request):
        return render(request, "cases/inbox.html#results", context)
    return render(request, "cases/inbox.html", context)


@login_required
@require_GET
def workload(request: AuthedRequest) -> HttpResponse:
    """Open and overdue cases per unit (the inbox loads it when its panel is opened), a minute old at most."""
    _staff_or_404(request)
    return render(request, "cases/workload.html", {"workload": selectors.workload_cached(request.user)})


@login_required
@require_POST
def bulk(request: AuthedRequest) -> HttpResponse:
    """Pass the chosen cases on to one unit at once (all or none)."""
    _staff_or_404(request)
    numbers = request.POST.getlist("cases")
    cases = list(Case.objects.visible_to(request.user).filter(number__in=numbers))
    if not cases or len(cases) != len(set(numbers)):
        raise Http404
    unit = get_object_or_404(Unit, pk=request.POST.get("unit") or 0, is_active=True)
    try:
        with transaction.atomic():
            done = services.cases_dispose(cases=cases, unit=unit, by=request.user, note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("cases:inbox")
    messages.success(request, _("%(count)d cases were passed on to %(unit)s.") % {"count": done, "unit": unit})
    return redirect("cases:inbox")


def _detail_context(request: AuthedRequest, case: Case, **forms_: Any) -> dict[str, Any]:
    may_act = can_act(request.user, case)
    targets = routing.disposition_targets(case) if may_act and case.is_open else []
    return {
        "case": case,
        "timeline": selectors.timeline(case),
        "attachments": list(case.attachments.all()),
        "may_act": may_act,
        "sla": selectors.sla_state(case),
        "transition_form": forms_.get("transition_form")
        or (forms.TransitionForm(case=case, targets=targets) if may_act and workflow.allowed(case.status) else None),
        "merge_form": forms_.get("merge_form") or (forms.MergeForm() if may_act and case.is_open else None),
        "duplicates": list(case.duplicates.all()),
        "similar": selectors.similar_open(case.region, case.category, case.description, exclude=case.pk)
        if case.is_open
        else [],
        "targets": targets,
    }


@login_required
def detail(request: AuthedRequest, number: str) -> HttpResponse:
    case = _case_or_404(request, number)
    return render(request, "cases/detail.html", _detail_context(request, case))


def _acting(request: AuthedRequest, number: str) -> Case:
    case = _case_or_404(request, number)
    if not can_act(request.user, case):
        raise PermissionDenied
    return case


@login_required
@require_POST
def transition(request: AuthedRequest, number: str) -> HttpResponse:
    case = _acting(request, number)
    targets = routing.disposition_targets(case)
    form = forms.TransitionForm(request.POST, request.FILES, case=case, targets=targets)
    if form.is_valid():
        try:
            services.case_transition(
                case=case,
                to_status=form.cleaned_data["to_status"],
                by=request.user,
                note=form.cleaned_data["note"],
                unit=form.unit_obj(),
                proof=form.cleaned_data["proof"],
            )
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("Case %(number)s was updated.") % {"number": case.number})
            if Case.objects.visible_to(request.user).filter(pk=case.pk).exists():
                return redirect("cases:detail", case.number)
            return redirect("cases:inbox")
    return render(request, "cases/detail.html", _detail_context(request, case, transition_form=form), status=422)


@login_required
@require_POST
def merge(request: AuthedRequest, number: str) -> HttpResponse:
    case = _acting(request, number)
    form = forms.MergeForm(request.POST)
    if form.is_valid():
        into = Case.objects.visible_to(request.user).filter(number=form.cleaned_data["into"].strip().upper()).first()
        if into is None:
            form.add_error("into", _("No case with this number in your area."))
        else:
            try:
                services.case_merge(case=case, into=into, by=request.user, note=form.cleaned_data["note"])
            except ValidationError as exc:
                _attach(form, exc)
            else:
                messages.success(
                    request,
                    _("Case %(number)s was joined with %(into)s.") % {"number": case.number, "into": into.number},
                )
                return redirect("cases:detail", case.number)
    return render(request, "cases/detail.html", _detail_context(request, case, merge_form=form), status=422)


@login_required
@require_POST
def contact(request: AuthedRequest, number: str) -> HttpResponse:
    """Show the reporter's contact to staff who act on the case; the reading is audited."""
    case = _acting(request, number)
    shown = services.contact_reveal(case=case, by=request.user)
    return render(request, "cases/detail.html#contact", {"case": case, "contact": shown})


@login_required
@require_GET
def file(request: AuthedRequest, pk: int) -> FileResponse:
    _staff_or_404(request)
    attachment = get_object_or_404(Attachment.objects.filter(case__in=Case.objects.visible_to(request.user)), pk=pk)
    return _file(attachment)


# Categories (administrators) ---------------------------------------------------------------------


def _admin_or_404(request: AuthedRequest) -> None:
    if not request.user.is_administrator:
        raise Http404


@login_required
def categories(request: AuthedRequest) -> HttpResponse:
    _admin_or_404(request)
    return render(request, "cases/categories.html", {"tree": selectors.category_tree(active_only=False)})


@login_required
def category_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    _admin_or_404(request)
    category = get_object_or_404(Category, pk=pk) if pk else None
    form = forms.CategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.CATEGORY_FIELDS}
        try:
            # The form wrote into its instance; the service compares against the stored row.
            stored = Category.objects.get(pk=category.pk) if category else None
            services.category_save(by=request.user, category=stored, **values)
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("The category was saved."))
            return redirect("cases:categories")
    title = _("Edit category") if category else _("New category")
    return render(
        request,
        "cases/category_form.html",
        {"form": form, "title": title, "back": reverse("cases:categories")},
        status=_status(form),
    )
