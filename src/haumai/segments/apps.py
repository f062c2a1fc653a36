from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _schedule_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    from haumai.segments.services import ensure_schedule

    ensure_schedule()


class SegmentsConfig(AppConfig):
    name = "haumai.segments"
    label = "segments"
    verbose_name = "Segments"

    def ready(self) -> None:
        from haumai.core import scheduler
        from haumai.segments import services

        scheduler.register(
            scheduler.DueSource(name="segments.nightly", pending=services.pending_refresh, handle=services.handle_due)
        )
        post_migrate.connect(_schedule_after_migrate, sender=self)
