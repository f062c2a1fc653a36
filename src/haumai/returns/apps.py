from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "haumai.returns"
    label = "returns"
