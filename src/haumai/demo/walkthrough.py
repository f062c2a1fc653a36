"""Pointers printed by `haumai serve --demo` so a person can try the main flows right away."""

from __future__ import annotations

import datetime as dt

from haumai.core import clock
from haumai.payments.models import PROVIDER_METHODS, Payment
from haumai.sales.models import OrderStatus


def returnable_example() -> dict[str, str] | None:
    """A demo customer with an order paid by VNPay/MoMo and delivered in the last 6 days (inside the 7-day window).

    The portal login goes to the e-mail (var/outbox/*.log) or, without one, the phone (var/outbox/sms.log).
    """
    since = clock.now() - dt.timedelta(days=6)
    payment = (
        Payment.objects.filter(
            method__in=PROVIDER_METHODS,
            order__status=OrderStatus.DELIVERED,
            order__delivered_at__gte=since,
        )
        .select_related("order__customer")
        .order_by("-order__delivered_at")
        .first()
    )
    if payment is None:
        return None
    customer = payment.order.customer
    return {"login": str(customer.email or customer.phone), "order": payment.order.code, "method": payment.method}
