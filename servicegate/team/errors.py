"""The error a refused team write raises."""

from __future__ import annotations


class TeamRefused(Exception):
    """A refused write of the team area, with the HTTP status that says why.

    ``status``: 403 (not allowed), 404 (no such thing), 409 (conflicts with the
    current state, e.g. a WIP limit or a second join) or 422 (invalid input). The
    message is a whole sentence saying what was wrong and what to do; nothing changed.
    """

    def __init__(self, message: str, *, status: int = 422) -> None:
        super().__init__(message)
        self.status = status
