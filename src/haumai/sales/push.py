"""One way in for a pushed order (the API and the signed order webhook): upsert, and watch its delivery."""

from __future__ import annotations

from typing import Any

from haumai.sales import services
from haumai.sales.models import Order
from haumai.sales.schemas import OrderIn
from haumai.shipping.services.outbound import DeliveryInput, push_order_with_delivery


def push_order(*, actor: Any, payload: OrderIn, actor_label: str = "", signed: bool = False) -> tuple[Order, bool]:
    """Store the order (idempotent by channel + external id) and, with a delivery, its watched shipment.

    `signed`: a system caller whose request signature was checked (the order webhook; `actor` is None)."""
    arguments: dict[str, Any] = {
        "actor": actor,
        "channel_code": payload.channel,
        "external_id": payload.external_id,
        "customer": services.CustomerRef(**payload.customer.model_dump()),
        "lines": [services.OrderLineInput(**line.model_dump()) for line in payload.lines],
        "placed_at": payload.placed_at,
        "store_code": payload.store,
        "payment_method": payload.payment_method,
        "status": payload.status,
        "delivered_at": payload.delivered_at,
        "actor_label": actor_label,
    }
    if payload.delivery is None:
        return services.upsert_order(**arguments)
    order, created, _registered = push_order_with_delivery(
        actor=actor,
        push=lambda: services.upsert_order(**arguments),
        delivery=DeliveryInput(**payload.delivery.model_dump()),
        signed=signed,
    )
    return order, created
