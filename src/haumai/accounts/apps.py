from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    # Permissions are created app by app during post_migrate; sync once the last app has them.
    from django.apps import apps

    with_models = [config.label for config in apps.get_app_configs() if config.models_module is not None]
    if sender.label != with_models[-1]:
        return
    from haumai.accounts.services import sync_roles

    sync_roles()


class AccountsConfig(AppConfig):
    name = "haumai.accounts"
    label = "accounts"

    def ready(self) -> None:
        post_migrate.connect(_sync_roles_after_migrate, dispatch_uid="haumai.accounts.sync_roles")
        from haumai.accounts import access

        access.connect()
