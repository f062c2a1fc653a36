from django.apps import AppConfig


class RepairsConfig(AppConfig):
    name = "haumai.repairs"
    label = "repairs"
    verbose_name = "Repairs"

    def ready(self) -> None:
        from haumai.events.services import subscribe
        from haumai.repairs import handlers

        subscribe("warranty.claim_in_service", handlers.on_claim_in_service)
        subscribe("return.repaired", handlers.on_return_repaired)
        from haumai.repairs.services.outsourcing import on_shipment_event

        subscribe("shipment.*", on_shipment_event)

        from haumai.journeys.sending import register_links
        from haumai.repairs.services.quotes import quote_links

        register_links("repair.quoted", quote_links)

        from haumai.repairs.booking import apps as booking

        booking.ready()
