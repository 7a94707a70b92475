"""INSERT statements built from unsaved model instances, for the rare hot path that writes several
rows in one statement (a PostgreSQL ``WITH ... INSERT`` chain) instead of one ORM call per row.

Columns and values come from the model's own fields (``get_db_prep_save``), so the statement follows
the model when a field is added; ``expressions`` replaces a field's value with SQL, such as the id
the first INSERT of the chain returns (``{"case": "c.id"}``). A value that is ``None`` is written as
``NULL`` rather than bound: fewer parameters keep the statement within what psycopg caches parsed.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from django.db import connection, models

AUTO_FIELDS = (models.AutoField, models.BigAutoField, models.SmallAutoField)


@functools.cache
def _fields(model: type[models.Model]) -> tuple[tuple[models.Field[Any, Any], str], ...]:
    """The model's concrete fields but an automatic primary key, each with its quoted column."""
    quote = connection.ops.quote_name
    return tuple(
        (field, quote(str(field.column)))
        for field in model._meta.local_concrete_fields
        if not isinstance(field, AUTO_FIELDS)
    )


def insert(
    obj: models.Model, *, expressions: Mapping[str, str] | None = None, source: str = ""
) -> tuple[str, list[Any]]:
    """``INSERT INTO table (columns) VALUES (...)``, or ``... SELECT ... FROM source`` with ``source``,
    for every concrete field of ``obj`` but an automatic primary key."""
    expressions = expressions or {}
    columns: list[str] = []
    values: list[str] = []
    params: list[Any] = []
    for field, column in _fields(type(obj)):
        columns.append(column)
        if field.name in expressions:
            values.append(expressions[field.name])
            continue
        value = field.get_db_prep_save(field.pre_save(obj, add=True), connection)
        if value is None:
            values.append("NULL")
        else:
            values.append("%s")
            params.append(value)
    table = connection.ops.quote_name(obj._meta.db_table)
    # Quoted names from the model, placeholders, NULL, and the caller's own SQL: no value is pasted in.
    body = f"SELECT {', '.join(values)} FROM {source}" if source else f"VALUES ({', '.join(values)})"  # noqa: S608
    return f"INSERT INTO {table} ({', '.join(columns)}) {body}", params
