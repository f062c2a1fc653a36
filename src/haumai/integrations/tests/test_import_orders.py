"""`haumai import orders`: one row per line, grouped by channel + external_id, idempotent."""

from __future__ import annotations

import datetime as dt

import pytest

from haumai.catalog.models import Unit, UnitStatus
from haumai.customers.models import Customer
from haumai.events.models import Event
from haumai.integrations.models import ImportRun
from haumai.sales.models import Order, OrderLine

pytestmark = pytest.mark.django_db

HEADER = [
    "channel", "external_id", "placed_at", "status", "customer_phone", "customer_name", "store",
    "sku", "quantity", "unit_price", "serial", "imei", "delivered_at",
]  # fmt: skip


def good_rows() -> list[list[object]]:
    return [
        HEADER,
        ["shopee", "SP-1", "05/03/2026 10:30", "delivered", "0912 345 678", "Nguyễn Văn An", "hn01",
         "IP15", "1", "20.000.000", "SN-001", "356789012345678", "2026-03-07 09:00"],
        ["shopee", "SP-1", "05/03/2026 10:30", "delivered", "0912 345 678", "Nguyễn Văn An", "hn01",
         "CASE1", "2", "150000", "", "", "2026-03-07 09:00"],
        ["shopee", "SP-2", "2026-03-06 08:00:00", "", "+84987654321", "Trần Thị Bình", "",
         "CASE1", "1", "", "", "", ""],
    ]  # fmt: skip


def test_orders_csv_creates_orders_lines_customers_and_sold_units(run_import, write_csv, channel, store, products):
    existing = Customer.objects.create(code="CUS-2026-900001", full_name="Khách cũ", phone="+84987654321")

    outcome = run_import("orders", write_csv("orders.csv", good_rows()), "--order-events")

    assert outcome.ok, outcome
    assert "rows: 3" in outcome and "imported: 3" in outcome and "rows/s" in outcome
    first = Order.objects.get(channel=channel, external_id="SP-1")
    assert first.code.startswith("ORD-")
    assert first.total == 20_000_000 + 2 * 150_000
    assert first.status == "delivered" and first.store == store
    assert first.placed_at == dt.datetime(2026, 3, 5, 3, 30, tzinfo=dt.UTC)  # 10:30 in Vietnam
    assert first.customer.phone == "+84912345678" and first.customer.full_name == "Nguyễn Văn An"
    assert first.content_hash
    unit = Unit.objects.get(serial="SN-001")
    assert unit.status == UnitStatus.SOLD and unit.imei == "356789012345678"
    assert first.lines.get(product=products["IP15"]).unit == unit
    second = Order.objects.get(external_id="SP-2")
    assert second.customer == existing  # matched by phone, not duplicated
    assert second.status == "completed"
    assert second.lines.get().unit_price == 150_000  # blank price -> product price
    assert Event.objects.filter(name="order.imported").count() == 2
    assert Event.objects.filter(name="order.imported", customer=existing).count() == 1
    run = ImportRun.objects.get()
    assert (run.status, run.rows_total, run.rows_imported, run.rows_invalid) == ("completed", 3, 3, 0)
    assert Event.objects.filter(name="import.completed", subject_id=str(run.pk)).count() == 1


def test_orders_xlsx_with_date_cells(run_import, write_xlsx, channel, store, products):
    rows = good_rows()
    rows[1][2] = dt.datetime(2026, 3, 5, 10, 30)
    rows[2][2] = dt.datetime(2026, 3, 5, 10, 30)
    rows[1][8], rows[1][9] = 1, 20_000_000
    rows[3][4] = 987654321  # a phone typed as a number loses its leading zero

    outcome = run_import("orders", write_xlsx("orders.xlsx", rows))

    assert outcome.ok, outcome
    assert Order.objects.count() == 2 and OrderLine.objects.count() == 3
    order = Order.objects.get(external_id="SP-1")
    assert order.placed_at == dt.datetime(2026, 3, 5, 3, 30, tzinfo=dt.UTC)
    assert Order.objects.get(external_id="SP-2").customer.phone == "+84987654321"


def test_reimport_is_idempotent(run_import, write_csv, channel, store, products, snapshot):
    path = write_csv("orders.csv", good_rows())
    assert run_import("orders", path).ok
    before = snapshot()

    outcome = run_import("orders", path)

    assert outcome.ok, outcome
    assert "unchanged: 2" in outcome and "created: 0" in outcome
    after = snapshot()
    after["Event"] -= 1  # the second run's import.completed
    assert after == before


def test_changed_content_is_a_conflict_and_changes_nothing(run_import, write_csv, channel, store, products, snapshot):
    assert run_import("orders", write_csv("orders.csv", good_rows())).ok
    before = snapshot()
    rows = good_rows()
    rows[2][8] = "3"  # quantity changed on a stored order

    outcome = run_import("orders", write_csv("changed.csv", rows))

    assert not outcome.ok
    assert "line 2, column external_id: conflict: order shopee/SP-1 is already stored as ORD-" in outcome
    assert snapshot() == before


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (1, 7, "NOPE", "line 2, column sku: unknown SKU 'NOPE'"),
        (2, 8, "0", "line 3, column quantity: must be at least 1, got 0"),
        (2, 8, "-2", "line 3, column quantity: must be at least 1, got -2"),
        (2, 9, "150000.5", "line 3, column unit_price: '150000.5' is not a whole amount of VND"),
        (2, 9, "-150000", "line 3, column unit_price: amount cannot be negative"),
        (1, 2, "31/02/2026", "line 2, column placed_at: '31/02/2026' is not a real date and time"),
        (1, 2, "hôm qua", "line 2, column placed_at: 'hôm qua' is not a date and time"),
        (1, 4, "12345", "line 2, column customer_phone: '12345' is not a valid phone number"),
        (1, 0, "tiki", "line 2, column channel: unknown channel 'tiki'"),
        (1, 6, "nowhere", "line 2, column store: unknown store 'nowhere'"),
        (2, 8, "", "line 3, column quantity: is required"),
        (2, 8, "²", "line 3, column quantity: '²' is not a whole number"),
        (2, 8, "1000001", "line 3, column quantity: 1000001 is more than 100,000 units on one line"),
        (3, 9, "99999999999999", "line 4, column unit_price: 99999999999999 VND is more than 10,000,000,000,000 VND"),
        (1, 1, "X" * 81, "line 2, column external_id: is longer than 80 characters"),
        (1, 10, "S" * 65, "line 2, column serial: is longer than 64 characters"),
        (1, 7, "", "line 2, column sku: is required"),
        (1, 1, "", "line 2, column external_id: is required"),
        (1, 3, "lost", "line 2, column status: 'lost' is not a known order status"),
        (2, 2, "06/03/2026 10:30", "line 3, column placed_at: '06/03/2026 10:30' differs from line 2"),
        (3, 10, "SN-9", "line 4, column serial: product CASE1 is not tracked by serial number"),
    ],
)
def test_invalid_rows_reject_the_file(
    run_import, write_csv, channel, store, products, snapshot, row, column, value, message
):
    customer = Customer.objects.create(code="CUS-2026-900001", full_name="Khách cũ", phone="+84987654321")
    rows = good_rows()
    rows[row][column] = value
    before = snapshot()

    outcome = run_import("orders", write_csv("orders.csv", rows))

    assert not outcome.ok
    assert message in outcome, outcome
    assert "nothing was imported" in outcome
    assert snapshot() == before
    customer.refresh_from_db()
    assert customer.full_name == "Khách cũ"
    assert ImportRun.objects.get().status == "rejected"


def test_serial_already_sold_on_another_order(run_import, write_csv, channel, store, products, snapshot):
    assert run_import("orders", write_csv("first.csv", good_rows()[:2])).ok
    before = snapshot()
    rows = [HEADER, ["shopee", "SP-9", "07/03/2026", "", "0912345678", "An", "", "IP15", "1", "1", "SN-001", "", ""]]

    outcome = run_import("orders", write_csv("second.csv", rows))

    assert not outcome.ok
    assert "line 2, column serial: serial SN-001 was already sold on order ORD-" in outcome
    assert snapshot() == before


def test_duplicate_rows_and_serials_inside_the_file(run_import, write_csv, channel, store, products, snapshot):
    rows = good_rows()
    rows.append(list(rows[2]))  # the same line twice
    rows.append(["shopee", "SP-3", "07/03/2026", "", "0912345678", "An", "", "IP15", "1", "1", "SN-001", "", ""])
    before = snapshot()

    outcome = run_import("orders", write_csv("orders.csv", rows))

    assert not outcome.ok
    assert "line 5: duplicate of line 3" in outcome
    assert "line 6, column serial: serial SN-001 is already on line 2 (order SP-1)" in outcome
    assert snapshot() == before


def test_skip_invalid_imports_only_whole_valid_orders(run_import, write_csv, channel, store, products):
    rows = good_rows()
    rows[2][8] = "0"  # breaks order SP-1 (both of its lines are skipped)

    outcome = run_import("orders", write_csv("orders.csv", rows), "--skip-invalid")

    assert outcome.ok, outcome
    assert "line 3, column quantity: must be at least 1, got 0" in outcome
    assert "line 2, column external_id: order SP-1 is skipped: its line(s) 3 are invalid" in outcome
    assert list(Order.objects.values_list("external_id", flat=True)) == ["SP-2"]
    assert not Unit.objects.exists()
    run = ImportRun.objects.get()
    assert (run.status, run.rows_total, run.rows_imported, run.rows_invalid) == ("partial", 3, 1, 2)
    assert len(run.errors) == 2


def test_dry_run_writes_nothing(run_import, write_csv, channel, store, products, snapshot):
    before = snapshot()

    outcome = run_import("orders", write_csv("orders.csv", good_rows()), "--dry-run")

    assert outcome.ok, outcome
    assert "dry run: nothing was written" in outcome and "valid: 3" in outcome
    assert snapshot() == before
    assert ImportRun.objects.get().status == "dry_run"


def test_order_stored_by_another_path_is_compared_by_content(run_import, write_csv, channel, store, products):
    """An order pushed by the API (no content fingerprint stored) is matched on its stored rows."""
    customer = Customer.objects.create(code="CUS-2026-900001", full_name="Khách", phone="+84987654321")
    order = Order.objects.create(
        code="ORD-2026-900001", channel=channel, external_id="SP-2", customer=customer, status="completed",
        placed_at=dt.datetime(2026, 3, 6, 1, 0, tzinfo=dt.UTC), total=150_000,
    )  # fmt: skip
    OrderLine.objects.create(order=order, product=products["CASE1"], quantity=1, unit_price=150_000, line_total=150_000)
    same = [HEADER, good_rows()[3]]

    outcome = run_import("orders", write_csv("same.csv", same))

    assert outcome.ok and "unchanged: 1" in outcome, outcome
    assert Order.objects.count() == 1
    changed = [HEADER, list(good_rows()[3])]
    changed[1][9] = "140000"
    conflict = run_import("orders", write_csv("changed.csv", changed))
    assert not conflict.ok
    assert "line 2, column external_id: conflict: order shopee/SP-2 is already stored as ORD-2026-900001" in conflict


def test_unit_in_stock_is_linked_and_marked_sold(run_import, write_csv, channel, store, products):
    unit = Unit.objects.create(product=products["IP15"], serial="SN-001", imei="356789012345678")

    assert run_import("orders", write_csv("orders.csv", good_rows())).ok

    unit.refresh_from_db()
    assert unit.status == UnitStatus.SOLD
    assert OrderLine.objects.get(unit=unit).order.external_id == "SP-1"
    assert Unit.objects.count() == 1


def test_unit_of_another_product_or_imei_mismatch(run_import, write_csv, channel, store, products, snapshot):
    Unit.objects.create(product=products["IP15"], serial="SN-001", imei="111111111111111")
    before = snapshot()

    outcome = run_import("orders", write_csv("orders.csv", good_rows()))

    assert not outcome.ok
    assert "line 2, column imei: serial SN-001 has IMEI 111111111111111, not 356789012345678" in outcome
    assert snapshot() == before
