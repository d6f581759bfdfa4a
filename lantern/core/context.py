"""Who is acting, and through which channel, for the audit record.

A context variable (not a thread-local) so it is right under ASGI and in the task worker too.
The web middleware, the API and the CLI each set it once at their entry point.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class ActorContext:
    channel: str  # "web" | "api" | "cli" | "task" | "test"
    source: str  # IP address, or "console" / "worker"


_current: ContextVar[ActorContext | None] = ContextVar("lantern_actor_context", default=None)


def current() -> ActorContext:
    return _current.get() or ActorContext(channel="internal", source="")


@contextlib.contextmanager
def acting(channel: str, source: str) -> Iterator[ActorContext]:
    ctx = ActorContext(channel=channel, source=source)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)
