"""Pages of preventive services: plans, offers per customer, proposals, reliability."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from servicegate.core.permissions import capability_required, has_capability
from servicegate.maintenance import selectors, services
from servicegate.maintenance.errors import MaintenanceRefused
from servicegate.maintenance.forms import AcceptOfferForm
from servicegate.maintenance.offers import Offer, customer_offers
from servicegate.maintenance.proposal import proposal_render
from servicegate.operations.models import Customer


@capability_required("view_servicegate")
def index(request: HttpRequest) -> HttpResponse:
    """Plans sold, and the customers whose installed base preventive products fit."""
    return render(
        request,
        "maintenance/index.html",
        {
            "plans": selectors.plan_list()[:50],
            "customers": selectors.customers_with_fitting_products(),
            "can_sell": has_capability(request.user, "sell_preventive"),
        },
    )


@capability_required("sell_preventive")
def customer_offers_view(request: HttpRequest, customer_id: int) -> HttpResponse:
    """The offers for one customer, most incidents avoided first, each to accept."""
    customer = get_object_or_404(Customer.objects.select_related("segment"), pk=customer_id)
    offers = customer_offers(customer, now=timezone.now())
    return render(
        request,
        "maintenance/customer_offers.html",
        {"customer": customer, "offers": offers, "form": AcceptOfferForm()},
    )


def _offer(customer: Customer, offer_id: str) -> Offer:
    for offer in customer_offers(customer, now=timezone.now()):
        if offer.id == offer_id:
            return offer
    raise Http404(_("There is no such offer for this customer."))


@capability_required("sell_preventive")
def offer_accept(request: HttpRequest, customer_id: int, offer_id: str) -> HttpResponse:
    """Accept an offer (POST): the plan is created and its work orders opened."""
    customer = get_object_or_404(Customer, pk=customer_id)
    if request.method != "POST":
        return redirect("maintenance:customer_offers", customer_id=customer.pk)
    form = AcceptOfferForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the start date and 1 to 60 months."))
        return redirect("maintenance:customer_offers", customer_id=customer.pk)
    try:
        plan = services.offer_accept(
            by=request.user,
            customer=customer,
            offer_id=offer_id,
            starts_on=form.cleaned_data["starts_on"],
            months=form.cleaned_data["months"],
        )
    except MaintenanceRefused as refused:
        messages.error(request, str(refused))
        return redirect("maintenance:customer_offers", customer_id=customer.pk)
    messages.success(
        request,
        _("Offer accepted: the plan orders %(n)s work orders.") % {"n": plan.work_orders.count()},
    )
    return redirect("maintenance:plan_detail", plan_id=plan.pk)


@capability_required("sell_preventive")
def offer_proposal(request: HttpRequest, customer_id: int, offer_id: str) -> HttpResponse:
    """A one-page proposal of the offer as PDF, in the reader's language."""
    customer = get_object_or_404(Customer, pk=customer_id)
    offer = _offer(customer, offer_id)
    proposal = proposal_render(customer=customer, offer=offer, request=request)
    response = HttpResponse(proposal.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="proposal-{offer.id}.pdf"'
    return response


@capability_required("view_servicegate")
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    """One plan with its triggers, the figures as accepted and its work orders."""
    plan = selectors.plan_list().filter(pk=plan_id).first()
    if plan is None:
        raise Http404(_("There is no such preventive plan."))
    return render(
        request,
        "maintenance/plan_detail.html",
        {"plan": plan, "work_orders": selectors.plan_work_orders(plan)},
    )


@capability_required("view_servicegate")
def reliability(request: HttpRequest) -> HttpResponse:
    """Each asset model's components with their fitted life, or why there is none."""
    return render(
        request,
        "maintenance/reliability.html",
        {
            "rows": selectors.reliability_overview(until=timezone.now()),
            "min_failures": selectors.MIN_FAILURES,
        },
    )
