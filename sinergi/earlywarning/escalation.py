"""Escalation: the rules administrators set raise alerts to Kesbangpol and the Camat.

A report's own rules (any report of a severity; several reports in one kecamatan within hours) are
evaluated when it is filed; all rules, the weekly trend among them, again by the periodic task
``tasks.evaluate_rules``. Each incident has a key (``Alert.incident_key``, unique in the database),
so however often and however concurrently the rules run, an incident alerts once:

- severity: ``r<rule>:report:<report>``, one alert per report;
- cluster: ``r<rule>:<kecamatan>:<first report of the burst>``; while an alert of the rule for the
  kecamatan is younger than the rule's hours, more reports join it instead of raising another;
- trend: ``r<rule>:<kecamatan>:<ISO week>``, at most one a week per kecamatan.

Alerts go, in the inbox and by e-mail, to the operators and administrators of the kecamatan office
(the Camat) and of the province office (Kesbangpol). The message names the rule and the area only:
what the reports say stays behind the sign-in.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import Role, Unit, User
from sinergi.audit.services import record
from sinergi.earlywarning.models import Alert, EscalationRule, Report
from sinergi.notifications.services import notify
from sinergi.territory.models import Region

TREND_DAYS = 7
MAX_ALERT_REPORTS = 500


def kecamatan_of(area_code: str) -> str:
    return ".".join(area_code.split(".")[:3])


def recipients(area_code: str) -> QuerySet[User]:
    """The Camat's staff of the area's kecamatan and Kesbangpol's (the province office's)."""
    kecamatan, province = kecamatan_of(area_code), area_code.split(".")[0]
    roles = Role.objects.filter(kind__in=Role.WRITE_KINDS, is_active=True, unit__is_active=True).filter(
        Q(unit__kind=Unit.Kind.DISTRICT_OFFICE, unit__region__code=kecamatan)
        | Q(unit__kind=Unit.Kind.PROVINCE_OFFICE, unit__region__code=province)
    )
    return User.objects.filter(is_active=True, roles__in=roles).distinct()


def _area_name(code: str) -> str:
    region = Region.objects.filter(code=code).first()
    return region.display_name if region else code


def raise_alert(*, rule: EscalationRule, key: str, area_code: str, reports: Iterable[Report]) -> Alert | None:
    """Raise the alert of an incident unless it was raised before; returns the new alert or None."""
    title = _("Early warning: %(rule)s in %(area)s") % {"rule": rule.name, "area": _area_name(area_code)}
    try:
        with transaction.atomic():
            alert = Alert.objects.create(rule=rule, incident_key=key[:120], area_code=area_code, title=title[:255])
    except IntegrityError:
        return None
    alert.reports.add(*list(reports)[:MAX_ALERT_REPORTS])
    record(
        action="earlywarning.alert.raise",
        obj=alert,
        region_code=area_code,
        changes={"rule": [None, rule.pk], "incident": [None, alert.incident_key]},
    )
    url = reverse("earlywarning:alert", args=[alert.pk])
    body = _('The rule "%(rule)s" was met in %(area)s. Open Sinergi to read the reports.') % {
        "rule": rule.name,
        "area": _area_name(area_code),
    }
    notify(users=recipients(area_code), key=f"earlywarning.alert:{alert.pk}", title=title, body=body, url=url)
    return alert


def _counted(rule: EscalationRule) -> QuerySet[Report]:
    """Reports that count for a rule: real reports of its severity, not shown to be false."""
    return Report.objects.filter(kind=Report.Kind.REPORT, severity__gte=rule.min_severity).exclude(
        status=Report.Status.FALSE
    )


def _cluster(rule: EscalationRule, kecamatan: str, now: datetime.datetime) -> Alert | None:
    since = now - datetime.timedelta(hours=rule.hours)
    burst = list(
        _counted(rule)
        .filter(area_code__startswith=f"{kecamatan}.", occurred_at__gte=since, occurred_at__lte=now)
        .order_by("occurred_at", "pk")
    )
    if len(burst) < rule.count:
        return None
    open_alert = Alert.objects.filter(rule=rule, area_code=kecamatan, raised_at__gte=since).first()
    if open_alert is not None:
        open_alert.reports.add(*burst[:MAX_ALERT_REPORTS])
        return None
    return raise_alert(rule=rule, key=f"r{rule.pk}:{kecamatan}:{burst[0].pk}", area_code=kecamatan, reports=burst)


def _trend(rule: EscalationRule, now: datetime.datetime) -> list[Alert]:
    week = datetime.timedelta(days=TREND_DAYS)
    reports = Report.objects.filter(kind=Report.Kind.REPORT, occurred_at__gte=now - 2 * week, occurred_at__lte=now)
    reports = reports.exclude(status=Report.Status.FALSE)
    if rule.topic_id:
        reports = reports.filter(topics=rule.topic_id)
    current: dict[str, list[int]] = defaultdict(list)
    previous: dict[str, int] = defaultdict(int)
    for pk, code, occurred in reports.values_list("pk", "area_code", "occurred_at"):
        if occurred >= now - week:
            current[kecamatan_of(code)].append(pk)
        else:
            previous[kecamatan_of(code)] += 1
    year, number, _day = now.isocalendar()
    raised = []
    for kecamatan, ids in sorted(current.items()):
        before = previous[kecamatan]
        if len(ids) < rule.count or len(ids) * 100 < before * (100 + rule.percent):
            continue
        alert = raise_alert(
            rule=rule,
            key=f"r{rule.pk}:{kecamatan}:{year}-W{number:02d}",
            area_code=kecamatan,
            reports=Report.objects.filter(pk__in=ids),
        )
        if alert:
            raised.append(alert)
    return raised


def evaluate_report(report: Report) -> list[Alert]:
    """The rules a new report can meet at once: its severity, and a burst in its kecamatan."""
    if report.is_nihil or report.severity is None:
        return []
    raised: list[Alert] = []
    now = timezone.now()
    for rule in EscalationRule.objects.filter(
        is_active=True, kind__in=[EscalationRule.Kind.SEVERITY, EscalationRule.Kind.CLUSTER]
    ):
        if report.severity < rule.min_severity:
            continue
        if rule.kind == EscalationRule.Kind.SEVERITY:
            alert = raise_alert(
                rule=rule, key=f"r{rule.pk}:report:{report.pk}", area_code=report.area_code, reports=[report]
            )
        else:
            alert = _cluster(rule, kecamatan_of(report.area_code), now)
        if alert:
            raised.append(alert)
    return raised


def evaluate_rules(now: datetime.datetime | None = None) -> list[Alert]:
    """Every active rule over recent reports; safe to run any number of times."""
    now = now or timezone.now()
    raised: list[Alert] = []
    for rule in EscalationRule.objects.filter(is_active=True).select_related("topic"):
        if rule.kind == EscalationRule.Kind.SEVERITY:
            recent = _counted(rule).filter(created_at__gte=now - datetime.timedelta(days=1)).exclude(alerts__rule=rule)
            for report in recent.order_by("pk"):
                alert = raise_alert(
                    rule=rule, key=f"r{rule.pk}:report:{report.pk}", area_code=report.area_code, reports=[report]
                )
                if alert:
                    raised.append(alert)
        elif rule.kind == EscalationRule.Kind.CLUSTER:
            since = now - datetime.timedelta(hours=rule.hours)
            codes = (
                _counted(rule).filter(occurred_at__gte=since, occurred_at__lte=now).values_list("area_code", flat=True)
            )
            for kecamatan in sorted({kecamatan_of(code) for code in codes}):
                if alert := _cluster(rule, kecamatan, now):
                    raised.append(alert)
        else:
            raised.extend(_trend(rule, now))
    return raised
