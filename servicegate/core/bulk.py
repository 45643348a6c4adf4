"""Bulk work that recomputes derived state once at its end asks the triggers to wait.

Signal handlers that would start background recomputation (clocks after a promise or
calendar change) check ``paused``; ``triggers_paused()`` sets it for the code inside.
It lives in ``core`` so that the demo (and any other bulk loader) can pause triggers
without knowing which app owns them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

paused: ContextVar[bool] = ContextVar("servicegate_triggers_paused", default=False)


@contextmanager
def triggers_paused() -> Iterator[None]:
    """Start no recompute jobs from signals inside (bulk work that recomputes at its end)."""
    token = paused.set(True)
    try:
        yield
    finally:
        paused.reset(token)
