from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "haumai.payments"
    label = "payments"
