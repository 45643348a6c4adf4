"""Create the four default Service Quality Gates (PRODUCT.md part 3) with their checklists."""

from django.db import migrations

DEFAULT_GATES = [
    {
        "order": 1,
        "code": "G1",
        "name": "Promise feasibility",
        "description": "Before a promise is published or signed, the department that must keep "
        "it checks that it can be kept.",
        "from_department": "pre_sales",
        "to_department": "sales",
        "owner_role": "service_manager",
        "criteria": [
            ("Historical attainment of comparable promises meets the promised level.",
             "Attainment report of comparable promises (last 12 months)", True),
            ("Simulated capacity under forecast load keeps the promise.",
             "Queueing or simulation result with forecast load", True),
            ("Staffing needed to keep the promise is available or planned.",
             "Staffing plan / shift roster", True),
            ("The business calendar and clock rules are agreed with the keeping department.",
             "Calendar and clock rules reviewed", True),
            ("Spare parts and travel times allow the promise in every offered region.",
             "Region and logistics check", False),
        ],
    },
    {
        "order": 2,
        "code": "G2",
        "name": "Handover Sales → Delivery",
        "description": "What was sold and promised, to whom, is handed to Delivery/Projects.",
        "from_department": "sales",
        "to_department": "delivery",
        "owner_role": "service_manager",
        "criteria": [
            ("What was sold and promised is documented.", "Signed offer/contract with promises", True),
            ("The installed base of the customer is known.", "List of assets and sites", True),
            ("Customer contacts and escalation path are named.", "Contact list", True),
            ("Special agreements are documented.", "Notes on special agreements", False),
        ],
    },
    {
        "order": 3,
        "code": "G3",
        "name": "Service start",
        "description": "Delivery hands the customer to Service: everything needed to keep the "
        "promise is in place.",
        "from_department": "delivery",
        "to_department": "service",
        "owner_role": "service_manager",
        "criteria": [
            ("All assets are registered in the installed base.", "Asset register export", True),
            ("The contract is active in the system.", "Contract record", True),
            ("Promise clocks are attached to the tickets of this customer.",
             "Test ticket with running clock", True),
            ("The preventive maintenance plan is scheduled.", "Preventive plan", False),
        ],
    },
    {
        "order": 4,
        "code": "G4",
        "name": "After-sales review",
        "description": "After-Sales reports to Sales/Marketing what was kept and what was broken, "
        "and recommends what to promise next.",
        "from_department": "after_sales",
        "to_department": "sales_marketing",
        "owner_role": "quality_manager",
        "criteria": [
            ("Measured attainment is compared with the promise.", "Attainment report for the period", True),
            ("Findings and causes of breaches are recorded.", "Breach analysis / findings", True),
            ("Improvement actions are entered in the KVP register.", "KVP actions with owners", False),
            ("A recommendation goes back to Sales (keep, tighten, relax, re-price, add capacity).",
             "Written recommendation", True),
        ],
    },
]


def create_gates(apps, schema_editor):
    Gate = apps.get_model("promises", "GateDefinition")
    Criterion = apps.get_model("promises", "GateCriterion")
    for spec in DEFAULT_GATES:
        spec = dict(spec)
        criteria = spec.pop("criteria")
        gate, created = Gate.objects.get_or_create(code=spec["code"], defaults=spec)
        if created:
            for i, (question, evidence, mandatory) in enumerate(criteria, start=1):
                Criterion.objects.create(
                    gate=gate, order=i, question=question, required_evidence=evidence,
                    mandatory=mandatory,
                )


class Migration(migrations.Migration):
    dependencies = [("promises", "0001_initial")]

    operations = [migrations.RunPython(create_gates, migrations.RunPython.noop)]
