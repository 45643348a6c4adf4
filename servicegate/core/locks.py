"""Work that must not overlap on the embedded SQLite database: one import at a time.

SQLite has one writer; two large imports at once made one fail with "database is
locked". ``exclusive_import`` takes a file lock in the data directory on SQLite (on
PostgreSQL imports run in parallel); a second import waits, says so once, and runs.
"""

from __future__ import annotations

import fcntl
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings

WAITING = "Another import is running on this database; this one waits for it to finish …"


@contextmanager
def exclusive_import(say: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the import lock while the block runs (only on the embedded database)."""
    if not settings.EMBEDDED_DATABASE:
        yield
        return
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    with open(settings.DATA_DIR / "import.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if say is not None:
                say(WAITING)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
