"""Models of promises, contracts, Service Quality Gates and the audit trail."""

from servicegate.promises.models.audit import AuditEntry
from servicegate.promises.models.gates import (
    CriterionAnswer,
    Evidence,
    GateCriterion,
    GateDefinition,
    GateReview,
)
from servicegate.promises.models.promise import (
    PROMISE_FIELDS,
    UNCLOCKED_FIELDS,
    Contract,
    Promise,
)

__all__ = [
    "PROMISE_FIELDS",
    "UNCLOCKED_FIELDS",
    "AuditEntry",
    "Contract",
    "CriterionAnswer",
    "Evidence",
    "GateCriterion",
    "GateDefinition",
    "GateReview",
    "Promise",
]
