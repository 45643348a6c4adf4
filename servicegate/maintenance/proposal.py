"""The one-page proposal of an offer, rendered to PDF with WeasyPrint."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from servicegate.maintenance.offers import Offer
from servicegate.maintenance.selectors import product_of
from servicegate.operations.models import Customer


@dataclass(frozen=True)
class Proposal:
    """The proposal's HTML, its PDF and how many pages the PDF has."""

    html: str
    pdf: bytes
    pages: int


def proposal_render(*, customer: Customer, offer: Offer, request: HttpRequest) -> Proposal:
    """Render the offer's proposal in the reader's language (one A4 page)."""
    from weasyprint import HTML  # type: ignore[import-untyped]  # heavy: loaded when printing

    html = render_to_string(
        "maintenance/proposal.html",
        {
            "customer": customer,
            "offer": offer,
            "product": product_of(offer.product),
            "today": timezone.localdate(),
        },
        request=request,
    )
    document = HTML(string=html, base_url=request.build_absolute_uri("/")).render()
    return Proposal(html=html, pdf=document.write_pdf() or b"", pages=len(document.pages))
