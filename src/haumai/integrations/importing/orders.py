"""Orders import: one row per order line; rows with the same channel + external_id form one order.

Everything is resolved with a few set-based queries, then written in batches. An order already
stored under the same channel + external_id is skipped when its content is the same, and is a
conflict when it differs. Stock is not touched: imported orders are history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from haumai.catalog import bulk as catalog_bulk
from haumai.customers import bulk as customers_bulk
from haumai.integrations.importing import deliveries, progress, values
from haumai.integrations.importing.files import Column, Table
from haumai.integrations.importing.report import ImportResult, RowError
from haumai.sales import bulk as sales_bulk
from haumai.sales.models import OrderStatus
from haumai.shipping.services.outbound import register_imported_deliveries

COLUMNS = (
    Column("channel", True, ("kenh", "kenh_ban")),
    Column("external_id", True, ("ma_don", "ma_don_hang", "order_id", "order_number")),
    Column("placed_at", True, ("ngay_dat", "thoi_gian_dat", "ngay_mua", "order_date")),
    Column("status", False, ("trang_thai",)),
    Column("customer_phone", True, ("sdt", "sdt_khach", "so_dien_thoai", "dien_thoai", "phone")),
    Column("customer_name", False, ("ten_khach", "ten_khach_hang", "khach_hang", "ho_ten")),
    Column("store", False, ("cua_hang", "ma_cua_hang")),
    Column("sku", True, ("ma_sp", "ma_hang", "ma_san_pham")),
    Column("quantity", True, ("so_luong", "sl", "qty")),
    Column("unit_price", True, ("don_gia", "gia", "price")),
    Column("serial", False, ("so_serial", "serial_number", "so_seri", "seri")),
    Column("imei", False, ()),
    Column("delivered_at", False, ("ngay_giao", "thoi_gian_giao")),
    Column("carrier", False, ("don_vi_van_chuyen", "dvvc", "hang_van_chuyen", "nha_van_chuyen")),
    Column("tracking_code", False, ("ma_van_don", "ma_van_chuyen", "tracking_number")),
)

NO_PRICE = -1  # unit_price left blank: the product's price is used
MAX_QUANTITY = 100_000
MAX_UNIT_PRICE = 10**13  # ten trillion VND: anything above is a typo, and totals stay within bigint
STATUSES = {value: value for value in OrderStatus.values} | {
    "da_dat": "placed",
    "da_xac_nhan": "confirmed",
    "dang_giao": "shipped",
    "da_giao": "delivered",
    "hoan_thanh": "completed",
    "da_huy": "cancelled",
    "huy": "cancelled",
}


_ORDER_COLUMNS = (
    "placed_at", "status", "customer_phone", "customer_name", "store", "delivered_at", "carrier", "tracking_code"
)  # fmt: skip


@dataclass(slots=True)
class _Line(sales_bulk.LineRecord):
    """A line as read from the file; it is also the record handed to sales.bulk (no copy per line)."""

    line: int = 0
    sku: str = ""
    serial: str = ""
    imei: str = ""


@dataclass(slots=True)
class _Order:
    channel: str
    external_id: str
    first_line: int
    raw: Any
    lines: list[_Line] = field(default_factory=list)
    bad_lines: set[int] = field(default_factory=set)
    placed_at: dt.datetime | None = None
    delivered_at: dt.datetime | None = None
    status: str = ""
    phone: str = ""
    name: str = ""
    store: str = ""
    channel_id: int = 0
    store_id: int | None = None
    carrier: str = ""
    tracking_code: str = ""


class OrdersImport:
    """Validate the rows of an orders file, then (optionally) write the valid orders."""

    def __init__(self, table: Table, result: ImportResult, *, actor: Any = None) -> None:
        self.table = table
        self.result = result
        self.actor = actor
        # Orders already stored whose delivery is not registered yet: (order code, carrier, tracking code).
        self.stored_deliveries: list[tuple[str, str, str]] = []
        self.errors: list[RowError] = list(table.errors)
        self.orders: dict[tuple[str, str], _Order] = {}
        self.to_create: list[tuple[sales_bulk.OrderRecord, _Order]] = []
        self.new_people: dict[str, str] = {}
        self.new_units: dict[str, tuple[int, str, str | None]] = {}
        self.sold_units: set[int] = set()
        self.bad_lines: set[int] = {e.line for e in self.errors}

    def error(self, line: int, column: str, message: str, order: _Order | None = None) -> None:
        """Report one problem; the line (and its order) will not be imported."""
        self.errors.append(RowError(line, column, message))
        self.bad_lines.add(line)
        if order is not None:
            order.bad_lines.add(line)

    def validate(self) -> None:
        """Read every row, resolve references with set-based queries and check the rules."""
        self._read_rows()
        self._resolve()
        orders = list(self.orders.values())
        for order in orders:
            order.bad_lines.update(line.line for line in order.lines if line.line in self.bad_lines)
        self._check_existing([o for o in orders if not o.bad_lines])
        rows_ok = sum(len(o.lines) for o in orders if not o.bad_lines)
        self.result.rows_total = len(self.table.rows)
        self.result.rows_valid = rows_ok
        self.result.rows_invalid = self.result.rows_total - rows_ok
        for order in orders:
            good = [line.line for line in order.lines if line.line not in order.bad_lines]
            if order.bad_lines and good and self.result.skip_invalid:
                bad = ", ".join(str(n) for n in sorted(order.bad_lines))
                self.errors.append(
                    RowError(
                        good[0], "external_id", f"order {order.external_id} is skipped: its line(s) {bad} are invalid"
                    )
                )
        self.errors.sort(key=lambda e: e.line)
        self.result.errors = self.errors

    def _read_rows(self) -> None:
        # The hot loop of the import: plain indexing and str methods, parsers only off the fast path.
        at = self.table.position
        channel_at, external_at, sku_at, serial_at, imei_at = (
            at("channel"), at("external_id"), at("sku"), at("serial"), at("imei")
        )  # fmt: skip
        quantity_at, price_at = at("quantity"), at("unit_price")
        order_fields = itemgetter(*(at(name) for name in _ORDER_COLUMNS))
        orders = self.orders
        seen_rows: dict[tuple[Any, ...], int] = {}
        seen_serials: dict[str, tuple[int, str]] = {}
        seen_imeis: dict[str, tuple[int, str]] = {}
        for line, cells in self.table.rows:
            channel = cells[channel_at].lower()
            external_id = cells[external_at]
            if not channel or not external_id:
                if not channel:
                    self.error(line, "channel", "is required")
                if not external_id:
                    self.error(line, "external_id", "is required")
                continue
            raw = order_fields(cells)
            key = (channel, external_id)
            order = orders.get(key)
            if order is None:
                order = orders[key] = _Order(channel, external_id, line, raw)
                self._read_order_fields(order)
            elif raw != order.raw:
                self._differs(line, raw, order)
            sku, quantity_raw, price_raw = cells[sku_at], cells[quantity_at], cells[price_at]
            serial, imei = cells[serial_at], cells[imei_at]
            if (
                sku
                and quantity_raw.isdecimal()
                and quantity_raw[0] != "0"
                and len(quantity_raw) <= 6
                and (not price_raw or (price_raw.isdecimal() and len(price_raw) <= 13))
                and len(sku) <= 64
                and len(serial) <= 64
                and len(imei) <= 20
            ):
                quantity, unit_price = int(quantity_raw), int(price_raw) if price_raw else None
                if serial and quantity > 1:
                    self.error(line, "quantity", f"a line with a serial number is one unit, got {quantity}", order)
                    continue
            else:
                parsed = self._read_line_slowly(line, (sku, quantity_raw, price_raw, serial, imei), order)
                if parsed is None:
                    continue
                quantity, unit_price = parsed
            if imei and not serial:
                serial = imei
            row_key = (key, sku, quantity, unit_price, serial, imei)
            duplicate_of = seen_rows.get(row_key)
            if duplicate_of is not None:
                self.error(line, "", f"duplicate of line {duplicate_of}", order)
                continue
            seen_rows[row_key] = line
            if serial:
                other = seen_serials.get(serial)
                if other is not None:
                    self.error(
                        line, "serial", f"serial {serial} is already on line {other[0]} (order {other[1]})", order
                    )
                    continue
                seen_serials[serial] = (line, external_id)
                if imei:
                    other = seen_imeis.get(imei)
                    if other is not None:
                        self.error(line, "imei", f"IMEI {imei} is already on line {other[0]} (order {other[1]})", order)
                        continue
                    seen_imeis[imei] = (line, external_id)
            price = NO_PRICE if unit_price is None else unit_price
            order.lines.append(_Line(0, quantity, price, None, line, sku, serial, imei))

    def _differs(self, line: int, raw: tuple[str, ...], order: _Order) -> None:
        for name, mine, theirs in zip(_ORDER_COLUMNS, raw, order.raw, strict=True):
            if mine != theirs:
                message = f"'{mine}' differs from line {order.first_line} of the same order ('{theirs}')"
                self.error(line, name, message, order)
                return

    def _read_line_slowly(
        self, line: int, cells: tuple[str, str, str, str, str], order: _Order
    ) -> tuple[int, int | None] | None:
        sku, quantity_raw, price_raw, serial, imei = cells
        errors_before = len(self.errors)
        if not sku:
            self.error(line, "sku", "is required", order)
        for column, value, limit in (("sku", sku, 64), ("serial", serial, 64), ("imei", imei, 20)):
            if len(value) > limit:
                self.error(line, column, f"is longer than {limit} characters", order)
        quantity = 0
        try:
            quantity = values.whole_number(quantity_raw, minimum=1)
            if quantity > MAX_QUANTITY:
                self.error(line, "quantity", f"{quantity} is more than {MAX_QUANTITY:,} units on one line", order)
        except values.CellError as exc:
            self.error(line, "quantity", str(exc) if quantity_raw else "is required", order)
        unit_price: int | None = None
        if price_raw:
            try:
                unit_price = values.vnd(price_raw)
                if unit_price > MAX_UNIT_PRICE:
                    self.error(line, "unit_price", f"{unit_price} VND is more than {MAX_UNIT_PRICE:,} VND", order)
            except values.CellError as exc:
                self.error(line, "unit_price", str(exc), order)
        ok = len(self.errors) == errors_before
        if ok and serial and quantity > 1:
            self.error(line, "quantity", f"a line with a serial number is one unit, got {quantity}", order)
            ok = False
        return (quantity, unit_price) if ok else None

    def _read_order_fields(self, order: _Order) -> None:
        line = order.first_line
        placed_raw, status_raw, phone_raw, name_raw, store_raw, delivered_raw, carrier_raw, tracking_raw = order.raw
        order.name, order.store = name_raw, store_raw.lower()
        if len(order.external_id) > 80:
            self.error(line, "external_id", "is longer than 80 characters", order)
        if len(name_raw) > 160:
            self.error(line, "customer_name", "is longer than 160 characters", order)
        if not placed_raw:
            self.error(line, "placed_at", "is required", order)
        else:
            try:
                order.placed_at = values.moment(placed_raw)
            except values.CellError as exc:
                self.error(line, "placed_at", str(exc), order)
        if delivered_raw:
            try:
                order.delivered_at = values.moment(delivered_raw)
            except values.CellError as exc:
                self.error(line, "delivered_at", str(exc), order)
        if status_raw:
            try:
                order.status = values.choice(status_raw, STATUSES, "order status")
            except values.CellError as exc:
                self.error(line, "status", str(exc), order)
        else:
            order.status = str(OrderStatus.DELIVERED if order.delivered_at else OrderStatus.COMPLETED)
        if not phone_raw:
            self.error(line, "customer_phone", "is required", order)
        else:
            try:
                order.phone = values.phone(phone_raw)
            except values.CellError as exc:
                self.error(line, "customer_phone", str(exc), order)
        order.carrier, order.tracking_code = carrier_raw.lower(), tracking_raw
        for column, message in deliveries.cell_problems(order.carrier, tracking_raw, order.status):
            self.error(line, column, message, order)

    def _resolve(self) -> None:
        orders = list(self.orders.values())
        channels = sales_bulk.channel_ids()
        stores = sales_bulk.store_ids()
        for order in orders:
            channel_id = channels.get(order.channel)
            if channel_id is None:
                known = ", ".join(sorted(channels)) or "none yet"
                self.error(order.first_line, "channel", f"unknown channel '{order.channel}' (known: {known})", order)
            else:
                order.channel_id = channel_id
            if order.store:
                store_id = stores.get(order.store)
                if store_id is None:
                    self.error(order.first_line, "store", f"unknown store '{order.store}'", order)
                order.store_id = store_id
        for order, column, message in deliveries.carrier_problems(orders):
            self.error(order.first_line, column, message, order)
        lines = [line for order in orders for line in order.lines]
        products = catalog_bulk.product_refs({line.sku for line in lines})
        serials = {line.serial for line in lines if line.serial}
        by_serial, by_imei = catalog_bulk.units_by_serial_or_imei(
            serials=serials, imeis={line.imei for line in lines if line.imei}
        )
        sales = sales_bulk.unit_sales([u.id for u in by_serial.values()])
        for order in orders:
            for item in order.lines:
                self._resolve_line(order, item, products, by_serial, by_imei, sales)

    def _resolve_line(
        self,
        order: _Order,
        item: _Line,
        products: dict[str, catalog_bulk.ProductRef],
        by_serial: dict[str, catalog_bulk.UnitRef],
        by_imei: dict[str, catalog_bulk.UnitRef],
        sales: dict[int, tuple[int, str | None, str]],
    ) -> None:
        product = products.get(item.sku)
        if product is None:
            self.error(item.line, "sku", f"unknown SKU '{item.sku}'", order)
            return
        item.product_id = product.id
        if item.unit_price == NO_PRICE:
            item.unit_price = product.price
        if not item.serial:
            return
        if not product.is_serialized:
            self.error(item.line, "serial", f"product {item.sku} is not tracked by serial number", order)
            return
        unit = by_serial.get(item.serial)
        owner = by_imei.get(item.imei) if item.imei else None
        if owner is not None and owner.serial != item.serial:
            self.error(item.line, "imei", f"IMEI {item.imei} belongs to serial {owner.serial}", order)
            return
        if unit is None:
            return
        if unit.product_id != product.id:
            self.error(item.line, "serial", f"serial {item.serial} is a unit of another product", order)
            return
        if item.imei and unit.imei and unit.imei != item.imei:
            self.error(item.line, "imei", f"serial {item.serial} has IMEI {unit.imei}, not {item.imei}", order)
            return
        item.unit_id = unit.id
        sale = sales.get(unit.id)
        if sale is not None and (sale[0], sale[1]) != (order.channel_id, order.external_id):
            self.error(item.line, "serial", f"serial {item.serial} was already sold on order {sale[2]}", order)

    def _check_existing(self, orders: list[_Order]) -> None:
        stored = sales_bulk.find_orders({(o.channel_id, o.external_id) for o in orders})
        without_hash = [s.id for s in stored.values() if not s.content_hash]
        computed = sales_bulk.stored_fingerprints(without_hash) if without_hash else {}
        uses = deliveries.tracking_code_uses(orders)
        for order in orders:
            assert order.placed_at is not None
            fingerprint = sales_bulk.order_fingerprint(
                channel=order.channel,
                external_id=order.external_id,
                placed_at=order.placed_at,
                status=order.status,
                customer_phone=order.phone,
                store=order.store,
                delivered_at=order.delivered_at,
                lines=[(i.sku, i.quantity, i.unit_price, i.serial, i.imei) for i in order.lines],
            )
            existing = stored.get((order.channel_id, order.external_id))
            if order.tracking_code:
                use = uses.get((order.carrier, order.tracking_code))
                taken = deliveries.taken_by(use, existing.code if existing else None)
                if taken:
                    message = f"tracking code {order.tracking_code} of {order.carrier} is already used by {taken}"
                    self.error(order.first_line, "tracking_code", message, order)
                    continue
            if existing is None:
                self._plan(order, fingerprint)
            elif (existing.content_hash or computed.get(existing.id)) == fingerprint:
                self.result.unchanged += 1
                if order.tracking_code and use is None:
                    self.stored_deliveries.append((existing.code, order.carrier, order.tracking_code))
            else:
                self.error(
                    order.first_line,
                    "external_id",
                    f"conflict: order {order.channel}/{order.external_id} is already stored as {existing.code} "
                    "with different content",
                    order,
                )
        self.result.created = len(self.to_create)

    def _plan(self, order: _Order, fingerprint: str) -> None:
        assert order.placed_at is not None
        plan = sales_bulk.OrderRecord(
            channel_id=order.channel_id,
            external_id=order.external_id,
            customer_id=0,
            placed_at=order.placed_at,
            status=order.status,
            content_hash=fingerprint,
            store_id=order.store_id,
            delivered_at=order.delivered_at,
            lines=order.lines,
        )
        self.to_create.append((plan, order))
        self.new_people.setdefault(order.phone, order.name)
        for item in order.lines:
            if item.serial and item.unit_id is None:
                self.new_units[item.serial] = (item.product_id, item.serial, item.imei or None)
            elif item.unit_id is not None:
                self.sold_units.add(item.unit_id)

    def write(self) -> list[tuple[sales_bulk.OrderRecord, str]]:
        """Create the missing customers and units, then the orders; returns (order, phone) created."""
        phones = {order.phone for _, order in self.to_create}
        known = customers_bulk.customer_ids_by_phone(phones)
        missing = {phone: self.new_people[phone] for phone in phones if phone not in known}
        known.update(customers_bulk.create_customers_for_phones(people=missing))
        progress.report("write", 1, 3, force=True)
        unit_ids = catalog_bulk.record_sold_units(new_units=list(self.new_units.values()), sold_ids=self.sold_units)
        progress.report("write", 2, 3, force=True)
        for plan, order in self.to_create:
            plan.customer_id = known[order.phone]
            for item in order.lines:
                if item.serial and item.unit_id is None:
                    item.unit_id = unit_ids[item.serial]
        plans = [plan for plan, _ in self.to_create]
        sales_bulk.create_orders(records=plans)
        to_register = [(plan.code, o.carrier, o.tracking_code) for plan, o in self.to_create if o.tracking_code]
        to_register += self.stored_deliveries
        if to_register:
            self.result.extra["shipments_created"] = register_imported_deliveries(
                actor=self.actor, deliveries=to_register
            )
        self.result.created = len(plans)
        self.result.rows_imported = sum(len(p.lines) for p in plans)
        self.result.extra["customers_created"] = len(missing)
        self.result.extra["units_created"] = len(unit_ids)
        return [(plan, order.phone) for plan, order in self.to_create]
