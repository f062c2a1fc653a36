"""Timeline sentences of payments, refunds and store credit (payment.*, refund.*, store_credit.*)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haumai.core.registry import TimelineEntry, register_sentence
from haumai.events.sentences import amount, customer_url, label, said, url, value
from haumai.payments.models import PaymentMethod, RefundMethod

REFUND_SENTENCES: dict[str, tuple[Any, str, str]] = {
    "refund.requested": (gettext_lazy("Refund %(code)s of %(amount)s requested"), "banknote", "info"),
    "refund.sent": (gettext_lazy("Refund %(code)s of %(amount)s was sent"), "banknote", "success"),
    "refund.failed": (gettext_lazy("Refund %(code)s of %(amount)s failed"), "circle-alert", "danger"),
    "refund.needs_attention": (
        gettext_lazy("Refund %(code)s of %(amount)s needs a staff check"), "triangle-alert", "warning"
    ),
}


def payment_recorded(event: Any) -> TimelineEntry:
    order = value(event, "order_code")
    params = {
        "amount": amount(event) or "—",
        "method": label(PaymentMethod, value(event, "method")) or "—",
        "order": order or _("(no code)"),
    }
    text = _("Payment of %(amount)s by %(method)s for order %(order)s") % params
    return said(text, icon="wallet", tone="success", url=customer_url(event, f"order-{order}"), link_text=order)


def _refund_sentence(name: str) -> Callable[[Any], TimelineEntry]:
    template, icon, tone = REFUND_SENTENCES[name]

    def describe(event: Any) -> TimelineEntry:
        code = value(event, "refund_code")
        text = str(template) % {"code": code or _("(no code)"), "amount": amount(event) or "—"}
        method = label(RefundMethod, value(event, "method"))
        if method:
            text += f" · {method}"
        return said(text, icon=icon, tone=tone, url=url("payments:detail", code), link_text=code)

    return describe


def store_credit_granted(event: Any) -> TimelineEntry:
    reference = value(event, "reference")
    params = {"amount": amount(event) or "—", "reference": reference}
    text = (
        _("Store credit of %(amount)s added (%(reference)s)") % params
        if reference
        else _("Store credit of %(amount)s added") % params
    )
    return said(text, icon="wallet", tone="success", url=customer_url(event, "store-credit"))


def store_credit_spent(event: Any) -> TimelineEntry:
    params = {"amount": amount(event) or "—", "reference": value(event, "reference")}
    text = _("Store credit of %(amount)s spent on %(reference)s") % params
    return said(text, icon="wallet", tone="neutral", url=customer_url(event, "store-credit"))


for _name in REFUND_SENTENCES:
    register_sentence(_name, _refund_sentence(_name))
register_sentence("payment.recorded", payment_recorded)
register_sentence("store_credit.granted", store_credit_granted)
register_sentence("store_credit.spent", store_credit_spent)
