"""Background work of personal-data protection. Each task takes ids and is safe to run twice."""

from __future__ import annotations

from django.tasks import task

from sinergi.core.context import acting_as
from sinergi.privacy import services
from sinergi.privacy.models import DataSubjectRequest


@task
def build_access_export(request_id: int) -> None:
    """Build an access request's files, on behalf of the staff member who recorded it."""
    request = DataSubjectRequest.objects.select_related("recorded_by").filter(pk=request_id).first()
    if request is not None:
        with acting_as(request.recorded_by, channel="task"):
            services.request_build_export(request_id=request_id)


@task
def apply_retention() -> None:
    """Periodic (daily): delete or anonymise what has outlived its retention period."""
    with acting_as(None, channel="task"):
        services.retention_apply()
