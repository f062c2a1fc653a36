from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "haumai.console"
    label = "console"
