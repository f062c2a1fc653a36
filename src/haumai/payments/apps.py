from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "haumai.payments"
    label = "payments"

    def ready(self) -> None:
        from haumai.core import scheduler
        from haumai.payments.sending import SOURCE

        scheduler.register(SOURCE)
