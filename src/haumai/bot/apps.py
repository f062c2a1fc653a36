from django.apps import AppConfig


class BotConfig(AppConfig):
    name = "haumai.bot"
    label = "bot"
    verbose_name = "Self-service bot"

    def ready(self) -> None:
        from haumai.bot import services, widget
        from haumai.support.channels import web_chat
        from haumai.support.services.listeners import register_inbound_listener

        register_inbound_listener(services.on_inbound_message)
        web_chat.register_author_kind(widget.author_kind)
