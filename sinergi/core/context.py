"""Who is acting, from where, in which request: read by the audit log.

A context variable rather than a thread-local, so it is correct under ASGI
and in tasks. Set by the request middleware, or by ``acting_as`` in commands
and tasks.
"""

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip: str | None = None
    user: Any = None
    channel: str = "web"


_current: ContextVar[RequestContext | None] = ContextVar("sinergi_request_context", default=None)


def current() -> RequestContext:
    """The context of the work in progress; a fresh system context outside requests."""
    ctx = _current.get()
    if ctx is None:
        ctx = RequestContext(request_id=uuid.uuid4().hex, channel="system")
        _current.set(ctx)
    return ctx


def set_current(ctx: RequestContext | None) -> Any:
    return _current.set(ctx)


def reset(token: Any) -> None:
    _current.reset(token)


def update(**changes: Any) -> None:
    _current.set(replace(current(), **changes))


@contextlib.contextmanager
def acting_as(user: Any = None, *, channel: str = "system") -> Iterator[RequestContext]:
    """Run a command or task on behalf of ``user`` with its own request id."""
    token = _current.set(RequestContext(request_id=uuid.uuid4().hex, user=user, channel=channel))
    try:
        yield current()
    finally:
        _current.reset(token)
