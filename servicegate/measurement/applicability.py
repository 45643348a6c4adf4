"""Which promises apply to which tickets — the precedence rules, in one place.

A promise gets clocks only if it is *measured* (state committed, in service or under
review), its metric is clocked (first response, resolution, update interval for
reactive tickets; preventive visit on time for preventive ones) with a time target, and
its validity (``valid_from`` .. ``valid_to``, whole UTC days) covers the ticket's
``opened_at``. Its priority, if set, must equal the ticket's (current) priority. A
promise whose calendar definition cannot be read gets no clocks until it is fixed.

Such a promise reaches a ticket on one **level**, most specific first:

0. **contract** — the promise names a contract: tickets of the contract's customer
   opened while the contract runs;
1. **customer** — the promise names a customer (and no contract): that customer's tickets;
2. **product** — otherwise, tickets of customers holding an active contract for the
   promise's product that runs on the opening day;
3. **segment** — otherwise, tickets of customers in the promise's segment;
4. **organisation** — tickets without a customer (e.g. imported from a ticket system).

**Every** such promise gets a clock on the ticket (as ServiceNow attaches every
matching SLA definition): two promises with the same metric and an intersecting scope
are both measured on the tickets they share, and a new promise never takes clocks from
another. The precedence only names the *tightest* promise per ticket and metric for
display: the lowest level wins; on the same level a promise for the ticket's priority
beats one for every priority; then the later ``valid_from``, then the newer promise
(higher id).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import numpy as np
import numpy.typing as npt

from servicegate.measurement.frames import KINDS, IntArray, TicketFrame
from servicegate.measurement.rules import (
    METRIC_KINDS,
    PRIORITY_NAMES,
    check_calendar,
    is_clocked,
)
from servicegate.promises.models import Contract, Promise

CONTRACT, CUSTOMER, PRODUCT, SEGMENT, ORGANISATION = range(5)
LEVEL_NAMES = ("contract", "customer", "product", "segment", "organisation")
NO_PROMISE = -1
BoolArray = npt.NDArray[np.bool_]
_FAR = np.iinfo(np.int64).max


def _epoch(day: date | None, default: int) -> int:
    if day is None:
        return default
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


@dataclass(frozen=True)
class Scope:
    """Everything the precedence needs, loaded once: measured promises and contracts."""

    promises: tuple[Promise, ...]  # sorted so the first of equals wins
    contracts: tuple[tuple[int, int, int, int, frozenset[int]], ...]  # id, customer, from, to
    segment_of: IntArray  # customer id -> segment id (-1 unknown)

    @classmethod
    def load(cls, *, with_promises: bool = True) -> Scope:
        """Load the scope; without ``with_promises`` only contracts and segments (enough
        for :func:`covered_tickets`)."""
        from servicegate.operations.models import Customer

        measured = Promise.objects.select_related("calendar", "contract").order_by("id")
        promises = [
            p
            for p in (measured if with_promises else measured.none())
            if is_clocked(p) and check_calendar(p.calendar) is not None
        ]
        promises.sort(key=lambda p: (-_epoch(p.valid_from, 0), -p.pk))
        contracts = tuple(
            (
                c.pk,
                c.customer_id,
                _epoch(c.starts_on, 0),
                _epoch(c.ends_on, _FAR - 86_400) + 86_400,
                frozenset(pr.pk for pr in c.products.all()),
            )
            for c in Contract.objects.filter(is_active=True).prefetch_related("products")
        )
        pairs = list(Customer.objects.values_list("id", "segment_id"))
        segment_of = np.full(max((c for c, _s in pairs), default=0) + 2, -1, dtype=np.int64)
        for customer, segment in pairs:
            segment_of[customer] = segment
        return cls(tuple(promises), contracts, segment_of)


def _levels(p: Promise, t: TicketFrame, scope: Scope) -> IntArray:
    """Per ticket: the level on which ``p`` reaches it, or ``_FAR``."""
    level = np.full(len(t), _FAR, dtype=np.int64)
    if p.contract_id is not None:
        c = next((c for c in scope.contracts if c[0] == p.contract_id), None)
        if c is not None:
            hit = (t.customer == c[1]) & (t.opened >= c[2]) & (t.opened < c[3])
            level[hit] = CONTRACT
        return level
    if p.customer_id is not None:
        level[t.customer == p.customer_id] = CUSTOMER
        return level
    level[t.customer < 0] = ORGANISATION
    lookup = scope.segment_of
    seg = lookup[np.clip(t.customer, -1, lookup.size - 1)]  # -1 hits the trailing -1
    level[(seg == p.segment_id) & (t.customer >= 0)] = SEGMENT
    for _cid, customer, start, end, products in scope.contracts:
        if p.product_id in products:
            hit = (t.customer == customer) & (t.opened >= start) & (t.opened < end)
            level[hit] = PRODUCT
    return level


def _eligible(p: Promise, t: TicketFrame, *, within_validity: bool = True) -> BoolArray:
    kinds = [KINDS.index(k) for k in METRIC_KINDS[p.metric] if k in KINDS]
    ok = np.isin(t.kind, kinds)
    if p.priority:
        ok &= t.priority == PRIORITY_NAMES.index(p.priority)
    if not within_validity:
        return ok
    ok &= t.opened >= _epoch(p.valid_from, 0)
    if p.valid_to is not None:
        ok &= t.opened < _epoch(p.valid_to, 0) + 86_400
    return ok


def covered_tickets(
    p: Promise, t: TicketFrame, scope: Scope, *, within_validity: bool = True
) -> BoolArray:
    """The tickets of ``t`` that ``p`` (of a clocked metric) reaches on some level.

    Without ``within_validity`` the promise's validity is ignored: the tickets it would
    have covered had it been in force (a what-if replay of a draft). Its state is never
    looked at.
    """
    return _eligible(p, t, within_validity=within_validity) & (_levels(p, t, scope) < _FAR)


def assign_promises(t: TicketFrame, scope: Scope) -> dict[int, BoolArray]:
    """Per index into ``scope.promises``: the tickets of ``t`` the promise covers.

    Promises that cover none of them are left out; a ticket may be covered by several
    promises of the same metric, and each of them gets its clock.
    """
    covered: dict[int, BoolArray] = {}
    for i, p in enumerate(scope.promises):
        mine = _eligible(p, t) & (_levels(p, t, scope) < _FAR)
        if mine.any():
            covered[i] = mine
    return covered


def tightest_promises(t: TicketFrame, scope: Scope) -> dict[str, IntArray]:
    """Per clocked metric: the index of the tightest covering promise, or ``NO_PROMISE``.

    Display only (which promise a ticket page names first); every covering promise
    is measured.
    """
    best: dict[str, IntArray] = {}
    key: dict[str, IntArray] = {}
    for i, p in enumerate(scope.promises):
        if p.metric not in best:
            best[p.metric] = np.full(len(t), NO_PROMISE, dtype=np.int64)
            key[p.metric] = np.full(len(t), _FAR, dtype=np.int64)
        levels = _levels(p, t, scope)
        mine = np.where(_eligible(p, t) & (levels < _FAR), levels * 2 + (not p.priority), _FAR)
        better = mine < key[p.metric]
        best[p.metric][better] = i
        key[p.metric][better] = mine[better]
    return best


@dataclass(frozen=True)
class Applicable:
    """One promise that applies to a ticket, on which level, and whether it is the
    tightest of its metric there."""

    metric: str
    promise: Promise
    level: str
    tightest: bool = False


def applicable_promises(ticket_ids: Sequence[int]) -> dict[int, list[Applicable]]:
    """Per ticket id: every promise that gets a clock on it (see the module docstring)."""
    from servicegate.measurement.frames import load_tickets
    from servicegate.operations.models import Ticket

    frame = load_tickets(Ticket.objects.filter(pk__in=list(ticket_ids)))
    scope = Scope.load()
    tightest = tightest_promises(frame, scope)
    result: dict[int, list[Applicable]] = {int(i): [] for i in frame.id}
    for i, covered in assign_promises(frame, scope).items():
        p = scope.promises[i]
        for row in np.flatnonzero(covered):
            level = int(_levels(p, _one(frame, int(row)), scope)[0])
            first = bool(tightest[p.metric][row] == i)
            result[int(frame.id[row])].append(Applicable(p.metric, p, LEVEL_NAMES[level], first))
    return result


def _one(t: TicketFrame, row: int) -> TicketFrame:
    s = slice(row, row + 1)
    return TicketFrame(
        t.id[s],
        t.kind[s],
        t.priority[s],
        t.customer[s],
        t.opened[s],
        t.responded[s],
        t.reassignments[s],
        t.made_sla[s],
    )
