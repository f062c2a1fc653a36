"""The pure demo generator: customers, identities, addresses, consent, units, orders, lines, events.

`CustomerGenerator(plan, allocate).chunk(first, count)` returns plain row tuples (see demo.writer)
for customers `first .. first+count-1`. No database access: ids come from the plan's offsets and
codes from the allocator, so the same seed and plan always give the same rows. Chunks must be
generated in order (ids and unit counters run on); each chunk has its own random stream.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from haumai.demo import names
from haumai.demo.identifiers import (
    AffinePermutation,
    EmailNumbers,
    PhoneNumbers,
    make_imei,
    make_serial,
    marketplace_order_id,
)
from haumai.demo.names import WeightedChoice, between, choose
from haumai.demo.plan import CodeAllocator, Plan, ProductRef
from haumai.demo.timeline import LOCAL_OFFSET, Timeline
from haumai.demo.writer import (
    ADDRESS,
    CONSENT,
    CUSTOMER,
    EVENT,
    IDENTITY,
    ORDER,
    ORDER_LINE,
    UNIT,
    Rows,
)

DAY = dt.timedelta(days=1)
BLOCK = 1_000  # customers per random stream
GENERATED_TABLES = (CUSTOMER, IDENTITY, ADDRESS, CONSENT, UNIT, ORDER, ORDER_LINE, EVENT)

CHANNEL_WEIGHTS = {"store": 30, "website": 18, "shopee": 20, "lazada": 9, "tiktok-shop": 13, "phone": 10}
DEPARTMENT_WEIGHTS = {
    "store": {"phone": 30, "laptop": 15, "appliance": 30, "fashion": 13, "cosmetics": 12},
    "website": {"phone": 30, "laptop": 20, "appliance": 25, "fashion": 12, "cosmetics": 13},
    "shopee": {"phone": 18, "laptop": 8, "appliance": 12, "fashion": 32, "cosmetics": 30},
    "lazada": {"phone": 22, "laptop": 12, "appliance": 16, "fashion": 25, "cosmetics": 25},
    "tiktok-shop": {"phone": 8, "laptop": 3, "appliance": 6, "fashion": 40, "cosmetics": 43},
    "phone": {"phone": 25, "laptop": 15, "appliance": 45, "fashion": 5, "cosmetics": 10},
}
PAYMENT_WEIGHTS = {
    "store": {"cash": 35, "card": 25, "bank_transfer": 20, "installment": 12, "momo": 8},
    "website": {"cod": 45, "bank_transfer": 20, "vnpay": 15, "momo": 10, "zalopay": 5, "card": 5},
    "shopee": {"cod": 50, "shopeepay": 35, "card": 10, "bank_transfer": 5},
    "lazada": {"cod": 60, "card": 20, "bank_transfer": 20},
    "tiktok-shop": {"cod": 70, "card": 15, "bank_transfer": 15},
    "phone": {"cod": 75, "bank_transfer": 25},
}
CANCEL_RATE = {"store": 0.01, "website": 0.04, "shopee": 0.05, "lazada": 0.05, "tiktok-shop": 0.06, "phone": 0.04}
# Orders per customer: mean ~1.55, a few loyal customers buy many times.
ORDER_COUNTS = [(0, 4.0), (1, 62.0), (2, 20.0), (3, 8.0), (4, 3.5), (5, 1.5), (7, 1.0)]
LINE_COUNTS = [(1, 70.0), (2, 22.0), (3, 8.0)]
# Age at sign-up: most buyers are 22-40.
AGE_WEIGHTS = [(age, 1.0 + 9.0 * max(0.0, 1 - abs(age - 30) / 14)) for age in range(18, 71)]


class CustomerGenerator:
    """Generates customers and everything that hangs off them, chunk by chunk."""

    def __init__(self, plan: Plan, allocate: CodeAllocator) -> None:
        if plan.customers > PhoneNumbers.capacity:
            raise ValueError("too many customers for the phone number space")
        self.plan = plan
        self.allocate = allocate
        self.timeline = Timeline(plan.now, plan.months)
        self.phones = PhoneNumbers(plan.seed)
        self.email_numbers = EmailNumbers(plan.seed, plan.customers)
        self.zalo_ids = AffinePermutation(10**15, random.Random(f"zalo:{plan.seed}"))
        self.next_id = dict(plan.first_ids)
        self.unit_counters = dict(plan.unit_counters)
        self.provinces = WeightedChoice([(province, province.weight) for province in plan.provinces])
        self.channels = WeightedChoice([(code, w) for code, w in CHANNEL_WEIGHTS.items() if code in plan.channels])
        by_department: dict[str, list[ProductRef]] = {}
        for product in plan.products:
            by_department.setdefault(product.department, []).append(product)
        self.products = {
            department: WeightedChoice([(p, p.popularity) for p in products])
            for department, products in by_department.items()
        }
        self.departments = {
            channel: WeightedChoice([(dep, w) for dep, w in weights.items() if dep in self.products])
            for channel, weights in DEPARTMENT_WEIGHTS.items()
        }
        self.payments = {channel: WeightedChoice(list(weights.items())) for channel, weights in PAYMENT_WEIGHTS.items()}
        self.order_counts = WeightedChoice(ORDER_COUNTS)
        self.line_counts = WeightedChoice(LINE_COUNTS)
        self.ages = WeightedChoice(AGE_WEIGHTS)

    def take_ids(self, table: str, count: int) -> int:
        """Reserve `count` consecutive ids of a table."""
        first = self.next_id[table]
        self.next_id[table] = first + count
        return first

    def chunk(self, first: int, count: int) -> Rows:
        """Rows for customers with indexes first .. first+count-1 (0-based, generated in order).

        Work is done in blocks of BLOCK customers with a random stream per block, so the data does
        not depend on how callers split the population into chunks (as long as chunks start on a
        block boundary).
        """
        if first % BLOCK:
            raise ValueError(f"chunks must start at a multiple of {BLOCK}")
        rows: Rows = {table.name: [] for table in GENERATED_TABLES}
        for block_first in range(first, first + count, BLOCK):
            block = self._block(block_first, min(BLOCK, first + count - block_first))
            for name, block_rows in block.items():
                rows[name].extend(block_rows)
        return rows

    def _block(self, first: int, count: int) -> Rows:
        rng = random.Random(f"demo:{self.plan.seed}:{first}")
        rows: Rows = {table.name: [] for table in GENERATED_TABLES}
        customers: list[list[Any]] = []
        identities, addresses = rows[IDENTITY.name], rows[ADDRESS.name]
        consents = rows[CONSENT.name]
        population = self.plan.customers
        # Orders are collected first; codes are reserved per calendar year once the chunk is known.
        pending_orders: list[list[Any]] = []
        customer_years: list[int] = []
        first_customer_id = self.take_ids(CUSTOMER.name, count)
        for offset in range(count):
            index = first + offset
            customer_id = first_customer_id + offset
            person = names.make_person(rng)
            full_name = person.full_name
            quantile = (index + rng.random()) / population
            created_at = self.timeline.at(quantile)
            customer_years.append((created_at + LOCAL_OFFSET).year)
            phone = self.phones(index)
            email = names.make_email(rng, person, self.email_numbers(index)) if rng.random() < 0.35 else None
            birth_date = None
            if rng.random() < 0.85:
                age = self.ages.pick(rng)
                birth_date = (created_at + LOCAL_OFFSET).date() - dt.timedelta(days=age * 365 + int(rng.random() * 365))
            has_zalo = rng.random() < 0.3
            preferred = "zalo" if has_zalo else ("email" if email and rng.random() < 0.4 else "sms")
            customers.append([
                customer_id, "", full_name, names.name_search_key(full_name), phone, email, birth_date,
                person.gender, "vi", preferred, None, created_at, created_at,
            ])
            verified = created_at if rng.random() < 0.7 else None
            identity_id = self.take_ids(IDENTITY.name, 1 + (email is not None) + has_zalo)
            identities.append((identity_id, customer_id, "phone", phone, verified, created_at))
            if email:
                identity_id += 1
                identities.append((identity_id, customer_id, "email", email.lower(), None, created_at))
            if has_zalo:
                identity_id += 1
                zalo_user_id = f"41{self.zalo_ids(index):017d}"
                identities.append((identity_id, customer_id, "zalo", zalo_user_id, created_at, created_at))
            province = self.provinces.pick(rng)
            addresses.append((
                self.take_ids(ADDRESS.name, 1), customer_id, names.address_label(rng), full_name, phone,
                names.make_street(rng), choose(rng, province.ward_ids) if province.ward_ids else None,
                province.code, True,
            ))
            consents.extend(self._consents(rng, customer_id, created_at, email is not None, has_zalo))
            order_count = self.order_counts.pick(rng)
            pending_orders.extend(self._orders(rng, customer_id, quantile, created_at, province.region, order_count))
        self._assign_customer_codes(rows, customers, customer_years, first)
        self._finish_orders(rng, rows, pending_orders)
        return rows

    def _assign_customer_codes(self, rows: Rows, customers: list[Any], years: list[int], first: int) -> None:
        finished = []
        events = rows[EVENT.name]
        for offset, (row, code) in enumerate(zip(customers, self.allocate("CUS", years), strict=True)):
            row[1] = code
            finished.append(tuple(row))
            if self._has_timeline(first + offset):
                customer_id, created_at = row[0], row[11]
                events.append((
                    self.take_ids(EVENT.name, 1), "customer.created", created_at, customer_id, "customers.customer",
                    str(customer_id), None, "demo", {"code": code}, None, created_at,
                ))
        rows[CUSTOMER.name] = finished

    def _consents(
        self, rng: random.Random, customer_id: int, moment: dt.datetime, has_email: bool, has_zalo: bool
    ) -> list[tuple[Any, ...]]:
        source = "checkout"
        wanted: list[tuple[str, str, bool]] = [("service", "sms", True), ("service", "zalo", True)]
        roll = rng.random()
        if roll < 0.45 or (has_zalo and roll < 0.7):
            wanted.append(("marketing", "zalo", True))
        elif roll < 0.75:
            wanted.append(("marketing", "zalo", False))
        if has_email:
            wanted.append(("marketing", "email", rng.random() < 0.5))
        first = self.take_ids(CONSENT.name, len(wanted))
        return [
            (first + i, customer_id, purpose, channel, granted, source, moment)
            for i, (purpose, channel, granted) in enumerate(wanted)
        ]

    def _orders(
        self, rng: random.Random, customer_id: int, quantile: float, created_at: dt.datetime, region: str, count: int
    ) -> list[list[Any]]:
        """Orders of one customer (first at sign-up, repeats later), without ids and codes yet."""
        if not count:
            return []
        moments = [created_at + dt.timedelta(seconds=between(rng, 30, 900))]
        for _ in range(count - 1):
            moments.append(self.timeline.at(quantile + rng.random() * (1.0 - quantile)))
        moments = sorted(min(moment, self.timeline.now) for moment in moments)
        home_channel = self.channels.pick(rng)
        orders = []
        for placed_at in moments:
            channel = home_channel if rng.random() < 0.6 else self.channels.pick(rng)
            orders.append([customer_id, channel, placed_at, region])
        return orders

    def _has_timeline(self, index: int) -> bool:
        """Whether a customer (by index) gets timeline events: the oldest and the newest ones."""
        return index < self.plan.event_customers or index >= self.plan.customers - self.plan.event_customers

    def _finish_orders(self, rng: random.Random, rows: Rows, pending: list[list[Any]]) -> None:
        """Give orders ids, codes, statuses, lines and units; add timeline events for some customers."""
        plan, now = self.plan, self.timeline.now
        orders, lines, units, events = rows[ORDER.name], rows[ORDER_LINE.name], rows[UNIT.name], rows[EVENT.name]
        codes = self.allocate("ORD", [(placed_at + LOCAL_OFFSET).year for _, _, placed_at, _ in pending])
        first_order_id = self.take_ids(ORDER.name, len(pending))
        first_customer_id = plan.first_ids[CUSTOMER.name]
        next_id, unit_table, line_table = self.next_id, UNIT.name, ORDER_LINE.name
        for position, (customer_id, channel, placed_at, region) in enumerate(pending):
            order_id = first_order_id + position
            store_id = plan.stores.get(region) if channel == "store" else None
            status, delivered_at = self._status(rng, channel, placed_at, now)
            department_picker = self.departments[channel]
            total = 0
            for _ in range(self.line_counts.pick(rng)):
                product: ProductRef = self.products[department_picker.pick(rng)].pick(rng)
                quantity = 1 if product.is_serialized else choose(rng, (1, 1, 1, 2, 2, 3))
                unit_price = self._price(rng, product.price, channel)
                unit_id = None
                if product.is_serialized and status != "cancelled":
                    unit_id = next_id[unit_table]
                    next_id[unit_table] = unit_id + 1
                    units.append(self.unit_row(unit_id, product, "sold", placed_at - DAY * (2 + 58 * rng.random())))
                line_total = unit_price * quantity
                total += line_total
                line_id = next_id[line_table]
                next_id[line_table] = line_id + 1
                lines.append((line_id, order_id, product.id, unit_id, quantity, unit_price, line_total))
            # From the order's ordinal, not its database id: same seed, same ids on any database.
            ordinal = order_id - plan.first_ids[ORDER.name] + 1
            external_id = marketplace_order_id(channel, ordinal, f"{placed_at + LOCAL_OFFSET:%y%m%d}")
            payment = self.payments[channel].pick(rng)
            updated_at = delivered_at or placed_at
            orders.append((
                order_id, codes[position], plan.channels[channel], external_id, customer_id, store_id, status,
                placed_at, delivered_at, total, payment, "", placed_at, updated_at,
            ))
            if self._has_timeline(customer_id - first_customer_id):
                events.extend(self._order_events(
                    customer_id, order_id, codes[position], channel, total, status, placed_at, delivered_at
                ))

    @staticmethod
    def _status(rng: random.Random, channel: str, placed_at: dt.datetime, now: dt.datetime) -> tuple[str, Any]:
        if rng.random() < CANCEL_RATE[channel]:
            return "cancelled", None
        fast = channel in ("store", "phone")
        delivered_at = placed_at + DAY * ((1 + 2 * rng.random()) if fast else (1.5 + 3.5 * rng.random()))
        if delivered_at > now:
            age = now - placed_at
            if age < dt.timedelta(hours=2):
                return "placed", None
            return ("confirmed" if age < DAY else "shipped"), None
        if now - delivered_at > dt.timedelta(days=30) and rng.random() < 0.95:
            return "completed", delivered_at
        return "delivered", delivered_at

    @staticmethod
    def _price(rng: random.Random, list_price: int, channel: str) -> int:
        roll = rng.random()
        if channel == "store":
            discount = 0.0 if roll < 0.7 else choose(rng, (0.03, 0.05))
        elif channel in ("shopee", "lazada", "tiktok-shop"):
            discount = 0.0 if roll < 0.35 else choose(rng, (0.03, 0.05, 0.08, 0.1, 0.12, 0.15))
        else:
            discount = 0.0 if roll < 0.6 else choose(rng, (0.03, 0.05, 0.1))
        return int(round(list_price * (1 - discount), -3))

    def unit_row(self, unit_id: int, product: ProductRef, status: str, created_at: dt.datetime) -> tuple[Any, ...]:
        """A serialised unit with the product's next serial (and IMEI for phones)."""
        counter = self.unit_counters.get(product.id, 0)
        self.unit_counters[product.id] = counter + 1
        # Serial ranges start somewhere in the middle, as a real production run would.
        number = product.unit_number_offset + counter
        imei = make_imei(product.product_number, number, product.imei_prefix) if product.imei_prefix else None
        return (unit_id, product.id, make_serial(product.serial_prefix, number), imei, status, created_at)

    def _order_events(
        self, customer_id: int, order_id: int, code: str, channel: str, total: int, status: str,
        placed_at: dt.datetime, delivered_at: dt.datetime | None,
    ) -> list[tuple[Any, ...]]:
        payload = {"code": code, "channel": channel, "total": total}
        wanted: list[tuple[str, dt.datetime, dict[str, Any]]] = [("order.created", placed_at, payload)]
        if delivered_at is not None:
            wanted.append(("order.delivered", delivered_at, {"code": code}))
        elif status == "cancelled":
            cancelled_at = min(placed_at + dt.timedelta(hours=3), self.timeline.now)
            wanted.append(("order.cancelled", cancelled_at, {"code": code}))
        first = self.take_ids(EVENT.name, len(wanted))
        return [
            (first + i, name, moment, customer_id, "sales.order", str(order_id), None, "demo", data, None, moment)
            for i, (name, moment, data) in enumerate(wanted)
        ]
