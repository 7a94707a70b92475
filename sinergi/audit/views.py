from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.vary import vary_on_headers

from sinergi.audit.models import AuditEvent
from sinergi.core.htmx import is_htmx
from sinergi.core.http import AuthedRequest


class AuditFilter(forms.Form):
    q = forms.CharField(label=_("Actor, object or request id"), required=False)
    action = forms.CharField(label=_("Action"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


@login_required
@vary_on_headers("HX-Request")
def event_list(request: AuthedRequest) -> HttpResponse:
    """Administrators browse the audit log of their territory."""
    if not request.user.is_administrator:
        raise Http404
    events = AuditEvent.objects.visible_to(request.user)
    form = AuditFilter(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            events = events.filter(
                Q(actor_label__icontains=data["q"]) | Q(object_repr__icontains=data["q"]) | Q(request_id=data["q"])
            )
        if data["action"]:
            events = events.filter(action__startswith=data["action"])
        if data["date_from"]:
            events = events.filter(created_at__date__gte=data["date_from"])
        if data["date_to"]:
            events = events.filter(created_at__date__lte=data["date_to"])
    page = Paginator(events.only(*LIST_FIELDS), 50).get_page(request.GET.get("page"))
    template = "audit/event_list.html#results" if is_htmx(request) else "audit/event_list.html"
    return render(request, template, {"page": page, "form": form})


LIST_FIELDS = [
    "id",
    "created_at",
    "actor_label",
    "action",
    "object_type",
    "object_repr",
    "region_code",
    "ip",
    "request_id",
    "channel",
]


@login_required
def event_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    if not request.user.is_administrator:
        raise Http404
    event = get_object_or_404(AuditEvent.objects.visible_to(request.user), pk=pk)
    return render(request, "audit/event_detail.html", {"event": event})
