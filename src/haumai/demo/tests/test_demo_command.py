"""`haumai demo` against the real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Sum

from haumai.accounts.models import User
from haumai.catalog.models import Product, Unit
from haumai.core import clock
from haumai.core.codes import reset_codes
from haumai.core.phone import normalize_phone
from haumai.customers.models import Address, Consent, Customer, Identity, Province
from haumai.demo.identifiers import luhn_valid
from haumai.demo.parallel import can_fork
from haumai.demo.seed import seed_demo
from haumai.events.models import Event
from haumai.inventory.models import (
    ChannelAllocation,
    ChannelStock,
    StockLevel,
    StockMove,
    Transfer,
    TransferLine,
    Warehouse,
)
from haumai.loyalty.models import (
    Cashback,
    Membership,
    PointsAllocation,
    PointsEntry,
    Voucher,
    VoucherCampaign,
    VoucherRedemption,
)
from haumai.payments.models import Payment, StoreCreditEntry
from haumai.repairs.models import (
    Appointment,
    AppointmentSlot,
    LoanDevice,
    MaintenanceRecord,
    MaintenanceSchedule,
    OnSiteVisit,
    PartUsage,
    QuoteLine,
    RepairOrder,
    RepairPhoto,
    RepairStateChange,
)
from haumai.returns.models import DispositionRule
from haumai.sales.models import Channel, Order, OrderLine, Store
from haumai.shipping.models import Shipment
from haumai.support.models import GoodwillRequest, Ticket
from haumai.warranty.models import Claim, Warranty

# The demo's repair rows point at its claims and units: deleted first.
REPAIRS = (PartUsage, QuoteLine, RepairPhoto, RepairStateChange, LoanDevice, RepairOrder)
BOOKING = (MaintenanceRecord, MaintenanceSchedule, OnSiteVisit, Appointment, AppointmentSlot)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 22, 3, 30, tzinfo=dt.UTC)

# Deleted first by the resets below (store credit and cashback point at customers and orders).
LOYALTY = (Cashback, StoreCreditEntry, VoucherRedemption, Voucher, VoucherCampaign, PointsAllocation, PointsEntry,
           Membership)  # fmt: skip


def run_demo(*args: str) -> str:
    out = io.StringIO()
    with clock.frozen(NOW):
        call_command("demo", *args, stdout=out)
    return out.getvalue()


def fingerprint() -> dict[str, Any]:
    """Everything that should be identical between two runs with the same seed (ids aside)."""
    return {
        "customers": list(Customer.objects.order_by("code").values_list(
            "code", "full_name", "phone", "email", "birth_date", "gender", "created_at"
        )),
        "orders": list(Order.objects.order_by("code").values_list(
            "code", "customer__code", "channel__code", "external_id", "status", "placed_at", "delivered_at", "total"
        )),
        "lines": list(OrderLine.objects.order_by("order__code", "id").values_list(
            "order__code", "product__sku", "unit__serial", "unit__imei", "quantity", "unit_price"
        )),
        "addresses": list(Address.objects.order_by("customer__code").values_list(
            "customer__code", "street", "ward_id", "province_id"
        )),
        "levels": list(StockLevel.objects.order_by("product__sku", "warehouse__code").values_list(
            "product__sku", "warehouse__code", "quantity"
        )),
        "payments": list(Payment.objects.order_by("order__code", "id").values_list(
            "order__code", "method", "amount_vnd", "provider_transaction_ref", "provider_transaction_no", "paid_at"
        )),
    }


def test_small_run_creates_a_consistent_demo_world() -> None:
    output = run_demo("--customers", "200")

    assert Customer.objects.count() == 200
    assert "200 customers" in output and "customers/s" in output
    for username in ("admin", "agent", "technician", "warehouse", "manager"):
        assert f"  {username} " in output
        user = authenticate(username=username, password="haumai-demo")
        assert user is not None
        assert user.has_role(username)
    assert User.objects.get(username="admin").is_superuser

    assert set(Channel.objects.values_list("code", flat=True)) >= {
        "store", "website", "shopee", "lazada", "tiktok-shop", "phone"
    }
    assert set(Store.objects.values_list("province__codename", flat=True)) == {"ha_noi", "ho_chi_minh", "da_nang"}
    assert Store.objects.filter(ward__isnull=True).count() == 0
    assert Warehouse.objects.count() == 4 and Warehouse.objects.filter(store__isnull=True).count() == 1
    assert Product.objects.filter(is_serialized=True, warranty_months__gte=12).count() >= 40
    assert Product.objects.filter(category__parent__code="thoi-trang", warranty_months=0).exists()
    assert Province.objects.count() == 34

    customers = list(Customer.objects.all())
    for customer in customers:
        assert normalize_phone(customer.phone) == customer.phone
        assert re.fullmatch(r"CUS-\d{4}-\d{6}", customer.code)
    assert Identity.objects.filter(kind="phone").count() == 200
    assert Address.objects.count() == 200
    assert all(a.ward.province_id == a.province_id for a in Address.objects.select_related("ward"))
    assert Consent.objects.filter(purpose="service", granted=True).count() == 400

    orders = Order.objects.count()
    assert 200 <= orders <= 400
    mismatched = [
        o for o in Order.objects.annotate(lines_total=Sum("lines__line_total")) if o.total != o.lines_total
    ]
    assert mismatched == []
    assert Order.objects.annotate(n=Count("lines")).filter(n__gt=3).count() == 0
    assert OrderLine.objects.filter(unit__isnull=False).exclude(unit__status="sold").count() == 0

    imeis = list(Unit.objects.exclude(imei=None).values_list("imei", flat=True))
    assert imeis and all(len(imei) == 15 and luhn_valid(imei) for imei in imeis)
    assert Unit.objects.values("serial").annotate(n=Count("id")).filter(n__gt=1).count() == 0

    assert Event.objects.filter(name="order.created").count() == orders
    assert Event.objects.filter(name="customer.created").count() == 200
    # Some demo tickets link a return, a warranty claim or a repair opened from them (ticket page, "From ticket").
    linked = Ticket.objects.exclude(return_request=None, warranty=None, repair_code="")
    assert linked.exists() and Event.objects.filter(name="ticket.linked").count() >= linked.count()


def test_stock_levels_equal_the_ledger() -> None:
    run_demo("--customers", "100")
    ledger = Counter()
    for product_id, warehouse_id, grade, total in StockMove.objects.values_list(
        "product_id", "warehouse_id", "grade"
    ).annotate(total=Sum("quantity")):
        ledger[(product_id, warehouse_id, grade)] = total
    levels = {
        (lv.product_id, lv.warehouse_id, lv.grade): lv.quantity for lv in StockLevel.objects.all()
    }
    assert levels == dict(ledger)
    assert len(levels) == Product.objects.count() * Warehouse.objects.count()


def test_every_foreign_key_points_at_a_row() -> None:
    """The loader writes ids itself (and skips FK triggers on PostgreSQL), so check every link."""
    run_demo("--customers", "150")
    links = [
        (OrderLine, "order_id", Order), (OrderLine, "product_id", Product), (OrderLine, "unit_id", Unit),
        (Order, "customer_id", Customer), (Order, "channel_id", Channel), (Order, "store_id", Store),
        (Identity, "customer_id", Customer), (Address, "customer_id", Customer), (Consent, "customer_id", Customer),
        (Unit, "product_id", Product), (Event, "customer_id", Customer), (StockMove, "unit_id", Unit),
        (StockMove, "warehouse_id", Warehouse), (StockLevel, "product_id", Product),
    ]
    for model, column, target in links:
        values = set(model.objects.exclude(**{column: None}).values_list(column, flat=True))
        existing = set(target.objects.filter(pk__in=values).values_list("pk", flat=True))
        assert values == existing, f"{model.__name__}.{column}"
    wards = set(Address.objects.values_list("ward_id", flat=True))
    assert len(wards) > 20


def test_if_empty_does_nothing_the_second_time_and_plain_rerun_refuses() -> None:
    run_demo("--customers", "50")
    before = (Customer.objects.count(), Order.objects.count(), StockMove.objects.count())
    output = run_demo("--customers", "50", "--if-empty")
    assert "skipped" in output
    assert (Customer.objects.count(), Order.objects.count(), StockMove.objects.count()) == before
    with pytest.raises(CommandError, match="already has customers"):
        run_demo("--customers", "50")


def test_same_seed_gives_identical_data_after_a_reset() -> None:
    run_demo("--customers", "120", "--seed", "5")
    first = fingerprint()
    # Empty the database again (demo rows, code counters); reference data stays and is reused.
    loyalty = LOYALTY
    demo_models = (*loyalty, GoodwillRequest, Ticket, *BOOKING, *REPAIRS, Claim, Warranty, Event, Payment, OrderLine)
    demo_models = (*demo_models, Shipment, Order, TransferLine, Transfer, ChannelStock, ChannelAllocation)
    DispositionRule.objects.all().delete()
    demo_models = (*demo_models, StockMove, StockLevel, Unit, Identity, Address)
    for model in (*demo_models, Consent, Customer):
        model.objects.all().delete()
    reset_codes()
    run_demo("--customers", "120", "--seed", "5")
    assert fingerprint() == first
    assert len(first["orders"]) > 120


def test_new_rows_after_the_demo_get_fresh_ids() -> None:
    run_demo("--customers", "30")
    highest = Customer.objects.order_by("-pk").values_list("pk", flat=True).first()
    created = Customer.objects.create(code="CUS-2026-999999", full_name="Nguyễn Văn Mới", search_key="nguyen van moi")
    assert created.pk > highest


def test_rejects_bad_arguments() -> None:
    with pytest.raises(CommandError):
        call_command("demo", "--customers", "-1")
    with pytest.raises(CommandError):
        call_command("demo", "--months", "0")


def index_definitions() -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = current_schema()")
        else:
            cursor.execute("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'index'")
        return set(cursor.fetchall())


def test_large_run_mode_rebuilds_exactly_the_same_indexes() -> None:
    """With reindex_from reached, PostgreSQL drops secondary indexes for the load and rebuilds them."""
    before = index_definitions()
    with clock.frozen(NOW):
        result = seed_demo(customers=300, reindex_from=0, out=lambda line: None)
    assert result.customers == 300
    assert index_definitions() == before
    with pytest.raises(IntegrityError), transaction.atomic():
        Customer.objects.create(code="CUS-X", full_name="A", search_key="a", phone=Customer.objects.first().phone)


@pytest.mark.skipif(not can_fork(), reason="worker processes are forked (Linux)")
def test_worker_processes_write_the_same_data_as_one_process() -> None:
    with clock.frozen(NOW):
        seed_demo(customers=2_100, seed=9, workers=2, out=lambda line: None)
    parallel = fingerprint()
    loyalty = LOYALTY
    demo_models = (*loyalty, GoodwillRequest, Ticket, *BOOKING, *REPAIRS, Claim, Warranty, Event, Payment, OrderLine)
    demo_models = (*demo_models, Shipment, Order, TransferLine, Transfer, ChannelStock, ChannelAllocation)
    DispositionRule.objects.all().delete()
    demo_models = (*demo_models, StockMove, StockLevel, Unit, Identity, Address)
    from haumai.customers.models import ConsentText
    from haumai.privacy.models import AccessLog, DataRequest, Incident

    for model in (AccessLog, Incident, DataRequest, ConsentText, *demo_models, Consent, Customer):
        model.objects.all().delete()
    reset_codes()
    with clock.frozen(NOW):
        seed_demo(customers=2_100, seed=9, workers=0, out=lambda line: None)
    assert fingerprint() == parallel


def test_rerun_after_deleting_customers_continues_the_serial_numbers() -> None:
    run_demo("--customers", "60")
    serials = set(Unit.objects.values_list("serial", flat=True))
    loyalty = LOYALTY
    for model in (*loyalty, GoodwillRequest, Ticket, *BOOKING, *REPAIRS, Claim, Warranty, Event, Payment, OrderLine,
                  Shipment, Order, Identity, Address, Consent, Customer):  # fmt: skip
        model.objects.all().delete()
    run_demo("--customers", "60")  # units and stock stay; new serials must not collide
    assert serials < set(Unit.objects.values_list("serial", flat=True))
    assert Customer.objects.count() == 60


def test_paid_orders_have_payments_with_provider_references() -> None:
    run_demo("--customers", "300", "--seed", "3")
    methods = Counter(Payment.objects.values_list("method", flat=True))
    assert {"vnpay", "momo", "cod", "bank_transfer"} <= set(methods)
    unpaid = Order.objects.exclude(status="cancelled").filter(payments__isnull=True)
    # Only cash-on-delivery orders not yet delivered wait for their money.
    assert set(unpaid.values_list("payment_method", flat=True)) <= {"cod"}
    assert not unpaid.filter(status__in=["delivered", "completed"]).exists()
    assert not Payment.objects.filter(order__status="cancelled").exists()
    for payment in Payment.objects.select_related("order").filter(method__in=["vnpay", "momo"])[:50]:
        assert payment.amount_vnd == payment.order.total and payment.provider_transaction_no.isdigit()
        assert payment.provider_transaction_ref == payment.order.code
