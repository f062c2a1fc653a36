"""Demo loyalty data: points earned on every delivered order (with the tier multiplier of the time), some
spends at checkout (FIFO), lots that expired, tiers, a birthday campaign with codes and redemptions, a shared
code and a points-for-voucher offer, a cashback rule with released and pending cashback. Deterministic per
seed; bulk inserts, so large demos stay fast."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from django.db import transaction

from haumai.core import clock
from haumai.customers.models import Customer
from haumai.events.models import Event
from haumai.loyalty import conf
from haumai.loyalty.models import (
    CampaignPurpose,
    Cashback,
    CashbackRule,
    CashbackStatus,
    CodeKind,
    DiscountKind,
    EarnRule,
    EntryKind,
    Membership,
    PointsAllocation,
    PointsEntry,
    RuleScope,
    Voucher,
    VoucherCampaign,
    VoucherRedemption,
    VoucherSource,
)
from haumai.loyalty.services.vouchers import CODE_ALPHABET, discount_for
from haumai.payments.models import StoreCreditEntry, StoreCreditKind
from haumai.sales.models import Order, OrderStatus

BATCH = 5_000
SPEND_SHARE = 0.3
EVENTS_FOR_LATEST = 300


class _Lot:
    __slots__ = ("entry", "left")

    def __init__(self, entry: PointsEntry) -> None:
        self.entry, self.left = entry, entry.points


def _code(rng: random.Random, prefix: str) -> str:
    return f"{prefix}-{''.join(rng.choice(CODE_ALPHABET) for _ in range(8))}"


def seed_loyalty(*, seed: int) -> dict[str, int]:
    """Ledgers, memberships and vouchers for the demo customers (skipped when any ledger entry exists)."""
    if PointsEntry.objects.exists():
        return {}
    rng = random.Random(seed * 17 + 3)
    now = clock.now()
    vnd_per_point = conf.default_vnd_per_point()
    EarnRule.objects.get_or_create(
        name="Tích điểm mọi sản phẩm", defaults={"scope": RuleScope.ALL, "vnd_per_point": vnd_per_point}
    )
    orders = (
        Order.objects.filter(
            status__in=(OrderStatus.DELIVERED, OrderStatus.COMPLETED), delivered_at__isnull=False, delivered_at__lte=now
        )
        .values_list("id", "code", "customer_id", "total", "delivered_at")
        .order_by("customer_id", "delivered_at", "id")
    )
    by_customer: dict[int, list[tuple[int, str, int, Any]]] = defaultdict(list)
    for order_id, code, customer_id, total, delivered_at in orders.iterator(chunk_size=BATCH):
        by_customer[customer_id].append((order_id, code, total, delivered_at))
    with transaction.atomic():
        counts = _write_ledgers(rng, by_customer, now, vnd_per_point)
        if not VoucherCampaign.objects.exists():
            counts.update(_write_vouchers(rng, now))
        if not CashbackRule.objects.exists():
            counts.update(_write_cashback(now))
    return counts


CASHBACK_DAYS = 90
CASHBACK_HOLD = dt.timedelta(days=31)  # the default policy takes defective items back for 30 days


def _write_cashback(now: dt.datetime) -> dict[str, int]:
    """A 2% cashback rule running for 90 days: orders delivered since hold it, the older ones already released
    as store credit (bulk inserts, as the release scan would have written them)."""
    rule = CashbackRule.objects.create(
        name="Hoàn tiền 2% vào ví", percent=2, cap_vnd=200_000, min_order_vnd=300_000,
        starts_at=now - dt.timedelta(days=CASHBACK_DAYS), ends_at=now + dt.timedelta(days=180), created_at=now,
    )  # fmt: skip
    orders = Order.objects.filter(
        status__in=(OrderStatus.DELIVERED, OrderStatus.COMPLETED),
        delivered_at__gte=rule.starts_at,
        delivered_at__lte=now,
        total__gte=rule.min_order_vnd,
    ).values_list("id", "code", "customer_id", "total", "delivered_at")
    rows: list[Cashback] = []
    credits: list[StoreCreditEntry] = []
    for order_id, code, customer_id, total, delivered_at in orders.order_by("delivered_at", "id").iterator(BATCH):
        amount = min(total * rule.percent // 100, rule.cap_vnd)
        assert delivered_at is not None
        local_day = delivered_at.astimezone(clock.LOCAL_TZ).date() + dt.timedelta(days=1)
        release_at = dt.datetime.combine(local_day, dt.time.min, tzinfo=clock.LOCAL_TZ) + CASHBACK_HOLD
        released = release_at <= now
        row = Cashback(
            customer_id=customer_id, order_id=order_id, rule=rule, base_vnd=total, earned_vnd=amount,
            amount_vnd=amount, status=CashbackStatus.RELEASED if released else CashbackStatus.PENDING,
            release_at=release_at, released_at=release_at if released else None, created_at=delivered_at,
        )  # fmt: skip
        if released:
            credits.append(StoreCreditEntry(
                customer_id=customer_id, amount_vnd=amount, kind=StoreCreditKind.CASHBACK, reference=code,
                idempotency_key=f"cashback-demo:{order_id}", created_at=release_at,
            ))  # fmt: skip
        rows.append(row)
    StoreCreditEntry.objects.bulk_create(credits, batch_size=BATCH)
    by_key = {entry.idempotency_key: entry for entry in credits}
    for row in rows:
        row.store_credit_entry = by_key.get(f"cashback-demo:{row.order_id}")
    Cashback.objects.bulk_create(rows, batch_size=BATCH)
    return {"loyalty_cashback": len(rows), "loyalty_cashback_released": len(credits)}


def _write_ledgers(
    rng: random.Random, by_customer: dict[int, list[Any]], now: dt.datetime, vnd_per_point: int
) -> dict[str, int]:
    period, window = conf.expiry_period(), conf.qualification_window()
    earns: list[PointsEntry] = []
    plans: dict[int, list[Any]] = {}
    memberships: list[Membership] = []
    for customer_id, rows in by_customer.items():
        tier = conf.TIERS[0]
        tier_since = rows[0][3]
        history: list[tuple[dt.datetime, int]] = []
        for order_id, code, total, delivered_at in rows:
            points = total // vnd_per_point * tier.multiplier_percent // 100
            history.append((delivered_at, total))
            if points > 0:
                earns.append(
                    PointsEntry(
                        customer_id=customer_id,
                        kind=EntryKind.EARN,
                        points=points,
                        spend_vnd=total,
                        order_id=order_id,
                        reference=code,
                        expires_at=delivered_at + period,
                        created_at=delivered_at,
                    )
                )
            spend = sum(amount for moment, amount in history if moment >= delivered_at - window)
            reached = conf.tier_for_spend(spend)
            if conf.rank(reached.code) > conf.rank(tier.code):
                tier, tier_since = reached, delivered_at
        current = conf.tier_for_spend(sum(amount for moment, amount in history if moment >= now - window))
        if conf.rank(current.code) < conf.rank(tier.code) and tier_since + conf.review_period() <= now:
            tier, tier_since = current, tier_since + conf.review_period()
        review = tier_since + conf.review_period()
        while review <= now:
            review += conf.review_period()
        memberships.append(Membership(customer_id=customer_id, tier=tier.code, tier_since=tier_since, review_at=review))
        plans[customer_id] = rows
    PointsEntry.objects.bulk_create(earns, batch_size=BATCH)
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    lots_by_customer: dict[int, list[_Lot]] = defaultdict(list)
    for entry in earns:
        lots_by_customer[entry.customer_id].append(_Lot(entry))
    consumers: list[tuple[PointsEntry, list[tuple[_Lot, int]]]] = []
    for customer_id in sorted(lots_by_customer):
        lots = lots_by_customer[customer_id]
        total = sum(lot.left for lot in lots)
        if total >= 150 and rng.random() < SPEND_SHARE:
            last = lots[-1].entry.created_at
            moment = min(now - dt.timedelta(hours=1), last + dt.timedelta(days=rng.randint(3, 40)))
            live = [
                lot
                for lot in lots
                if lot.entry.expires_at and lot.entry.expires_at > moment and lot.entry.created_at <= moment
            ]
            points = min(sum(lot.left for lot in live), rng.choice((50, 100, 150, 200, 300)))
            if points > 0:
                entry = PointsEntry(
                    customer_id=customer_id,
                    kind=EntryKind.SPEND,
                    points=-points,
                    reference=f"POS-{rng.randint(100000, 999999)}",
                    created_at=moment,
                )
                consumers.append((entry, _take(live, points)))
        expired = [lot for lot in lots if lot.left > 0 and lot.entry.expires_at and lot.entry.expires_at <= now]
        if expired:
            points = sum(lot.left for lot in expired)
            moment = max(lot.entry.expires_at for lot in expired if lot.entry.expires_at)
            entry = PointsEntry(customer_id=customer_id, kind=EntryKind.EXPIRY, points=-points, created_at=moment)
            consumers.append((entry, _take(expired, points)))
    PointsEntry.objects.bulk_create([entry for entry, _ in consumers], batch_size=BATCH)
    allocations = [
        PointsAllocation(consumer=entry, lot=lot.entry, points=taken)
        for entry, taken_from in consumers
        for lot, taken in taken_from
    ]
    PointsAllocation.objects.bulk_create(allocations, batch_size=BATCH)
    done = [lot.entry.pk for lots in lots_by_customer.values() for lot in lots if lot.left == 0]
    for start in range(0, len(done), BATCH):
        PointsEntry.objects.filter(pk__in=done[start : start + BATCH]).update(expiry_handled=True)
    latest = sorted(earns + [entry for entry, _ in consumers], key=lambda e: e.created_at)[-EVENTS_FOR_LATEST:]
    Event.objects.bulk_create([_event(entry) for entry in latest], batch_size=2000)
    return {
        "loyalty_pointsentry": len(earns) + len(consumers),
        "loyalty_membership": len(memberships),
        "loyalty_pointsallocation": len(allocations),
    }


def _take(lots: list[_Lot], points: int) -> list[tuple[_Lot, int]]:
    taken, remaining = [], points
    for lot in sorted(lots, key=lambda lot: (lot.entry.expires_at, lot.entry.created_at)):
        if remaining <= 0:
            break
        share = min(lot.left, remaining)
        if share:
            lot.left -= share
            remaining -= share
            taken.append((lot, share))
    return taken


def _event(entry: PointsEntry) -> Event:
    names = {
        EntryKind.EARN: "loyalty.points_earned",
        EntryKind.SPEND: "loyalty.points_spent",
        EntryKind.EXPIRY: "loyalty.points_expired",
    }
    payload: dict[str, Any] = {"points": abs(entry.points), "order": entry.reference, "reference": entry.reference}
    return Event(
        name=names[EntryKind(entry.kind)],
        occurred_at=entry.created_at,
        customer_id=entry.customer_id,
        subject_type="loyalty.pointsentry",
        subject_id=str(entry.pk),
        actor_label="system",
        payload=payload,
        dispatched_at=entry.created_at,
    )


def _write_vouchers(rng: random.Random, now: dt.datetime) -> dict[str, int]:
    year = now.astimezone(clock.LOCAL_TZ).year
    month_start = now.astimezone(clock.LOCAL_TZ).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    birthday = VoucherCampaign.objects.create(
        code=f"SINHNHAT-{year}",
        name=f"Quà sinh nhật {year}",
        code_kind=CodeKind.UNIQUE,
        discount_kind=DiscountKind.AMOUNT,
        amount_vnd=100_000,
        min_order_vnd=500_000,
        starts_at=month_start - dt.timedelta(days=60),
        ends_at=month_start + dt.timedelta(days=120),
        per_customer_limit=1,
        purpose=CampaignPurpose.BIRTHDAY,
        created_at=month_start - dt.timedelta(days=60),
    )
    welcome = VoucherCampaign.objects.create(
        code="CHAOHE",
        name="Chào hè - giảm 10%",
        code_kind=CodeKind.SHARED,
        discount_kind=DiscountKind.PERCENT,
        percent=10,
        max_discount_vnd=300_000,
        min_order_vnd=1_000_000,
        starts_at=now - dt.timedelta(days=20),
        ends_at=now + dt.timedelta(days=40),
        per_customer_limit=1,
        created_at=now - dt.timedelta(days=21),
    )
    for_points = VoucherCampaign.objects.create(
        code="DOIDIEM-50K",
        name="Đổi 500 điểm lấy voucher 50.000 ₫",
        code_kind=CodeKind.UNIQUE,
        discount_kind=DiscountKind.AMOUNT,
        amount_vnd=50_000,
        starts_at=now - dt.timedelta(days=90),
        ends_at=now + dt.timedelta(days=275),
        points_price=500,
        created_at=now - dt.timedelta(days=90),
    )
    apology = VoucherCampaign.objects.create(
        code="XINLOI",
        name="Xin lỗi vì sự bất tiện",
        code_kind=CodeKind.UNIQUE,
        discount_kind=DiscountKind.AMOUNT,
        amount_vnd=200_000,
        starts_at=now - dt.timedelta(days=180),
        ends_at=now + dt.timedelta(days=185),
        created_at=now - dt.timedelta(days=180),
    )
    shared = Voucher.objects.create(
        campaign=welcome, code="CHAOHE", source=VoucherSource.SHARED, issued_at=welcome.created_at
    )
    months = {
        (month_start - dt.timedelta(days=1)).month,
        month_start.month,
        (month_start + dt.timedelta(days=32)).month,
    }
    people = list(
        Customer.objects.filter(birth_date__month__in=months, merged_into__isnull=True)
        .values_list("id", "birth_date")
        .order_by("id")[:2000]
    )
    codes: set[str] = set()
    issued: list[Voucher] = []
    for customer_id, born in people:
        code = _code(rng, birthday.code)
        while code in codes:
            code = _code(rng, birthday.code)
        codes.add(code)
        moment = max(
            birthday.starts_at, dt.datetime(year, born.month if born else 1, 1, 1, tzinfo=dt.UTC) - dt.timedelta(days=3)
        )
        issued.append(
            Voucher(
                campaign=birthday,
                code=code,
                owner_id=customer_id,
                max_uses=1,
                source=VoucherSource.JOURNEY,
                issued_at=min(moment, now),
            )
        )
    Voucher.objects.bulk_create(issued, batch_size=BATCH)
    redemptions: list[VoucherRedemption] = []
    for voucher in issued:
        if voucher.issued_at < now - dt.timedelta(days=2) and rng.random() < 0.25:
            total = rng.choice((650_000, 890_000, 1_290_000, 2_450_000))
            redemptions.append(
                VoucherRedemption(
                    voucher=voucher,
                    campaign=birthday,
                    customer_id=voucher.owner_id or 0,
                    order_total_vnd=total,
                    order_reference=f"WEB-{rng.randint(100000, 999999)}",
                    discount_vnd=discount_for(birthday, total),
                    idempotency_key=f"demo:{voucher.code}",
                    created_at=voucher.issued_at + dt.timedelta(days=2),
                )
            )
    buyers = list(Customer.objects.filter(merged_into__isnull=True).values_list("id", flat=True).order_by("id")[:400])
    for index, customer_id in enumerate(rng.sample(buyers, min(25, len(buyers)))):
        total = rng.choice((1_200_000, 2_500_000, 5_990_000))
        redemptions.append(
            VoucherRedemption(
                voucher=shared,
                campaign=welcome,
                customer_id=customer_id,
                order_total_vnd=total,
                order_reference=f"POS-{rng.randint(100000, 999999)}",
                discount_vnd=discount_for(welcome, total),
                idempotency_key=f"demo:chaohe:{index}",
                created_at=now - dt.timedelta(days=rng.randint(1, 19)),
            )
        )
    VoucherRedemption.objects.bulk_create(redemptions, batch_size=BATCH)
    return {
        "loyalty_vouchercampaign": len((birthday, welcome, for_points, apology)),
        "loyalty_voucher": len(issued) + 1,
        "loyalty_voucherredemption": len(redemptions),
    }
