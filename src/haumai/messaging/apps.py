from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "haumai.messaging"
    label = "messaging"
