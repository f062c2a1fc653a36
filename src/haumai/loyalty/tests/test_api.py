"""The loyalty API: standing and history, earn, spend, voucher redemption (replay, errors), store credit spend."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from haumai.core import clock
from haumai.loyalty.models import PointsEntry, VoucherRedemption
from haumai.loyalty.services import vouchers
from haumai.loyalty.tests.conftest import Shop, deliver
from haumai.payments.models import StoreCreditEntry
from haumai.payments.services import grant_store_credit

pytestmark = pytest.mark.django_db


def post(client: Any, url: str, data: dict[str, Any], **headers: Any) -> Any:
    return client.post(url, data=json.dumps(data), content_type="application/json", **headers)


def campaign(code: str = "SINHNHAT", **extra: Any) -> Any:
    now = clock.now()
    fields: dict[str, Any] = {
        "code": code,
        "name": "Ưu đãi sinh nhật",
        "code_kind": "unique",
        "discount_kind": "amount",
        "amount_vnd": 100_000,
        "percent": 0,
        "max_discount_vnd": 0,
        "min_order_vnd": 500_000,
        "starts_at": now - dt.timedelta(days=1),
        "ends_at": now + dt.timedelta(days=30),
    }
    fields.update(extra)
    return vouchers.create_campaign(actor=None, data=vouchers.CampaignInput(**fields))


def test_standing_and_paginated_history(shop: Shop, api_client_for: Any) -> None:
    for total in (1_000_000, 2_000_000, 3_000_000):
        deliver(shop.an, total=total)
    client = api_client_for("manager")
    standing = client.get(f"/api/v1/loyalty/customers/{shop.an.code}").json()
    assert standing["balance"] == 600 and standing["tier"] == "silver" and standing["next_tier"] == "gold"
    assert standing["to_next_tier_vnd"] == 14_000_000 and standing["store_credit_vnd"] == 0
    first = client.get(f"/api/v1/loyalty/customers/{shop.an.code}/points", {"limit": 2}).json()
    assert [e["points"] for e in first["items"]] == [300, 200] and first["next_cursor"]
    rest = client.get(
        f"/api/v1/loyalty/customers/{shop.an.code}/points", {"limit": 2, "cursor": first["next_cursor"]}
    ).json()
    assert [e["points"] for e in rest["items"]] == [100] and rest["next_cursor"] is None
    assert client.get("/api/v1/loyalty/customers/KH-NOPE").status_code == 404
    assert api_client_for("warehouse").get(f"/api/v1/loyalty/customers/{shop.an.code}").status_code == 403


def test_history_query_count_does_not_grow(shop: Shop, api_client_for: Any) -> None:
    client = api_client_for("manager")
    deliver(shop.an)
    url = f"/api/v1/loyalty/customers/{shop.an.code}/points"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        deliver(shop.an)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url).json()["items"]) == 6
    assert len(many.captured_queries) == len(few.captured_queries)


def test_earn_and_spend_through_the_api(shop: Shop, api_client_for: Any) -> None:
    client = api_client_for("manager")
    order = deliver(shop.an, total=2_000_000)
    again = post(client, "/api/v1/loyalty/points/earn", {"order": order.code})
    assert again.status_code == 200 and again.json()["entry"]["points"] == 200  # the delivery already earned
    body = {"customer": shop.an.code, "points": 150, "order_reference": "POS-77", "idempotency_key": "x"}
    spent = post(client, "/api/v1/loyalty/points/spend", body, HTTP_IDEMPOTENCY_KEY="pos-77")
    assert spent.status_code == 201 and spent.json()["balance"] == 50
    replay = post(client, "/api/v1/loyalty/points/spend", body, HTTP_IDEMPOTENCY_KEY="pos-77")
    assert replay.status_code == 200 and replay.json() == spent.json()
    short = post(client, "/api/v1/loyalty/points/spend", {**body, "idempotency_key": "other"})
    assert short.status_code == 409 and short.json()["error"]["code"] == "insufficient_points"
    unknown = post(client, "/api/v1/loyalty/points/spend", {**body, "customer": "KH-NOPE"})
    assert unknown.status_code == 422 and unknown.json()["error"]["fields"][0]["code"] == "unknown_customer"
    assert PointsEntry.objects.filter(kind="spend").count() == 1
    assert post(api_client_for("agent"), "/api/v1/loyalty/points/spend", body).status_code == 403


def test_redeem_a_voucher_replay_and_clear_errors(shop: Shop, api_client_for: Any) -> None:
    client = api_client_for("manager")
    offer = campaign()
    code = vouchers.issue_for_journey(campaign_code=offer.code, customer=shop.an, reference="birthday-2026").code
    body = {
        "code": code,
        "customer": shop.an.code,
        "order_reference": "WEB-1",
        "order_total_vnd": 800_000,
        "idempotency_key": "r-1",
    }
    low = post(client, "/api/v1/loyalty/vouchers/redeem", {**body, "order_total_vnd": 400_000})
    assert low.status_code == 422 and low.json()["error"]["code"] == "below_minimum_order"
    theirs = post(client, "/api/v1/loyalty/vouchers/redeem", {**body, "customer": shop.binh.code})
    assert theirs.status_code == 403 and theirs.json()["error"]["code"] == "voucher_not_yours"
    done = post(client, "/api/v1/loyalty/vouchers/redeem", body)
    assert done.status_code == 201 and done.json()["discount_vnd"] == 100_000
    replay = post(client, "/api/v1/loyalty/vouchers/redeem", body)
    assert replay.status_code == 200 and replay.json() == done.json()
    twice = post(client, "/api/v1/loyalty/vouchers/redeem", {**body, "idempotency_key": "r-2"})
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "voucher_used_up"
    other = post(client, "/api/v1/loyalty/vouchers/redeem", {**body, "order_reference": "WEB-2"})
    assert other.status_code == 409 and other.json()["error"]["code"] == "idempotency_conflict"
    unknown = post(client, "/api/v1/loyalty/vouchers/redeem", {**body, "code": "NOPE-123", "idempotency_key": "r-3"})
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "unknown_code"
    assert VoucherRedemption.objects.count() == 1


def test_expired_voucher_and_percent_cap(shop: Shop, api_client_for: Any) -> None:
    client = api_client_for("manager")
    percent = campaign(
        "GIAM10",
        code_kind="shared",
        shared_code="GIAM10",
        discount_kind="percent",
        amount_vnd=0,
        percent=10,
        max_discount_vnd=200_000,
        min_order_vnd=0,
        per_customer_limit=1,
    )
    body = {
        "code": "giam10",
        "customer": shop.an.code,
        "order_reference": "W-9",
        "order_total_vnd": 5_000_000,
        "idempotency_key": "p-1",
    }
    assert post(client, "/api/v1/loyalty/vouchers/redeem", body).json()["discount_vnd"] == 200_000
    again = post(client, "/api/v1/loyalty/vouchers/redeem", {**body, "idempotency_key": "p-2"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "customer_limit_reached"
    other = post(
        client,
        "/api/v1/loyalty/vouchers/redeem",
        {**body, "customer": shop.binh.code, "idempotency_key": "p-3", "order_total_vnd": 1_000_000},
    )
    assert other.json()["discount_vnd"] == 100_000  # a shared code serves many customers
    with clock.frozen(percent.ends_at):
        late = post(
            client, "/api/v1/loyalty/vouchers/redeem", {**body, "customer": shop.binh.code, "idempotency_key": "p-4"}
        )
    assert late.status_code == 409 and late.json()["error"]["code"] == "voucher_expired"


def test_store_credit_spend_at_checkout(shop: Shop, api_client_for: Any, make_staff: Any) -> None:
    grant_store_credit(customer=shop.an, amount_vnd=300_000, reason="Hoàn tiền", actor=None, idempotency_key="g1")
    client = api_client_for("manager")
    body = {"customer": shop.an.code, "amount_vnd": 200_000, "order_reference": "POS-5", "idempotency_key": "sc-1"}
    paid = post(client, "/api/v1/loyalty/store-credit/spend", body)
    assert paid.status_code == 201 and paid.json()["balance_vnd"] == 100_000
    assert post(client, "/api/v1/loyalty/store-credit/spend", body).json() == paid.json()
    short = post(client, "/api/v1/loyalty/store-credit/spend", {**body, "idempotency_key": "sc-2"})
    assert short.status_code == 409 and short.json()["error"]["code"] == "insufficient_store_credit"
    assert StoreCreditEntry.objects.filter(kind="spend").count() == 1
