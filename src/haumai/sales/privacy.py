"""Personal data held by sales: orders carry no name, phone or address of their own; they belong to the
customer and stay after a deletion (accounting), pointing at the anonymized customer (haumai.privacy)."""

from __future__ import annotations

from haumai.privacy.registry import ExportPart, Person, PersonalDataSource, PersonalModel, register, rows
from haumai.sales.models import Order, OrderLine


def export(person: Person) -> ExportPart:
    """The person's orders and their lines."""
    orders = Order.objects.filter(customer=person.customer).order_by("placed_at", "id")
    lines = OrderLine.objects.filter(order__customer=person.customer).order_by("order_id", "id")
    return ExportPart(
        tables={
            "sales.order": rows(
                orders,
                (
                    "code",
                    "channel__name",
                    "store__name",
                    "status",
                    "placed_at",
                    "delivered_at",
                    "total",
                    "payment_method",
                ),
            ),
            "sales.orderline": rows(
                lines,
                (
                    "order__code",
                    "product__sku",
                    "product__name",
                    "unit__serial",
                    "quantity",
                    "unit_price",
                    "line_total",
                ),
            ),
        }
    )


register(
    PersonalDataSource(
        app="sales",
        models=(
            PersonalModel(
                "sales.Order",
                (),
                legal_hold="accounting records: kept with the customer anonymized",
                handling="exported; kept unchanged (no personal fields of its own)",
            ),
        ),
        not_personal={
            # A store's own name, street and phone (a business, not a person).
            "sales.Store": ("name", "street", "phone"),
            "sales.Channel": ("name",),
            # The shop system's order number: a transaction reference kept for accounting.
            "sales.Order": ("external_id",),
        },
        export=export,
    )
)
