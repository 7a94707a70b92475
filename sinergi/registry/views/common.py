"""What every register page shares: reading an organisation through the user's scope (404 when it
is missing or out of scope, 403 when it is seen but may not be changed), the one form page, and
serving stored files through views that checked the scope, never through public media URLs."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from sinergi.accounts.models import Role, User
from sinergi.core.http import AuthedRequest
from sinergi.registry import permissions
from sinergi.registry.models import Organisation

PER_PAGE = 25


# Access ------------------------------------------------------------------------------------------


def organisation_or_404(request: AuthedRequest, pk: int) -> Organisation:
    """The organisation if the user sees it; 404 for one that does not exist and one out of scope."""
    return get_object_or_404(
        Organisation.objects.visible_to(request.user).select_related("kind", "region", "rw", "rt__rw", "parent"), pk=pk
    )


def editable_or_403(request: AuthedRequest, pk: int) -> Organisation:
    """An organisation the user sees and may change (403 when they only see it)."""
    organisation = organisation_or_404(request, pk)
    if not permissions.can_edit(request.user, organisation):
        raise PermissionDenied
    return organisation


def represented_or_editable(request: AuthedRequest, pk: int) -> Organisation:
    """An organisation the user changes as staff or as its representative (403 otherwise)."""
    organisation = organisation_or_404(request, pk)
    if not permissions.can_edit_or_represent(request.user, organisation):
        raise PermissionDenied
    return organisation


def in_scope(request: AuthedRequest) -> QuerySet[Organisation]:
    """The organisations the user sees: files and officers are reached only through them."""
    return Organisation.objects.visible_to(request.user)


# Services name some fields as the model does; the forms use shorter names.
FIELD_ALIASES = {
    "status_reason": "reason",
    "status_since": "on",
    "end_reason": "reason",
    "outcome_on": "on",
    "decision_reason": "reason",
}


def attach(form: BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            name = FIELD_ALIASES.get(field, field)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def form_page(
    request: AuthedRequest,
    form: BaseForm,
    *,
    title: str,
    submit: str,
    organisation: Organisation | None = None,
    intro: str = "",
    back: str = "",
    status: int = 200,
) -> HttpResponse:
    """The one form page of the register: a narrow column that reads well on a phone."""
    if not back and organisation is not None:
        back = reverse("registry:detail", args=[organisation.pk])
    return render(
        request,
        "registry/form.html",
        {"form": form, "title": title, "submit": submit, "organisation": organisation, "intro": intro, "back": back},
        status=status,
    )


def form_status(form: BaseForm) -> int:
    """The status of a page that shows a form again with errors (helps htmx and tests tell)."""
    return 422 if form.is_bound and form.errors else 200


def file_response(field_file: FieldFile, *, filename: str = "", inline: bool = False) -> FileResponse:
    """A stored file, served by a view that checked scope: never a public media URL."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = filename or (field_file.name or "").rsplit("/", 1)[-1]
    response = FileResponse(handle, as_attachment=not inline, filename=name)
    response["Cache-Control"] = "private, max-age=300"
    return response


def writes_somewhere(user: User) -> bool:
    """Whether the user registers organisations anywhere (an operator or administrator)."""
    return user.is_superuser or any(r.kind in Role.WRITE_KINDS for r in user.active_roles())


def represented(request: AuthedRequest) -> QuerySet[Organisation]:
    """The organisations the user represents (not those they serve as FKDM member)."""
    ids = [
        r.organisation_id
        for r in request.user.active_roles()
        if r.kind == Role.Kind.ORG_REPRESENTATIVE and r.organisation_id
    ]
    return Organisation.objects.filter(pk__in=ids).select_related("kind", "region", "rw", "rt__rw")


def home_of(request: AuthedRequest, organisation: Organisation) -> str:
    """Where a page of this organisation goes back to: the representative's own page, or the register's."""
    if permissions.can_represent(request.user, organisation) and not permissions.can_edit(request.user, organisation):
        return reverse("registry:mine-detail", args=[organisation.pk])
    return reverse("registry:detail", args=[organisation.pk])
