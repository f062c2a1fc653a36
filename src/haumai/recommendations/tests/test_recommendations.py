"""Learning associations (together, later, exclusions), serving (API, 360 panel) and the holdout command."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command

from haumai.recommendations import evaluation, services, training
from haumai.recommendations.models import Association, TrainingSchedule
from haumai.returns.models import ReturnLine, ReturnRequest
from haumai.segments.tests.conftest import NOW

pytestmark = pytest.mark.django_db


def shop(world: Any) -> dict[str, Any]:
    """Phone buyers get a charger 2-3 weeks later, most with a glass protector in the same order; tees sell alone."""
    p = {sku: world.product(sku) for sku in ("PHONE", "CHARGER", "GLASS", "TEE", "SOCKS")}
    for n in range(12):
        buyer = world.customer(f"Khách {n}")
        world.order(buyer, p["PHONE"], *([p["GLASS"]] if n < 9 else []), days_ago=60)
        if n < 8:
            world.order(buyer, p["CHARGER"], days_ago=60 - 14 - n)
    for n in range(20):
        world.order(world.customer(f"Áo {n}"), p["TEE"], p["SOCKS"] if n % 2 else p["TEE"], days_ago=30 + n)
    return p


def rule(kind: str, a: Any, b: Any) -> Association:
    return Association.objects.get(kind=kind, product=a, other=b)


def test_learns_together_and_later_with_support_confidence_and_lift(world: Any) -> None:
    p = shop(world)
    assert services.retrain() > 0
    glass = rule("together", p["PHONE"], p["GLASS"])
    assert glass.pair_count == 9 and glass.confidence == pytest.approx(9 / 12)
    orders = 12 + 8 + 20
    assert glass.support == pytest.approx(9 / orders)
    assert glass.lift == pytest.approx((9 / 12) / (9 / orders))
    charger = rule("later", p["PHONE"], p["CHARGER"])
    customers = 12 + 20
    assert charger.pair_count == 8 and charger.confidence == pytest.approx(8 / 12)
    assert charger.lift == pytest.approx((8 / 12) / (8 / customers))
    assert not Association.objects.filter(kind="later", product=p["CHARGER"], other=p["PHONE"]).exists()
    assert not Association.objects.filter(kind="together", product=p["PHONE"], other=p["CHARGER"]).exists()


def test_returned_lines_and_exchange_orders_are_left_out(world: Any) -> None:
    p = shop(world)
    services.retrain()
    before = rule("later", p["PHONE"], p["CHARGER"]).pair_count
    charger_lines = [o.lines.get() for o in world_orders_with(p["CHARGER"])]
    returned = ReturnRequest.objects.create(
        code="RMA-2026-000001", customer=charger_lines[0].order.customer, order=charger_lines[0].order,
        status="refunded", origin="console", reason="defective", resolution="refund_original",
        logistics="store_dropoff", requested_at=NOW,
    )  # fmt: skip
    ReturnLine.objects.create(request=returned, order_line=charger_lines[0], product=p["CHARGER"])
    exchange = ReturnRequest.objects.create(
        code="RMA-2026-000002", customer=charger_lines[1].order.customer, status="exchanged", origin="console",
        reason="defective", resolution="exchange_same", logistics="store_dropoff", requested_at=NOW,
        exchange_order_code=charger_lines[1].order.code,
    )  # fmt: skip
    cancelled = ReturnRequest.objects.create(
        code="RMA-2026-000003", customer=charger_lines[2].order.customer, order=charger_lines[2].order,
        status="cancelled", origin="portal", reason="changed_mind", resolution="refund_original",
        logistics="store_dropoff", requested_at=NOW,
    )  # fmt: skip
    ReturnLine.objects.create(request=cancelled, order_line=charger_lines[2], product=p["CHARGER"])
    assert exchange.pk
    services.retrain()
    assert rule("later", p["PHONE"], p["CHARGER"]).pair_count == before - 2


def world_orders_with(product: Any) -> list[Any]:
    from haumai.sales.models import Order

    return list(Order.objects.filter(lines__product=product).order_by("code"))


def test_api_by_product_and_customer_with_errors_and_permissions(world: Any, api_client_for: Any) -> None:
    p = shop(world)
    services.retrain()
    client = api_client_for("agent")
    found = client.get("/api/v1/recommendations", {"product": "PHONE"}).json()
    assert [s["sku"] for s in found["together"]] == ["GLASS"]
    assert found["later"][0]["sku"] == "CHARGER"
    newcomer = world.customer("Mới mua điện thoại")
    world.order(newcomer, p["PHONE"])
    offer = client.get("/api/v1/recommendations", {"customer": newcomer.code}).json()["offer"]
    assert offer[0]["sku"] == "GLASS" or offer[0]["sku"] == "CHARGER"
    assert {"CHARGER", "GLASS"} <= {s["sku"] for s in offer} and "PHONE" not in {s["sku"] for s in offer}
    both = client.get("/api/v1/recommendations", {"customer": newcomer.code, "product": "PHONE"})
    assert both.status_code == 422 and both.json()["error"]["fields"][0]["field"] == "product"
    assert client.get("/api/v1/recommendations").status_code == 422
    assert client.get("/api/v1/recommendations", {"product": "NOPE"}).status_code == 404
    assert client.get("/api/v1/recommendations", {"customer": "CUS-0"}).status_code == 404
    assert client.get("/api/v1/recommendations", {"limit": "0", "product": "PHONE"}).status_code == 422
    assert api_client_for("warehouse").get("/api/v1/recommendations", {"product": "PHONE"}).status_code == 403


def test_customer_panel_offers_the_follow_up(world: Any, make_staff: Any, client: Any,
                                            django_assert_max_num_queries: Any) -> None:  # fmt: skip
    p = shop(world)
    services.retrain()
    newcomer = world.customer("Mới mua điện thoại")
    world.order(newcomer, p["PHONE"])
    client.force_login(make_staff("agent"))
    page = client.get(f"/console/customers/{newcomer.code}/").content.decode()
    offers = page[page.find('id="customer-offers"'):]
    assert "CHARGER" in offers[:2000] and "Bought later" in offers[:2000]


def test_worker_schedule_and_holdout(world: Any) -> None:
    p = shop(world)
    services.ensure_schedule()
    services.handle_due(list(TrainingSchedule.objects.all()))
    row = TrainingSchedule.objects.get()
    assert row.last_rules == Association.objects.count() > 0 and row.due_at is not None and row.due_at > NOW
    # Cut after the phones, before the chargers: the model knows nothing yet of phone -> charger.
    result = evaluation.evaluate(cut=NOW - dt.timedelta(days=50), horizon_days=60, window_days=30, min_pairs=1)
    assert result.customers > 0 and result.model_hits >= result.baseline_hits
    out = io.StringIO()
    call_command("recommend-evaluate", "--cut", (NOW - dt.timedelta(days=20)).date().isoformat(), stdout=out)
    text = out.getvalue()
    assert "hit-rate@5 model:" in text and "hit-rate@5 popularity:" in text and "uplift over popularity" in text
    assert p["PHONE"].pk in dict(training.popular_products(until=NOW))


def test_holdout_finds_structure_the_baseline_misses(world: Any) -> None:
    """Train on early phone buyers (who bought chargers later); test on later phone buyers."""
    phone, charger = world.product("PHONE"), world.product("CHARGER")
    tees = [world.product(f"TEE{n}") for n in range(8)]
    for n in range(80):  # best sellers: tees, bought by many more than phones and chargers
        world.order(world.customer(f"Áo {n}"), *tees[: 1 + n % 8], days_ago=200 + n)
    for n in range(10):
        buyer = world.customer(f"Sớm {n}")
        world.order(buyer, phone, days_ago=190)
        world.order(buyer, charger, days_ago=170)
    for n in range(10):
        buyer = world.customer(f"Muộn {n}")
        world.order(buyer, phone, days_ago=120)
        world.order(buyer, charger, days_ago=100)
    result = evaluation.evaluate(cut=NOW - dt.timedelta(days=110), horizon_days=60, window_days=60)
    assert result.customers == 10
    assert result.model_hits == 10 and result.baseline_hits == 0 and result.uplift is None
