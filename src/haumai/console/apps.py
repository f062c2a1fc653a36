from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "haumai.console"
    label = "console"

    def ready(self) -> None:
        """Import every app's `ui`, `sentences` and `panels` module so they register with the console.

        An app split into subpackages may also register from `<app>.<subpackage>.ui` (and `sentences`,
        `panels`, `privacy`), e.g. `haumai.support.sla.ui`.
        """
        from importlib import import_module
        from pathlib import Path

        from django.apps import apps
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("ui", "sentences", "panels")
        for config in apps.get_app_configs():
            if not config.name.startswith("haumai."):
                continue
            for name in ("ui", "sentences", "panels", "privacy"):
                for path in sorted(Path(config.path).glob(f"*/{name}.py")):
                    if (path.parent / "__init__.py").exists() and path.parent.name not in ("tests", "migrations"):
                        import_module(f"{config.name}.{path.parent.name}.{name}")
