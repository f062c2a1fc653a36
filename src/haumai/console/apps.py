from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class ConsoleConfig(AppConfig):
    name = "haumai.console"
    label = "console"

    def ready(self) -> None:
        # Each app registers its navigation, search, timeline sentences and customer-360 panels (DESIGN.md §4).
        autodiscover_modules("ui", "sentences", "panels")
