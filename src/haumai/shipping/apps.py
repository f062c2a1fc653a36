from django.apps import AppConfig


class ShippingConfig(AppConfig):
    name = "haumai.shipping"
    label = "shipping"
