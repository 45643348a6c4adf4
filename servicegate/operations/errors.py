"""The error a refused ticket write raises (imports nothing of Servicegate)."""

from __future__ import annotations


class TicketRefused(Exception):
    """A ticket write that was refused, with the HTTP status that says why.

    ``status``: 403 (the role may not), 404 (no such ticket, customer or asset), 409
    (the write conflicts with the ticket's history) or 422 (the input is invalid). The
    message is a whole sentence saying what was wrong and what to do; nothing was
    written.
    """

    def __init__(self, message: str, *, status: int = 422) -> None:
        super().__init__(message)
        self.status = status
