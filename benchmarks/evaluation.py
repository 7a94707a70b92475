"""Benchmark the home page per role and the computation of an evaluation round at Jakarta scale.

    python -m benchmarks.evaluation --database-url postgres://postgres@127.0.0.1:5432/sinergi_bench \
        [--requests 200] [--cases 1000000] [--reports 1000000] [--markdown FILE]

The database must hold the Jakarta register (``benchmarks.generate``, or ``manage.py seed_demo``).
The benchmark first tops it up to ``--cases`` aspirations and complaints and ``--reports``
early-warning reports (1,000,000 each by default; synthetic rows spread over every kelurahan and the
last three years, written once with ``bulk_create`` and kept for later runs), then:

1. requests the home page of each demo role (province administrator, city administrator, a camat
   operator, a lurah operator, an RT chair) through Django's test client (the whole middleware and
   template stack, no network), the first request with an empty cache, then ``--requests`` more, and
   reports the cold time, p50 and p95;
2. creates an evaluation round of the 267 kelurahan of Jakarta with every computed indicator and
   times its computation (what the task does), then deletes it.

Targets: home pages p95 under 200 ms; the round under 60 s. Exit status 1 when one is missed.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import time
from decimal import Decimal
from typing import Any

from benchmarks.common import require_generated, setup_django

HOME_P95_TARGET_MS = 200.0
ROUND_TARGET_S = 60.0
ROLES = ("kesbangpol", "jakpus", "camat.sawahbesar", "lurah.pasarbaru", "rt.pasarbaru")


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


CASES_SQL = """
INSERT INTO cases_case (number, kind, description, region_code, address, channel, reporter_name_enc,
    reporter_phone_enc, reporter_email_enc, is_anonymous, status, status_note, created_at, updated_at, due_on,
    closed_at, rating, rating_comment, current_unit_id, region_id, category_id)
SELECT 'BN' || lpad(g::text, 10, '0'), 'complaint', 'Laporan benchmark', (%(codes)s::text[])[k], '', 'public',
    '', '', '', false, st, '', c, c, (c + interval '9 days')::date,
    CASE WHEN st IN ('done', 'rejected') THEN c + (1 + g %% 19) * interval '1 day' END,
    CASE WHEN st = 'done' AND g %% 5 < 2 THEN 1 + (g * 7) %% 5 END, '',
    (%(units)s::bigint[])[k], (%(regions)s::bigint[])[k], (%(categories)s::bigint[])[1 + g %% %(ncat)s]
FROM (
    SELECT g, 1 + (g * 7919) %% %(nkel)s AS k,
        (%(statuses)s::text[])[1 + (g * 31) %% %(nstatus)s] AS st,
        now() - ((g * 104729) %% (3 * 365 * 24 * 60)) * interval '1 minute' AS c
    FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS g
) AS rows
"""

REPORTS_SQL = """
INSERT INTO earlywarning_report (client_uuid, kind, for_date, athg, domain, severity, area_code, occurred_at,
    description, source, source_link, status, verification_note, link_kind, link_reference, created_at,
    kelurahan_id, organisation_id, reporter_id)
SELECT gen_random_uuid(), 'report', current_date - (g / %(nforum)s)::int, 'gangguan', 'sosbud', 1 + g %% 3,
    (%(codes)s::text[])[k], now() - (g / %(nforum)s) * interval '1 day', 'Laporan benchmark', 'seen', '',
    'unverified', '', '', '', now() - (g / %(nforum)s) * interval '1 day',
    (%(regions)s::bigint[])[k], (%(forums)s::bigint[])[k], (%(reporters)s::bigint[])[k]
FROM (SELECT g, 1 + g %% %(nforum)s AS k FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS g) AS rows
"""


def fill_cases(target: int) -> int:
    """Add synthetic cases until there are ``target`` (set-based SQL on PostgreSQL, one statement per
    100,000 rows); most are closed, some open and overdue, some rated. Returns how many were added."""
    from django.db import connection

    from sinergi.accounts.models import Unit
    from sinergi.cases.models import Case, Category
    from sinergi.territory.models import Region

    have = Case.objects.count()
    if have >= target:
        return 0
    categories = [
        Category.objects.get_or_create(name=name, parent=None, defaults={"unit_kind": "village_office", "sla_days": 7})[
            0
        ].pk
        for name in ("Banjir dan genangan", "Sampah", "Jalan rusak", "Penerangan jalan", "Ketertiban umum")
    ]
    offices = dict(Unit.objects.filter(kind=Unit.Kind.VILLAGE_OFFICE).values_list("region_id", "pk"))
    kelurahan = [(pk, code) for pk, code in Region.objects.filter(level="village").values_list("pk", "code")]
    kelurahan = [(pk, code) for pk, code in kelurahan if pk in offices]
    statuses = ["done"] * 12 + ["rejected", "waiting", "validated", "in_progress", "disposition", "coordination"]
    params: dict[str, Any] = {
        "codes": [code for _pk, code in kelurahan],
        "units": [offices[pk] for pk, _code in kelurahan],
        "regions": [pk for pk, _code in kelurahan],
        "categories": categories,
        "ncat": len(categories),
        "nkel": len(kelurahan),
        "statuses": statuses,
        "nstatus": len(statuses),
    }
    with connection.cursor() as cursor:
        for first in range(have, target, 100_000):
            cursor.execute(CASES_SQL, {**params, "first": first, "last": min(target, first + 100_000) - 1})
    return target - have


def fill_reports(target: int) -> int:
    """Add synthetic FKDM reports until there are ``target``: one reporter per kelurahan FKDM, one report
    a day each, going back in time. Returns how many were added."""
    from django.db import connection

    from sinergi.accounts.models import Role, User
    from sinergi.earlywarning.models import Report
    from sinergi.registry.models import Organisation

    have = Report.objects.count()
    if have >= target:
        return 0
    forums = list(
        Organisation.objects.filter(kind__code="fkdm", region__level="village").values_list(
            "pk", "region_id", "region__code"
        )
    )
    reporters = []
    for pk, _region, code in forums:
        user, _ = User.objects.get_or_create(username=f"bench.fkdm.{pk}", defaults={"full_name": f"FKDM {code}"})
        Role.objects.get_or_create(user=user, organisation_id=pk, kind=Role.Kind.FKDM_MEMBER)
        reporters.append(user.pk)
    params: dict[str, Any] = {
        "codes": [code for _pk, _region, code in forums],
        "regions": [region for _pk, region, _code in forums],
        "forums": [pk for pk, _region, _code in forums],
        "reporters": reporters,
        "nforum": len(forums),
    }
    with connection.cursor() as cursor:
        for first in range(have, target, 100_000):
            cursor.execute(REPORTS_SQL, {**params, "first": first, "last": min(target, first + 100_000) - 1})
    return target - have


def run(args: argparse.Namespace) -> int:
    setup_django(args.database_url)
    require_generated()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from sinergi.accounts.models import User
    from sinergi.accounts.signin import mark_verified
    from sinergi.core.context import acting_as
    from sinergi.evaluation import indicators, services
    from sinergi.evaluation.models import Round
    from sinergi.territory.models import Region

    call_command("collectstatic", interactive=False, verbosity=0)
    if connection.vendor != "postgresql":
        raise SystemExit("this benchmark fills its data with PostgreSQL's generate_series: give a PostgreSQL database")
    started = time.perf_counter()
    cases, reports = fill_cases(args.cases), fill_reports(args.reports)
    if cases or reports:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE cases_case")
                cursor.execute("ANALYZE earlywarning_report")
        print(f"Added {cases:,} cases and {reports:,} early-warning reports in {time.perf_counter() - started:.0f} s.")
    problems: list[str] = []

    print(f"\n{'home page of':<22} {'cold ms':>8} {'p50 ms':>8} {'p95 ms':>8}  ({args.requests} requests each)")
    table = ["| home page of | cold ms | p50 ms | p95 ms |", "|---|--:|--:|--:|"]
    for username in ROLES:
        user = User.objects.filter(username=username).first()
        if user is None:
            print(f"{username:<22} (no such login: load the demo logins)")
            continue
        client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
        client.force_login(user)
        session = client.session
        mark_verified(session, user)
        session.save()
        cache.clear()
        start = time.perf_counter()
        response = client.get("/")
        cold = (time.perf_counter() - start) * 1000
        timings = []
        for _ in range(args.requests):
            start = time.perf_counter()
            response = client.get("/")
            timings.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                problems.append(f"home of {username}: status {response.status_code}")
                break
        p50, p95 = statistics.median(timings), percentile(timings, 95)
        print(f"{username:<22} {cold:8.0f} {p50:8.1f} {p95:8.1f}")
        table.append(f"| {username} | {cold:.0f} | {p50:.1f} | {p95:.1f} |")
        if p95 >= HOME_P95_TARGET_MS:
            problems.append(f"home of {username}: p95 {p95:.1f} ms ≥ {HOME_P95_TARGET_MS:.0f} ms")

    admin = User.objects.get(username="kesbangpol")
    today = datetime.date.today()
    with acting_as(admin, channel="system"):
        round_ = services.round_create(
            by=admin,
            title="Benchmark: evaluasi 267 kelurahan",
            region=Region.objects.get(code="31"),
            subject_kind=Round.SubjectKind.KELURAHAN,
            period_start=today - datetime.timedelta(days=365),
            period_end=today,
            computed={code: Decimal(1) for code in indicators.REGISTRY},
            manual=[],
        )
        start = time.perf_counter()
        services.round_compute(round_id=round_.pk)
        seconds = time.perf_counter() - start
        subjects = round_.subjects.count()
        Round.objects.filter(pk=round_.pk).delete()
    round_line = f"Round of {subjects} kelurahan, {len(indicators.REGISTRY)} indicators: {seconds:.1f} s"
    print(f"\n{round_line}")
    if args.markdown:
        with open(args.markdown, "a", encoding="utf-8") as out:
            out.write(f"\n## Evaluation ({args.requests} requests each)\n\n" + "\n".join(table) + f"\n\n{round_line}\n")
    if seconds >= ROUND_TARGET_S:
        problems.append(f"round {seconds:.1f} s ≥ {ROUND_TARGET_S:.0f} s")
    for problem in problems:
        print(f"MISSED: {problem}")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--markdown", help="append the results to this Markdown file")
    sys.exit(run(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
