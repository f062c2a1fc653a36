from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "haumai.integrations"
    label = "integrations"
