"""Benchmark the register's list, search, organisation page and API over real HTTP, and count queries.

    python -m benchmarks.registry --database-url URL --small-database-url URL [--requests 500]

Both databases must have been filled by ``benchmarks.generate`` (``--scale small`` for the second):
at Jakarta scale about 40,000 organisations and 240,000 persons and officers, at small scale the
lembaga of Kecamatan Sawah Besar and 200 Ormas. It works like ``benchmarks.territory``, whose
helpers it uses (gunicorn with production-like settings, the load generator, the tables): queries
per request counted in-process on both databases, then each endpoint loaded over HTTP as the
province administrator. It exits 1 if an endpoint's p95 reaches 150 ms, a request fails, or the
number of queries differs between the two databases.

Some paths name rows that differ between databases (an organisation's id, a person's NIK); they
are filled in per database from the demo data's fixed cast (``sinergi.registry.demo``), so the
same request is compared at both sizes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import dataclass, replace
from typing import Any

from benchmarks import territory
from benchmarks.common import BASE_DIR, require_generated, setup_django

P95_TARGET_MS = 150.0


@dataclass(frozen=True)
class Case:
    """An endpoint to measure; ``path`` may hold ``{nik}``, ``{ormas}`` and ``{rt}``, filled per database."""

    path: str
    api: bool = False


CASES = [
    Case("/register/"),  # the whole register, first page
    Case("/register/?kind=rt&area=31.71.02.1001&status=active"),  # the Lurah's RT list
    Case("/register/?kind=ormas&expiring=90"),  # Ormas with something expiring within 90 days
    Case("/register/?q=Pasar+Baru"),  # by name
    Case("/register/?q=Bambang+Suryadi"),  # by an officer's name
    Case("/register/?q={nik}"),  # by an officer's exact NIK
    Case("/register/{ormas}/"),  # a seed-001 Ormas: board, documents, coaching, reports
    Case("/register/{rt}/"),  # RT 001/RW 001 Kelurahan Pasar Baru
    Case("/api/v1/registry/organisations?limit=50", api=True),
    Case("/api/v1/registry/organisations?q=Bambang+Suryadi&limit=50", api=True),
    Case("/api/v1/registry/organisations?kind=ormas&region=31.71&limit=50", api=True),
]


def cast() -> dict[str, str]:
    """The values of the placeholders in this database: ids of demo organisations and a chair's NIK."""
    from sinergi.registry import demo
    from sinergi.registry import nik as nik_tools
    from sinergi.registry.models import Officer, Organisation

    rt = Organisation.objects.get(kind__code="rt", region__code=demo.core.PASAR_BARU, rw__number=1, rt__number=1)
    ormas = Organisation.objects.get(kind__code="ormas", name=demo.SEED_001_ORMAS[0][0])
    chair = Officer.objects.select_related("person").filter(organisation=rt, position="ketua").latest("term_start")
    return {"rt": str(rt.pk), "ormas": str(ormas.pk), "nik": nik_tools.decrypt_nik(chair.person.nik_encrypted)}


def selected(prefixes: list[str] | None) -> list[Case]:
    return [c for c in CASES if not prefixes or any(c.path.startswith(p) for p in prefixes)]


def endpoints(cases: list[Case], values: dict[str, str]) -> list[territory.Endpoint]:
    return [territory.Endpoint(case.path.format(**values), api=case.api) for case in cases]


def shown(path: str, values: dict[str, str]) -> str:
    """The path as the report shows it: the NIK masked, even a generated one."""
    from sinergi.registry import nik as nik_tools

    return path.replace(values["nik"], nik_tools.mask_nik(values["nik"]))


def count_queries(username: str, cases: list[Case]) -> dict[str, int]:
    """Queries of one request to each case in this database, keyed by the case's unfilled path."""
    filled = endpoints(cases, cast())
    counts = territory.count_queries(username, filled)
    return {case.path: counts[endpoint.path] for case, endpoint in zip(cases, filled, strict=True)}


def count_queries_elsewhere(database_url: str, username: str, cases: list[Case]) -> dict[str, Any]:
    """``count_queries`` on another database, in a child process (Django holds one default database)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.registry", "queries", "--database-url", database_url, "--user", username]
        + [arg for case in cases for arg in ("--only", case.path)],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise SystemExit(f"counting queries on {database_url} failed:\n{result.stderr}")
    return json.loads(result.stdout)


def problems(row: territory.Row) -> list[str]:
    """``territory.Row.problems`` with the register's latency target."""
    found = [p for p in row.problems() if " p95 " not in p]
    if row.p95_ms >= P95_TARGET_MS:
        found.insert(0, f"{row.endpoint}: p95 {row.p95_ms:.1f} ms ≥ {P95_TARGET_MS:.0f} ms")
    return found


def organisations() -> int:
    from sinergi.registry.models import Organisation

    return Organisation.objects.count()


def run(args: argparse.Namespace) -> int:
    setup_django(args.database_url)
    require_generated()
    from django.core.management import call_command

    from benchmarks.generate import totals

    cases = selected(args.only)
    if not cases:
        print("No register endpoint selected.")
        return 0
    # With DEBUG off, pages need the static manifest that collectstatic writes.
    call_command("collectstatic", interactive=False, verbosity=0)
    small = count_queries_elsewhere(args.small_database_url, args.user, cases)
    if small["organisations"] >= organisations():
        raise SystemExit(f"the small database ({small['data']}) is not smaller than the Jakarta one ({totals()})")
    values = cast()
    filled = endpoints(cases, values)
    big = count_queries(args.user, cases)
    by_path = {e.path: c.path for e, c in zip(filled, cases, strict=True)}
    load_before = os.getloadavg()[0]
    rows = territory.measure(
        args,
        filled,
        {path: big[case] for path, case in by_path.items()},
        {path: small["queries"][case] for path, case in by_path.items()},
    )
    rows = [replace(row, endpoint=shown(row.endpoint, values)) for row in rows]
    setup = territory.describe_setup(args.workers, args.clients, small["data"])
    setup += f"; load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"

    return territory.report("Register", setup, rows, [p for row in rows for p in problems(row)], args)


def main(argv: list[str] | None = None) -> int:
    parser = territory.arg_parser(__doc__)
    args = parser.parse_args(argv)
    if args.command == "queries":
        setup_django(args.database_url)
        require_generated()
        from benchmarks.generate import totals

        cases = [c for c in CASES if not args.only or c.path in args.only]  # exact paths from the parent
        counts = count_queries(args.user, cases)
        print(json.dumps({"data": totals(), "organisations": organisations(), "queries": counts}))
        return 0
    if not args.small_database_url:
        parser.error("--small-database-url is required")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
