from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_default_gates(sender: AppConfig, **kwargs: Any) -> None:
    """Create G1-G4 when a database has no gate definitions at all (e.g. after a flush)."""
    from importlib import import_module

    from django.apps import apps

    from servicegate.promises.models import GateDefinition

    using = kwargs.get("using", "default")
    if GateDefinition.objects.using(using).exists():
        return
    migration = import_module("servicegate.promises.migrations.0002_default_gates")
    migration.create_gates(apps, None)


class PromisesConfig(AppConfig):
    name = "servicegate.promises"
    label = "promises"

    def ready(self) -> None:
        post_migrate.connect(
            _ensure_default_gates, sender=self, dispatch_uid="servicegate.default_gates"
        )
