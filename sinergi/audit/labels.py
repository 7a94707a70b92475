"""Audit actions in words: "registry.organisation.create" reads "Organisation: created".

An action is ``<app>.<thing>.<verb>``; the thing is named by the object's model (its translated
verbose name) and the verb by ``VERBS``. An action with a verb not listed here keeps its code, so a
new action is never mislabelled, only left technical."""

from __future__ import annotations

from django.apps import apps
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import pgettext_lazy

VERBS: dict[str, Promise] = {
    "create": pgettext_lazy("audit", "created"),
    "bulk_create": pgettext_lazy("audit", "created in bulk"),
    "update": pgettext_lazy("audit", "changed"),
    "delete": pgettext_lazy("audit", "deleted"),
    "view": pgettext_lazy("audit", "viewed"),
    "publish": pgettext_lazy("audit", "published"),
    "cancel": pgettext_lazy("audit", "cancelled"),
    "finish": pgettext_lazy("audit", "finished"),
    "send": pgettext_lazy("audit", "sent"),
    "answer": pgettext_lazy("audit", "answered"),
    "register": pgettext_lazy("audit", "registered"),
    "check_in": pgettext_lazy("audit", "checked in"),
    "sign": pgettext_lazy("audit", "signed"),
    "submit": pgettext_lazy("audit", "submitted"),
    "transition": pgettext_lazy("audit", "status changed"),
    "status": pgettext_lazy("audit", "status changed"),
    "validate": pgettext_lazy("audit", "validated"),
    "reject": pgettext_lazy("audit", "rejected"),
    "reopen": pgettext_lazy("audit", "reopened"),
    "rate": pgettext_lazy("audit", "rated"),
    "dispute": pgettext_lazy("audit", "disputed"),
    "merge": pgettext_lazy("audit", "merged"),
    "link": pgettext_lazy("audit", "linked"),
    "acknowledge": pgettext_lazy("audit", "acknowledged"),
    "verify": pgettext_lazy("audit", "verified"),
    "escalate": pgettext_lazy("audit", "escalated"),
    "compute": pgettext_lazy("audit", "computed"),
    "issue": pgettext_lazy("audit", "issued"),
    "revoke": pgettext_lazy("audit", "revoked"),
    "grant": pgettext_lazy("audit", "granted"),
    "appoint": pgettext_lazy("audit", "appointed"),
    "end": pgettext_lazy("audit", "ended"),
    "approve": pgettext_lazy("audit", "approved"),
    "decide": pgettext_lazy("audit", "decided"),
    "generate": pgettext_lazy("audit", "generated"),
    "upload": pgettext_lazy("audit", "uploaded"),
    "download": pgettext_lazy("audit", "downloaded"),
    "import": pgettext_lazy("audit", "imported"),
    "export": pgettext_lazy("audit", "exported"),
    "reveal_nik": pgettext_lazy("audit", "NIK revealed"),
    "anonymise": pgettext_lazy("audit", "anonymised"),
    "login": pgettext_lazy("audit", "signed in"),
    "logout": pgettext_lazy("audit", "signed out"),
    "login_failed": pgettext_lazy("audit", "failed sign-in"),
    "lockout": pgettext_lazy("audit", "locked out"),
    "enable": pgettext_lazy("audit", "switched on"),
    "disable": pgettext_lazy("audit", "switched off"),
    "reset": pgettext_lazy("audit", "reset"),
}


def action_label(action: str, object_type: str = "") -> str:
    """The action in the user's language, or its code when the verb or the thing is unknown."""
    verb = VERBS.get(action.rsplit(".", 1)[-1])
    if verb is None:
        return action
    thing = ""
    if object_type:
        try:
            thing = str(capfirst(apps.get_model(object_type)._meta.verbose_name))
        except (LookupError, ValueError):
            thing = ""
    if not thing:
        return action
    return f"{thing}: {verb}"
