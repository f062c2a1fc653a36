from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _schedule_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    from haumai.recommendations.services import ensure_schedule

    ensure_schedule()


class RecommendationsConfig(AppConfig):
    name = "haumai.recommendations"
    label = "recommendations"
    verbose_name = "Recommendations"

    def ready(self) -> None:
        from haumai.core import scheduler
        from haumai.recommendations import services

        scheduler.register(
            scheduler.DueSource(name="recommendations.train", pending=services.pending_training,
                                handle=services.handle_due)
        )
        post_migrate.connect(_schedule_after_migrate, sender=self)
