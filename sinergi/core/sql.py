"""INSERT statements built from unsaved model instances, for the rare hot path that writes several
rows in one statement (a PostgreSQL ``WITH ... INSERT`` chain) instead of one ORM call per row.

Columns and values come from the model's own fields (``get_db_prep_save``), so the statement follows
the model when a field is added; ``expressions`` replaces a field's value with SQL, such as the id
the first INSERT of the chain returns (``{"case": "c.id"}``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import connection, models


def insert(
    obj: models.Model, *, expressions: Mapping[str, str] | None = None, source: str = ""
) -> tuple[str, list[Any]]:
    """``INSERT INTO table (columns) VALUES (...)``, or ``... SELECT ... FROM source`` with ``source``,
    for every concrete field of ``obj`` but an automatic primary key."""
    expressions = expressions or {}
    quote = connection.ops.quote_name
    columns: list[str] = []
    values: list[str] = []
    params: list[Any] = []
    for field in obj._meta.local_concrete_fields:
        if isinstance(field, models.AutoField | models.BigAutoField | models.SmallAutoField):
            continue
        columns.append(quote(str(field.column)))
        if field.name in expressions:
            values.append(expressions[field.name])
        else:
            values.append("%s")
            params.append(field.get_db_prep_save(field.pre_save(obj, add=True), connection))
    head = f"INSERT INTO {quote(obj._meta.db_table)} ({', '.join(columns)}) "
    # Quoted names from the model, placeholders, and the caller's own SQL: no value is ever pasted in.
    body = f"SELECT {', '.join(values)} FROM {source}" if source else f"VALUES ({', '.join(values)})"  # noqa: S608
    return head + body, params
