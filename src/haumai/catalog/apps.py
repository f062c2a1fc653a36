from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "haumai.catalog"
    label = "catalog"
