"""Benchmark the register's Excel import: 30,000 officers, with their organisations and persons.

    python -m benchmarks.registry_import [--database-url URL] [--officers 30000]

In a database of its own (default ``var/bench/registry-import.sqlite3``; ``--database-url`` for
PostgreSQL, made if missing) with the real Jakarta territory, the province administrator imports
three Excel files through the real import services, each first checked (the dry run) and then
written all-or-nothing: the RT organisations (one per RT, a third as many as officers), the persons
(one per officer, valid generated NIKs), and the officers (chair, secretary and treasurer of each
RT, referring to the organisation by Sinergi ID and to the person by NIK).

Every dry run and every import runs in a fresh child process, which reports its time and its peak
resident memory (``getrusage`` maxrss: the whole process, Python and Django included). It prints a
table and exits 1 if the officers' import (dry run or write) takes 60 s or more, or a child's peak
memory reaches 500 MB. Earlier runs' registry rows are removed first.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

from benchmarks.common import BASE_DIR, BENCH_DIR, database_label, setup_django

DEFAULT_DATABASE = f"sqlite:///{BENCH_DIR / 'registry-import.sqlite3'}"
BENCH_USER = "kesbangpol"  # the province administrator, created by the demo logins
SECONDS_TARGET = 60.0
MEMORY_TARGET_MB = 500.0
POSTS = ("ketua", "sekretaris", "bendahara")
TERM_START = datetime.date(2024, 3, 1)

BENCH_ENV = {
    # Fixed, benchmark-only keys: production settings refuse to run without them.
    "NIK_ENCRYPTION_KEYS": "YmVuY2htYXJrLW9ubHktbmlrLWtleS0wMDAwMDAwMDA=",
    "NIK_HASH_KEY": "benchmark-only-nik-hash-key",
    # The benchmark calls the task bodies itself and times them.
    "TASKS_BACKEND": "django.tasks.backends.dummy.DummyBackend",
    "MEDIA_ROOT": str(BENCH_DIR / "media"),
}


def _setup(database_url: str) -> None:
    for name, value in BENCH_ENV.items():
        os.environ.setdefault(name, value)
    setup_django(database_url)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


# --- the parent: data, files, children, report ---------------------------------------------------


def prepare() -> None:
    """The schema, the Jakarta territory with RW/RT, the offices and logins; no registry rows."""
    from benchmarks import generate
    from sinergi.core.context import acting_as
    from sinergi.registry.models import ImportJob, Officer, Organisation, Person

    options = generate.Options(scale="jakarta", user=BENCH_USER)
    with acting_as(None, channel="system"):
        for step in (generate.schema, generate.territory, generate.units, generate.logins):
            print(f"  {step.__name__:<10} {step(options)}", flush=True)
    Officer.objects.all().delete()
    Person.objects.all().delete()
    Organisation.objects.all().delete()
    for job in ImportJob.objects.all():
        job.file.delete(save=False)
    ImportJob.objects.all().delete()


def write_xlsx(path: Path, headers: list[str], rows: Any) -> int:
    """An Excel file as Excel saves it: with the sheet's dimension (openpyxl's write-only mode has
    none, which makes readers parse the sheet twice) and text in a shared-strings table (openpyxl
    writes inline strings, slower to read)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(headers)
    count = 0
    for row in rows:
        sheet.append(row)
        count += 1
    workbook.save(path)
    _share_strings(path)
    return count


def _share_strings(path: Path) -> None:
    strings: dict[str, int] = {}

    def shared(match: re.Match[str]) -> str:
        index = strings.setdefault(match.group(2), len(strings))
        return f'<c r="{match.group(1)}" t="s"><v>{index}</v></c>'

    ns = "http://schemas.openxmlformats.org/"
    with zipfile.ZipFile(path) as source:
        parts = {item.filename: source.read(item.filename) for item in source.infolist()}
    sheet_xml = parts["xl/worksheets/sheet1.xml"].decode()
    sheet_xml = re.sub(r'<c r="([A-Z]+[0-9]+)" t="inlineStr"><is><t[^>]*>(.*?)</t></is></c>', shared, sheet_xml)
    parts["xl/worksheets/sheet1.xml"] = sheet_xml.encode()
    items = "".join(f"<si><t>{text}</t></si>" for text in strings)
    parts["xl/sharedStrings.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{ns}spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    ).encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        f'<Relationship Id="rIdSharedStrings" Type="{ns}officeDocument/2006/relationships/sharedStrings" '
        f'Target="sharedStrings.xml"/></Relationships>'.encode(),
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def organisations_file(path: Path, count: int) -> int:
    from sinergi.territory.models import RT

    rts = RT.objects.select_related("rw__kelurahan").order_by("rw__kelurahan__code", "rw__number", "number")[:count]
    return write_xlsx(
        path,
        ["Kind code", "Name", "Region code", "RW number", "RT number", "Phone"],
        (
            ["rt", f"RT {rt.number:03d}/RW {rt.rw.number:03d}", rt.rw.kelurahan.code, rt.rw.number, rt.number, "021"]
            for rt in rts.iterator(chunk_size=2000)
        ),
    )


def niks(count: int) -> list[str]:
    """``count`` distinct NIKs, valid in form, issued in Jakarta's kecamatan."""
    from sinergi.territory.models import Region

    districts = [
        code.replace(".", "") for code in Region.objects.filter(level="district").values_list("code", flat=True)
    ]
    first = datetime.date(1955, 1, 1)
    made = []
    for i in range(count):
        born = first + datetime.timedelta(days=(i // len(districts)) % 18000)
        day = born.day + (40 if i % 2 else 0)
        serial = 1 + i // (len(districts) * 18000)
        made.append(f"{districts[i % len(districts)]}{day:02d}{born:%m%y}{serial:04d}")
    return made


def persons_file(path: Path, all_niks: list[str]) -> int:
    return write_xlsx(
        path,
        ["Full name", "NIK", "Phone"],
        ([f"Warga Demo {i:05d}", nik, "0812 0000 0000"] for i, nik in enumerate(all_niks, start=1)),
    )


def officers_file(path: Path, all_niks: list[str]) -> int:
    from sinergi.registry.models import Organisation

    ids = list(Organisation.objects.filter(kind__code="rt").order_by("pk").values_list("pk", flat=True))
    rows = (
        [ids[i // len(POSTS)], nik, POSTS[i % len(POSTS)], TERM_START, "Lurah", "ya"]
        for i, nik in enumerate(all_niks)
        if i // len(POSTS) < len(ids)
    )
    headers = ["Organisation", "NIK", "Position", "Term start", "SK issued by", "No-party statement signed"]
    return write_xlsx(path, headers, rows)


def child(database_url: str, *args: str) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.registry_import", "--database-url", database_url, *args]
    done = subprocess.run(command, cwd=BASE_DIR, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"child {' '.join(args)} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(database_url: str, officers: int) -> int:
    _setup(database_url)
    print(f"Registry import benchmark on {database_label()}", flush=True)
    started = time.perf_counter()
    prepare()
    print(f"  prepared in {time.perf_counter() - started:.1f} s", flush=True)

    all_niks = niks(officers)
    results = []
    for target in ("organisations", "persons", "officers"):
        path = BENCH_DIR / f"registry-import-{target}.xlsx"
        made = time.perf_counter()
        if target == "organisations":
            rows = organisations_file(path, -(-officers // len(POSTS)))
        elif target == "persons":
            rows = persons_file(path, all_niks)
        else:
            rows = officers_file(path, all_niks)
        print(
            f"  {target}: {rows:,} rows, {path.stat().st_size / 1e6:.1f} MB file ({time.perf_counter() - made:.1f} s)"
        )
        check = child(database_url, "--child", "check", "--target", target, "--file", str(path))
        if check["bad_rows"]:
            raise SystemExit(f"{target}: {check['bad_rows']} bad rows in the generated file: {check['first_errors']}")
        write = child(database_url, "--child", "import", "--job", str(check["job"]))
        results.append((target, rows, check, write))

    print()
    header = f"{'import':<14}{'rows':>8}{'dry run s':>11}{'rows/s':>9}{'peak MB':>9}"
    print(f"{header}{'import s':>10}{'rows/s':>9}{'peak MB':>9}")
    failed = False
    for target, rows, check, write in results:
        print(
            f"{target:<14}{rows:>8,}{check['seconds']:>11.1f}{rows / check['seconds']:>9,.0f}{check['peak_mb']:>9.0f}"
            f"{write['seconds']:>10.1f}{rows / write['seconds']:>9,.0f}{write['peak_mb']:>9.0f}"
        )
        if max(check["peak_mb"], write["peak_mb"]) >= MEMORY_TARGET_MB:
            failed = True
        if target == "officers" and max(check["seconds"], write["seconds"]) >= SECONDS_TARGET:
            failed = True
        if write["written"] != rows:
            print(f"  {target}: only {write['written']:,} of {rows:,} rows written")
            failed = True
    print(
        f"(peak MB: the child process's maximum resident memory; Django alone takes {results[0][2]['base_mb']:.0f} MB)"
    )
    print(
        f"Targets: officers' dry run and import each under {SECONDS_TARGET:.0f} s, peak memory under "
        f"{MEMORY_TARGET_MB:.0f} MB: {'missed' if failed else 'met'}"
    )
    return 1 if failed else 0


# --- the children: one dry run or one import each -------------------------------------------------


def child_check(target: str, file: str) -> dict[str, Any]:
    from django.core.files import File

    from sinergi.accounts.models import User
    from sinergi.core.context import acting_as
    from sinergi.registry import imports
    from sinergi.registry.models import ImportJob

    base = peak_mb()
    user = User.objects.get(username=BENCH_USER)
    with acting_as(user, channel="task"), open(file, "rb") as fh:
        job = imports.import_job_create(by=user, target=target, file=File(fh, name=Path(file).name))  # type: ignore[arg-type]
        started = time.perf_counter()
        imports.import_check(job.pk)
        seconds = time.perf_counter() - started
    job = ImportJob.objects.get(pk=job.pk)
    return {
        "job": job.pk,
        "seconds": seconds,
        "peak_mb": peak_mb(),
        "base_mb": base,
        "rows": job.total_rows,
        "bad_rows": job.bad_rows,
        "first_errors": job.errors[:3],
    }


def child_import(job_id: int) -> dict[str, Any]:
    from sinergi.core.context import acting_as
    from sinergi.registry import imports
    from sinergi.registry.models import ImportJob

    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    with acting_as(job.created_by, channel="task"):
        imports.import_job_start(by=job.created_by, job=job, mode=ImportJob.Mode.ALL_OR_NOTHING)
        started = time.perf_counter()
        imports.import_run(job.pk)
        seconds = time.perf_counter() - started
    job.refresh_from_db()
    if job.status != ImportJob.Status.DONE:
        raise SystemExit(f"import {job.pk} ended {job.status}: {job.errors[:3]}")
    return {"seconds": seconds, "peak_mb": peak_mb(), "written": job.written_rows}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--officers", type=int, default=30_000)
    parser.add_argument("--child", choices=["check", "import"], help=argparse.SUPPRESS)
    parser.add_argument("--target", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--job", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _setup(args.database_url)
        report = child_check(args.target, args.file) if args.child == "check" else child_import(args.job)
        print(json.dumps(report, default=str))
        return
    raise SystemExit(run(args.database_url, args.officers))


if __name__ == "__main__":
    main()
