from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "haumai.console"
    label = "console"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("ui", "sentences", "panels")
