"""The error a refused preventive-services write raises."""

from __future__ import annotations

from servicegate.operations.errors import TicketRefused


class MaintenanceRefused(TicketRefused):
    """A refused write of preventive services (a reading, a plan, an offer's acceptance).

    A kind of :class:`TicketRefused`, so the API answers it the same way: ``status``
    403, 404, 409 or 422 with a whole sentence saying what was wrong; nothing was written.
    """
