from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "haumai.knowledge"
    label = "knowledge"
    verbose_name = "Knowledge base"
