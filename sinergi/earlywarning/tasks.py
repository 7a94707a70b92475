"""Scheduled and background work of early warning.

- ``evaluate_rules`` (periodic, every 15 minutes): every escalation rule over recent reports; each
  incident alerts once (``escalation``).
- ``send_compliance_reminders`` (periodic, daily): tell each FKDM member who has not filed a report
  or nihil in the current period of the rhythm; once per member and period (the notification key
  names both), so running it twice tells nobody twice.
- ``make_situation_report``: the weekly situation report's PDF.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from sinergi.accounts.models import Role, User
from sinergi.audit.services import record
from sinergi.core.context import acting_as
from sinergi.core.pdf import render_pdf
from sinergi.earlywarning import escalation, permissions, selectors
from sinergi.earlywarning.models import Report, SituationReport
from sinergi.earlywarning.services import reports_per_days
from sinergi.notifications.services import notify

BATCH = 300


@task
def evaluate_rules() -> int:
    """Evaluate every active escalation rule; returns how many alerts were raised."""
    with acting_as(None, channel="task"), translation.override(settings.LANGUAGE_CODE):
        return len(escalation.evaluate_rules())


@task
def send_compliance_reminders() -> int:
    """Remind the members who are behind in the current period; returns how many were reminded."""
    with acting_as(None, channel="task"), translation.override(settings.LANGUAGE_CODE):
        return compliance_reminders_send()


def compliance_reminders_send() -> int:
    today = timezone.localdate()
    needed, days = reports_per_days()
    period = selectors.period_of(today, days)
    start = today.fromordinal(period * days)
    roles = Role.objects.filter(
        kind=Role.Kind.FKDM_MEMBER,
        is_active=True,
        user__is_active=True,
        organisation__kind__code=permissions.FKDM_KIND,
    ).order_by("user_id")
    member_ids = list(roles.values_list("user_id", flat=True).distinct())
    reminded = 0
    for i in range(0, len(member_ids), BATCH):
        batch = member_ids[i : i + BATCH]
        filed: dict[int, int] = {}
        for reporter_id in Report.objects.filter(
            reporter_id__in=batch, for_date__gte=start, for_date__lte=today
        ).values_list("reporter_id", flat=True):
            filed[reporter_id] = filed.get(reporter_id, 0) + 1
        behind = [pk for pk in batch if filed.get(pk, 0) < needed]
        if not behind:
            continue
        if days == 1:
            title = _("You have not sent your early-warning report for today")
        else:
            title = _("You have not sent your early-warning reports since %(date)s") % {
                "date": formats.date_format(start, "DATE_FORMAT")
            }
        body = _(
            'FKDM members send at least %(count)s report(s) or "nihil" every %(days)s day(s). '
            "Open Sinergi on your phone and send a report, or nihil if there is nothing to report."
        ) % {"count": needed, "days": days}
        reminded += notify(
            users=User.objects.filter(pk__in=behind),
            key=f"earlywarning.reminder:{start.isoformat()}",
            title=title,
            body=body,
            url=reverse("earlywarning:submit"),
        )
    return reminded


@task
def make_situation_report(job_id: int) -> str:
    """Make the PDF of a weekly situation report; safe to run twice (a finished one is left alone)."""
    with acting_as(None, channel="task"), translation.override(settings.LANGUAGE_CODE):
        job = SituationReport.objects.select_related("region", "created_by").filter(pk=job_id).first()
        if job is None or job.status == SituationReport.Status.DONE:
            return "skipped"
        SituationReport.objects.filter(pk=job.pk).update(status=SituationReport.Status.RUNNING)
        try:
            summary = selectors.weekly_summary(job.region, job.week_start)
            content = render_pdf(
                "earlywarning/pdf/weekly.html",
                {"job": job, "region": job.region, "week_end": job.week_start + datetime.timedelta(days=6), **summary},
            )
        except Exception:
            SituationReport.objects.filter(pk=job.pk).update(status=SituationReport.Status.FAILED)
            raise
        with transaction.atomic():
            job.file.save(
                f"situasi-{job.region.code_nodot}-{job.week_start:%Y%m%d}-{job.pk}.pdf",
                ContentFile(content),
                save=False,
            )
            job.status = SituationReport.Status.DONE
            job.finished_at = timezone.now()
            job.save(update_fields=["file", "status", "finished_at"])
            record(
                action="earlywarning.situation.made",
                obj=job,
                region_code=job.region.code,
                changes={"size": len(content)},
            )
        return "done"
