"""Benchmark the early-warning situation picture: the map and the trend of a 30-day window.

    python -m benchmarks.earlywarning [--database-url URL] [--reports 1000000] [--runs 30] [--fresh] [--markdown FILE]

Fills a PostgreSQL database (default ``postgres://postgres@127.0.0.1:5432/sinergi_earlywarning``)
with the real Jakarta territory and ``--reports`` FKDM reports spread over the last 365 days across
every kelurahan, one or two topics each, nihil mixed in (a fifth of the rows), written with SQL
``generate_series`` in one statement rather than row by row. Then it times, in-process, what
the situation page asks for (``selectors.picture``, the one grouped query of
``/kewaspadaan/situasi/data/``) for the province, a city and a kecamatan, unfiltered and filtered by
domain and by topic, and prints p50 and p95 per case. It exits 1 if a case's p95 reaches 300 ms.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import time

from benchmarks.common import drop_database, setup_django

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sinergi_earlywarning"
P95_TARGET_MS = 300.0
MEMBERS = 1000


def fill(reports: int) -> None:
    """The territory, one FKDM member and ``reports`` reports, unless they are there already."""
    from django.core.management import call_command
    from django.db import connection

    from sinergi.accounts.models import Role, User
    from sinergi.core.context import acting_as
    from sinergi.earlywarning.models import Report
    from sinergi.registry.models import Organisation, OrganisationKind
    from sinergi.territory import demo as territory_demo
    from sinergi.territory.models import Region

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if Report.objects.count() >= reports and Report.topics.through.objects.exists():
        return
    with acting_as(None, channel="system"):
        if not Region.objects.filter(code="31").exists():
            territory_demo.load_jakarta()
    province = Region.objects.get(code="31")
    fkdm = Organisation.objects.get_or_create(
        kind=OrganisationKind.objects.get(code="fkdm"), name="FKDM Provinsi (benchmark)", region=province
    )[0]
    user, _ = User.objects.get_or_create(username="fkdm.bench", defaults={"full_name": "FKDM Bench"})
    Role.objects.get_or_create(user=user, organisation=fkdm, kind=Role.Kind.FKDM_MEMBER)
    # Nihil is unique per member and day: a pool of members files them, each on its own days.
    have = set(User.objects.filter(username__startswith="fkdm.bench.").values_list("username", flat=True))
    User.objects.bulk_create(
        [User(username=f"fkdm.bench.{n}") for n in range(MEMBERS) if f"fkdm.bench.{n}" not in have]
    )
    members = list(
        User.objects.filter(username__startswith="fkdm.bench.").order_by("pk").values_list("pk", flat=True)[:MEMBERS]
    )
    villages = list(Region.objects.filter(level=Region.Level.VILLAGE).order_by("code").values_list("pk", "code"))
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE earlywarning_report_topics, earlywarning_report CASCADE")
        cursor.execute("CREATE TEMP TABLE bench_village (n int, id bigint, code text)")
        cursor.executemany(
            "INSERT INTO bench_village VALUES (%s, %s, %s)", [(i, pk, c) for i, (pk, c) in enumerate(villages)]
        )
        cursor.execute("CREATE TEMP TABLE bench_member (n int, id bigint)")
        cursor.executemany("INSERT INTO bench_member VALUES (%s, %s)", list(enumerate(members)))
        # Skewed towards some kelurahan (a square of a uniform number), as real reports would be.
        cursor.execute(
            """
            INSERT INTO earlywarning_report (client_uuid, kind, reporter_id, organisation_id, for_date, athg, domain,
                severity, kelurahan_id, area_code, occurred_at, description, source, source_link, status,
                verification_note, link_kind, link_reference, created_at)
            SELECT gen_random_uuid(), CASE WHEN g.nihil THEN 'nihil' ELSE 'report' END,
                CASE WHEN g.nihil THEN m.id ELSE %(user)s END, %(org)s,
                CASE WHEN g.nihil THEN current_date - ((g.i / 5) / %(members)s) %% 365
                     ELSE (g.at AT TIME ZONE 'Asia/Jakarta')::date END,
                CASE WHEN g.nihil THEN ''
                     ELSE (ARRAY['ancaman','tantangan','hambatan','gangguan'])[1 + (g.i %% 4)] END,
                CASE WHEN g.nihil THEN ''
                     ELSE (ARRAY['ideologi','politik','ekonomi','sosbud','hankam'])[1 + (g.i %% 5)] END,
                CASE WHEN g.nihil THEN NULL ELSE 1 + floor(power(random(), 1.6) * 4)::int END,
                v.id, v.code, g.at, 'Laporan benchmark', 'seen', '', 'unverified', '', '', '', g.at
            FROM (
                SELECT i, i %% 5 = 0 AS nihil, now() - random() * interval '365 days' AS at,
                       floor(power(random(), 2) * %(villages)s)::int AS n
                FROM generate_series(1, %(reports)s) AS i
            ) g
            JOIN bench_village v ON v.n = g.n
            JOIN bench_member m ON m.n = (g.i / 5) %% %(members)s
            """,
            {"user": user.pk, "org": fkdm.pk, "villages": len(villages), "reports": reports, "members": MEMBERS},
        )
        cursor.execute(
            """
            INSERT INTO earlywarning_report_topics (report_id, topic_id)
            SELECT r.id, t.id FROM earlywarning_report r
            JOIN earlywarning_topic t ON t.sort_order = 10 * (1 + (r.id % 9))
            WHERE r.kind = 'report'
            UNION
            SELECT r.id, t.id FROM earlywarning_report r
            JOIN earlywarning_topic t ON t.code = 'hate-speech'
            WHERE r.kind = 'report' AND r.id % 7 = 0
            """
        )
        # What autovacuum does soon after a load: statistics, and the visibility map that lets the
        # situation queries answer from the index alone.
        cursor.execute("VACUUM ANALYZE earlywarning_report")
        cursor.execute("VACUUM ANALYZE earlywarning_report_topics")
    print(f"filled {reports:,} reports in {time.perf_counter() - started:.1f} s", flush=True)


def measure(runs: int) -> list[tuple[str, float, float]]:
    from django.utils import timezone

    from sinergi.earlywarning import selectors
    from sinergi.earlywarning.models import Topic
    from sinergi.territory.models import Region

    regions = {r.code: r for r in Region.objects.filter(code__in=["31", "31.71", "31.71.02"])}
    hoax = Topic.objects.get(code="hoax")
    cases = [
        ("province", regions["31"], "", None),
        ("city (Jakarta Pusat)", regions["31.71"], "", None),
        ("kecamatan (Sawah Besar)", regions["31.71.02"], "", None),
        ("province, domain politik", regions["31"], "politik", None),
        ("province, topic hoax", regions["31"], "", hoax),
    ]
    results = []
    for label, region, domain, topic in cases:
        timings = []
        for run in range(runs + 2):
            until = timezone.now()
            filters = selectors.SituationFilter(
                region=region, since=until - datetime.timedelta(days=30), until=until, domain=domain, topic=topic
            )
            started = time.perf_counter()
            areas, _trend = selectors.picture(filters)
            elapsed = (time.perf_counter() - started) * 1000
            if run >= 2:  # the first two warm the caches
                timings.append(elapsed)
        timings.sort()
        p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
        results.append(
            (f"{label}: {sum(a['count'] for a in areas.values()):,} reports", statistics.median(timings), p95)
        )
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--fresh", action="store_true", help="drop the database first")
    parser.add_argument("--markdown", help="append the results to this Markdown file")
    args = parser.parse_args()
    if args.fresh:
        drop_database(args.database_url)
    setup_django(args.database_url)
    fill(args.reports)
    results = measure(args.runs)
    print(f"\nSituation map + trend, 30-day window, {args.reports:,} reports ({args.runs} runs each)")
    print(f"{'case':<60} {'p50 ms':>8} {'p95 ms':>8}")
    failed = False
    table = ["| case | p50 ms | p95 ms |", "|---|--:|--:|"]
    for label, p50, p95 in results:
        flag = "" if p95 < P95_TARGET_MS else f"  >= {P95_TARGET_MS:.0f} ms"
        failed |= p95 >= P95_TARGET_MS
        print(f"{label:<60} {p50:>8.1f} {p95:>8.1f}{flag}")
        table.append(f"| {label} | {p50:.1f} | {p95:.1f} |")
    if args.markdown:
        with open(args.markdown, "a", encoding="utf-8") as out:
            out.write(
                f"\n## Early warning: map + trend, 30-day window, {args.reports:,} reports ({args.runs} runs each)\n\n"
                + "\n".join(table)
                + "\n"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
