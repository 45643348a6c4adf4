"""Importing reliability data into the installed base: the Azure PdM sample.

The sample's machines become assets of one customer ("Azure PdM sample"), their models
asset models with the components comp1 … comp4, and each failure or preventive
replacement a life event. Importing again adds nothing (the events are unique).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from servicegate.catalog.models import Segment
from servicegate.core.actors import Actor
from servicegate.core.permissions import has_capability
from servicegate.importers.azure_pdm import read_azure_pdm
from servicegate.importers.errors import ImportFailure
from servicegate.maintenance.choices import ComponentClass, LifeEventKind
from servicegate.maintenance.models import AssetModel, Component, LifeEvent
from servicegate.operations.models import Asset, Customer, Site

CUSTOMER_NUMBER = "AZURE-PDM"
SOURCE = "azure-pdm"


@dataclass(frozen=True)
class AzureSummary:
    """What an import stored."""

    machines: int
    asset_models: int
    components: int
    failures: int
    replacements: int
    events_created: int

    def as_dict(self) -> dict[str, int]:
        return vars(self).copy()


def azure_pdm_import(*, by: Actor | None, directory: Path) -> AzureSummary:
    """Import the sample in ``directory``; all or nothing.

    ``by`` needs ``import_data``; ``None`` is the command line, which runs with the
    rights of whoever may run commands on the server (as ``servicegate import``).
    """
    if by is not None and not has_capability(by, "import_data"):
        raise ImportFailure(_("Your role does not allow importing data."))
    data = read_azure_pdm(directory)
    with transaction.atomic():
        segment, _created = Segment.objects.get_or_create(name="Azure PdM sample")
        customer, _created = Customer.objects.get_or_create(
            number=CUSTOMER_NUMBER, defaults={"name": "Azure PdM sample fleet", "segment": segment}
        )
        site, _created = Site.objects.get_or_create(
            customer=customer, name="Sample plant", defaults={"city": "Redmond", "country": "US"}
        )
        assets = {}
        for machine in data.machines:
            assets[machine.id], _created = Asset.objects.get_or_create(
                product_model=machine.model,
                serial_number=f"machine-{machine.id}",
                defaults={"site": site},
            )
        components: dict[tuple[str, str], Component] = {}
        for model_name in sorted({m.model for m in data.machines}):
            model, _created = AssetModel.objects.get_or_create(name=model_name)
            for name in sorted({r.component for r in data.records}):
                components[model_name, name], _created = Component.objects.get_or_create(
                    asset_model=model, name=name, defaults={"component_class": ComponentClass.WEAR}
                )
        models = {m.id: m.model for m in data.machines}
        before = LifeEvent.objects.filter(source=SOURCE).count()
        LifeEvent.objects.bulk_create(
            [
                LifeEvent(
                    asset=assets[r.machine],
                    component=components[models[r.machine], r.component],
                    at=r.at,
                    kind=LifeEventKind.FAILURE if r.failed else LifeEventKind.REPLACEMENT,
                    source=SOURCE,
                )
                for r in data.records
            ],
            ignore_conflicts=True,
            batch_size=1000,
        )
        created = LifeEvent.objects.filter(source=SOURCE).count() - before
    failures = sum(r.failed for r in data.records)
    return AzureSummary(
        machines=len(data.machines),
        asset_models=len({m.model for m in data.machines}),
        components=len(components),
        failures=failures,
        replacements=len(data.records) - failures,
        events_created=created,
    )
