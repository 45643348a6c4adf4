"""The default gates speak the reader's language; texts an organisation wrote stay as
written."""

from __future__ import annotations

from django.contrib.auth.models import User

from servicegate.promises import services
from servicegate.promises.gate_texts import DEFAULT_TEXTS
from servicegate.promises.models import GateCriterion, GateDefinition
from servicegate.promises.tests.conftest import login


def test_every_default_text_is_a_message(db: None) -> None:
    stored = set()
    for gate in GateDefinition.objects.all():
        stored |= {gate.name, gate.description}
    for c in GateCriterion.objects.all():
        stored |= {c.question, c.required_evidence}
    assert stored - {""} == DEFAULT_TEXTS


def test_gates_page_in_german(quinn: User) -> None:
    gate = GateDefinition.objects.get(code="G2")
    criterion = gate.criteria.get(order=1)
    services.gate_criterion_save(
        gate=gate, by=quinn, criterion=criterion, question="Ist das Angebot im CRM abgelegt?"
    )
    page = login(quinn).get("/promises/gates/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "G1 Machbarkeit des Serviceversprechens" in page
    assert "Die installierte Basis des Kunden ist bekannt." in page
    assert "Ist das Angebot im CRM abgelegt?" in page  # written by the organisation
    assert "Promise feasibility" not in page
    english = login(quinn).get("/promises/gates/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "G1 Promise feasibility" in english
