"""Console and portal pages: lists, details, search and panel registrations, public lookup without the owner,
activation with a photo, the e-card page and PDF, claims from the portal."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from haumai.core import clock
from haumai.core.registry import registry
from haumai.portal.models import LookupAttempt
from haumai.warranty import cards
from haumai.warranty.models import Claim, Warranty, WarrantyStatus
from haumai.warranty.tests.conftest import PNG, Shop, deliver, photo

pytestmark = pytest.mark.django_db


def staff(make_staff: Any, role: str) -> Client:
    client = Client()
    client.force_login(make_staff(role))
    return client


def test_console_list_filters_and_detail(shop: Shop, make_staff: Any, django_assert_max_num_queries: Any) -> None:
    order = deliver(shop.an, sku="IP15", serial="SN-AN-001")
    deliver(shop.binh, sku="TV", serial="TV-B")
    client = staff(make_staff, "agent")
    with django_assert_max_num_queries(12):
        body = client.get("/console/warranty/").content.decode()
    assert "SN-AN-001" in body and "TV-B" in body
    pending = client.get("/console/warranty/", {"status": "pending"}).content.decode()
    assert "TV-B" in pending and "SN-AN-001" not in pending
    by_order = client.get("/console/warranty/", {"order": order.code}).content.decode()
    assert "SN-AN-001" in by_order and "TV-B" not in by_order
    by_customer = client.get("/console/warranty/", {"customer": shop.binh.code.lower()}).content.decode()
    assert "TV-B" in by_customer and "SN-AN-001" not in by_customer
    code = Warranty.objects.get(unit__serial="SN-AN-001").code
    detail = client.get(f"/console/warranty/{code}/").content.decode()
    assert "Under warranty until 28/02/2027" in detail and order.code in detail
    assert staff(make_staff, "warehouse").get("/console/warranty/").status_code == 403


def test_console_claim_flow(shop: Shop, make_staff: Any) -> None:
    deliver(shop.an, sku="IP15", serial="SN-AN-001")
    code = Warranty.objects.get().code
    agent = staff(make_staff, "agent")
    response = agent.post(f"/console/warranty/{code}/claim/", {"description": "Không sạc được"})
    claim = Claim.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/console/warranty/claims/{claim.code}/")
    page = agent.get(f"/console/warranty/claims/{claim.code}/").content.decode()
    assert "Under warranty until 28/02/2027" in page
    assert agent.post(f"/console/warranty/claims/{claim.code}/accept/", {"resolution": "repair"}).status_code == 403
    manager = staff(make_staff, "manager")
    manager.post(f"/console/warranty/claims/{claim.code}/accept/", {"resolution": "repair"})
    manager.post(f"/console/warranty/claims/{claim.code}/resolve/")
    assert Claim.objects.get().status == "in_service"


def test_registry_search_and_panel(shop: Shop, make_staff: Any, rf: Any) -> None:
    deliver(shop.an, sku="IP15", serial="SN-AN-001", imei="356938035643809")
    user = make_staff("agent")
    hits = registry.search["warranty"].search("356938035643809", user, 5)
    assert len(hits) == 1 and hits[0].title.endswith("SN-AN-001")
    context = registry.panels["warranties"].context(rf.get("/"), shop.an)
    assert [w.unit.serial for w, _answer in context["warranty_rows"]] == ["SN-AN-001"]
    assert "warranty.started" in registry.sentences
    assert "warranty.list" in registry.nav and registry.nav["warranty.list"].icon == "shield-check"


def test_public_lookup_shows_state_never_the_owner(client: Client, shop: Shop) -> None:
    order = deliver(shop.an, sku="IP15", serial="SN-AN-001")
    body = client.post("/portal/warranty/", {"serial": "SN-AN-001"}).content.decode()
    assert "Under warranty until 28/02/2027" in body
    for private in ("Nguyễn", "An<", "0912", "+8491", "an.nguyen", order.code):
        assert private not in body
    by_order = client.post("/portal/warranty/", {"phone": "0912345678", "order_code": order.code}).content.decode()
    assert "Under warranty until 28/02/2027" in by_order
    wrong = client.post("/portal/warranty/", {"phone": "0987654321", "order_code": order.code}).content.decode()
    assert 'id="lookup-not-found"' in wrong and "SN-AN-001" not in wrong
    with clock.frozen(dt.datetime(2027, 5, 1, 3, tzinfo=dt.UTC)):
        later = client.post("/portal/warranty/", {"serial": "SN-AN-001"}).content.decode()
    assert "Out of warranty since 01/03/2027" in later


def test_public_lookup_after_refund_and_rate_limit(client: Client, shop: Shop, settings: Any) -> None:
    deliver(shop.an, sku="IP15", serial="SN-AN-001")
    Warranty.objects.update(status=WarrantyStatus.VOID, void_reason="returned_refunded")
    body = client.post("/portal/warranty/", {"serial": "SN-AN-001"}).content.decode()
    assert "No longer under warranty" in body and "Under warranty until" not in body
    settings.HAUMAI_PORTAL_LOOKUPS_PER_WINDOW = 2
    LookupAttempt.objects.all().delete()
    for _attempt in range(2):
        assert client.post("/portal/warranty/", {"serial": "SN-AN-001"}).status_code == 200
    limited = client.post("/portal/warranty/", {"serial": "SN-AN-001"})
    assert limited.status_code == 429 and "Too many lookups" in limited.content.decode()


def test_portal_activation_then_card_and_pdf(client: Client, shop: Shop) -> None:
    deliver(shop.an, sku="TV", serial="TV-1")
    refused = client.post("/portal/warranty/activate/", {"serial": "TV-1", "phone": "0987654321", "proof": photo()})
    assert refused.status_code == 400 and "not the one the product was bought with" in refused.content.decode()
    bad_photo = client.post(
        "/portal/warranty/activate/",
        {"serial": "TV-1", "phone": "0912345678", "proof": photo(b"%PDF-1.4 xxxxxxxxxxxx", "a.pdf")},
    )
    assert bad_photo.status_code == 400 and "is not a JPEG, PNG or WebP picture" in bad_photo.content.decode()
    assert Warranty.objects.get().status == WarrantyStatus.PENDING
    done = client.post("/portal/warranty/activate/", {"serial": "TV-1", "phone": "0912345678", "proof": photo(PNG)})
    assert done.status_code == 302 and "/portal/warranty/card/" in done["Location"]
    card = client.get(done["Location"]).content.decode()
    assert "Under warranty until 09/06/2028" in card and "<svg" in card and "Nguyễn" not in card
    pdf = client.get(done["Location"] + "pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.get("/portal/warranty/card/forged-token/").status_code == 404
    again = client.post("/portal/warranty/activate/", {"serial": "TV-1", "phone": "0912345678", "proof": photo(PNG)})
    assert "already active" in again.content.decode()


def test_my_warranties_and_claim_from_portal(client: Client, shop: Shop) -> None:
    deliver(shop.an, sku="IP15", serial="SN-AN-001")
    deliver(shop.binh, sku="IP15", serial="SN-BINH-001")
    assert client.get("/portal/warranty/mine/").status_code == 302
    session = client.session
    session["portal_customer_id"] = shop.an.pk
    session.save()
    mine = client.get("/portal/warranty/mine/").content.decode()
    assert "SN-AN-001" in mine and "SN-BINH-001" not in mine
    theirs = Warranty.objects.get(unit__serial="SN-BINH-001").code
    assert client.get(f"/portal/warranty/{theirs}/claim/").status_code == 404
    code = Warranty.objects.get(unit__serial="SN-AN-001").code
    form = client.get(f"/portal/warranty/{code}/claim/").content.decode()
    assert "Under warranty until 28/02/2027" in form
    short = client.post(f"/portal/warranty/{code}/claim/", {"description": "x"})
    assert short.status_code == 400 and not Claim.objects.exists()
    filed = client.post(f"/portal/warranty/{code}/claim/", {"description": "Camera bị mờ"})
    assert filed.status_code == 302 and Claim.objects.get().origin == "portal"


def test_card_token_round_trip(shop: Shop) -> None:
    deliver(shop.an, sku="IP15", serial="SN-AN-001")
    warranty = Warranty.objects.get()
    assert cards.code_from_token(cards.card_token(warranty)) == warranty.code
    assert cards.code_from_token(cards.card_token(warranty) + "x") is None
