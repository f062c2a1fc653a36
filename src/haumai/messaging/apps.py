from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "haumai.messaging"
    label = "messaging"

    def ready(self) -> None:
        from haumai.core import scheduler
        from haumai.events.services import subscribe
        from haumai.messaging import dispatch, webhooks

        scheduler.register(
            scheduler.DueSource(name=dispatch.SOURCE_NAME, pending=dispatch.pending, handle=dispatch.handle_due)
        )
        subscribe("*", webhooks.deliver_event)
