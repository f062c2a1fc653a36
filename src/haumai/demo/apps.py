from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "haumai.demo"
    label = "demo"
