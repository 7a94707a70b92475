"""Build benchmark data into a database; safe to run again.

    python -m benchmarks.generate --database-url sqlite:///var/bench/jakarta.sqlite3
    python -m benchmarks.generate --database-url postgres://postgres@127.0.0.1/sinergi_bench_small --scale small

``jakarta`` is the real territory at full size: 318 regions, 2,720 RW and
30,442 RT, an office for every region, the agencies, the demo logins and an API
token. ``small`` is the same for one kecamatan (Sawah Besar, Jakarta Pusat),
which holds every kind of page the benchmark visits; comparing the two shows
whether the number of queries grows with the data.

Each step is a function in ``STEPS`` that makes what is missing and says what
it made; later kinds of data (organisations, cases ...) are one more step.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import BASE_DIR, database_label, drop_database, setup_django, token_file

PROVINCE = "31"
# The small scale keeps these regions and everything below them.
SMALL_SCALE_ROOTS = ("31.71.02",)  # Kecamatan Sawah Besar, with the demo kelurahan Pasar Baru and Karang Anyar
BENCH_USER = "kesbangpol"  # the province's administrator: sees everything through a scope filter
TOKEN_NAME = "benchmark"


@dataclass(frozen=True)
class Options:
    scale: str
    user: str


def _in_scale(code: str, scale: str) -> bool:
    if scale == "jakarta":
        return True
    return any(code == root or code.startswith(f"{root}.") or root.startswith(f"{code}.") for root in SMALL_SCALE_ROOTS)


def schema(options: Options) -> str:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    return "migrated"


def territory(options: Options) -> str:
    from sinergi.territory import demo
    from sinergi.territory.models import Region

    with (demo.DATA / "dki_wilayah_kemendagri_2025.csv").open(encoding="utf-8") as f:
        wanted = {row["code"] for row in csv.DictReader(f) if _in_scale(row["code"], options.scale)}
    made = ""
    if Region.objects.filter(code__in=wanted).count() < len(wanted):
        summary = demo.load_jakarta() if options.scale == "jakarta" else _load_subset(wanted)
        made = f"{summary.created} regions, "
    rws, rts = demo.generate_rw_rt()
    return f"{made}{rws} RW, {rts} RT made"


def _load_subset(codes: set[str]) -> object:
    """Load only ``codes`` through the same service and files as the full territory."""
    from sinergi.territory import demo, services

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _filter_csv(demo.DATA / "dki_wilayah_kemendagri_2025.csv", folder, codes)
        populations = [
            _filter_csv(demo.DATA / "dki_city_population_area_2024.csv", folder, codes),
            _filter_csv(demo.DATA / "jakarta_population_density_per_kelurahan_2024_satudata.csv", folder, codes),
        ]
        boundaries = [
            _filter_geojson(demo.DATA / f"dki_{level}_boundaries_cahyadsn.geojson", folder, codes)
            for level in ("kota", "kecamatan", "kelurahan")
        ]
        return services.region_load(
            codes=folder / "dki_wilayah_kemendagri_2025.csv",
            population=populations,
            boundaries=boundaries,
            renames=demo.JAKARTA_RENAMES,
        )


def _filter_csv(source: Path, folder: Path, codes: set[str]) -> Path:
    target = folder / source.name
    with source.open(encoding="utf-8") as f, target.open("w", encoding="utf-8", newline="") as out:
        reader = csv.DictReader(f)
        writer = csv.DictWriter(out, fieldnames=reader.fieldnames or [])
        writer.writeheader()
        writer.writerows(row for row in reader if (row.get("code") or row.get("code_kemendagri", "")).strip() in codes)
    return target


def _filter_geojson(source: Path, folder: Path, codes: set[str]) -> Path:
    data = json.loads(source.read_text(encoding="utf-8"))
    data["features"] = [f for f in data["features"] if str(f["properties"].get("code")) in codes]
    target = folder / source.name
    target.write_text(json.dumps(data), encoding="utf-8")
    return target


def units(options: Options) -> str:
    from sinergi.accounts import demo
    from sinergi.territory.models import Region

    return f"{demo.create_units(Region.objects.get(code=PROVINCE))} government units made"


def logins(options: Options) -> str:
    from sinergi.accounts import demo
    from sinergi.accounts.models import User

    before = User.objects.count()
    demo.create_logins()
    return f"{User.objects.count() - before} demo logins made"


def token(options: Options) -> str:
    """An API token for the benchmark user; its key is kept in var/bench because only its hash is stored."""
    from sinergi.accounts import services
    from sinergi.accounts.models import User

    user = User.objects.get(username=options.user)
    path = token_file()
    if path.exists() and services.token_authenticate(path.read_text().strip()) == user:
        return f"API token for {user.username} kept ({path.relative_to(BASE_DIR)})"
    _token, key = services.token_create(user=user, name=TOKEN_NAME, days=None)
    path.write_text(key)
    return f"API token for {user.username} made ({path.relative_to(BASE_DIR)})"


# The small scale's register: the lembaga of Sawah Besar and this many Ormas (5,000 at Jakarta scale).
SMALL_SCALE_ORMAS = 200


def register(options: Options) -> str:
    """The demo register (``sinergi.registry.demo``): every RT and RW with officers, the lembaga of
    every area, Ormas with branches; about 40,000 organisations and 240,000 persons and officers."""
    from sinergi.registry import demo

    if options.scale == "jakarta":
        made = demo.seed()
    else:
        made = demo.seed(within=SMALL_SCALE_ROOTS[0], ormas_count=SMALL_SCALE_ORMAS)
    return ", ".join(f"{n:,} {what}" for what, n in made.items()) or "nothing new"


Step = Callable[[Options], str]
STEPS: list[tuple[str, Step]] = [
    ("schema", schema),
    ("territory", territory),
    ("units", units),
    ("logins", logins),
    ("register", register),
    ("token", token),
]


def generate(options: Options) -> None:
    from sinergi.core.context import acting_as

    with acting_as(None, channel="system"):
        for name, step in STEPS:
            started = time.perf_counter()
            said = step(options)
            print(f"  {name:<10} {said} ({time.perf_counter() - started:.1f} s)", flush=True)
    print(f"  {'totals':<10} {totals()}", flush=True)


def totals() -> str:
    from sinergi.accounts.models import Unit, User
    from sinergi.registry.models import Officer, Organisation, Person
    from sinergi.territory.models import RT, RW, Region

    return (
        f"{Region.objects.count():,} regions, {RW.objects.count():,} RW, {RT.objects.count():,} RT, "
        f"{Unit.objects.count():,} units, {User.objects.count():,} users, "
        f"{Organisation.objects.count():,} organisations, {Person.objects.count():,} persons, "
        f"{Officer.objects.count():,} officers"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="defaults to DATABASE_URL, then the settings' SQLite file")
    parser.add_argument("--scale", choices=["jakarta", "small"], default="jakarta")
    parser.add_argument("--user", default=BENCH_USER, help="who gets the API token (default: %(default)s)")
    parser.add_argument("--fresh", action="store_true", help="drop the database first and build it anew")
    args = parser.parse_args(argv)
    if args.fresh:
        url = args.database_url or os.environ.get("DATABASE_URL", "")
        if "bench" not in url:
            parser.error("--fresh drops only a database whose URL says 'bench'")
        drop_database(url)
    setup_django(args.database_url)
    if args.fresh:
        token_file().unlink(missing_ok=True)

    print(f"Generating {args.scale} data in {database_label()}", flush=True)
    generate(Options(scale=args.scale, user=args.user))


if __name__ == "__main__":
    main()
