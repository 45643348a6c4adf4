"""Installed base: customers, their sites and the assets standing there."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from servicegate.catalog.models import Segment
from servicegate.operations.choices import AssetStatus


class Customer(models.Model):
    """A customer organisation, assigned to one segment."""

    number = models.CharField(_("customer number"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    segment = models.ForeignKey(
        Segment, on_delete=models.PROTECT, related_name="customers", verbose_name=_("segment")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"


class Site(models.Model):
    """A location of a customer where assets stand and technicians go."""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="sites", verbose_name=_("customer")
    )
    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=2, default="DE")
    region = models.CharField(_("region"), max_length=100, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, default="Europe/Berlin")
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        ordering = ["customer__name", "name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return f"{self.customer.name} – {self.name}"


class Asset(models.Model):
    """An installed machine or system at a customer's site, identified by its serial number."""

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="assets", verbose_name=_("site")
    )
    product_model = models.CharField(_("product model"), max_length=100)
    serial_number = models.CharField(_("serial number"), max_length=64)
    install_date = models.DateField(_("install date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=AssetStatus.choices, default=AssetStatus.ACTIVE
    )
    # The promises app defines Contract later; until then the contract is a reference,
    # NULL while none is known (so a later migration can tell "none" from "empty").
    contract_ref = models.CharField(  # noqa: DJ001
        _("contract reference"), max_length=64, null=True, blank=True
    )

    class Meta:
        ordering = ["site", "product_model", "serial_number"]
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        constraints = [
            models.UniqueConstraint(
                fields=["product_model", "serial_number"], name="unique_asset_serial"
            )
        ]

    def __str__(self) -> str:
        return f"{self.product_model} {self.serial_number}"
