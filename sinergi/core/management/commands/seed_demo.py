"""``manage.py seed_demo``: the real Jakarta territory and realistic demo data. Safe to run again."""

from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand

from sinergi.accounts import demo as accounts_demo
from sinergi.core.context import acting_as
from sinergi.registry import demo as registry_demo
from sinergi.territory import demo as territory_demo
from sinergi.territory.models import Region

DEMO_APPS = ("events", "announcements", "cases", "earlywarning", "evaluation", "opendata")


class Command(BaseCommand):
    help = "Load DKI Jakarta's territory, RW/RT units, government units, demo accounts and register (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        with acting_as(None, channel="system"):
            if not Region.objects.filter(code=territory_demo.JAKARTA_CODE).exists():
                summary = territory_demo.load_jakarta()
                self.stdout.write(f"Territory: {summary.created} regions loaded.")
            rws, rts = territory_demo.generate_rw_rt()
            if rws:
                self.stdout.write(f"RW/RT: {rws} RW and {rts} RT generated.")
            province = Region.objects.get(code=territory_demo.JAKARTA_CODE)
            if units := accounts_demo.create_units(province):
                self.stdout.write(f"Government units: {units} created.")
            accounts_demo.create_logins()
            if made := registry_demo.seed():
                self.stdout.write("Register: " + ", ".join(f"{n:,} {what}" for what, n in made.items()) + ".")
            # Then the activity that builds on the register, in dependency order (evaluation last:
            # it scores what the others made).
            for app in DEMO_APPS:
                if made := import_module(f"sinergi.{app}.demo").seed():
                    listed = ", ".join(f"{n:,} {what}" for what, n in made.items())
                    self.stdout.write(f"{app.capitalize()}: {listed}.")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
