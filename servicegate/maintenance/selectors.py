"""Reads of preventive services: plans, their work orders, counters."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from servicegate.maintenance.models import PlanWorkOrder, PreventivePlan, Trigger


def plan_list() -> QuerySet[PreventivePlan]:
    """Plans with customer, product, assets, triggers and the count of work orders."""
    return (
        PreventivePlan.objects.select_related("customer", "product")
        .prefetch_related("assets", Prefetch("triggers", queryset=Trigger.objects.order_by("id")))
        .annotate(work_order_count=Count("work_orders", distinct=True))
        .order_by("-created_at", "-id")
    )


def plan_work_orders(plan: PreventivePlan) -> QuerySet[PlanWorkOrder]:
    """The plan's work orders by due date, with ticket and asset joined."""
    return plan.work_orders.select_related("ticket", "asset", "trigger").order_by(
        "due_on", "asset_id"
    )
