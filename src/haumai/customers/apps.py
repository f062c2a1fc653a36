from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "haumai.customers"
    label = "customers"
