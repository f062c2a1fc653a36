from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "haumai.core"
    label = "core"
    verbose_name = "Core"
