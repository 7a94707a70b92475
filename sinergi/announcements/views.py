"""Pages of the announcements app.

Staff (``/informasi/``): the list of announcements they may see, writing and targeting one with a
live preview of its recipients, sending it, the fan-out's progress (htmx polling), and the progress
page by area with a map and the organisations that are late. Representatives
(``/informasi/kotak-masuk/``): their organisations' inbox on a phone, where opening counts as read,
then acknowledge, report the relay with photos, and ask a question.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from sinergi.announcements import selectors, services
from sinergi.announcements.forms import AnnouncementForm, AnswerForm, AudienceForm, QuestionForm, RelayReportForm
from sinergi.announcements.models import Announcement, Attachment, Delivery, DeliveryTally, Question, RelayPhoto
from sinergi.core.htmx import is_htmx
from sinergi.core.http import AuthedRequest
from sinergi.registry import targeting
from sinergi.registry.models import OrganisationKind
from sinergi.registry.views.common import attach, file_response, form_status
from sinergi.territory.models import Region

PER_PAGE = 25


# Access ------------------------------------------------------------------------------------------


def _announcement(request: AuthedRequest, pk: int) -> Announcement:
    """An announcement the staff user sees; 404 for one missing or out of scope."""
    return get_object_or_404(
        Announcement.objects.visible_to(request.user).select_related("unit__region", "created_by", "sent_by"), pk=pk
    )


def _managed(request: AuthedRequest, pk: int) -> Announcement:
    announcement = _announcement(request, pk)
    if not services.can_manage(request.user, announcement):
        raise PermissionDenied
    return announcement


def _delivery(request: AuthedRequest, pk: int) -> Delivery:
    """One of the representative's own deliveries; any other answers 404."""
    return get_object_or_404(
        Delivery.objects.of_representative(request.user).select_related(
            "announcement__unit__region", "organisation__kind", "organisation__region"
        ),
        pk=pk,
    )


def _require_sender(request: AuthedRequest) -> None:
    if not request.user.is_government_staff:
        raise Http404
    if not services.can_send(request.user):
        raise PermissionDenied


# Staff -------------------------------------------------------------------------------------------


@login_required
@require_GET
def announcement_list(request: AuthedRequest) -> HttpResponse:
    """Staff: the announcements they see. A representative goes to the inbox."""
    if not request.user.is_government_staff:
        return redirect("announcements:inbox")
    announcements = Announcement.objects.visible_to(request.user).select_related("unit")
    status = request.GET.get("status", "")
    if status in Announcement.Status.values:
        announcements = announcements.filter(status=status)
    query = request.GET.get("q", "").strip()
    if query:
        announcements = announcements.filter(Q(title__icontains=query) | Q(source_name__icontains=query))
    page = Paginator(announcements.order_by("-created_at", "-pk"), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "q": query,
        "statuses": Announcement.Status.choices,
        "can_send": services.can_send(request.user),
    }
    return render(request, "announcements/list.html", context)


def _form_page(request: AuthedRequest, form: AnnouncementForm, announcement: Announcement | None) -> HttpResponse:
    context = {
        "form": form,
        "announcement": announcement,
        "kinds": dict(OrganisationKind.objects.values_list("code", "name")),
    }
    return render(request, "announcements/form.html", context, status=form_status(form))


@login_required
def announcement_create(request: AuthedRequest) -> HttpResponse:
    """Write and target a new announcement; it is saved as a draft and sent from its page."""
    _require_sender(request)
    units = services.sender_units(request.user)
    form = AnnouncementForm(request.POST or None, request.FILES or None, user=request.user, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            announcement = services.announcement_create(
                by=request.user,
                unit=form.cleaned_data["unit"],
                audience=form.audience(),
                attachments=form.cleaned_data["attachments"],
                **form.values(),
            )
        except ValidationError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("Draft saved. Check the recipients, then send it."))
            return redirect("announcements:detail", pk=announcement.pk)
    return _form_page(request, form, None)


@login_required
def announcement_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    announcement = _managed(request, pk)
    if announcement.status not in (Announcement.Status.DRAFT, Announcement.Status.SCHEDULED):
        raise PermissionDenied
    units = [announcement.unit]
    form = AnnouncementForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        units=units,
        initial=AnnouncementForm.initial_of(announcement),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.announcement_update(
                by=request.user,
                announcement=announcement,
                audience=form.audience(),
                attachments=form.cleaned_data["attachments"],
                **form.values(),
            )
        except ValidationError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("announcements:detail", pk=announcement.pk)
    return _form_page(request, form, announcement)


@login_required
@require_GET
def audience_preview(request: AuthedRequest) -> HttpResponse:
    """htmx: how many organisations of each kind the audience being written would reach."""
    _require_sender(request)
    form = AudienceForm(request.GET, user=request.user)
    counts: dict[str, int] = {}
    error = ""
    if form.is_valid():
        audience = form.audience()
        try:
            targeting.validate(audience, user=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            counts = targeting.preview(audience, user=request.user)
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    names = dict(OrganisationKind.objects.values_list("code", "name"))
    rows = [(names.get(code, code), n) for code, n in counts.items()]
    context = {"rows": rows, "total": sum(counts.values()), "error": error}
    return render(request, "announcements/_preview.html", context)


@login_required
@require_GET
def announcement_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    announcement = _announcement(request, pk)
    audience = targeting.Audience.from_json(announcement.audience)
    deliveries = selectors.visible_deliveries(request.user, announcement)
    can_manage = services.can_manage(request.user, announcement)
    names = dict(OrganisationKind.objects.values_list("code", "name"))
    regions = dict(Region.objects.filter(code__in=audience.region_codes).values_list("code", "name"))
    context = {
        "announcement": announcement,
        "can_manage": can_manage,
        "audience_kinds": [names.get(k, k) for k in audience.kinds],
        "audience_regions": [f"{c} {regions.get(c, '')}" for c in audience.region_codes],
        "audience_named": len(audience.organisation_ids),
        "preview": (
            [(names.get(k, k), n) for k, n in targeting.preview(audience, user=request.user).items()]
            if announcement.status == Announcement.Status.DRAFT
            else []
        ),
        "totals": (
            selectors.totals(selectors.visible_tallies(request.user, announcement))
            if announcement.status != Announcement.Status.DRAFT
            else None
        ),
        # Questions of the organisations the user sees (all of them for the sending unit).
        "questions": announcement.questions.filter(delivery__in=deliveries)
        .select_related("delivery__organisation", "answer")
        .order_by("asked_at"),
        "answer_form": AnswerForm(),
        "attachments": announcement.attachments.all(),
    }
    return render(request, "announcements/detail.html", context)


@login_required
@require_GET
@vary_on_headers("HX-Request")
def fanout_status(request: AuthedRequest, pk: int) -> HttpResponse:
    """htmx polling: the fan-out's progress bar (it stops polling once every batch is done)."""
    announcement = _announcement(request, pk)
    return render(request, "announcements/detail.html#fanout", {"announcement": announcement})


@login_required
@require_POST
def announcement_send(request: AuthedRequest, pk: int) -> HttpResponse:
    announcement = _managed(request, pk)
    try:
        announcement = services.announcement_send(by=request.user, announcement=announcement)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if announcement.status == Announcement.Status.SCHEDULED:
            messages.success(request, _("Scheduled: it goes out at the publish time."))
        else:
            messages.success(
                request, _("Sending to %(count)d organisations.") % {"count": announcement.recipients_total}
            )
    return redirect("announcements:detail", pk=announcement.pk)


@login_required
@require_POST
def announcement_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    announcement = _managed(request, pk)
    try:
        services.announcement_cancel(by=request.user, announcement=announcement)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Announcement cancelled."))
    return redirect("announcements:detail", pk=announcement.pk)


@login_required
@require_POST
def question_answer(request: AuthedRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(
        Question.objects.filter(announcement__in=Announcement.objects.visible_to(request.user)).select_related(
            "announcement__unit__region", "delivery"
        ),
        pk=pk,
    )
    if not services.can_manage(request.user, question.announcement):
        raise PermissionDenied
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.question_answer(by=request.user, question=question, text=form.cleaned_data["text"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Answer published to every recipient."))
    else:
        messages.error(request, _("Write the answer."))
    return redirect(reverse("announcements:detail", args=[question.announcement_id]) + "#questions")


@login_required
@require_GET
def progress(request: AuthedRequest, pk: int) -> HttpResponse:
    """Rates by area (drill down kota → kecamatan → kelurahan), a map, and who is late."""
    announcement = _announcement(request, pk)
    tallies = selectors.visible_tallies(request.user, announcement)
    top = selectors.common_area(tallies)
    code = request.GET.get("area", "") or top
    if code and not (code == top or code.startswith(f"{top}.") or not top):
        code = top
    region = Region.objects.filter(code=code).only("code", "name", "level").first() if code else None
    area_tallies = selectors.in_area(tallies, code) if code != top else tallies
    rows = selectors.rates_by_area(area_tallies, code)
    totals = selectors.summed(rows)
    deliveries = selectors.visible_deliveries(request.user, announcement)
    area = selectors.in_area(deliveries, code) if code != top else deliveries
    late_page = selectors.late_page(announcement, area, totals, request.GET.get("page"))
    breadcrumbs = []
    if region is not None:
        parts = code.split(".")
        codes = [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
        found = {r.code: r for r in Region.objects.filter(code__in=codes).only("code", "name", "level")}
        breadcrumbs = [found[c] for c in codes if c in found and (c == top or c.startswith(f"{top}."))]
    map_region = region if region is not None and region.level != Region.Level.PROVINCE else None
    if map_region is not None and not Region.objects.visible_to(request.user).filter(pk=map_region.pk).exists():
        map_region = None
    context = {
        "announcement": announcement,
        "region": region,
        "code": code,
        "top": top,
        "breadcrumbs": breadcrumbs,
        "totals": totals,
        "rows": rows,
        "late_page": late_page,
        "map_region": map_region,
        "map_rates": _map_rates(area_tallies, code, rows) if map_region is not None else {},
    }
    return render(request, "announcements/progress.html", context)


def _map_rates(area: QuerySet[DeliveryTally], code: str, rows: list[selectors.Rates]) -> dict[str, Any]:
    """Rates per kelurahan for the map: a kecamatan's rows already are; above, its kelurahan's tallies."""
    if len(code) == 8:
        return {row.code: row.as_json() for row in rows if len(row.code) == 13}
    return selectors.rates_by_kelurahan(area)


@login_required
@require_GET
def attachment_file(request: AuthedRequest, pk: int) -> FileResponse:
    """An attachment, for staff who see the announcement and for its recipients."""
    mine = Delivery.objects.of_representative(request.user).values("announcement_id")
    attachment = get_object_or_404(
        Attachment.objects.filter(
            Q(announcement__in=Announcement.objects.visible_to(request.user)) | Q(announcement_id__in=mine)
        ),
        pk=pk,
    )
    return file_response(attachment.file, filename=attachment.name, inline=True)


@login_required
@require_GET
def relay_photo(request: AuthedRequest, pk: int) -> FileResponse:
    """A relay photo, for the organisation that filed it and staff who see its delivery."""
    photo = get_object_or_404(RelayPhoto.objects.select_related("report__delivery__announcement__unit__region"), pk=pk)
    delivery = photo.report.delivery
    own = Delivery.objects.of_representative(request.user).filter(pk=delivery.pk).exists()
    if not own:
        announcement = Announcement.objects.visible_to(request.user).filter(pk=delivery.announcement_id).first()
        if (
            announcement is None
            or not selectors.visible_deliveries(request.user, announcement).filter(pk=delivery.pk).exists()
        ):
            raise Http404
    return file_response(photo.image, inline=True)


# Representatives ---------------------------------------------------------------------------------


@login_required
@require_GET
def inbox(request: AuthedRequest) -> HttpResponse:
    """The announcements delivered to the organisations the user represents, unread first."""
    deliveries = selectors.inbox(request.user)
    page = Paginator(deliveries, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "announcements/inbox.html", {"page": page})


def _delivery_context(request: AuthedRequest, delivery: Delivery, **extra: Any) -> dict[str, Any]:
    return {
        "delivery": delivery,
        "announcement": delivery.announcement,
        "attachments": delivery.announcement.attachments.all(),
        "reports": delivery.relay_reports.prefetch_related("photos"),
        "questions": selectors.questions_for(delivery),
        "question_form": QuestionForm(),
        **extra,
    }


@login_required
@require_GET
def delivery_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The announcement on a phone; the first opening by a representative counts as read."""
    delivery = services.delivery_open(by=request.user, delivery=_delivery(request, pk))
    return render(request, "announcements/delivery.html", _delivery_context(request, delivery))


@login_required
@require_POST
def delivery_acknowledge(request: AuthedRequest, pk: int) -> HttpResponse:
    delivery = services.delivery_acknowledge(by=request.user, delivery=_delivery(request, pk))
    if is_htmx(request):
        return render(
            request,
            "announcements/delivery.html#acknowledgement",
            {"delivery": delivery, "announcement": delivery.announcement},
        )
    messages.success(request, _("Thank you: receipt acknowledged."))
    return redirect("announcements:delivery", pk=delivery.pk)


@login_required
def relay_create(request: AuthedRequest, pk: int) -> HttpResponse:
    """File how the organisation passed the announcement on: method, date, residents, photos."""
    delivery = _delivery(request, pk)
    form = RelayReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.relay_report_file(by=request.user, delivery=delivery, **form.cleaned_data)
        except ValidationError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("Relay report saved. Thank you for passing it on."))
            return redirect("announcements:delivery", pk=delivery.pk)
    context = {"form": form, "delivery": delivery, "announcement": delivery.announcement}
    return render(request, "announcements/relay_form.html", context, status=form_status(form))


@login_required
@require_POST
def question_create(request: AuthedRequest, pk: int) -> HttpResponse:
    delivery = _delivery(request, pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.question_ask(by=request.user, delivery=delivery, text=form.cleaned_data["text"])
        except ValidationError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("Question sent. The answer will appear here."))
            return redirect("announcements:delivery", pk=delivery.pk)
    context = _delivery_context(request, delivery, question_form=form)
    return render(request, "announcements/delivery.html", context, status=422)
