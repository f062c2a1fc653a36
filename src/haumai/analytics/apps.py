from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _schedule_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    from haumai.analytics import summary
    from haumai.analytics.rollups import ensure_schedule

    ensure_schedule()
    summary.ensure_schedule()


class AnalyticsConfig(AppConfig):
    name = "haumai.analytics"
    label = "analytics"
    verbose_name = "Analytics"

    def ready(self) -> None:
        from haumai.analytics import rollups, summary
        from haumai.core import scheduler

        scheduler.register(
            scheduler.DueSource(name="analytics.rollups", pending=rollups.pending, handle=rollups.handle_due)
        )
        scheduler.register(
            scheduler.DueSource(name="analytics.weekly_summary", pending=summary.pending, handle=summary.handle_due)
        )
        post_migrate.connect(_schedule_after_migrate, sender=self)
