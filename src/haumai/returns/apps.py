from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "haumai.returns"
    label = "returns"

    def ready(self) -> None:
        from haumai.core import scheduler
        from haumai.events.services import subscribe
        from haumai.returns import services

        subscribe("shipment.*", services.on_shipment_event)
        subscribe("refund.*", services.on_refund_event)
        scheduler.register(
            scheduler.DueSource(
                name="returns.missing_items",
                pending=services.pending_missing_items,
                handle=services.handle_missing_items_due,
            )
        )
