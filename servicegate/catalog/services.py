"""Writes of the service catalogue: create and change service products."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction

from servicegate.catalog.models import PRODUCT_FIELDS, ServiceProduct
from servicegate.core.permissions import require_capability


def product_create(*, by: User | AnonymousUser, **fields: Any) -> ServiceProduct:
    """Create a service product; needs ``manage_catalog``; validates all fields."""
    require_capability(by, "manage_catalog")
    product = ServiceProduct(**{k: v for k, v in fields.items() if k in PRODUCT_FIELDS})
    with transaction.atomic():
        product.full_clean()
        product.save()
    return product


def product_update(
    *, product: ServiceProduct, by: User | AnonymousUser, **fields: Any
) -> ServiceProduct:
    """Change the given fields of ``product``; needs ``manage_catalog``."""
    require_capability(by, "manage_catalog")
    with transaction.atomic():
        for name, value in fields.items():
            if name in PRODUCT_FIELDS:
                setattr(product, name, value)
        product.full_clean()
        product.save()
    return product
