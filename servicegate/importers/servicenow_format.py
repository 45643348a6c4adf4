"""The vocabulary of the ServiceNow incident event log: columns, states, missing values.

Shared by the row reader (:mod:`.servicenow`) and the column reader
(:mod:`.servicenow_columns`).
"""

from __future__ import annotations

from servicegate.operations.choices import TicketStatus

SOURCE = "servicenow"
MISSING = "?"

STATES: dict[str, str] = {
    "New": TicketStatus.NEW,
    "Active": TicketStatus.IN_PROGRESS,
    "In Progress": TicketStatus.IN_PROGRESS,
    "Awaiting User Info": TicketStatus.AWAITING_CUSTOMER,
    "Awaiting Evidence": TicketStatus.AWAITING_CUSTOMER,
    "Awaiting Vendor": TicketStatus.AWAITING_VENDOR,
    "Awaiting Problem": TicketStatus.AWAITING_INTERNAL,
    "On Hold": TicketStatus.AWAITING_CUSTOMER,
    "Resolved": TicketStatus.RESOLVED,
    "Closed": TicketStatus.CLOSED,
    "Canceled": TicketStatus.CANCELLED,
    "Cancelled": TicketStatus.CANCELLED,
}
# The same as plain strings: they are bound as SQL parameters without adaptation.
STATUS_OF = {raw: str(status) for raw, status in STATES.items()}
OTHER = str(TicketStatus.OTHER)
CONTACT_CHANNEL = {"Direct opening": "on_site"}

DATE_COLUMNS = ("sys_updated_at", "opened_at", "resolved_at", "closed_at")
COUNT_COLUMNS = ("reassignment_count", "reopen_count")
FLAGS: dict[str, bool | None] = {"true": True, "false": False, "": None, "?": None}
# The columns of a ticket's fields, in the order of _Log.tickets.
TICKET_COLUMNS = (
    "priority",
    "made_sla",
    "category",
    "contact_type",
    "assignment_group",
    "assigned_to",
    "opened_at",
    "resolved_at",
    "closed_at",
    "reassignment_count",
    "reopen_count",
)
# The columns _read_rows reads from every row (the ServiceNow export has them all).
ROW_COLUMNS = (
    "number",
    "incident_state",
    "sys_updated_at",
    "opened_at",
    "resolved_at",
    "closed_at",
    "reassignment_count",
    "reopen_count",
    "made_sla",
    "priority",
    "assignment_group",
    "assigned_to",
)
NO_NUMBER = frozenset({"", MISSING})
# The columns the column-wise reader keeps: those of the events and the ticket fields.
PLAIN_COLUMNS = (*ROW_COLUMNS, "category", "contact_type")
REQUIRED = ("number", "incident_state", "sys_updated_at", "opened_at")
# The 36 columns of the ServiceNow incident export, in its order.
KNOWN = (
    "number",
    "incident_state",
    "active",
    "reassignment_count",
    "reopen_count",
    "sys_mod_count",
    "made_sla",
    "caller_id",
    "opened_by",
    "opened_at",
    "sys_created_by",
    "sys_created_at",
    "sys_updated_by",
    "sys_updated_at",
    "contact_type",
    "location",
    "category",
    "subcategory",
    "u_symptom",
    "cmdb_ci",
    "impact",
    "urgency",
    "priority",
    "assignment_group",
    "assigned_to",
    "knowledge",
    "u_priority_confirmation",
    "notify",
    "problem_id",
    "rfc",
    "vendor",
    "caused_by",
    "closed_code",
    "resolved_by",
    "resolved_at",
    "closed_at",
)


def priority_of(raw: str) -> str:
    """``"3 - Moderate"`` → ``"P3"``; anything else → ``""`` (the raw value is kept)."""
    head = raw[:1]
    return f"P{head}" if head in {"1", "2", "3", "4"} else ""
