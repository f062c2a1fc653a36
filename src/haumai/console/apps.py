from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "haumai.console"
    label = "console"

    def ready(self) -> None:
        """Import every app's `ui`, `sentences` and `panels` module so they register with the console."""
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("ui", "sentences", "panels")
