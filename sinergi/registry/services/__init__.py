"""Writes to the register. Every change goes through one of these functions.

Each is atomic, checks that ``by`` may make the change (``PermissionDenied``) and that the data is
right (``ValidationError`` with messages for the user), writes one audit event named
``registry.<object>.<verb>`` in the organisation's territory, and leaves mail for after the commit.
A NIK never reaches the audit log, a change request or any column in plain text.

Callers use ``from sinergi.registry import services`` and ``services.<function>``; the functions
live in ``organisations``, ``persons`` (and officers) and ``selfservice``.
"""

from sinergi.registry.services._common import CONTACT_FIELDS, ORGANISATION_FIELDS, ORMAS_FIELDS, PERSON_FIELDS
from sinergi.registry.services.organisations import (
    activity_report_add,
    coaching_note_add,
    document_add,
    organisation_create,
    organisation_set_status,
    organisation_update,
    ormas_profile_save,
    sanction_issue,
    sanction_resolve,
)
from sinergi.registry.services.persons import (
    officer_appoint,
    officer_end,
    person_create,
    person_reveal_nik,
    person_update,
)
from sinergi.registry.services.selfservice import (
    change_request_decide,
    change_request_submit,
    representative_grant,
    representative_revoke,
)

__all__ = [
    "CONTACT_FIELDS",
    "ORGANISATION_FIELDS",
    "ORMAS_FIELDS",
    "PERSON_FIELDS",
    "activity_report_add",
    "change_request_decide",
    "change_request_submit",
    "coaching_note_add",
    "document_add",
    "officer_appoint",
    "officer_end",
    "organisation_create",
    "organisation_set_status",
    "organisation_update",
    "ormas_profile_save",
    "person_create",
    "person_reveal_nik",
    "person_update",
    "representative_grant",
    "representative_revoke",
    "sanction_issue",
    "sanction_resolve",
]
