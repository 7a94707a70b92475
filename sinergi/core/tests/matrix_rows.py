"""What the permission matrix's tables are made of, shared by ``test_permission_matrix`` and each
app's ``tests/matrix.py`` (which adds the app's pages, writes and API operations to the tables).

Personas (columns): anonymous; the Kesbangpol administrator (whole province); the Jakarta Pusat
viewer (reads the city, writes nothing); the Lurah operator of Gambir (the objects' kelurahan); the
outsider operator of Pasar Baru; the administrator of Jakarta Barat (another city); the RT chair
(representative of RT 001/RW 001 Gambir).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conftest import Territory, Units
    from sinergi.accounts.models import User
    from sinergi.core.tests.world import World

PERSONAS = ("anon", "admin", "viewer", "lurah", "outsider", "west", "chair")

# The apps that keep their rows in sinergi/<app>/tests/matrix.py.
APPS = ("events", "cases", "announcements", "earlywarning", "evaluation", "opendata")


def row(*statuses: int) -> dict[str, int]:
    return dict(zip(PERSONAS, statuses, strict=True))


# Pages ---------------------------------------------------------------------------------------------
#                                 anon admin viewer lurah outsider west chair
OPEN = row(200, 200, 200, 200, 200, 200, 200)
SIGNED_IN = row(302, 200, 200, 200, 200, 200, 200)  # any signed-in user: their own data or their own scope
POST_ONLY = row(302, 405, 405, 405, 405, 405, 405)  # a GET changes nothing; the POST is tested in WRITES
STAFF_ONLY = row(302, 200, 200, 200, 200, 200, 404)  # staff pages, filtered to the scope; not for a representative
STAFF_EDITOR = row(302, 200, 403, 200, 200, 200, 403)  # may create in their own scope
ADMIN_LIST = row(302, 200, 404, 404, 404, 200, 404)  # administrators, filtered to their territory
ADMIN_OBJECT = row(302, 200, 404, 404, 404, 404, 404)  # an administrator of the object's territory
REGION = row(302, 200, 200, 200, 404, 404, 404)  # Kelurahan Gambir and its RW
ORG_READ = row(302, 200, 200, 200, 404, 404, 200)  # the RT organisation, read
ORG_EDIT = row(302, 200, 403, 200, 404, 404, 403)  # the RT organisation, staff writes
ORG_REPRESENT = row(302, 200, 403, 200, 404, 404, 200)  # the RT organisation, staff or its representative
ORMAS_EDIT = row(302, 200, 403, 404, 404, 404, 404)  # the kecamatan-level Ormas: not the lurah's
ORMAS_FILE = row(302, 200, 200, 404, 404, 404, 404)  # its files: whoever sees the Ormas
OWNER = row(302, 404, 404, 200, 404, 404, 404)  # import and export jobs: only who started them
CHAIR_ONLY = row(302, 404, 404, 404, 404, 404, 200)

# Writes: the personas a POST must refuse (403 or 404) without changing anything.
VIEWER_OUTSIDER_WEST = ("viewer", "outsider", "west")
REFUSED = ("viewer", "outsider", "west", "chair")

# API -----------------------------------------------------------------------------------------------
#                                  anon admin viewer lurah outsider west chair
API_OPEN = row(200, 200, 200, 200, 200, 200, 200)
API_SIGNED_IN = row(401, 200, 200, 200, 200, 200, 200)
API_REGION = row(401, 200, 200, 200, 404, 404, 404)
API_ORG = row(401, 200, 200, 200, 404, 404, 200)
API_ORMAS = row(401, 200, 200, 404, 404, 404, 404)
# Writes, with a valid body: the viewer gets 403, who does not see the object 404; 0 marks an
# allowed write, left to the app's own API tests and the fuzzing (it would change the world).
API_WRITE = row(401, 0, 403, 0, 404, 404, 403)
API_CREATE = row(401, 0, 403, 0, 0, 0, 403)


@dataclass
class MatrixContext:
    """What an app's ``build`` gets: the world so far and the personas that make things."""

    world: World
    territory: Territory
    units: Units
    admin: User  # the Kesbangpol administrator (whole province)
    lurah: User  # the Lurah operator of Gambir


def app_matrices() -> list[ModuleType]:
    return [import_module(f"sinergi.{app}.tests.matrix") for app in APPS]


def build_apps(ctx: MatrixContext) -> None:
    """Each app's objects, in ``APPS`` order, into ``ctx.world.x``."""
    for module in app_matrices():
        made: dict[str, Any] = module.build(ctx)
        ctx.world.x.update(made)
