from django.apps import AppConfig


class LoyaltyConfig(AppConfig):
    name = "haumai.loyalty"
    label = "loyalty"
    verbose_name = "Loyalty"

    def ready(self) -> None:
        from haumai.core import scheduler
        from haumai.customers import services as customer_services
        from haumai.events.services import subscribe
        from haumai.loyalty import handlers, selectors
        from haumai.loyalty.services import expiry, merging, tiers

        subscribe("order.delivered", handlers.on_order_delivered)
        subscribe("return.refunded", handlers.on_return_refunded)
        subscribe("return.store_credited", handlers.on_return_refunded)
        scheduler.register(
            scheduler.DueSource(
                name="loyalty.expiry",
                pending=selectors.pending_expiry,
                handle=expiry.expire_lots,
                due_field="expires_at",
            )
        )
        scheduler.register(
            scheduler.DueSource(
                name="loyalty.tier_reviews",
                pending=selectors.pending_reviews,
                handle=tiers.review_memberships,
                due_field="review_at",
            )
        )
        customer_services.register_merge_step("loyalty", merging.move_customer_rows)
