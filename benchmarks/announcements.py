"""Benchmark announcements at Jakarta scale on PostgreSQL: the fan-out of one announcement to every
RT, RW and lembaga kemasyarakatan of Jakarta, then the progress page of that announcement.

    python -m benchmarks.announcements --database-url postgres://postgres@127.0.0.1:5432/sinergi_bench \
        [--requests 100] [--batch-size 1000] [--keep] [--markdown FILE]

The database must hold the Jakarta register (``benchmarks.generate``, or ``manage.py seed_demo``):
about 33,000 RT and RW plus the lembaga of every kelurahan. The benchmark sends as the Kesbangpol
administrator through the real services: ``announcement_send`` writes the batches, then every
batch task is run in this process, one after the other (what one worker does), so the time is the
whole fan-out: deliveries, inbox entries and e-mails for representatives, progress counters. It
then requests the progress page (province level, then one kecamatan) and the progress API as that
administrator through Django's test client (the whole middleware and template stack, no network)
and reports p50 and p95 of the wall time, and the median CPU time of this process (Python and
templates, without the database): on a shared machine the wall time mostly measures the wait for a
core. Each run sends a new announcement, which it deletes at the end.

Targets: fan-out under 30 s, progress page p95 under 200 ms. Exit status 1 when one is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from typing import Any

from benchmarks.common import require_generated, setup_django

FANOUT_TARGET_S = 30.0
PROGRESS_P95_TARGET_MS = 200.0
KINDS = ("rt", "rw", "lmk", "fkdm", "pkk", "karang_taruna", "lpm", "posyandu")


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def run(args: argparse.Namespace) -> int:
    # Tasks are kept, not run: the benchmark runs the fan-out batches itself, one after the other.
    os.environ["TASKS_BACKEND"] = "django.tasks.backends.dummy.DummyBackend"
    setup_django(args.database_url)
    require_generated()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from sinergi.accounts.models import Role, User
    from sinergi.announcements import fanout, services
    from sinergi.announcements.models import Announcement, Delivery, FanoutBatch
    from sinergi.core.context import acting_as
    from sinergi.registry.targeting import Audience, organisations

    call_command("collectstatic", interactive=False, verbosity=0)
    admin = User.objects.filter(roles__kind=Role.Kind.ADMIN, roles__unit__region__code="31").order_by("pk").first()
    if admin is None:
        raise SystemExit("no Kesbangpol administrator: load the demo logins first")
    audience = Audience(kinds=KINDS, region_codes=("31",))
    expected = organisations(audience, user=admin).count()
    if expected < 30_000:
        raise SystemExit(f"only {expected:,} organisations to reach: load the Jakarta register first")
    unit = services.sender_units(admin)[0]
    problems: list[str] = []
    print(f"Database {connection.vendor}: {expected:,} active RT, RW and lembaga in Jakarta.")
    if args.representatives:
        made = representatives(organisations(audience, user=admin).values_list("pk", flat=True))
        print(f"Representatives: one with an e-mail address for every organisation ({made:,} made now).")

    with acting_as(admin, channel="system"), override_settings(SINERGI_ANNOUNCEMENT_BATCH_SIZE=args.batch_size):
        announcement = services.announcement_create(
            by=admin,
            unit=unit,
            title="Benchmark: Sensus Ekonomi 2026",
            body="Petugas BPS akan mendata usaha di wilayah Anda.",
            audience=audience,
        )
        started, cpu_started = time.perf_counter(), time.process_time()
        # The batch tasks it enqueues go to the dummy backend; they are run below, in this process.
        services.announcement_send(by=admin, announcement=announcement)
        batches = list(
            FanoutBatch.objects.filter(announcement=announcement).order_by("number").values_list("pk", flat=True)
        )
        written = time.perf_counter() - started
        for pk in batches:
            fanout.fanout_batch_run(batch_id=pk)
        took, took_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    announcement.refresh_from_db()
    delivered = Delivery.objects.filter(announcement=announcement).count()
    fanout_line = (
        f"Fan-out: {delivered:,} deliveries in {len(batches)} batches of {args.batch_size}: {took:.1f} s "
        f"(batches written in {written:.2f} s; {took_cpu:.1f} s of CPU in this process, the rest is the "
        f"database and waiting for a core); status {announcement.status}."
    )
    print(fanout_line)
    if took >= FANOUT_TARGET_S:
        problems.append(f"fan-out {took:.1f} s ≥ {FANOUT_TARGET_S:.0f} s")
    if delivered != expected or announcement.status != Announcement.Status.SENT:
        problems.append(f"{delivered:,} delivered of {expected:,}, status {announcement.status}")

    # Some organisations read and acknowledged, so the aggregates have something to count; a bulk
    # update outside the services, so the tallies are counted again after it.
    ids = list(Delivery.objects.filter(announcement=announcement).values_list("pk", flat=True)[::3])
    Delivery.objects.filter(pk__in=ids).update(read_at=announcement.sent_at, acknowledged_at=announcement.sent_at)
    fanout.delivery_tallies_recount(announcement=announcement)
    # What autovacuum does soon after a bulk write: statistics, and the visibility map for index-only scans.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE announcements_delivery" if connection.vendor == "postgresql" else "ANALYZE")

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)
    from sinergi.accounts.signin import mark_verified

    session = client.session
    mark_verified(session, admin)
    session.save()
    kecamatan = Delivery.objects.filter(announcement=announcement, kind_code="rt").values_list("area_code", flat=True)[
        0
    ][:8]
    progress = reverse("announcements:progress", args=[announcement.pk])
    cases = [
        ("progress page, Jakarta", progress, True),
        (f"progress page, kecamatan {kecamatan}", f"{progress}?area={kecamatan}", True),
        ("progress API", f"/api/v1/announcements/{announcement.pk}/progress", False),
    ]
    print(f"\n{'request':<40} {'p50 ms':>8} {'p95 ms':>8} {'CPU p50':>8}  ({args.requests} requests, 3 warm-up)")
    table = ["| request | p50 ms | p95 ms | CPU p50 ms |", "|---|--:|--:|--:|"]
    for label, path, is_page in cases:
        for _ in range(3):
            client.get(path)
        timings, cpu = [], []
        for _ in range(args.requests):
            start, cpu_start = time.perf_counter(), time.process_time()
            response = client.get(path)
            timings.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - cpu_start) * 1000)
            if response.status_code != 200:
                problems.append(f"{path}: status {response.status_code}")
                break
        p50, p95 = statistics.median(timings), percentile(timings, 95)
        print(f"{label:<40} {p50:8.1f} {p95:8.1f} {statistics.median(cpu):8.1f}")
        table.append(f"| {label} | {p50:.1f} | {p95:.1f} | {statistics.median(cpu):.1f} |")
        if is_page and p95 >= PROGRESS_P95_TARGET_MS:
            problems.append(f"{label}: p95 {p95:.1f} ms ≥ {PROGRESS_P95_TARGET_MS:.0f} ms")

    if not args.keep:
        with acting_as(admin, channel="system"):
            Announcement.objects.filter(pk=announcement.pk).delete()
    for problem in problems:
        print(f"MISSED: {problem}")
    if args.markdown:
        with open(args.markdown, "a", encoding="utf-8") as out:
            out.write(f"\n## Announcements ({connection.vendor})\n\n{fanout_line}\n\n" + "\n".join(table) + "\n")
    return 1 if problems else 0


def representatives(organisation_ids: Any) -> int:
    """Give every organisation without one a representative account with an e-mail address, so the
    fan-out also writes an inbox entry, an e-mail and two delivery records per organisation, as it
    would where every RT and RW chair has signed in. Kept in the database: later runs reuse them."""
    from django.contrib.auth.hashers import make_password

    from sinergi.accounts.models import Role, User

    have = set(
        Role.objects.filter(kind=Role.Kind.ORG_REPRESENTATIVE, is_active=True).values_list("organisation_id", flat=True)
    )
    missing = [pk for pk in organisation_ids if pk not in have]
    password = make_password(None)
    made = 0
    for start in range(0, len(missing), 2000):
        chunk = missing[start : start + 2000]
        User.objects.bulk_create(
            [
                User(
                    username=f"bench.rep.{pk}", email=f"rep{pk}@contoh.test", full_name=f"Ketua {pk}", password=password
                )
                for pk in chunk
            ],
            ignore_conflicts=True,
        )
        users = dict(
            User.objects.filter(username__in=[f"bench.rep.{pk}" for pk in chunk]).values_list("username", "pk")
        )
        Role.objects.bulk_create(
            [
                Role(user_id=users[f"bench.rep.{pk}"], kind=Role.Kind.ORG_REPRESENTATIVE, organisation_id=pk)
                for pk in chunk
            ],
            ignore_conflicts=True,
        )
        made += len(chunk)
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark announcement")
    parser.add_argument(
        "--representatives",
        action="store_true",
        help="first give every organisation a representative with an e-mail address (kept in the database)",
    )
    parser.add_argument("--markdown", help="append the results to this Markdown file")
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
