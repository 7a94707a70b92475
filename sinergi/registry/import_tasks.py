"""Background tasks of the register's imports and exports. Each takes a job id (and the language
of the user who started it, for the messages) and is safe to run twice."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.conf import settings
from django.tasks import task
from django.utils import translation

from sinergi.core.context import acting_as
from sinergi.registry import exports, imports
from sinergi.registry.models import ExportJob, ImportJob


@contextlib.contextmanager
def _on_behalf_of(user: object, language: str) -> Iterator[None]:
    with acting_as(user, channel="task"), translation.override(language or settings.LANGUAGE_CODE):
        yield


@task
def import_check(job_id: int, language: str = "") -> None:
    """The dry run of an uploaded import."""
    job = ImportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is not None:
        with _on_behalf_of(job.created_by, language):
            imports.import_check(job_id)


@task
def import_run(job_id: int, language: str = "") -> None:
    """Write a checked import the user started."""
    job = ImportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is not None:
        with _on_behalf_of(job.created_by, language):
            imports.import_run(job_id)


@task
def export_run(job_id: int, language: str = "") -> None:
    """Build a large export's file."""
    job = ExportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is not None:
        with _on_behalf_of(job.created_by, language):
            exports.export_run(job_id)
