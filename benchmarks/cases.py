"""Benchmark of aspirations and complaints, on PostgreSQL with the production server set-up.

1. **Sustained public submissions.** gunicorn (``config.wsgi``, ``--workers`` sync workers, DEBUG
   off, the settings of ``benchmarks.common``) takes ``POST /api/v1/cases`` (the public intake, no
   token) from ``--clients`` threads for ``--seconds``; each request has its own ``Idempotency-Key``
   and a share of them (``--retry-share``) is sent a second time with the same key, as a client
   whose answer was lost would. Each simulated resident has its own address (``X-Real-IP``, which
   nginx sets in production), so the per-address rate limit applies as it would to real residents.
   Afterwards the cases stored under this run's keys are counted: every acknowledged key must be
   in the database exactly once (zero lost, zero duplicated). Target: 300 submissions/s.
2. **The staff inbox with a million cases.** Cases are bulk-loaded with PostgreSQL's COPY (spread
   over every kelurahan, category and status, a quarter passed on to a Suku Dinas), then the inbox
   page (``/aspirasi/``, open cases, newest first, with its capped count) and the staff API list
   are fetched by a kelurahan operator, a kecamatan operator and the province administrator.
   Target: p95 under 150 ms.

    .venv/bin/python -m benchmarks.cases --database-url postgres://postgres@127.0.0.1:5432/sinergi_cases

The machine running it also runs the load generator, so on a small machine the numbers are
pessimistic; the report prints the CPU count and gunicorn's CPU time per request.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.client
import itertools
import json
import os
import random
import resource
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from benchmarks.common import BASE_DIR, BENCH_DIR, cpu_seconds_of, setup_django

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sinergi_cases"
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
BOOT_SECONDS = 180


# --- data --------------------------------------------------------------------------------------------


def prepare() -> None:
    """Territory, units, logins and the category tree (each step makes only what is missing)."""
    from benchmarks import generate
    from sinergi.cases import demo
    from sinergi.core.context import acting_as
    from sinergi.territory.models import Region

    options = generate.Options(scale="jakarta", user=generate.BENCH_USER)
    with acting_as(None, channel="system"):
        for name, step in [
            ("schema", generate.schema),
            ("territory", generate.territory),
            ("units", generate.units),
            ("logins", generate.logins),
        ]:
            started = time.perf_counter()
            print(f"  {name:<10} {step(options)} ({time.perf_counter() - started:.1f} s)", flush=True)
        demo.seed_categories(Region.objects.get(code="31"))


def _number(i: int) -> str:
    body = ""
    for _ in range(6):
        i, r = divmod(i, len(ALPHABET))
        body = ALPHABET[r] + body
    return f"BEN-25-{body}"


def bulk_cases(total: int) -> None:
    """Load cases with COPY until there are ``total`` bulk ones; then analyse the table."""
    from django.db import connection

    from sinergi.accounts.models import Unit
    from sinergi.cases.models import Case, Category
    from sinergi.territory.models import Region

    have = Case.objects.filter(number__startswith="BEN-").count()
    if have >= total:
        print(f"  cases      {have:,} bulk cases kept", flush=True)
        return
    started = time.perf_counter()
    villages = list(Region.objects.filter(level="village", code__startswith="31.").values_list("pk", "code"))
    offices = dict(Unit.objects.filter(kind=Unit.Kind.VILLAGE_OFFICE).values_list("region_id", "pk"))
    branches: dict[tuple[int, str], int] = {
        (u.parent_id, u.region.code): u.pk
        for u in Unit.objects.filter(kind=Unit.Kind.SUB_AGENCY).select_related("region")
        if u.parent_id
    }
    categories = list(Category.objects.filter(parent__isnull=False).values_list("pk", "unit_id", "sla_days"))
    statuses = ["waiting", "validated", "coordination", "disposition", "in_progress", "done", "rejected"]
    weights = [6, 5, 3, 6, 10, 60, 10]
    rng = random.Random(20260101)
    now = datetime.datetime.now(datetime.UTC)
    columns = [
        "number", "kind", "category_id", "description", "region_id", "region_code", "latitude", "longitude",
        "address", "channel", "reporter_name_enc", "reporter_phone_enc", "reporter_email_enc", "is_anonymous",
        "status", "status_note", "current_unit_id", "idempotency_key", "created_at", "updated_at", "due_on",
        "closed_at", "rating", "rating_comment",
    ]  # fmt: skip
    texts = [
        "Saluran air tersumbat sampah dan meluap ke jalan",
        "Jalan berlubang di depan sekolah, berbahaya untuk pengendara",
        "Sampah menumpuk di pinggir jalan belum diangkut",
        "Lampu penerangan jalan mati sejak seminggu",
        "Pedagang kaki lima berjualan di trotoar",
    ]
    with connection.cursor() as cursor:
        raw = cursor.connection
        with raw.cursor().copy(f"COPY cases_case ({', '.join(columns)}) FROM STDIN") as copy:
            for i in range(have, total):
                region_id, code = villages[rng.randrange(len(villages))]
                category_id, agency_id, sla = categories[rng.randrange(len(categories))]
                status = rng.choices(statuses, weights)[0]
                created = now - datetime.timedelta(minutes=rng.randrange(365 * 24 * 60))
                unit = offices[region_id]
                if status in ("disposition", "in_progress", "done") and agency_id and rng.random() < 0.6:
                    unit = branches.get((agency_id, code[:5]), unit)
                closed = (
                    created + datetime.timedelta(days=rng.randint(1, 12)) if status in ("done", "rejected") else None
                )
                rated = rng.randint(1, 5) if status == "done" and rng.random() < 0.4 else None
                copy.write_row(
                    (
                        _number(i), "complaint", category_id, texts[i % len(texts)], region_id, code, None, None,
                        "", "public", "", "", "", False, status, "", unit, f"bench:{i}", created, created,
                        (created + datetime.timedelta(days=sla + 2 * (sla // 5))).date(), closed, rated, "",
                    )
                )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case")
    took = time.perf_counter() - started
    print(f"  cases      {total - have:,} bulk cases loaded with COPY ({took:.1f} s)", flush=True)


# --- load ----------------------------------------------------------------------------------------------


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)
    acknowledged: set[str] = field(default_factory=set)
    numbers: dict[str, str] = field(default_factory=dict)
    mismatched_retries: int = 0
    seconds: float = 0.0

    def fail(self, key: str) -> None:
        self.failures[key] = self.failures.get(key, 0) + 1


def _request(port: int, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _post_raw(port: int, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    """One HTTP/1.0-style POST over a fresh socket, read to the end: the load generator shares the
    machine with the server, and ``http.client`` (its header parsing above all) costs about four
    times as much CPU per request as this."""
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    request = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {len(body)}\r\n{head}\r\n"
    ).encode() + body
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    answer = b"".join(chunks)
    status_line, _, rest = answer.partition(b"\r\n")
    _headers, _, content = rest.partition(b"\r\n\r\n")
    return int(status_line.split()[1]), content


def submissions(
    port: int,
    *,
    seconds: float,
    clients: int,
    retry_share: float,
    run: str,
    body: dict[str, Any],
    kelurahan: list[str],
) -> Result:
    """POST the public intake from ``clients`` threads for ``seconds``; every request a new key and a
    kelurahan drawn from ``kelurahan`` (residents all over the city), a share of them sent again with
    the same key."""
    result = Result()
    lock = threading.Lock()
    counter = itertools.count()
    deadline = time.perf_counter() + seconds
    payloads = [json.dumps(body | {"region_code": code}).encode() for code in kelurahan]

    def client(n: int) -> None:
        rng = random.Random(n)
        while time.perf_counter() < deadline:
            i = next(counter)
            key = f"{run}-{i}"
            headers = {
                "Content-Type": "application/json",
                "Idempotency-Key": key,
                "X-Real-IP": f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
            }
            payload = payloads[rng.randrange(len(payloads))]
            sends = 2 if rng.random() < retry_share else 1
            for _attempt in range(sends):
                t0 = time.perf_counter()
                try:
                    status, answer = _post_raw(port, "/api/v1/cases", payload, headers)
                except OSError as exc:
                    status, answer = 0, str(exc).encode()
                elapsed = time.perf_counter() - t0
                with lock:
                    if status == 201:
                        result.latencies.append(elapsed)
                        number = json.loads(answer)["number"]
                        if key in result.numbers and result.numbers[key] != number:
                            result.mismatched_retries += 1
                        result.numbers[key] = number
                        result.acknowledged.add(key)
                    else:
                        result.fail(f"{status} {answer[:80]!r}")

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result


def gets(port: int, path: str, headers: dict[str, str], *, requests: int, clients: int) -> Result:
    result = Result()
    lock = threading.Lock()
    issued = itertools.count()

    def client() -> None:
        while next(issued) < requests:
            t0 = time.perf_counter()
            try:
                status, answer = _request(port, "GET", path, None, headers)
            except OSError as exc:
                status, answer = 0, str(exc).encode()
            elapsed = time.perf_counter() - t0
            with lock:
                if status == 200:
                    result.latencies.append(elapsed)
                else:
                    result.fail(f"{status} {answer[:80]!r}")

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result


def p(latencies: list[float], q: float) -> float:
    if not latencies:
        return float("nan")
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


# --- the run -------------------------------------------------------------------------------------------


@contextlib.contextmanager
def gunicorn(workers: int) -> Iterator[Any]:
    """gunicorn as production runs it (``config.wsgi``, sync workers), waiting up to ``BOOT_SECONDS``
    for it to answer: on a loaded shared machine booting the workers takes longer than the territory
    benchmark's 30 s."""
    from benchmarks.territory import Server, _free_port

    port = _free_port()
    log_path = BENCH_DIR / "gunicorn-cases.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", f"--workers={workers}", f"--bind=127.0.0.1:{port}"],
            cwd=BASE_DIR,
            env=os.environ.copy(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + BOOT_SECONDS
            while True:
                if server.poll() is not None:
                    raise SystemExit(f"gunicorn exited with {server.returncode}; see {log_path}")
                try:
                    if _request(port, "GET", "/health", None, {})[0] in {200, 503}:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit(f"gunicorn did not answer within {BOOT_SECONDS} s; see {log_path}")
                time.sleep(0.5)
            yield Server(port=port, pid=server.pid)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def count_stored(run: str) -> tuple[int, int]:
    """(rows stored under this run's keys, distinct keys among them)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(DISTINCT idempotency_key) FROM cases_case WHERE idempotency_key LIKE %s",
            [f"api:{run}-%"],
        )
        rows, keys = cursor.fetchone()
    return int(rows), int(keys)


def remove_submitted() -> None:
    """Delete the cases the submission runs stored (their steps first; their audit events stay, the
    audit log being append-only), so that runs do not pile up in the data the inbox is timed on."""
    from django.db import connection

    with connection.cursor() as cursor:
        chosen = "SELECT id FROM cases_case WHERE idempotency_key LIKE 'api:bench-%%'"
        cursor.execute(f"DELETE FROM cases_casetransition WHERE case_id IN ({chosen})")
        cursor.execute(f"DELETE FROM cases_case WHERE id IN ({chosen})")


def run(args: argparse.Namespace) -> int:
    setup_django(args.database_url)
    from django.core.management import call_command

    from benchmarks.territory import session_cookie
    from sinergi.cases.models import Case, Category
    from sinergi.territory.models import Region

    print("== data", flush=True)
    prepare()
    if not args.skip_inbox:
        bulk_cases(args.cases)
    call_command("collectstatic", interactive=False, verbosity=0)
    problems: list[str] = []
    report: list[str] = [f"machine: {os.cpu_count()} CPUs (shared); gunicorn {args.workers} sync workers"]

    category = Category.objects.filter(name="Saluran air tersumbat").get()
    kelurahan = list(Region.objects.filter(level=Region.Level.VILLAGE).order_by("code").values_list("code", flat=True))
    with gunicorn(args.workers) as server:
        # Each sync worker loads the URLconf (every app) on its first request; on a loaded machine that
        # takes seconds, so every worker answers a few requests before anything is measured.
        print("== warming the workers", flush=True)
        gets(server.port, "/aspirasi/lacak/", {}, requests=args.workers * 6, clients=args.workers)
        if not args.skip_submit:
            run_id = f"bench-{uuid.uuid4().hex[:8]}"
            body = {
                "kind": "complaint",
                "category_id": category.pk,
                "description": "Saluran air di depan pasar tersumbat sampah dan meluap ke jalan.",
                "reporter_phone": "080012345678",
            }
            print(f"== submissions: {args.clients} clients for {args.seconds:.0f} s", flush=True)
            cpu0 = server.cpu_seconds()
            others0 = {name: cpu_seconds_of(name) for name in ("postgres", "redis-server")}
            own0 = resource.getrusage(resource.RUSAGE_SELF)
            result = submissions(
                server.port,
                seconds=args.seconds,
                clients=args.clients,
                retry_share=args.retry_share,
                run=run_id,
                body=body,
                kelurahan=kelurahan,
            )
            cpu = server.cpu_seconds() - cpu0
            own1 = resource.getrusage(resource.RUSAGE_SELF)
            answers = max(1, len(result.latencies) + sum(result.failures.values()))
            shares = {name: cpu_seconds_of(name) - before for name, before in others0.items()}
            shares["load generator"] = own1.ru_utime + own1.ru_stime - own0.ru_utime - own0.ru_stime
            cpu_others = ", ".join(f"{name} {1000 * value / answers:.1f} ms" for name, value in shares.items())
            rows, keys = count_stored(run_id)
            remove_submitted()  # the inbox below is measured on the bulk million, not on this run's cases
            acknowledged = len(result.acknowledged)
            rate = acknowledged / result.seconds
            lost = acknowledged - keys
            duplicated = rows - keys
            cpu_ms = 1000 * cpu / max(1, len(result.latencies))
            line = (
                f"submissions: {acknowledged:,} cases acknowledged in {result.seconds:.1f} s = {rate:.1f}/s "
                f"({len(result.latencies):,} answers incl. retries; p50 {p(result.latencies, 0.5):.0f} ms, "
                f"p95 {p(result.latencies, 0.95):.0f} ms; CPU per request: gunicorn {cpu_ms:.1f} ms, {cpu_others}"
                f"); stored {rows:,} rows for {keys:,} keys: lost {lost}, duplicated {duplicated}, "
                f"retries answered with another number {result.mismatched_retries}; failures {result.failures or 0}"
            )
            print(line, flush=True)
            report.append(line)
            if rate < args.target_rate:
                problems.append(f"submissions {rate:.1f}/s < {args.target_rate}/s")
            if lost or duplicated or result.mismatched_retries:
                problems.append("lost or duplicated submissions")

        if not args.skip_inbox:
            total = Case.objects.count()
            print(f"== inbox with {total:,} cases", flush=True)
            for username in ("lurah.pasarbaru", "camat.sawahbesar", "kesbangpol"):
                cookie, _client = session_cookie(username)
                for path in ("/aspirasi/", "/aspirasi/?sla=overdue", "/api/v1/cases/inbox?limit=25"):
                    headers = {"Cookie": cookie, "Host": "127.0.0.1"}
                    gets(server.port, path, headers, requests=10, clients=1)  # warm
                    result = gets(server.port, path, headers, requests=args.inbox_requests, clients=2)
                    p95 = p(result.latencies, 0.95)
                    line = (
                        f"inbox {username:<17} {path:<32} {len(result.latencies)} requests, p50 "
                        f"{p(result.latencies, 0.5):.0f} ms, p95 {p95:.0f} ms, mean "
                        f"{statistics.fmean(result.latencies) * 1000 if result.latencies else float('nan'):.0f} ms"
                        f"{', failures ' + str(result.failures) if result.failures else ''}"
                    )
                    print(line, flush=True)
                    report.append(line)
                    if p95 >= args.inbox_target_ms or result.failures:
                        problems.append(f"inbox {username} {path}: p95 {p95:.0f} ms")

    print("\n".join(["", "== summary", *report, *(f"MISSED: {x}" for x in problems)]))
    if args.markdown:
        with open(args.markdown, "a", encoding="utf-8") as out:
            out.write("\n## Aspirations and complaints\n\n" + "\n".join(f"- {line}" for line in report) + "\n")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--cases", type=int, default=1_000_000, help="bulk cases for the inbox")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the submission run")
    parser.add_argument("--clients", type=int, default=32, help="concurrent submitting clients")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--retry-share", type=float, default=0.05, help="share of submissions sent twice")
    parser.add_argument("--target-rate", type=float, default=300.0)
    parser.add_argument("--inbox-requests", type=int, default=100)
    parser.add_argument("--inbox-target-ms", type=float, default=150.0)
    parser.add_argument("--skip-submit", action="store_true")
    parser.add_argument("--skip-inbox", action="store_true")
    parser.add_argument("--markdown", help="append the summary to this Markdown file")
    parser.add_argument("--small-database-url", help="ignored (scripts/bench passes it to every benchmark)")
    parser.add_argument("--requests", type=int, help="ignored (scripts/bench passes it to every benchmark)")
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
