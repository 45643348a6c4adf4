"""The default gates' names, descriptions and checklist questions in the reader's language.

The four default gates (migration ``0002_default_gates``) are stored with English texts;
these are message ids, translated when shown. A text an organisation wrote or changed is
not one of them and is shown as it was written.
"""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _

#: The English texts of the default gates and their criteria, as stored.
DEFAULT_TEXTS: frozenset[str] = frozenset(
    (
        _("Promise feasibility"),
        _(
            "Before a promise is published or signed, the department "
            "that must keep it checks that it can be kept."
        ),
        _("Historical attainment of comparable promises meets the promised level."),
        _("Attainment report of comparable promises (last 12 months)"),
        _("Simulated capacity under forecast load keeps the promise."),
        _("Queueing or simulation result with forecast load"),
        _("Staffing needed to keep the promise is available or planned."),
        _("Staffing plan / shift roster"),
        _("The business calendar and clock rules are agreed with the keeping department."),
        _("Calendar and clock rules reviewed"),
        _("Spare parts and travel times allow the promise in every offered region."),
        _("Region and logistics check"),
        _("Handover Sales → Delivery"),
        _("What was sold and promised, to whom, is handed to Delivery/Projects."),
        _("What was sold and promised is documented."),
        _("Signed offer/contract with promises"),
        _("The installed base of the customer is known."),
        _("List of assets and sites"),
        _("Customer contacts and escalation path are named."),
        _("Contact list"),
        _("Special agreements are documented."),
        _("Notes on special agreements"),
        _("Service start"),
        _(
            "Delivery hands the customer to Service: everything "
            "needed to keep the promise is in place."
        ),
        _("All assets are registered in the installed base."),
        _("Asset register export"),
        _("The contract is active in the system."),
        _("Contract record"),
        _("Promise clocks are attached to the tickets of this customer."),
        _("Test ticket with running clock"),
        _("The preventive maintenance plan is scheduled."),
        _("Preventive plan"),
        _("After-sales review"),
        _(
            "After-Sales reports to Sales/Marketing what was kept and "
            "what was broken, and recommends what to promise next."
        ),
        _("Measured attainment is compared with the promise."),
        _("Attainment report for the period"),
        _("Findings and causes of breaches are recorded."),
        _("Breach analysis / findings"),
        _("Improvement actions are entered in the KVP register."),
        _("KVP actions with owners"),
        _("A recommendation goes back to Sales (keep, tighten, relax, re-price, add capacity)."),
        _("Written recommendation"),
    )
)


def localised(text: str) -> str:
    """``text`` in the reader's language if it is a default gate text, else as written."""
    return gettext(text) if text in DEFAULT_TEXTS else text
