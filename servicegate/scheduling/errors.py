"""Exceptions the scheduling services raise."""

from __future__ import annotations


class ScheduleRefused(ValueError):
    """A plan request that cannot be carried out; the message is one sentence.

    ``status`` is the HTTP status the API answers with (422 bad input, 409 conflict).
    """

    def __init__(self, message: str, *, status: int = 422) -> None:
        super().__init__(message)
        self.status = status
