from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "haumai.inventory"
    label = "inventory"
