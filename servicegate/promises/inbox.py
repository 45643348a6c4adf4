"""What promises put into people's inboxes (a source of ``SERVICEGATE_INBOX_SOURCES``).

* G1 decisions waiting (promises in feasibility review) and G3 decisions waiting
  (committed promises) for the role that owns those gates (service managers by
  default) — never for the promise's maker;
* G4 reviews due (promises under review) for the role that owns G4 (quality managers);
* rejected promises with their counter-proposal for the person who made them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import Promise as LazyStr
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicegate.accounts.selectors import user_roles
from servicegate.core.delegation import decides_by_delegation
from servicegate.inbox.items import InboxItem
from servicegate.promises.choices import PromiseState as S
from servicegate.promises.models import GateDefinition, Promise


@dataclass(frozen=True)
class Kind:
    """One kind of promise item: the state it waits in and whose gate it waits at."""

    key: str
    state: str
    gate: str  # its owner role must act; "" = the promise's maker
    label: str | LazyStr


KINDS: tuple[Kind, ...] = (
    Kind("g1_decision", S.FEASIBILITY_REVIEW, "G1", gettext_lazy("G1 decision")),
    Kind("g3_decision", S.COMMITTED, "G3", gettext_lazy("G3 service start")),
    Kind("g4_review", S.UNDER_REVIEW, "G4", gettext_lazy("G4 review due")),
    Kind("rejected", S.REJECTED, "", gettext_lazy("Rejected: counter-proposal")),
)


def owner_roles() -> dict[str, str]:
    """Gate code -> the role that owns the gate (one query)."""
    return dict(GateDefinition.objects.filter(is_active=True).values_list("code", "owner_role"))


def kinds_for(user: User) -> list[Kind]:
    """The kinds of promise items ``user`` must act on (by the roles they hold)."""
    roles = set(user_roles(user))
    owners = owner_roles()
    # a team lead decides G3 when the service manager delegated it (levels 5-7)
    delegated = {"G3"} if decides_by_delegation(user, "g3_service_start") else set()
    return [k for k in KINDS if not k.gate or owners.get(k.gate) in roles or k.gate in delegated]


def promise_items(user: User) -> list[InboxItem]:
    """The promise items waiting for ``user``."""
    kinds = {k.state: k for k in kinds_for(user)}
    where = Q()
    for kind in kinds.values():
        if kind.gate:
            where |= Q(state=kind.state) & ~Q(made_by=user)
        else:
            where |= Q(state=kind.state, made_by=user)
    if not kinds:
        return []
    rows = Promise.objects.filter(where).select_related("product", "segment", "customer")
    return [_item(kinds[p.state], p) for p in rows]


def _item(kind: Kind, promise: Promise) -> InboxItem:
    title = str(promise)
    if kind.state == S.REJECTED and promise.counter_proposal:
        title = _("%(promise)s — counter-proposal: %(proposal)s") % {
            "promise": title,
            "proposal": promise.counter_proposal,
        }
    return InboxItem(
        kind=kind.key,
        label=str(kind.label),
        title=title,
        url=reverse("promises:detail", args=[promise.pk]),
        since=promise.state_changed_at,
        promise=promise.pk,
    )
