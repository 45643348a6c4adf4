"""Operations models: installed base, tickets with their event history, import runs."""

from servicegate.operations.models.imports import ImportRun
from servicegate.operations.models.installed_base import Asset, Customer, Site
from servicegate.operations.models.tickets import Ticket, TicketChange, TicketEvent

__all__ = [
    "Asset",
    "Customer",
    "ImportRun",
    "Site",
    "Ticket",
    "TicketChange",
    "TicketEvent",
]
