"""``servicegate sla discover`` (also ``servicegate sla_discover``): find the SLA rules
that explain the outcomes an imported ticket system recorded."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from servicegate.catalog.models import ServiceProduct
from servicegate.measurement.discovery import discover
from servicegate.measurement.discovery_drafts import discovered_promises_create


class Command(BaseCommand):
    help = "Find the clock rules and targets that explain imported SLA outcomes."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument(
            "--create", action="store_true", help="create the rules as draft promises"
        )
        parser.add_argument("--source", default="", help="only tickets of this import source")
        parser.add_argument("--product", type=int, help="service product id for --create")
        parser.add_argument("--by", default="", help="username who makes the drafts (--create)")

    def handle(self, *args: Any, **options: Any) -> None:
        result = discover(source=options["source"] or None)
        if options["create"]:
            product, user = self._product_and_user(options["product"], options["by"])
            drafts = discovered_promises_create(result=result, by=user, product=product)
            result["created"] = len(drafts)
        if options["json"]:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(f"{result['tickets']} tickets, agreement {result['agreement']}")
        for rule in result["rules"]:
            pauses = ", ".join(rule["pause_statuses"]) or "none"
            self.stdout.write(
                f"  {rule['priority'] or '-'}: {rule['clock']} (from {rule['start']}) within "
                f"{rule['target_hours']} h on {rule['calendar']}, pauses: {pauses} — "
                f"agreement {rule['agreement']} on {rule['tickets']} tickets"
            )
        if "created" in result:
            self.stdout.write(f"{result['created']} draft promises created")

    def _product_and_user(self, product_id: int | None, by: str) -> tuple[ServiceProduct, User]:
        products = ServiceProduct.objects.order_by("pk")
        product = products.filter(pk=product_id).first() if product_id else products.first()
        users = User.objects.filter(username=by) if by else User.objects.filter(is_superuser=True)
        user = users.order_by("pk").first()
        if product is None or user is None:
            raise CommandError(
                "Cannot create promises: name an existing service product (--product ID) and "
                "a user allowed to propose promises (--by USERNAME)."
            )
        return product, user
