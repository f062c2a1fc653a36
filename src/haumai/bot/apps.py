from django.apps import AppConfig


class BotConfig(AppConfig):
    name = "haumai.bot"
    label = "bot"
    verbose_name = "Self-service bot"

    def ready(self) -> None:
        from haumai.bot import services, solving, widget
        from haumai.core import scheduler
        from haumai.support.channels import web_chat
        from haumai.support.services.listeners import register_inbound_listener

        register_inbound_listener(services.on_inbound_message)
        web_chat.register_author_kind(widget.author_kind)
        web_chat.register_quick_replies(widget.quick_replies)
        scheduler.register(scheduler.DueSource(name=solving.SOURCE, pending=solving.due_solves,
                                               handle=solving.handle_due, due_field="solve_due_at"))
