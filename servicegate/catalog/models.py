"""Service catalogue: customer segments (markets) and service products with the four Ps."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicegate.catalog.choices import Channel, Currency, PriceModel, ProductKind


class Segment(models.Model):
    """A customer segment or market to which service products are assigned."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("customer segment")
        verbose_name_plural = _("customer segments")

    def __str__(self) -> str:
        return self.name


#: The fields of a service product a person sets (in form order), for services and forms.
PRODUCT_FIELDS: tuple[str, ...] = (
    "name",
    "segment",
    "owner",
    "kind",
    "scope",
    "description",
    "price_model",
    "price_amount",
    "currency",
    "channel",
    "regions",
    "value_proposition",
    "target_message",
    "is_active",
)


class ServiceProduct(models.Model):
    """A service product described by the four Ps, sold to exactly one segment.

    Product (kind, scope, description), price (model, amount, currency), placement
    (channel, regions) and promotion (value proposition, target message). Products are
    retired (``is_active=False``), never deleted, because promises refer to them.
    """

    name = models.CharField(_("name"), max_length=150, unique=True)
    segment = models.ForeignKey(
        Segment, on_delete=models.PROTECT, related_name="products", verbose_name=_("segment")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_products",
        verbose_name=_("product owner"),
    )
    # Product
    kind = models.CharField(_("kind"), max_length=20, choices=ProductKind.choices)
    scope = models.TextField(_("scope"), help_text=_("What is included and what is not."))
    description = models.TextField(_("description"), blank=True)
    # Price
    price_model = models.CharField(_("price model"), max_length=20, choices=PriceModel.choices)
    price_amount = models.DecimalField(
        _("price amount"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.EUR
    )
    # Placement
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    regions: models.JSONField[Any] = models.JSONField(
        _("regions"), default=list, blank=True, help_text=_("Regions where it is offered.")
    )
    # Promotion
    value_proposition = models.TextField(_("value proposition"))
    target_message = models.TextField(_("target message"), blank=True)

    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["segment__name", "name"]
        verbose_name = _("service product")
        verbose_name_plural = _("service products")

    def __str__(self) -> str:
        return self.name

    @property
    def regions_display(self) -> str:
        """The regions as one comma-separated line."""
        return ", ".join(str(r) for r in self.regions or [])
