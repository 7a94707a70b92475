"""What the benchmark scripts share: production-like settings, Django set-up, and the bench files.

The benchmarks run with the settings a deployment uses (DEBUG off, a manifest
for static files), with only what a laptop lacks filled in: a secret key, the
loopback host, no HTTPS redirect, and the register's NIK keys. Every value can still be overridden from
the environment.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / "var" / "bench"

PRODUCTION_LIKE_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DEBUG": "0",
    "SECRET_KEY": "benchmark-only-secret-key-never-used-in-production",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "STATIC_ROOT": str(BENCH_DIR / "static"),
    "LOG_LEVEL": "WARNING",
    # The register's NIK keys (benchmark-only, the same as benchmarks/registry_import.py) and its files.
    "NIK_ENCRYPTION_KEYS": "YmVuY2htYXJrLW9ubHktbmlrLWtleS0wMDAwMDAwMDA=",
    "NIK_HASH_KEY": "benchmark-only-nik-hash-key",
    "MEDIA_ROOT": str(BENCH_DIR / "media"),
}


def setup_django(database_url: str | None = None) -> None:
    """Configure the environment (``database_url`` wins over ``DATABASE_URL``), then start Django."""
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    for name, value in PRODUCTION_LIKE_ENV.items():
        os.environ.setdefault(name, value)
    if str(BASE_DIR) not in sys.path:
        sys.path.insert(0, str(BASE_DIR))
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    ensure_postgres_database(os.environ.get("DATABASE_URL", ""))

    import django

    django.setup()


def drop_database(url: str) -> None:
    """Remove the database named in ``url`` (a SQLite file, or a PostgreSQL database), if it exists."""
    import dj_database_url

    config = dj_database_url.parse(url)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{config['NAME']}{suffix}").unlink(missing_ok=True)
        return
    with _postgres_maintenance(config) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(config["NAME"])))


def ensure_postgres_database(url: str) -> None:
    """Create the PostgreSQL database named in ``url`` if it does not exist yet (SQLite makes its own file)."""
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import dj_database_url

    config = dj_database_url.parse(url)
    with _postgres_maintenance(config) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))


def _postgres_maintenance(config: dict[str, Any]) -> psycopg.Connection[Any]:
    """A connection to the server's ``postgres`` database, for creating and dropping others."""
    return psycopg.connect(
        dbname="postgres",
        autocommit=True,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
    )


def database_label() -> str:
    """``sqlite:jakarta`` or ``postgresql:sinergi_bench``: names the database in files and reports."""
    from django.db import connection

    name = Path(str(connection.settings_dict["NAME"])).stem
    return f"{connection.vendor}:{name}"


def token_file() -> Path:
    """Where the generator keeps the benchmark API key for the current database.

    Sinergi stores only a hash of a key, so the key itself has to live outside
    the database for the benchmark to use it again.
    """
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", database_label())
    return BENCH_DIR / f"token-{slug}.txt"


def require_generated() -> None:
    """Stop with a hint when the database lacks the current schema (the generator migrates)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise SystemExit(f"{database_label()} has unapplied migrations: run `python -m benchmarks.generate` first")


@dataclass(frozen=True)
class ProcessCpu:
    pid: int
    ppid: int
    name: str
    seconds: float


def processes() -> Iterator[ProcessCpu]:
    """Every running process with the CPU time it has used so far, from Linux's /proc (none elsewhere);
    a process that ends meanwhile is left out."""
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        # "pid (name) state ppid ... utime stime": utime and stime are the 14th and 15th fields.
        head, _, rest = text.rpartition(") ")
        pid, _, name = head.partition(" (")
        fields = rest.split()
        yield ProcessCpu(int(pid), int(fields[1]), name, (int(fields[11]) + int(fields[12])) / tick)


def cpu_seconds_of(command: str) -> float:
    """CPU time used so far by the running processes named ``command`` (``postgres``, ``redis-server``)."""
    return sum(p.seconds for p in processes() if p.name == command)
