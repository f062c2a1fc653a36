from django.apps import AppConfig


class WarrantyConfig(AppConfig):
    name = "haumai.warranty"
    label = "warranty"
    verbose_name = "Warranty"

    def ready(self) -> None:
        from haumai.events.services import subscribe
        from haumai.warranty import handlers

        subscribe("order.delivered", handlers.on_order_delivered)
        subscribe("return.refunded", handlers.on_return_refunded)
        subscribe("return.store_credited", handlers.on_return_refunded)

        from haumai.warranty.services import expiry

        expiry.register_source()
