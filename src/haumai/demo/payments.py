"""Demo payments: one Payment per paid demo order, derived from the order row alone (no random draws).

Prepaid orders are paid a few minutes after they are placed; cash on delivery is paid when the
order is delivered (undelivered or cancelled COD orders have no payment yet). Provider references
look like the real ones: vnp_TxnRef = the order code with an 8-digit vnp_TransactionNo, MoMo orderId
= the order code with a 10-digit transId, bank transfers an FT reference.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from haumai.demo.timeline import LOCAL_OFFSET

# Order.payment_method -> Payment.method. Marketplace wallets (ShopeePay) reach the retailer as the
# marketplace's bank settlement; instalments are card payments.
METHODS = {
    "vnpay": "vnpay", "momo": "momo", "cod": "cod", "bank_transfer": "bank_transfer", "cash": "cash",
    "card": "card", "installment": "card", "shopeepay": "bank_transfer",
}  # fmt: skip
PAY_DELAY = dt.timedelta(minutes=3)
PAID_STATUSES = ("delivered", "completed")


def payment_rows(orders: list[tuple[Any, ...]], first_id: int) -> list[tuple[Any, ...]]:
    """PAYMENT rows for assembled ORDER rows (database ids and codes already set)."""
    rows: list[tuple[Any, ...]] = []
    for order in orders:
        order_id, code, _channel, _external, _customer, _store, status, placed_at, delivered_at, total = order[:10]
        method = METHODS.get(order[10], "bank_transfer")
        if status == "cancelled" or total <= 0:
            continue
        if method == "cod":
            if status not in PAID_STATUSES or delivered_at is None:
                continue
            paid_at = delivered_at
        else:
            paid_at = placed_at + PAY_DELAY
        reference, number = _provider_refs(method, order_id, code, paid_at)
        rows.append((
            first_id + len(rows), order_id, method, total, 0, reference, number, paid_at, paid_at, None, paid_at,
        ))  # fmt: skip
    return rows


def _provider_refs(method: str, order_id: int, code: str, paid_at: dt.datetime) -> tuple[str, str]:
    if method == "vnpay":
        return code, str(14_000_000 + order_id)
    if method == "momo":
        return code, str(2_800_000_000 + order_id * 7)
    if method == "bank_transfer":
        return f"FT{paid_at + LOCAL_OFFSET:%y%j}{order_id:08d}", ""
    return "", ""
