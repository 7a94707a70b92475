"""Demo data for evaluation; called by ``manage.py seed_demo`` after the register, events,
announcements, cases and early warning. Idempotent.

Two finished rounds of the kelurahan of Jakarta Barat, the semester before and the semester that
just ended, computed from the demo activity with every computed indicator and one indicator scored
by hand (deterministic scores), so the ranking shows the change from one round to the next; each
with its PDF report.
"""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.evaluation import indicators, services
from sinergi.evaluation.forms import DEFAULT_WEIGHTS
from sinergi.evaluation.models import Round, RoundIndicator, Score
from sinergi.territory.models import Region

JAKARTA_BARAT = "31.73"
MANUAL = "Inovasi pelayanan kelurahan"


def _half_years(today: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """The two semesters before the current one, oldest first."""
    start = datetime.date(today.year, 1 if today.month <= 6 else 7, 1)
    periods = []
    for _ in range(2):
        end = start - datetime.timedelta(days=1)
        start = datetime.date(end.year, 1 if end.month <= 6 else 7, 1)
        periods.append((start, end))
    return periods[::-1]


def _manual_value(code: str, period: datetime.date) -> Decimal:
    digest = hashlib.sha256(f"{code}:{period}".encode()).digest()
    return Decimal(55 + digest[0] % 41)


def seed() -> dict[str, int]:
    """Create what is missing; return what was made, by name, for the command's summary."""
    region = Region.objects.filter(code=JAKARTA_BARAT).first()
    admin = User.objects.filter(username="kesbangpol").first()
    if region is None or admin is None:
        return {}
    made = 0
    for start, end in _half_years(timezone.localdate()):
        semester = "I" if start.month == 1 else "II"
        title = f"Evaluasi Kelurahan Jakarta Barat Semester {semester} {start.year}"
        if Round.objects.filter(title=title, region=region).exists():
            continue
        round_ = services.round_create(
            by=admin,
            title=title,
            region=region,
            subject_kind=Round.SubjectKind.KELURAHAN,
            period_start=start,
            period_end=end,
            computed={code: Decimal(DEFAULT_WEIGHTS.get(code, 10)) for code in indicators.REGISTRY},
            manual=[services.ManualIndicator(MANUAL, Decimal(10))],
        )
        services.round_compute(round_id=round_.pk)
        manual = list(
            Score.objects.filter(subject__round=round_, indicator__kind=RoundIndicator.Kind.MANUAL).select_related(
                "subject__region"
            )
        )
        for score in manual:
            assert score.subject.region is not None
            score.value = _manual_value(score.subject.region.code, start)
            score.note = "Penilaian tim evaluasi kota (data demo)."
            score.scored_by = admin
            score.scored_at = timezone.now()
        Score.objects.bulk_update(manual, ["value", "note", "scored_by", "scored_at"])
        services.totals_compute(round_=round_)
        round_.refresh_from_db()
        services.round_finish(round_=round_, by=admin)
        services.report_make(round_id=round_.pk)
        made += 1
    return {"evaluation rounds": made} if made else {}
