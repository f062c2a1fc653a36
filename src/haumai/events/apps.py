from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "haumai.events"
    label = "events"

    def ready(self) -> None:
        from haumai.core import scheduler
        from haumai.events import selectors, services

        scheduler.register(
            scheduler.DueSource(
                name="events.dispatch", pending=selectors.pending_dispatch, handle=services.dispatch_events
            )
        )
