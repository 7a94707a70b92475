"""Writing the audit log. Every service that changes data calls ``record``."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from sinergi.audit.models import AuditEvent
from sinergi.core import context


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time, decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of ``fields`` (foreign keys by id), ready to store as JSON."""
    values = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        values[name] = _jsonable(getattr(obj, attname))
    return values


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for every field whose value changed."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def record(
    *,
    action: str,
    obj: models.Model | None = None,
    changes: Mapping[str, Any] | None = None,
    region_code: str = "",
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    actor: Any = None,
) -> AuditEvent:
    """Append one audit event, taking actor, address and request id from the current context."""
    event = build(
        action=action,
        obj=obj,
        changes=changes,
        region_code=region_code,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        actor=actor,
    )
    event.save()
    return event


def build(
    *,
    action: str,
    obj: models.Model | None = None,
    changes: Mapping[str, Any] | None = None,
    region_code: str = "",
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    actor: Any = None,
) -> AuditEvent:
    """The audit event ``record`` would append, not yet saved: for a caller that writes it in the same
    statement as the change it records (the PostgreSQL intake of cases)."""
    ctx = context.current()
    actor = actor if actor is not None else ctx.user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    return AuditEvent(
        actor=actor,
        actor_label=str(actor)[:150] if actor is not None else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:255],
        changes=_jsonable(dict(changes or {})),
        region_code=region_code,
        ip=ctx.ip,
        request_id=ctx.request_id,
        channel=ctx.channel,
    )
