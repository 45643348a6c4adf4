"""Roles are Django groups; what a role may do is a set of capability permissions.

The capability permissions live on :class:`servicegate.accounts.models.Capability`;
``sync_roles`` (run after every migrate) makes the groups match this table, so the
table is the single source of truth for who may do what.
"""

from __future__ import annotations

from typing import Final

from django.utils.translation import gettext_lazy as _

SALES: Final = "sales"
SERVICE_MANAGER: Final = "service_manager"
QUALITY_MANAGER: Final = "quality_manager"
DISPATCHER: Final = "dispatcher"
TECHNICIAN: Final = "technician"
VIEWER: Final = "viewer"
ADMIN: Final = "admin"
CUSTOMER: Final = "customer"

ROLE_LABELS = {
    SALES: _("Sales / Marketing / Pre-Sales"),
    SERVICE_MANAGER: _("Service manager"),
    QUALITY_MANAGER: _("Quality manager"),
    DISPATCHER: _("Dispatcher / team lead"),
    TECHNICIAN: _("Technician"),
    VIEWER: _("Viewer"),
    ADMIN: _("Administrator"),
    CUSTOMER: _("Customer contact"),
}

# codename -> human label; every capability is checked as "accounts.<codename>".
CAPABILITIES: dict[str, str] = {
    "view_servicegate": "Read every area of Servicegate",
    "propose_promise": "Propose and edit draft promises, submit them to Gate 1",
    "manage_catalog": "Create and edit customer segments and service products",
    "decide_gate": "Decide Gate 1-3 reviews for the department that keeps the promise",
    "define_gates": "Define quality gates and their criteria",
    "run_review": "Run Gate 4 after-sales reviews",
    "manage_calendars": "Create and edit business calendars",
    "manage_installed_base": "Create and edit customers, sites and assets",
    "import_data": "Import ticket histories and feeds",
    "work_tickets": "Work on tickets and preventive jobs",
    "dispatch": "Assign and schedule tickets and preventive jobs",
    "plan_capacity": "Plan staffing, forecasts and preventive services",
    "lead_improvement": "Lead the KVP register: findings and improvement actions",
    "manage_team": "Manage the team board, skills and delegation",
    "administer": "Administer users, roles and settings",
    "raise_finding": "Raise KVP findings (breaches, feedback, observations)",
    "sell_preventive": "Offer preventive services to customers",
    "invite_customers": "Invite customer contacts to the customer portal",
    "use_portal": "Use the customer portal for the user's own organisation",
}

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    SALES: frozenset(
        {
            "view_servicegate",
            "propose_promise",
            "manage_catalog",
            "raise_finding",
            "sell_preventive",
        }
    ),
    SERVICE_MANAGER: frozenset(
        {
            "view_servicegate",
            "manage_catalog",
            "decide_gate",
            "run_review",
            "manage_calendars",
            "manage_installed_base",
            "import_data",
            "work_tickets",
            "dispatch",
            "plan_capacity",
            "lead_improvement",
            "manage_team",
            "raise_finding",
            "sell_preventive",
            "invite_customers",
        }
    ),
    QUALITY_MANAGER: frozenset(
        {
            "view_servicegate",
            "define_gates",
            "run_review",
            "manage_calendars",
            "lead_improvement",
            "raise_finding",
        }
    ),
    DISPATCHER: frozenset(
        {
            "view_servicegate",
            "work_tickets",
            "dispatch",
            "manage_installed_base",
            "manage_team",
            "raise_finding",
        }
    ),
    TECHNICIAN: frozenset({"view_servicegate", "work_tickets", "raise_finding"}),
    VIEWER: frozenset({"view_servicegate"}),
    # An administrator administers; the portal is for customer contacts only.
    ADMIN: frozenset(CAPABILITIES) - {"use_portal"},
    # A customer contact sees only the portal (its own organisation), no staff page.
    CUSTOMER: frozenset({"use_portal"}),
}

ROLES: tuple[str, ...] = tuple(ROLE_LABELS)
# The roles of the service organisation itself: everyone but customer contacts.
STAFF_ROLES: tuple[str, ...] = tuple(role for role in ROLES if role != CUSTOMER)
