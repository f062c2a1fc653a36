"""Console and portal pages of loyalty: the 360 panel and its forms, campaigns, search, the portal page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from haumai.core import clock
from haumai.events.models import Event
from haumai.loyalty.models import PointsEntry, Voucher, VoucherCampaign
from haumai.loyalty.services import vouchers
from haumai.loyalty.tests.conftest import Shop, deliver
from haumai.portal.views import SESSION_CUSTOMER

pytestmark = pytest.mark.django_db


def staff(make_staff: Any, role: str) -> Client:
    client = Client()
    client.force_login(make_staff(role))
    return client


def portal(customer: Any) -> Client:
    client = Client()
    session = client.session
    session[SESSION_CUSTOMER] = customer.pk
    session.save()
    return client


def offer(code: str = "XINLOI", **extra: Any) -> VoucherCampaign:
    now = clock.now()
    fields: dict[str, Any] = {
        "code": code,
        "name": "Xin lỗi vì sự bất tiện",
        "code_kind": "unique",
        "discount_kind": "amount",
        "amount_vnd": 200_000,
        "percent": 0,
        "max_discount_vnd": 0,
        "min_order_vnd": 0,
        "starts_at": now - dt.timedelta(days=1),
        "ends_at": now + dt.timedelta(days=30),
    }
    fields.update(extra)
    return vouchers.create_campaign(actor=None, data=vouchers.CampaignInput(**fields))


def test_customer_360_panel_shows_points_tier_and_vouchers(
    shop: Shop, make_staff: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(3):
        deliver(shop.an, total=2_000_000)
    vouchers.issue_for_journey(campaign_code=offer().code, customer=shop.an, reference="b")
    client = staff(make_staff, "agent")
    url = f"/console/customers/{shop.an.code}/"
    client.get(url)
    with django_assert_max_num_queries(80):
        page = client.get(url).content.decode()
    assert 'id="loyalty-balance">600<' in page and "Silver" in page and "XINLOI-" in page
    assert 'id="loyalty-goodwill"' in page and 'id="loyalty-adjust"' not in page  # agents give goodwill, not points


def test_adjustment_form_needs_permission_and_a_reason(shop: Shop, make_staff: Any) -> None:
    url = f"/console/loyalty/customers/{shop.an.code}/adjust/"
    assert staff(make_staff, "agent").post(url, {"points": "50", "reason": "x"}).status_code == 403
    manager = staff(make_staff, "manager")
    manager.post(url, {"points": "50", "reason": ""})
    assert PointsEntry.objects.count() == 0
    response = manager.post(url, {"points": "50", "reason": "Bù điểm đơn cũ"})
    assert response.status_code == 302 and PointsEntry.objects.get().points == 50
    assert Event.objects.filter(name="loyalty.points_adjusted").count() == 1


def test_goodwill_voucher_within_the_approval_limit(shop: Shop, make_staff: Any) -> None:
    offer()
    big = offer("VIP-1TR", amount_vnd=1_000_000)
    agent = staff(make_staff, "agent")  # approval limit 500.000 ₫
    url = f"/console/loyalty/customers/{shop.an.code}/goodwill/"
    agent.post(url, {"campaign": big.code, "reason": "Giao hàng trễ"})
    assert not Voucher.objects.exists()
    agent.post(url, {"campaign": "XINLOI", "reason": "Giao hàng trễ"})
    voucher = Voucher.objects.get()
    assert voucher.owner == shop.an and voucher.source == "staff" and voucher.reason == "Giao hàng trễ"


def test_campaign_pages_create_list_and_search(shop: Shop, make_staff: Any) -> None:
    manager = staff(make_staff, "manager")
    form = {
        "code": "sinhnhat-2026",
        "name": "Sinh nhật 2026",
        "code_kind": "unique",
        "shared_code": "",
        "batch_size": "5",
        "discount_kind": "percent",
        "amount_vnd": "0",
        "percent": "15",
        "max_discount_vnd": "300000",
        "min_order_vnd": "500000",
        "starts_on": "2026-06-01",
        "ends_on": "2026-12-31",
        "per_customer_limit": "1",
        "points_price": "0",
    }
    bad = manager.post("/console/loyalty/campaigns/new/", {**form, "ends_on": "2026-05-01"})
    assert bad.status_code == 200 and "The end must be after the start" in bad.content.decode()
    assert not VoucherCampaign.objects.exists()
    created = manager.post("/console/loyalty/campaigns/new/", form)
    assert created.status_code == 302
    campaign = VoucherCampaign.objects.get(code="SINHNHAT-2026")
    assert campaign.vouchers.count() == 5
    listing = manager.get("/console/loyalty/campaigns/").content.decode()
    assert "SINHNHAT-2026" in listing and "15% off" in listing
    code = campaign.vouchers.first().code
    assert code in manager.get(f"/console/loyalty/campaigns/{campaign.code}/").content.decode()
    found = manager.get("/console/search/", {"q": code.lower()}).content.decode()
    assert f"/console/loyalty/campaigns/{campaign.code}/" in found
    assert staff(make_staff, "warehouse").get("/console/loyalty/campaigns/").status_code == 403


def test_portal_page_shows_only_my_points_and_buys_a_voucher(shop: Shop) -> None:
    deliver(shop.an, total=3_000_000)
    deliver(shop.binh, total=9_000_000)
    offer("DOIDIEM", points_price=100, amount_vnd=50_000)
    client = portal(shop.an)
    page = client.get("/portal/rewards/").content.decode()
    assert 'id="points-balance">300<' in page and "900" not in page
    assert "to reach Silver" in page
    key = page.split('name="key" value="')[1].split('"')[0]
    bought = client.post("/portal/rewards/buy/DOIDIEM/", {"key": key})
    client.post("/portal/rewards/buy/DOIDIEM/", {"key": key})  # a double click buys once
    assert bought.status_code == 302 and Voucher.objects.filter(owner=shop.an).count() == 1
    after = client.get(bought["Location"]).content.decode()
    assert 'id="points-balance">200<' in after and "DOIDIEM-" in after
    assert Client().get("/portal/rewards/").status_code == 302  # not logged in: to the login page
    assert 'id="tile-rewards"' in client.get("/portal/").content.decode()
