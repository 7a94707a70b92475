"""``manage.py load_region``: load or refresh a region from its Kemendagri code, population and boundary files."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sinergi.core.context import acting_as
from sinergi.territory import loader, services


class Command(BaseCommand):
    help = (
        "Load a region's codes (CSV code,name,level,parent_code), with optional population CSV and "
        "boundary GeoJSON files. All or nothing: any bad line is reported and nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--codes", type=Path, required=True, help="CSV with code,name,level,parent_code")
        parser.add_argument(
            "--population",
            type=Path,
            action="append",
            default=[],
            help="CSV with code (or code_kemendagri) and population (or total); repeatable",
        )
        parser.add_argument(
            "--boundaries",
            type=Path,
            action="append",
            default=[],
            help="GeoJSON FeatureCollection whose features carry properties.code; repeatable",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with acting_as(None, channel="system"):
            try:
                summary = services.region_load(
                    codes=options["codes"], population=options["population"], boundaries=options["boundaries"]
                )
            except loader.RegionFileError as exc:
                for problem in exc.problems:
                    self.stderr.write(str(problem))
                raise CommandError(f"{len(exc.problems)} problem(s) found; nothing was loaded.") from None
            except OSError as exc:
                raise CommandError(f"{exc.filename}: {exc.strerror}; nothing was loaded.") from None
        self.stdout.write(
            self.style.SUCCESS(f"Region {summary.root_code}: {summary.created} created, {summary.updated} updated.")
        )
