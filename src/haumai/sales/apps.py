from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "haumai.sales"
    label = "sales"
