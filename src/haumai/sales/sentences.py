"""Timeline sentences of orders (order.*)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haumai.core.registry import TimelineEntry, register_sentence
from haumai.events.sentences import amount, customer_url, label, said, value
from haumai.sales.models import OrderStatus

# The sentence and look of order.<status> (written by change_order_status beside order.status_changed).
STATUS_SENTENCES: dict[str, tuple[Any, str, str]] = {
    OrderStatus.PLACED: (gettext_lazy("Order %(code)s was placed"), "shopping-cart", "info"),
    OrderStatus.CONFIRMED: (gettext_lazy("Order %(code)s was confirmed"), "clipboard-check", "info"),
    OrderStatus.SHIPPED: (gettext_lazy("Order %(code)s was shipped"), "truck", "info"),
    OrderStatus.DELIVERED: (gettext_lazy("Order %(code)s was delivered"), "package-check", "success"),
    OrderStatus.COMPLETED: (gettext_lazy("Order %(code)s was completed"), "circle-check", "success"),
    OrderStatus.CANCELLED: (gettext_lazy("Order %(code)s was cancelled"), "circle-x", "danger"),
}


def _order(event: Any, text: str, *, icon: str, tone: str = "neutral") -> TimelineEntry:
    code = value(event, "code", "order_code")
    return said(text, icon=icon, tone=tone, url=customer_url(event, f"order-{code}" if code else ""), link_text=code)


def order_created(event: Any) -> TimelineEntry:
    code = value(event, "code") or _("(no code)")
    total = amount(event, "total")
    text = (
        _("Order %(code)s was placed — %(total)s") % {"code": code, "total": total}
        if total
        else _("Order %(code)s was placed") % {"code": code}
    )
    return _order(event, text, icon="shopping-bag", tone="info")


def order_imported(event: Any) -> TimelineEntry:
    code = value(event, "code") or _("(no code)")
    return _order(event, _("Order %(code)s was imported from a data file") % {"code": code}, icon="file-down")


def order_status_changed(event: Any) -> TimelineEntry:
    code = value(event, "code") or _("(no code)")
    text = _("Order %(code)s went from “%(from)s” to “%(to)s”") % {
        "code": code,
        "from": label(OrderStatus, value(event, "from_status")) or "—",
        "to": label(OrderStatus, value(event, "to_status", "status")) or "—",
    }
    return _order(event, text, icon="refresh-cw")


def _status_sentence(status: str) -> Callable[[Any], TimelineEntry]:
    template, icon, tone = STATUS_SENTENCES[status]

    def describe(event: Any) -> TimelineEntry:
        code = value(event, "code") or _("(no code)")
        return _order(event, str(template) % {"code": code}, icon=icon, tone=tone)

    return describe


for _status in OrderStatus.values:
    register_sentence(f"order.{_status}", _status_sentence(_status))
register_sentence("order.created", order_created)
register_sentence("order.imported", order_imported)
register_sentence("order.status_changed", order_status_changed)
