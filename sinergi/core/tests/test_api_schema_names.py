"""Two schemas with one name would share one entry of the OpenAPI document: one operation would be
documented with the other's fields (and clients generated from it would be wrong)."""

from __future__ import annotations

from collections import defaultdict

from ninja import Schema

import config.api  # noqa: F401 - imports every router and its schemas


def subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= subclasses(sub)
    return found


def test_every_api_schema_has_a_name_of_its_own() -> None:
    by_name: dict[str, set[str]] = defaultdict(set)
    for schema in subclasses(Schema):
        if schema.__module__.startswith(("sinergi.", "config.")):
            by_name[schema.__name__].add(f"{schema.__module__}.{schema.__qualname__}")

    assert {name: where for name, where in by_name.items() if len(where) > 1} == {}
