from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save, pre_save


def _sync_roles(sender: AppConfig, **kwargs: Any) -> None:
    from servicegate.accounts.services import sync_roles

    sync_roles(using=kwargs.get("using", "default"))


class AccountsConfig(AppConfig):
    name = "servicegate.accounts"
    label = "accounts"

    def ready(self) -> None:
        # After the last app's migrations, so every capability permission exists.
        post_migrate.connect(_sync_roles, dispatch_uid="servicegate.sync_roles")
        from django.contrib.auth import get_user_model

        from servicegate.accounts.services import _password_changed, _password_changing

        user = get_user_model()
        pre_save.connect(_password_changing, sender=user, dispatch_uid="servicegate.pw_changing")
        post_save.connect(_password_changed, sender=user, dispatch_uid="servicegate.pw_changed")
