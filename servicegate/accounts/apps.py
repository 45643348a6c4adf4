from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender: AppConfig, **kwargs: Any) -> None:
    from servicegate.accounts.services import sync_roles

    sync_roles(using=kwargs.get("using", "default"))


class AccountsConfig(AppConfig):
    name = "servicegate.accounts"
    label = "accounts"

    def ready(self) -> None:
        # After the last app's migrations, so every capability permission exists.
        post_migrate.connect(_sync_roles, dispatch_uid="servicegate.sync_roles")
