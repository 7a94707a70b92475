"""The participant's own page, opened by the secret token in their QR code and invitation, without
an account: their QR code, their check-in on each day, the commitments to sign (typed name and a
signature drawn on the phone), and the after stage's links (tests, survey, certificate)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sinergi.core import context as request_context
from sinergi.core.pdf import qr_data_uri
from sinergi.events import permissions
from sinergi.events.forms_day import SignForm
from sinergi.events.models import Event, Participant
from sinergi.events.selectors import day as selectors
from sinergi.events.services.day_commitments import commitment_sign, text_digest


def participant_url(request: HttpRequest, participant: Participant) -> str:
    """The absolute address of the participant's page: what their QR code holds."""
    return request.build_absolute_uri(reverse("events:participant", args=[participant.token]))


def _private(response: HttpResponse) -> HttpResponse:
    # The address is the key to the page: keep it out of caches, other sites' referrers and search engines
    # ("same-origin", not "no-referrer": the browser must still send the Origin its CSRF check reads).
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _page(
    request: HttpRequest, participant: Participant, *, errors: dict[int, Any] | None = None, status: int = 200
) -> HttpResponse:
    state = selectors.participant_state(participant)
    errors = errors or {}
    commitments = []
    for commitment, signature in state.commitments:
        bound = errors.get(commitment.pk)
        form = bound or SignForm(initial={"digest": text_digest(commitment.text)})
        commitments.append((commitment, signature, form))
    context = {
        "participant": participant,
        "event": participant.event,
        "days": state.days,
        "commitments": commitments,
        "qr": qr_data_uri(participant_url(request, participant), scale=6),
        "url": participant_url(request, participant),
        "can_sign": participant.status == Participant.Status.REGISTERED
        and participant.event.status in (Event.Status.PUBLISHED, Event.Status.RUNNING),
    }
    return _private(render(request, "events/day/participant.html", context, status=status))


@require_GET
def participant_page(request: HttpRequest, token: str) -> HttpResponse:
    participant = permissions.participant_by_token(token)
    return _page(request, participant)


@require_POST
def commitment_sign_view(request: HttpRequest, token: str, commitment_pk: int) -> HttpResponse:
    """Sign one commitment of the event: the text's digest from the page must still match it."""
    participant = permissions.participant_by_token(token)
    commitment = get_object_or_404(
        participant.event.commitments.select_related("text", "event__region"), pk=commitment_pk
    )
    form = SignForm(request.POST)
    problem: ValidationError | None = None
    if form.is_valid():
        try:
            commitment_sign(
                participant=participant,
                commitment=commitment,
                typed_name=form.cleaned_data["typed_name"],
                drawn=form.cleaned_data["drawn"],
                digest=form.cleaned_data["digest"],
                ip_address=request_context.current().ip or None,
                user_agent=request.headers.get("User-Agent", ""),
            )
        except ValidationError as exc:
            problem = exc
        else:
            messages.success(request, _("Thank you: you signed %(title)s.") % {"title": commitment.text.title})
            return _private(redirect(reverse("events:participant", args=[token]) + f"#commitment-{commitment.pk}"))
    # Shown again with the text as it is now (its digest) and an empty signature box to draw again.
    data = request.POST.copy()
    data["digest"], data["drawn"] = text_digest(commitment.text), ""
    shown = SignForm(data)
    shown.is_valid()
    for name, texts in form.errors.items():
        if name not in ("digest", "drawn"):
            shown.add_error(name if name != "__all__" else None, [str(t) for t in texts])
    if problem is not None:
        if hasattr(problem, "error_dict"):
            for field, messages_ in problem.message_dict.items():
                shown.add_error(field if field in shown.fields and field != "drawn" else None, messages_)
        else:
            shown.add_error(None, problem.messages)
    return _page(request, participant, errors={commitment.pk: shown}, status=422)
