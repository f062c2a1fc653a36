from django.apps import AppConfig


class ShippingConfig(AppConfig):
    name = "haumai.shipping"
    label = "shipping"

    def ready(self) -> None:
        from haumai.core import scheduler
        from haumai.shipping import services

        scheduler.register(
            scheduler.DueSource(name="shipping.due", pending=services.pending_due, handle=services.handle_due)
        )
        from haumai.shipping.services import lateness

        scheduler.register(
            scheduler.DueSource(
                name="shipping.late", pending=lateness.pending_late, handle=lateness.handle_late,
                due_field="late_due_at",
            )
        )
