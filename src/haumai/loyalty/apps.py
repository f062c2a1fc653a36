from django.apps import AppConfig


class LoyaltyConfig(AppConfig):
    name = "haumai.loyalty"
    label = "loyalty"
    verbose_name = "Loyalty"

    def ready(self) -> None:
        from haumai.core import scheduler
        from haumai.customers import services as customer_services
        from haumai.events.services import subscribe
        from haumai.journeys.sending import register_links
        from haumai.loyalty import benefits, handlers, messages, selectors
        from haumai.loyalty.services import campaigns, cashback, expiry, merging, reminders, tiers
        from haumai.returns import policy as return_policy
        from haumai.support.services import common as support_common

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
        for name, pending, handle, due_field in (
            ("loyalty.expiry_reminders", reminders.pending_expiry_reminders, reminders.remind_expiring, "remind_at"),
            ("loyalty.downgrade_notices", reminders.pending_downgrade_notices, reminders.notice_downgrades,
             "notice_at"),
            ("loyalty.cashback_release", selectors.pending_cashback, cashback.release_due, "release_at"),
            ("loyalty.segment_issuance", campaigns.pending_segment_issuances, campaigns.run_segment_issuances,
             "due_at"),
        ):  # fmt: skip
            scheduler.register(scheduler.DueSource(name=name, pending=pending, handle=handle, due_field=due_field))
        for event_name in messages.REWARDS_EVENTS:
            register_links(event_name, messages.rewards_links)
        customer_services.register_merge_step("loyalty", merging.move_customer_rows)
        return_policy.register_benefit_source(benefits.return_benefit, benefits.describe)
        support_common.register_priority_rule(benefits.support_priority)
