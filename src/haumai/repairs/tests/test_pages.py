"""Console and portal pages: the queue, intake form, detail actions, receipt, portal quote; permissions and
query counts."""

from __future__ import annotations

from typing import Any

from django.test import Client

from haumai.core.codes import next_code
from haumai.inventory.models import StockLevel
from haumai.repairs import services
from haumai.repairs.models import RepairOrder, RepairStatus
from haumai.repairs.services import QuoteLineInput
from haumai.repairs.tests.conftest import Workshop, deliver, photo


def _login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _received(shop: Workshop, unit: Any = None) -> RepairOrder:
    return services.receive_unit(
        actor=shop.agent,
        unit=unit or shop.unit,
        customer=shop.an,
        service_center=shop.center,
        description="Không lên màn hình",
        condition="Trầy",
        accessories=["Sạc"],
    )


def test_intake_form_receives_and_shows_the_receipt(shop: Workshop) -> None:
    client = _login(shop.agent)
    assert client.get("/console/repairs/intake/").status_code == 200
    response = client.post(
        "/console/repairs/intake/",
        {
            "serial": shop.unit.serial,
            "service_center": shop.center.code,
            "description": "Loa rè",
            "condition": "Tốt",
            "accessories": "Sạc, tai nghe",
            "photos": [photo()],
        },
    )
    order = RepairOrder.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/console/repairs/{order.code}/receipt/")
    assert order.customer == shop.an and order.accessories == ["Sạc", "tai nghe"] and order.photos.count() == 1
    page = client.get(f"/console/repairs/{order.code}/receipt/")
    assert "Loa rè" in page.content.decode() and "0912" not in page.content.decode()
    pdf = client.get(f"/console/repairs/{order.code}/receipt/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_intake_form_shows_field_errors_and_writes_nothing(shop: Workshop) -> None:
    response = _login(shop.agent).post(
        "/console/repairs/intake/", {"serial": "KHONG-CO", "service_center": shop.center.code, "description": "x"}
    )
    assert response.status_code == 422
    assert 'data-error-for="serial"' in response.content.decode()
    assert not RepairOrder.objects.exists()


def test_technician_works_the_order_from_the_detail_page(shop: Workshop) -> None:
    order = _received(shop)
    client = _login(shop.technician)
    url = f"/console/repairs/{order.code}/actions"
    client.post(f"{url}/diagnose/")
    client.post(
        f"{url}/quote/",
        {
            "diagnosis": "Hỏng màn",
            "kind": ["part", "labour"],
            "sku": [shop.screen.sku, ""],
            "line_description": ["", "Công thay"],
            "quantity": ["1", "1"],
            "unit_cost": ["", "100000"],
            "unit_price": ["0", "0"],
        },
    )
    assert RepairOrder.objects.get(pk=order.pk).status == RepairStatus.APPROVED
    client.post(f"{url}/start/")
    client.post(f"{url}/part/", {"sku": shop.screen.sku, "quantity": "1"})
    assert StockLevel.objects.get(product=shop.screen, warehouse=shop.warehouse).quantity == 1
    refused = _login(shop.other_technician).post(f"{url}/finish/", follow=True)
    assert "assigned to" in refused.content.decode()
    assert RepairOrder.objects.get(pk=order.pk).status == RepairStatus.REPAIRING
    client.post(f"{url}/finish/")
    client.post(f"{url}/qc_pass/")
    assert RepairOrder.objects.get(pk=order.pk).status == RepairStatus.READY
    page = client.get(f"/console/repairs/{order.code}/")
    assert page.status_code == 200 and "action-hand-back" in page.content.decode()


def test_pages_need_permission(shop: Workshop, make_staff: Any) -> None:
    order = _received(shop)
    warehouse = _login(make_staff("warehouse"))
    assert warehouse.get("/console/repairs/").status_code == 403
    assert warehouse.get(f"/console/repairs/{order.code}/").status_code == 403
    assert _login(shop.technician).get("/console/repairs/RO-2026-999999/").status_code == 404


def test_queue_and_detail_query_counts_do_not_grow(shop: Workshop, django_assert_max_num_queries: Any) -> None:
    for index in range(8):
        order = _received(shop, deliver(shop.an, sku="SS-A55", serial=f"R58PG{index:03d}"))
        services.start_diagnosis(actor=shop.technician, order=order)
    client = _login(shop.technician)
    with django_assert_max_num_queries(16):
        page = client.get("/console/repairs/?queue=mine")
    assert page.content.decode().count("data-code=") == 8
    with django_assert_max_num_queries(24):
        assert client.get(f"/console/repairs/{order.code}/").status_code == 200


def test_portal_customer_approves_the_quote_once(shop: Workshop) -> None:
    order = _received(shop)
    services.start_diagnosis(actor=shop.technician, order=order)
    order = services.send_quote(
        actor=shop.technician,
        order=order,
        diagnosis="Vỡ màn",
        lines=[QuoteLineInput(kind="part", sku=shop.screen.sku)],
    )
    token = services.quote_token(order)
    client = Client()
    page = client.get(f"/portal/repairs/quote/{token}/")
    assert page.status_code == 200 and "approve-quote" in page.content.decode()
    done = client.post(f"/portal/repairs/quote/{token}/", {"answer": "approve"})
    assert done.status_code == 302
    assert RepairOrder.objects.get(pk=order.pk).status == RepairStatus.APPROVED
    again = client.post(f"/portal/repairs/quote/{token}/", {"answer": "decline"})
    assert again.status_code == 409 and "already answered" in again.content.decode()
    assert RepairOrder.objects.get(pk=order.pk).status == RepairStatus.APPROVED
    assert client.get("/portal/repairs/quote/forged/").status_code == 404


def test_portal_lists_only_my_repairs(shop: Workshop) -> None:
    from haumai.portal.views import SESSION_CUSTOMER

    order = _received(shop)
    client = Client()
    session = client.session
    session[SESSION_CUSTOMER] = shop.binh.pk
    session.save()
    assert order.code not in client.get("/portal/repairs/").content.decode()
    assert client.get(f"/portal/repairs/{order.code}/").status_code == 404
    assert next_code  # codes come from the shared generator
