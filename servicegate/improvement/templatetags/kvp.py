"""``{% g4_recommendation promise %}``: the KVP panel of a G4 review (the recommendation
back to Sales, the findings and actions of the promise, the review pack), so the
promises templates show it without the promises app importing this one."""

from __future__ import annotations

from typing import Any

from django import template

from servicegate.improvement.recommendation import recommendation_for
from servicegate.improvement.selectors import ActionFilter, FindingFilter, action_list, finding_list

register = template.Library()


@register.inclusion_tag("improvement/_g4_panel.html")
def g4_recommendation(promise: Any) -> dict[str, Any]:
    return {
        "promise": promise,
        "recommendation": recommendation_for(promise),
        "findings": list(finding_list(FindingFilter(promise=promise.pk))[:10]),
        "actions": list(action_list(ActionFilter(promise=promise.pk))[:10]),
    }


@register.inclusion_tag("improvement/_kvp_links.html", takes_context=True)
def kvp_links(context: dict[str, Any], promise: Any = None, ticket: Any = None) -> dict[str, Any]:
    """The findings of a promise or ticket with a link to raise one (two queries)."""
    from servicegate.improvement.models import Finding

    findings = (
        Finding.objects.filter(promise=promise)
        if promise
        else Finding.objects.filter(ticket=ticket)
    )
    return {
        "perms": context.get("perms"),
        "findings": list(findings.order_by("-created_at")[:10]),
        "query": f"promise={promise.pk}" if promise else f"ticket={ticket.pk}",
    }


@register.filter
def breach_cause(code: str) -> str:
    """The label of a breach cause code in the reader's language ("–" for none)."""
    from servicegate.measurement.choices import BreachCause

    return str(BreachCause(code).label) if code in BreachCause.values and code else "–"
