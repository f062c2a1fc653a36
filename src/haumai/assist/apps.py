from django.apps import AppConfig


class AssistConfig(AppConfig):
    name = "haumai.assist"
    label = "assist"
    verbose_name = "AI assistance"
