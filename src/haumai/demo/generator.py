"""The pure demo generator, block by block: customers, identities, addresses, consent, units, orders.

`BlockGenerator(plan).block(b)` makes customers b*BLOCK .. (b+1)*BLOCK-1 and everything hanging off
them as plain row tuples with *local* ids (0, 1, 2 ... within the block) and without codes. A block
depends only on the plan and its number (own random stream, serial numbers from a per-block range,
phone/e-mail/Zalo numbers from bijections of the customer index), so blocks can be generated in any
order or in parallel processes; demo.assembly then gives them database ids and codes in order.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from haumai.demo import affinity, names
from haumai.demo.identifiers import (
    AffinePermutation,
    EmailNumbers,
    PhoneNumbers,
    make_imei,
    make_serial,
    marketplace_order_id,
)
from haumai.demo.names import WeightedChoice, between, choose
from haumai.demo.plan import Plan, ProductRef
from haumai.demo.timeline import LOCAL_OFFSET, Timeline
from haumai.demo.writer import ADDRESS, CONSENT, CUSTOMER, IDENTITY, ORDER, ORDER_LINE, UNIT, Rows

DAY = dt.timedelta(days=1)
BLOCK = 1_000  # customers per block (and per random stream)
PEOPLE_POOL = 65_536
STREET_POOL = 16_384
BLOCK_TABLES = (CUSTOMER, IDENTITY, ADDRESS, CONSENT, UNIT, ORDER, ORDER_LINE)

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
    "website": {"cod": 45, "bank_transfer": 20, "vnpay": 20, "momo": 10, "card": 5},
    "shopee": {"cod": 50, "shopeepay": 35, "card": 10, "bank_transfer": 5},
    "lazada": {"cod": 60, "card": 20, "bank_transfer": 20},
    "tiktok-shop": {"cod": 70, "card": 15, "bank_transfer": 15},
    "phone": {"cod": 75, "bank_transfer": 25},
}
CANCEL_RATE = {"store": 0.01, "website": 0.04, "shopee": 0.05, "lazada": 0.05, "tiktok-shop": 0.06, "phone": 0.04}
# Orders per customer: mean ~1.55, a few loyal customers buy many times.
ORDER_COUNTS = [(0, 4.0), (1, 62.0), (2, 20.0), (3, 8.0), (4, 3.5), (5, 1.5), (7, 1.0)]
LINE_COUNTS = [(1, 70.0), (2, 22.0), (3, 8.0)]
MAX_LINES = 3  # companions (demo.affinity) fill an order up to this many lines
MAX_ORDERS_PER_BLOCK = BLOCK * 7
# Serial numbers: each block numbers its units of a product from its own range of this size
# (at most 7 orders x 3 lines per customer fit); range 0 is the opening stock.
UNITS_PER_BLOCK_RANGE = 22_000
# Age at sign-up: most buyers are 22-40.
AGE_WEIGHTS = [(age, 1.0 + 9.0 * max(0.0, 1 - abs(age - 30) / 14)) for age in range(18, 71)]


@dataclass
class Block:
    """One block of generated rows with local ids, plus what assembly needs for codes."""

    index: int
    rows: Rows
    customer_years: list[int] = field(default_factory=list)
    order_years: list[int] = field(default_factory=list)


class BlockGenerator:
    """Generates blocks of customers and everything that hangs off them (pure, no database)."""

    def __init__(self, plan: Plan) -> None:
        if plan.customers > PhoneNumbers.capacity:
            raise ValueError("too many customers for the phone number space")
        self.plan = plan
        self.timeline = Timeline(plan.now, plan.months)
        self.phones = PhoneNumbers(plan.seed)
        self.email_numbers = EmailNumbers(plan.seed, plan.customers)
        self.zalo_ids = AffinePermutation(10**15, random.Random(f"zalo:{plan.seed}"))
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
        self.by_sku = {p.sku: p for p in plan.products}
        purifiers = [(p, p.popularity) for p in plan.products if p.department == "purifier"]
        self.purifiers = WeightedChoice(purifiers) if purifiers else None
        self.accessories = [p for p in plan.products if p.department == "accessory"]
        self.payments = {channel: WeightedChoice(list(weights.items())) for channel, weights in PAYMENT_WEIGHTS.items()}
        self.order_counts = WeightedChoice(ORDER_COUNTS)
        self.line_counts = WeightedChoice(LINE_COUNTS)
        self.ages = WeightedChoice(AGE_WEIGHTS)
        # Pools drawn once per seed: picking from them is much cheaper than composing every time,
        # and 65,536 people / 16,384 streets are more variety than any demo screen shows.
        pool_rng = random.Random(f"pools:{plan.seed}")
        self.people = []
        for _ in range(PEOPLE_POOL):
            person = names.make_person(pool_rng)
            self.people.append((person, person.full_name, names.name_search_key(person.full_name)))
        self.streets = [names.make_street(pool_rng) for _ in range(STREET_POOL)]

    @property
    def blocks(self) -> int:
        """How many blocks the plan's population needs."""
        return -(-self.plan.customers // BLOCK)

    def block(self, index: int) -> Block:
        """Rows for customers index*BLOCK .. min((index+1)*BLOCK, customers)-1, with local ids."""
        first = index * BLOCK
        count = min(BLOCK, self.plan.customers - first)
        if count <= 0:
            raise ValueError(f"block {index} is outside the population")
        rng = random.Random(f"demo:{self.plan.seed}:{first}")
        block = Block(index=index, rows={table.name: [] for table in BLOCK_TABLES})
        rows = block.rows
        customers, identities = rows[CUSTOMER.name], rows[IDENTITY.name]
        addresses, consents = rows[ADDRESS.name], rows[CONSENT.name]
        population = self.plan.customers
        pending_orders: list[tuple[int, str, dt.datetime, str]] = []
        for customer_id in range(count):
            customer_index = first + customer_id
            person, full_name, name_key = choose(rng, self.people)
            quantile = (customer_index + rng.random()) / population
            created_at = self.timeline.at(quantile)
            block.customer_years.append((created_at + LOCAL_OFFSET).year)
            phone = self.phones(customer_index)
            email = names.make_email(rng, person, self.email_numbers(customer_index)) if rng.random() < 0.35 else None
            birth_date = None
            if rng.random() < 0.85:
                age = self.ages.pick(rng)
                birth_date = (created_at + LOCAL_OFFSET).date() - dt.timedelta(days=age * 365 + int(rng.random() * 365))
            has_zalo = rng.random() < 0.3
            preferred = "zalo" if has_zalo else ("email" if email and rng.random() < 0.4 else "sms")
            customers.append((
                customer_id, "", full_name, name_key, phone, email, birth_date,
                person.gender, "vi", preferred, None, created_at, created_at,
            ))
            verified = created_at if rng.random() < 0.7 else None
            identity_id = len(identities)
            identities.append((identity_id, customer_id, "phone", phone, verified, created_at))
            if email:
                identity_id += 1
                identities.append((identity_id, customer_id, "email", email.lower(), None, created_at))
            if has_zalo:
                identity_id += 1
                zalo_user_id = f"41{self.zalo_ids(customer_index):017d}"
                identities.append((identity_id, customer_id, "zalo", zalo_user_id, created_at, created_at))
            province = self.provinces.pick(rng)
            addresses.append((
                customer_id, customer_id, names.address_label(rng), full_name, phone,
                choose(rng, self.streets), choose(rng, province.ward_ids) if province.ward_ids else None,
                province.code, True,
            ))
            self._consents(rng, consents, customer_id, created_at, email is not None, has_zalo)
            order_count = self.order_counts.pick(rng)
            if order_count:
                region = province.region
                pending_orders.extend(self._orders(rng, customer_id, quantile, created_at, region, order_count))
        self._finish_orders(rng, block, pending_orders)
        return block

    @staticmethod
    def _consents(
        rng: random.Random, consents: list[tuple[Any, ...]], customer_id: int, moment: dt.datetime,
        has_email: bool, has_zalo: bool,
    ) -> None:
        next_id = len(consents)
        consents.append((next_id, customer_id, "service", "sms", True, "checkout", moment))
        consents.append((next_id + 1, customer_id, "service", "zalo", True, "checkout", moment))
        next_id += 2
        roll = rng.random()
        if roll < 0.45 or (has_zalo and roll < 0.7):
            consents.append((next_id, customer_id, "marketing", "zalo", True, "checkout", moment))
            next_id += 1
        elif roll < 0.75:
            consents.append((next_id, customer_id, "marketing", "zalo", False, "checkout", moment))
            next_id += 1
        if has_email:
            consents.append((next_id, customer_id, "marketing", "email", rng.random() < 0.5, "checkout", moment))

    def _orders(
        self, rng: random.Random, customer_id: int, quantile: float, created_at: dt.datetime, region: str, count: int
    ) -> list[tuple[int, str, dt.datetime, str]]:
        """Orders of one customer (first at sign-up, repeats later), without ids yet."""
        moments = [created_at + dt.timedelta(seconds=between(rng, 30, 900))]
        for _ in range(count - 1):
            moments.append(self.timeline.at(quantile + rng.random() * (1.0 - quantile)))
        moments = sorted(min(moment, self.timeline.now) for moment in moments)
        home_channel = self.channels.pick(rng)
        return [
            (customer_id, home_channel if rng.random() < 0.6 else self.channels.pick(rng), placed_at, region)
            for placed_at in moments
        ]

    def _finish_orders(
        self, rng: random.Random, block: Block, pending: list[tuple[int, str, dt.datetime, str]]
    ) -> None:
        """Statuses, lines and sold units of the block's orders."""
        plan, now = self.plan, self.timeline.now
        unit_counters: dict[int, int] = {}
        # Companions and follow-ups (demo.affinity) draw from their own stream: the main one stays as it was.
        side = random.Random(f"affinity:{plan.seed}:{block.index}")
        later: list[tuple[int, str, Any, dt.datetime, ProductRef]] = []
        for order_id, (customer_id, channel, placed_at, region) in enumerate(pending):
            store_id = plan.stores.get(region) if channel == "store" else None
            status, delivered_at = self._status(rng, channel, placed_at, now)
            department_picker = self.departments[channel]
            total = 0
            bought: list[ProductRef] = []
            for _ in range(self.line_counts.pick(rng)):
                product: ProductRef = self.products[department_picker.pick(rng)].pick(rng)
                bought.append(product)
                total += self._line(rng, block, order_id, product, channel, status, placed_at, unit_counters)
            total += self._companion_lines(side, block, order_id, bought, channel, status, placed_at, unit_counters)
            self._order_row(
                rng, block, order_id, customer_id, channel, store_id, status, placed_at, delivered_at, total
            )
            if status != "cancelled":
                later.extend((customer_id, channel, store_id, placed_at, p) for p in bought)
        self._later_orders(side, block, later, unit_counters)

    def _line(
        self, rng: random.Random, block: Block, order_id: int, product: ProductRef, channel: str, status: str,
        placed_at: dt.datetime, unit_counters: dict[int, int], quantity: int | None = None,
    ) -> int:
        """Append one order line (and its sold unit when serialised); return the line total."""
        units, lines = block.rows[UNIT.name], block.rows[ORDER_LINE.name]
        if quantity is None:
            quantity = 1 if product.is_serialized else choose(rng, (1, 1, 1, 2, 2, 3))
        unit_price = self._price(rng, product.price, channel)
        unit_id = None
        if product.is_serialized and status != "cancelled":
            unit_id = len(units)
            counter = unit_counters.get(product.id, 0)
            unit_counters[product.id] = counter + 1
            received_at = placed_at - DAY * (2 + 58 * rng.random())
            units.append(self.unit_row(unit_id, product, block.index + 1, counter, "sold", received_at))
        line_total = unit_price * quantity
        lines.append((len(lines), order_id, product.id, unit_id, quantity, unit_price, line_total))
        return line_total

    def _order_row(
        self, rng: random.Random, block: Block, order_id: int, customer_id: int, channel: str, store_id: Any,
        status: str, placed_at: dt.datetime, delivered_at: Any, total: int,
    ) -> None:
        # Marketplace ids come from a per-block ordinal range: unique without knowing other blocks.
        local_day = placed_at + LOCAL_OFFSET
        first_ordinal = block.index * MAX_ORDERS_PER_BLOCK + 1
        external_id = marketplace_order_id(channel, first_ordinal + order_id, f"{local_day:%y%m%d}")
        block.rows[ORDER.name].append((
            order_id, "", self.plan.channels[channel], external_id, customer_id, store_id, status,
            placed_at, delivered_at, total, self.payments[channel].pick(rng), "", placed_at,
            delivered_at or placed_at,
        ))
        block.order_years.append(local_day.year)

    def _companion_lines(
        self, side: random.Random, block: Block, order_id: int, bought: list[ProductRef], channel: str,
        status: str, placed_at: dt.datetime, unit_counters: dict[int, int],
    ) -> int:
        """Lines that go with what the order holds (demo.affinity), drawn from the side stream; their total."""
        extra: list[ProductRef] = []
        if self.purifiers and side.random() < (
            affinity.PURIFIER_WITH_APPLIANCE if any(p.department == "appliance" for p in bought)
            else affinity.PURIFIER_ANY_ORDER
        ):
            extra.append(self.purifiers.pick(side))
        for product in bought:
            for companion in affinity.companions(product.department, product.brand):
                target = self.by_sku.get(companion.sku)
                if target and side.random() < companion.same_order and target not in bought + extra:
                    extra.append(target)
        if self.accessories and side.random() < affinity.ACCESSORY_NOISE:
            noise = choose(side, self.accessories)
            if noise not in bought + extra:
                extra.append(noise)
        extra = extra[: max(0, MAX_LINES - len(bought))]
        bought.extend(extra)
        return sum(
            self._line(side, block, order_id, p, channel, status, placed_at, unit_counters, quantity=1) for p in extra
        )

    def _later_orders(
        self, side: random.Random, block: Block, kept: list[tuple[int, str, Any, dt.datetime, ProductRef]],
        unit_counters: dict[int, int],
    ) -> None:
        """Follow-up orders: a charger weeks after a phone, filter cartridges months after a purifier."""
        now = self.timeline.now
        for customer_id, channel, store_id, anchor_at, product in kept:
            for companion in affinity.companions(product.department, product.brand):
                target = self.by_sku.get(companion.sku)
                if target is None or side.random() >= companion.later:
                    continue
                placed_at = anchor_at + DAY * between(side, *companion.after_days) + dt.timedelta(hours=side.random())
                order_id = len(block.rows[ORDER.name])
                if placed_at >= now or order_id >= MAX_ORDERS_PER_BLOCK:
                    continue
                status, delivered_at = self._status(side, channel, placed_at, now)
                total = self._line(side, block, order_id, target, channel, status, placed_at, unit_counters, 1)
                self._order_row(side, block, order_id, customer_id, channel, store_id, status, placed_at,
                                delivered_at, total)  # fmt: skip

    @staticmethod
    def _status(rng: random.Random, channel: str, placed_at: dt.datetime, now: dt.datetime) -> tuple[str, Any]:
        # Always three draws, whatever the outcome: a later clock moves timestamps and statuses but
        # leaves the random stream (people, products, order counts) exactly as it was.
        cancel_roll, lag_roll, complete_roll = rng.random(), rng.random(), rng.random()
        if cancel_roll < CANCEL_RATE[channel]:
            return "cancelled", None
        fast = channel in ("store", "phone")
        delivered_at = placed_at + DAY * ((1 + 2 * lag_roll) if fast else (1.5 + 3.5 * lag_roll))
        if delivered_at > now:
            age = now - placed_at
            if age < dt.timedelta(hours=2):
                return "placed", None
            return ("confirmed" if age < DAY else "shipped"), None
        if now - delivered_at > dt.timedelta(days=30) and complete_roll < 0.95:
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

    def unit_row(
        self, unit_id: int, product: ProductRef, serial_range: int, counter: int, status: str, created_at: dt.datetime
    ) -> tuple[Any, ...]:
        """A serialised unit: the product's `counter`-th serial (and IMEI for phones) in a serial range."""
        if counter >= UNITS_PER_BLOCK_RANGE:
            raise ValueError("serial range exhausted")
        # Serials start somewhere in the middle, as a real production run would, after existing units.
        number = (
            product.unit_number_offset + self.plan.unit_counters.get(product.id, 0)
            + serial_range * UNITS_PER_BLOCK_RANGE + counter
        )
        imei = make_imei(product.product_number, number, product.imei_prefix) if product.imei_prefix else None
        return (unit_id, product.id, make_serial(product.serial_prefix, number), imei, status, created_at)
