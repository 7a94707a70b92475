"""Benchmark the territory pages and API over real HTTP, and count their queries.

    python -m benchmarks.territory --database-url URL --small-database-url URL [--requests 500]

Both databases must have been filled by ``benchmarks.generate`` (``--scale small``
for the second). The benchmark

1. counts the queries of one request to each endpoint, in-process with Django's
   test client and a warm cache, on the Jakarta database and (in a child
   process) on the small one;
2. starts gunicorn with production-like settings on a free loopback port and
   sends each endpoint a fixed number of requests from a few client threads,
   as the province administrator: a session cookie for pages, a Bearer token
   for the API;
3. prints requests, requests per second, p50 and p95 latency, gunicorn's CPU
   time and queries per request, and exits 1 if an endpoint's p95 reaches the
   target, a request fails, or the number of queries differs between the two
   databases.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import json
import math
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from benchmarks.common import (
    BASE_DIR,
    BENCH_DIR,
    database_label,
    processes,
    require_generated,
    setup_django,
    token_file,
)
from benchmarks.generate import BENCH_USER

if TYPE_CHECKING:
    from django.test import Client

P95_TARGET_MS = 50.0


@dataclass(frozen=True)
class Endpoint:
    path: str
    api: bool = False  # authenticated with the Bearer token rather than the session


# Sawah Besar and its kelurahan Pasar Baru exist at both scales, so the same URLs compare the two.
ENDPOINTS = [
    Endpoint("/wilayah/31/"),
    Endpoint("/wilayah/31.71/"),
    Endpoint("/wilayah/31.71.02/"),
    Endpoint("/wilayah/31.71.02.1001/"),
    Endpoint("/wilayah/31.71.02.1001/rw/1/"),
    Endpoint("/wilayah/31/peta.geojson"),
    Endpoint("/api/v1/territory/regions?level=village&limit=100", api=True),
    Endpoint("/api/v1/territory/regions/31.71", api=True),
    Endpoint("/api/v1/territory/regions/31.71/children", api=True),
    Endpoint("/api/v1/territory/regions/31/geojson", api=True),
]


@dataclass
class Measurement:
    """What the load generator saw for one endpoint."""

    latencies: list[float] = field(default_factory=list)  # seconds, successful requests only
    failures: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    bytes: int = 0
    server_cpu: float = 0.0  # seconds

    @property
    def requests(self) -> int:
        return len(self.latencies) + sum(self.failures.values())

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile_ms(self, p: float) -> float:
        """Nearest-rank percentile of the successful requests, in milliseconds."""
        if not self.latencies:
            return math.inf
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] * 1000


# --- queries per request ---------------------------------------------------------------------


def count_queries(username: str, endpoints: list[Endpoint]) -> dict[str, int]:
    """Queries of one request to each endpoint, cache warm, as ``username``."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from sinergi.territory import selectors

    selectors.invalidate()  # start from this database's data even when the cache is shared
    key = token_file().read_text().strip()
    browser = signed_in(username)
    integration = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {key}")
    counts = {}
    try:
        for endpoint in endpoints:
            client = integration if endpoint.api else browser
            client.get(endpoint.path)  # fills the cache and the token's last-used time
            with CaptureQueriesContext(connection) as queries:
                response = client.get(endpoint.path)
            if response.status_code != 200:
                raise SystemExit(f"{endpoint.path} answered {response.status_code} in-process")
            counts[endpoint.path] = len(queries)
    finally:
        browser.logout()
    return counts


def count_queries_elsewhere(database_url: str, username: str, endpoints: list[Endpoint]) -> dict[str, Any]:
    """``count_queries`` on another database, in a child process (Django holds one default database)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.territory", "queries", "--database-url", database_url, "--user", username]
        + [arg for e in endpoints for arg in ("--only", e.path)],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise SystemExit(f"counting queries on {database_url} failed:\n{result.stderr}")
    return json.loads(result.stdout)


# --- the server and the load ------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Server:
    port: int
    pid: int

    def cpu_seconds(self) -> float:
        """CPU time used so far by gunicorn and its workers (from Linux's /proc; 0 elsewhere).

        Unlike latency, this hardly moves when other programs load the machine.
        """
        return sum(p.seconds for p in processes() if self.pid in (p.pid, p.ppid))


@contextlib.contextmanager
def gunicorn(workers: int, log_name: str) -> Iterator[Server]:
    """Run gunicorn on a free loopback port until the block ends."""
    port = _free_port()
    log_path = BENCH_DIR / f"gunicorn-{log_name}.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", f"--workers={workers}", f"--bind=127.0.0.1:{port}"],
            cwd=BASE_DIR,
            env=os.environ.copy(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_up(port, server, log_path)
            yield Server(port=port, pid=server.pid)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_until_up(port: int, server: subprocess.Popen[bytes], log_path: object) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}; see {log_path}")
        try:
            status, _body = _get(port, "/health", {})
        except OSError:
            time.sleep(0.2)
            continue
        if status in {200, 503}:
            return
    raise SystemExit(f"gunicorn did not answer within 30 s; see {log_path}")


def _get(port: int, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    # gunicorn's sync workers close the connection after each response, so each request connects anew.
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def drive(
    server: Server, path: str, headers: dict[str, str], *, requests: int, clients: int, time_cap: float
) -> Measurement:
    """Send ``requests`` GETs to ``path`` from ``clients`` threads; stop early after ``time_cap`` seconds."""
    port = server.port
    result = Measurement()
    cpu_before = server.cpu_seconds()
    issued = itertools.count()
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + time_cap

    def client() -> None:
        while next(issued) < requests and time.perf_counter() < deadline:
            t0 = time.perf_counter()
            try:
                status, body = _get(port, path, headers)
            except OSError as exc:
                status, body = 0, str(exc).encode()
            elapsed = time.perf_counter() - t0
            with lock:
                if status == 200:
                    result.latencies.append(elapsed)
                    result.bytes = len(body)
                else:
                    result.failures[f"{status} {body[:80]!r}"] += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    result.server_cpu = server.cpu_seconds() - cpu_before
    return result


def signed_in(username: str) -> Client:
    """A test client signed in as ``username``, its session marked as past the second factor."""
    from django.test import Client

    from sinergi.accounts import signin
    from sinergi.accounts.models import User

    user = User.objects.get(username=username)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    session = client.session
    signin.mark_verified(session, user)
    session.save()
    return client


def session_cookie(username: str) -> tuple[str, Client]:
    """A signed-in session for ``username``: the cookie header and the client to sign out with."""
    from django.conf import settings

    client = signed_in(username)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}", client


# --- the report ---------------------------------------------------------------------------------


@dataclass
class Row:
    endpoint: str
    requests: int
    rps: float
    p50_ms: float
    p95_ms: float
    kib: float
    cpu_ms: float  # gunicorn's CPU time per request
    queries: int
    queries_small: int
    failures: dict[str, int]

    def problems(self) -> list[str]:
        found = []
        if self.p95_ms >= P95_TARGET_MS:
            found.append(f"{self.endpoint}: p95 {self.p95_ms:.1f} ms ≥ {P95_TARGET_MS:.0f} ms")
        if self.queries != self.queries_small:
            found.append(f"{self.endpoint}: {self.queries} queries on Jakarta, {self.queries_small} on the small data")
        for failure, n in self.failures.items():
            found.append(f"{self.endpoint}: {n} × {failure}")
        return found

    def cells(self) -> list[str]:
        return [
            self.endpoint,
            str(self.requests),
            f"{self.rps:.0f}",
            f"{self.p50_ms:.1f}",
            f"{self.p95_ms:.1f}",
            f"{self.cpu_ms:.1f}",
            f"{self.kib:.0f}",
            str(self.queries),
            str(self.queries_small),
        ]


HEADINGS = ["endpoint", "requests", "rps", "p50 ms", "p95 ms", "CPU ms", "KiB", "queries", "small"]


def text_table(rows: list[Row]) -> str:
    table = [HEADINGS, *(r.cells() for r in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADINGS))]
    lines = [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(line, widths, strict=True))
        )
        for line in table
    ]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def markdown_table(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(HEADINGS) + " |", "|---" + "|--:" * (len(HEADINGS) - 1) + "|"]
    lines += ["| `" + r.endpoint + "` | " + " | ".join(r.cells()[1:]) + " |" for r in rows]
    return "\n".join(lines)


def describe_setup(workers: int, clients: int, small_data: str) -> str:
    from django.conf import settings

    from benchmarks.generate import totals

    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    return (
        f"{database_label()}: {totals()}; small data: {small_data}; cache {cache}; "
        f"gunicorn {workers} sync workers, {clients} concurrent clients; {os.cpu_count()} CPUs"
    )


def selected(prefixes: list[str] | None) -> list[Endpoint]:
    return [e for e in ENDPOINTS if not prefixes or any(e.path.startswith(p) for p in prefixes)]


def measure(
    args: argparse.Namespace, endpoints: list[Endpoint], big: dict[str, int], small: dict[str, int]
) -> list[Row]:
    """Start gunicorn and load each endpoint in turn."""
    cookie, browser = session_cookie(args.user)
    api_headers = {"Authorization": f"Bearer {token_file().read_text().strip()}"}
    page_headers = {"Cookie": cookie}
    rows = []
    try:
        with gunicorn(args.workers, token_file().stem.removeprefix("token-")) as server:
            for endpoint in endpoints:
                headers = api_headers if endpoint.api else page_headers
                for requests in (args.warmup, args.requests):  # the last is the one measured
                    m = drive(
                        server, endpoint.path, headers, requests=requests, clients=args.clients, time_cap=args.time_cap
                    )
                print(f"  {endpoint.path}: {m.requests} requests in {m.seconds:.1f} s", file=sys.stderr, flush=True)
                rows.append(
                    Row(
                        endpoint=endpoint.path,
                        requests=m.requests,
                        rps=m.rps,
                        p50_ms=m.percentile_ms(50),
                        p95_ms=m.percentile_ms(95),
                        kib=m.bytes / 1024,
                        cpu_ms=m.server_cpu / m.requests * 1000 if m.requests else 0.0,
                        queries=big[endpoint.path],
                        queries_small=small[endpoint.path],
                        failures=dict(m.failures),
                    )
                )
    finally:
        browser.logout()
    return rows


def run(args: argparse.Namespace) -> int:
    setup_django(args.database_url)
    require_generated()
    from django.core.management import call_command

    from benchmarks.generate import totals
    from sinergi.territory.models import RT

    # With DEBUG off, pages need the static manifest that collectstatic writes.
    call_command("collectstatic", interactive=False, verbosity=0)
    endpoints = selected(args.only)
    small = count_queries_elsewhere(args.small_database_url, args.user, endpoints)
    if small["rt"] >= RT.objects.count():
        raise SystemExit(f"the small database ({small['data']}) is not smaller than the Jakarta one ({totals()})")
    big = count_queries(args.user, endpoints)
    load_before = os.getloadavg()[0]
    rows = measure(args, endpoints, big, small["queries"])
    setup = describe_setup(args.workers, args.clients, small["data"])
    setup += f"; load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"

    return report("Territory", setup, rows, [p for row in rows for p in row.problems()], args)


def report(label: str, setup: str, rows: list[Row], problems: list[str], args: argparse.Namespace) -> int:
    """Print the table and the missed targets, write the JSON and Markdown copies; 1 if a target was missed."""
    print(f"\n{setup}\n{text_table(rows)}")
    for problem in problems:
        print(f"MISSED {problem}")
    print("All targets met." if not problems else f"{len(problems)} target(s) missed.", flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"setup": setup, "rows": [asdict(r) for r in rows], "problems": problems}, f, indent=2)
    if args.markdown:
        with open(args.markdown, "a") as f:
            f.write(f"{label}. {setup}\n\n{markdown_table(rows)}\n\n")
    return 1 if problems else 0


def arg_parser(doc: str | None) -> argparse.ArgumentParser:
    """The options every HTTP benchmark takes, with its ``queries`` subcommand run in a child process."""
    parser = argparse.ArgumentParser(description=(doc or "").split("\n")[0])
    sub = parser.add_subparsers(dest="command")
    queries = sub.add_parser("queries", help="print the data and queries per endpoint as JSON (for the small data)")
    for p in (parser, queries):
        p.add_argument("--database-url", help="the Jakarta-scale database; defaults to DATABASE_URL")
        p.add_argument("--user", default=BENCH_USER, help="who browses and calls the API (default: %(default)s)")
        p.add_argument("--only", action="append", help="measure only endpoints starting with this (repeatable)")
    parser.add_argument("--small-database-url", help="the same data at small scale, to compare queries with")
    parser.add_argument("--requests", type=int, default=500, help="measured requests per endpoint")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured requests per endpoint first")
    parser.add_argument("--clients", type=int, default=2, help="concurrent client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--time-cap", type=float, default=30.0, help="seconds per endpoint at most")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--markdown", help="also append the results as a Markdown table to this file")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = arg_parser(__doc__)
    args = parser.parse_args(argv)
    if args.command == "queries":
        setup_django(args.database_url)
        require_generated()
        from benchmarks.generate import totals
        from sinergi.territory.models import RT

        counts = count_queries(args.user, selected(args.only))
        print(json.dumps({"data": totals(), "rt": RT.objects.count(), "queries": counts}))
        return 0
    if not args.small_database_url:
        parser.error("--small-database-url is required")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
