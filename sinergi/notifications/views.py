"""The in-app inbox: a user's own notifications, marked read one by one or all at once."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from sinergi.core.htmx import is_htmx
from sinergi.core.http import AuthedRequest
from sinergi.notifications import selectors, services
from sinergi.notifications.models import Notification

PAGE_SIZE = 30


def _page_context(request: AuthedRequest) -> dict[str, object]:
    unread_only = request.GET.get("filter") == "unread"
    notifications = selectors.inbox(user=request.user, unread_only=unread_only)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return {"page": page, "unread_only": unread_only}


def _own(request: AuthedRequest, pk: int) -> Notification:
    # Another user's notification answers 404, exactly like one that does not exist.
    return get_object_or_404(selectors.inbox(user=request.user), pk=pk)


@login_required
@require_GET
@vary_on_headers("HX-Request")
def inbox(request: AuthedRequest) -> HttpResponse:
    template = "notifications/inbox.html#list" if is_htmx(request) else "notifications/inbox.html"
    return render(request, template, _page_context(request))


@login_required
@require_POST
def read(request: AuthedRequest, pk: int) -> HttpResponse:
    notification = services.notification_mark_read(user=request.user, notification=_own(request, pk))
    if is_htmx(request):
        context = {"notification": notification, "unread_count": selectors.unread_count(user=request.user)}
        return render(request, "notifications/updated.html", context)
    return redirect("notifications:inbox")


@login_required
@require_POST
def open_notification(request: AuthedRequest, pk: int) -> HttpResponse:
    """Mark the notification read and follow its link, which must lead inside this site."""
    notification = services.notification_mark_read(user=request.user, notification=_own(request, pk))
    safe = url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(notification.url if notification.url and safe else reverse("notifications:inbox"))


@login_required
@require_POST
def read_all(request: AuthedRequest) -> HttpResponse:
    services.notifications_mark_all_read(user=request.user)
    if is_htmx(request):
        context = _page_context(request) | {"unread_count": 0}
        return render(request, "notifications/updated.html", context)
    return redirect(
        reverse("notifications:inbox") + ("?filter=unread" if request.GET.get("filter") == "unread" else "")
    )
