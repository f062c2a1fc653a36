from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "haumai.support"
    label = "support"
    verbose_name = "Support"

    def ready(self) -> None:
        from haumai.core import scheduler
        from haumai.support.channels import facebook_outbound, imap, outbound, web_chat
        from haumai.support.services import (
            merge,  # noqa: F401  (registers the customer-merge step)
            sla_refresh,
        )
        from haumai.support.sla.services import register_recalculator

        register_recalculator(sla_refresh.recalculate)
        outbound.register_sender("web_chat", web_chat.send)
        outbound.register_sender("facebook", facebook_outbound.send)
        outbound.register_guard("facebook", facebook_outbound.check_can_send)
        scheduler.register(
            scheduler.DueSource(name=facebook_outbound.SOURCE_NAME, pending=facebook_outbound.pending,
                                handle=facebook_outbound.handle_due, due_field="delivery_due_at")
        )  # fmt: skip
        scheduler.register(
            scheduler.DueSource(name="support.imap", pending=imap.pending_polls, handle=imap.handle_due_polls)
        )
        scheduler.register(
            scheduler.DueSource(
                name="support.sla", pending=sla_refresh.due_for_check, handle=sla_refresh.handle_due,
                due_field="sla_check_at",
            )
        )  # fmt: skip
