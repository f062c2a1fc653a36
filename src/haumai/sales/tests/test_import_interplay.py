"""An order pushed by the API and the same order in a CSV import are recognised as one order."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from haumai.integrations.services import import_file
from haumai.sales import services
from haumai.sales.models import Order

HEADER = [
    "channel", "external_id", "placed_at", "status", "customer_phone", "customer_name", "store",
    "sku", "quantity", "unit_price", "serial", "imei", "delivered_at",
]  # fmt: skip
# 05/03/2026 10:30 in Vietnam (the file's local time) is 03:30 UTC.
PLACED = dt.datetime(2026, 3, 5, 3, 30, tzinfo=dt.UTC)


def _write(folder: Path, rows: list[list[str]]) -> Path:
    path = folder / "orders.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    return path


def test_api_order_reimported_from_csv_is_unchanged(
    make_staff: Any, shopee: Any, products: Any, tmp_path: Path
) -> None:
    order, _ = services.upsert_order(
        actor=make_staff("agent"),
        channel_code="shopee",
        external_id="SP-9",
        placed_at=PLACED,
        customer=services.CustomerRef(phone="0912 345 678", full_name="Nguyễn Văn An"),
        lines=[
            services.OrderLineInput(sku="IP15", quantity=1, unit_price=20_000_000, serial="SN-9"),
            services.OrderLineInput(sku="CASE", quantity=2, unit_price=150_000),
        ],
    )
    same = [
        ["shopee", "SP-9", "05/03/2026 10:30", "placed", "0912345678", "Nguyễn Văn An", "", "IP15", "1", "20.000.000",
         "SN-9", "", ""],
        ["shopee", "SP-9", "05/03/2026 10:30", "placed", "0912345678", "Nguyễn Văn An", "", "CASE", "2", "150000",
         "", "", ""],
    ]  # fmt: skip
    result = import_file(kind="orders", path=_write(tmp_path, same))
    assert result.status == "completed", result.summary()
    assert (result.created, result.unchanged) == (0, 1), result.summary()
    assert list(Order.objects.values_list("code", flat=True)) == [order.code]


def test_csv_order_pushed_again_by_api_is_a_replay(make_staff: Any, shopee: Any, products: Any, tmp_path: Path) -> None:
    rows = [
        ["shopee", "SP-7", "05/03/2026 10:30", "placed", "+84912345678", "Lan", "", "CASE", "3", "150000", "", "", ""],
    ]
    assert import_file(kind="orders", path=_write(tmp_path, rows)).status == "completed"
    stored = Order.objects.get()
    order, created = services.upsert_order(
        actor=make_staff("agent"),
        channel_code="shopee",
        external_id="SP-7",
        placed_at=PLACED,
        customer=services.CustomerRef(phone="0912 345 678", full_name="Lan"),
        lines=[services.OrderLineInput(sku="CASE", quantity=3, unit_price=150_000)],
    )
    assert (order.pk, created) == (stored.pk, False)
