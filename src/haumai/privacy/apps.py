from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "haumai.privacy"
    label = "privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from haumai.core import scheduler
        from haumai.privacy import retention, selectors

        # Every app's privacy.py registers its personal data (haumai.privacy.registry).
        autodiscover_modules("privacy")
        scheduler.register(
            scheduler.DueSource(
                name="privacy.retention",
                pending=selectors.pending_retention,
                handle=retention.run_scheduled,
                due_field="next_run_at",
            )
        )
