"""The error a refused portal write raises."""

from __future__ import annotations


class PortalRefused(Exception):
    """A portal write that was refused, with the HTTP status that says why.

    ``status``: 403 (not a contact, or the role may not), 404 (no such object of this
    customer), 409 (done already, e.g. feedback given) or 422 (invalid input). The message
    is a whole sentence; nothing was written.
    """

    def __init__(self, message: str, *, status: int = 422) -> None:
        super().__init__(message)
        self.status = status
