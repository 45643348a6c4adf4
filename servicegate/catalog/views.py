"""Pages of the service catalogue: product list, detail, portfolio, create and edit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from servicegate.catalog.forms import ProductFilterForm, ProductForm
from servicegate.catalog.models import ServiceProduct
from servicegate.catalog.selectors import ProductFilter, portfolio, product_list, product_promises
from servicegate.catalog.services import product_create, product_update
from servicegate.core.permissions import capability_required, has_capability


@capability_required("view_servicegate")
def product_index(request: HttpRequest) -> HttpResponse:
    """All active service products, filterable by segment, owner, kind and channel."""
    form = ProductFilterForm(request.GET or None)
    flt = ProductFilter()
    if form.is_valid():
        data = form.cleaned_data
        flt = ProductFilter(
            segment=data["segment"].pk if data["segment"] else None,
            owner=data["owner"].pk if data["owner"] else None,
            kind=data["kind"],
            channel=data["channel"],
        )
    context = {
        "form": form,
        "products": product_list(flt),
        "can_manage": has_capability(request.user, "manage_catalog"),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "catalog/_product_rows.html", context)
    return render(request, "catalog/product_list.html", context)


@capability_required("view_servicegate")
def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One product with its four Ps and its promises."""
    product = get_object_or_404(ServiceProduct.objects.select_related("segment", "owner"), pk=pk)
    return render(
        request,
        "catalog/product_detail.html",
        {
            "product": product,
            "promises": product_promises(product),
            "can_manage": has_capability(request.user, "manage_catalog"),
        },
    )


@capability_required("view_servicegate")
def portfolio_view(request: HttpRequest) -> HttpResponse:
    """The 4P matrix: per segment, each product's product, price, placement, promotion."""
    return render(
        request,
        "catalog/portfolio.html",
        {"rows": portfolio(), "can_manage": has_capability(request.user, "manage_catalog")},
    )


def _save(request: HttpRequest, form: ProductForm, product: ServiceProduct | None) -> bool:
    if not form.is_valid():
        return False
    fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
    try:
        if product is None:
            form.instance = product_create(by=request.user, **fields)
        else:
            form.instance = product_update(product=product, by=request.user, **fields)
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    return True


@capability_required("manage_catalog")
def product_new(request: HttpRequest) -> HttpResponse:
    """Create a service product."""
    form = ProductForm(request.POST or None, initial={"owner": request.user.pk})
    if request.method == "POST" and _save(request, form, None):
        messages.success(request, _("The service product was created."))
        return redirect("catalog:product_detail", pk=form.instance.pk)
    return render(request, "catalog/product_form.html", {"form": form, "product": None})


@capability_required("manage_catalog")
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a service product (retire it by clearing "active")."""
    product = get_object_or_404(ServiceProduct, pk=pk)
    form = ProductForm(request.POST or None, instance=product)
    if request.method == "POST" and _save(request, form, ServiceProduct.objects.get(pk=pk)):
        messages.success(request, _("The service product was saved."))
        return redirect("catalog:product_detail", pk=pk)
    return render(request, "catalog/product_form.html", {"form": form, "product": product})
