"""The promise lifecycle as an explicit state machine.

=====================  =====================  =================  ==========  ==========
from                   to                     capability         four eyes   gate
=====================  =====================  =================  ==========  ==========
draft                  feasibility_review     propose_promise    no          G1 opens
feasibility_review     approved               decide_gate        yes         G1 review
feasibility_review     rejected               decide_gate        yes         G1 review
rejected               draft                  propose_promise    no          —
approved               committed              propose_promise    no          G2
committed              in_service             decide_gate        yes         G3 review
in_service             under_review           run_review         yes         G4 opens
under_review           in_service             run_review         yes         G4 review
under_review           retired                run_review         yes         G4 (failed)
=====================  =====================  =================  ==========  ==========

Sales proposes and commits (signs) what it proposed; the department that keeps the
promise decides G1 and G3; the quality side runs G4.  "Four eyes" means the person who
made the promise may not take that step, whatever roles they hold.

Gates are the only way through: the steps marked "review" are taken only by deciding
that gate's review (``gate_services.gate_review_decide``), never as a plain step; going
into service also needs a passed G2 review.  Retiring needs a failed G4 review decided
while the promise is under review (or a successor that goes into service, see
``revision``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise as LazyStr
from django.utils.translation import gettext_lazy as _

from servicegate.promises.choices import PromiseState as S


@dataclass(frozen=True)
class Transition:
    """One allowed step: who may take it, and whether the maker is excluded."""

    source: S
    target: S
    capability: str
    four_eyes: bool
    label: str | LazyStr
    gate: str = ""
    by_review: bool = False  # taken only by deciding the gate's review


TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.DRAFT, S.FEASIBILITY_REVIEW, "propose_promise", False, _("Submit to G1"), "G1"),
    Transition(S.FEASIBILITY_REVIEW, S.APPROVED, "decide_gate", True, _("Approve"), "G1", True),
    Transition(S.FEASIBILITY_REVIEW, S.REJECTED, "decide_gate", True, _("Reject"), "G1", True),
    Transition(S.REJECTED, S.DRAFT, "propose_promise", False, _("Rework as draft")),
    Transition(S.APPROVED, S.COMMITTED, "propose_promise", False, _("Commit"), "G2"),
    Transition(S.COMMITTED, S.IN_SERVICE, "decide_gate", True, _("Start service"), "G3", True),
    Transition(S.IN_SERVICE, S.UNDER_REVIEW, "run_review", True, _("Start G4 review"), "G4"),
    Transition(S.UNDER_REVIEW, S.IN_SERVICE, "run_review", True, _("Keep in service"), "G4", True),
    Transition(S.UNDER_REVIEW, S.RETIRED, "run_review", True, _("Retire"), "G4"),
)

_BY_PAIR = {(t.source, t.target): t for t in TRANSITIONS}


def find(source: str, target: str) -> Transition | None:
    """The transition from ``source`` to ``target``, or None if there is none."""
    return _BY_PAIR.get((S(source), S(target))) if target in S.values else None


def next_from(source: str) -> list[Transition]:
    """Every transition that leaves ``source``."""
    return [t for t in TRANSITIONS if t.source == source]


def describe_next(source: str) -> str:
    """A sentence naming the states a promise in ``source`` may move to."""
    targets = [str(S(t.target).label) for t in next_from(source)]
    label = S(source).label
    if not targets:
        return str(_("A promise in state “%(state)s” cannot change any more.") % {"state": label})
    return str(
        _("From “%(state)s” a promise can only move to: %(targets)s.")
        % {"state": label, "targets": ", ".join(f"“{t}”" for t in targets)}
    )
