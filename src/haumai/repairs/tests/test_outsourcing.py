"""Outsourcing to the brand's service centre through the shipping app, and the centre chosen on a claim."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from haumai.core.errors import Conflict, ValidationFailed
from haumai.customers.models import Ward
from haumai.events.models import Event
from haumai.repairs import services
from haumai.repairs.models import RepairOrder
from haumai.repairs.tests.conftest import Workshop, accepted_claim, dispatch
from haumai.shipping import services as shipping
from haumai.shipping.models import Shipment
from haumai.warranty import services as warranty_services
from haumai.warranty.models import Claim


@pytest.fixture
def addressed(shop: Workshop) -> Workshop:
    """Our parts warehouse and the brand centre with addresses a carrier can go to."""
    ward = Ward.objects.order_by("code").first()
    assert ward is not None, "the 2025 wards are loaded by the customers migrations"
    shop.warehouse.street, shop.warehouse.ward, shop.warehouse.phone = "12 Lê Lợi", ward, "0901234567"
    shop.warehouse.save()
    shop.brand_center.address, shop.brand_center.ward, shop.brand_center.phone = "9 Nguyễn Huệ", ward, "0912000111"
    shop.brand_center.save()
    return shop


def _parcel(code: str) -> Shipment:
    """The shipment, its creation put at the frozen test time (auto_now_add uses the real clock)."""
    from haumai.core import clock

    Shipment.objects.filter(code=code).update(created_at=clock.now())
    return Shipment.objects.get(code=code)


def _diagnosing(shop: Workshop) -> RepairOrder:
    order = services.receive_unit(
        actor=shop.agent, unit=shop.unit, customer=shop.an, service_center=shop.center,
        description="Không lên nguồn", condition="", accessories=[],
    )  # fmt: skip
    return services.start_diagnosis(actor=shop.technician, order=order)


def test_the_unit_travels_to_the_brand_and_back_by_booked_shipments(addressed: Workshop) -> None:
    shop = addressed
    order = services.outsource(
        actor=shop.technician, order=_diagnosing(shop), center=shop.brand_center, carrier="own_fleet"
    )
    parcel = _parcel(order.outsource_shipment)
    assert parcel.reference == order.code and parcel.customer is None and parcel.direction == "forward"
    assert parcel.recipient["street"] == "9 Nguyễn Huệ" and parcel.sender["street"] == "12 Lê Lợi"
    assert order.outsource_status == "pickup_scheduled"
    with pytest.raises(Conflict):
        services.outsource(actor=shop.technician, order=order, center=shop.brand_center, carrier="own_fleet")
    shipping.update_fleet_status(shipment=parcel, status="picked_up", actor=shop.agent)
    shipping.update_fleet_status(shipment=parcel, status="delivered", actor=shop.agent)
    dispatch()
    order.refresh_from_db()
    assert order.outsource_status == "delivered" and order.outsource_back_at is None
    assert Event.objects.filter(name="repair.outsource_arrived", subject_id=str(order.pk)).count() == 1
    dispatch()  # a second pass over the same events changes nothing
    assert Event.objects.filter(name="repair.outsource_arrived").count() == 1

    order = services.book_return_from_brand(actor=shop.technician, order=order, carrier="own_fleet")
    back = _parcel(order.outsource_return_shipment)
    assert back.direction == "reverse" and back.sender["street"] == "9 Nguyễn Huệ"
    with pytest.raises(Conflict):
        services.book_return_from_brand(actor=shop.technician, order=order, carrier="own_fleet")
    shipping.update_fleet_status(shipment=back, status="delivered", actor=shop.agent)
    dispatch()
    order.refresh_from_db()
    assert order.outsource_return_status == "delivered" and order.outsource_back_at is not None
    assert Event.objects.filter(name="repair.outsource_returned").count() == 1


def test_a_failed_parcel_is_flagged_on_the_repair(addressed: Workshop) -> None:
    shop = addressed
    order = services.outsource(
        actor=shop.technician, order=_diagnosing(shop), center=shop.brand_center, carrier="own_fleet"
    )
    parcel = _parcel(order.outsource_shipment)
    shipping.update_fleet_status(shipment=parcel, status="failed", actor=shop.agent, note="Không liên hệ được")
    dispatch()
    order.refresh_from_db()
    assert order.outsource_status == "failed"
    assert Event.objects.filter(name="repair.outsource_shipment_problem").count() == 1


def test_an_api_carrier_shipment_waits_for_the_worker_to_book_it(addressed: Workshop) -> None:
    shop = addressed
    order = services.outsource(actor=shop.technician, order=_diagnosing(shop), center=shop.brand_center, carrier="ghn")
    parcel = _parcel(order.outsource_shipment)
    assert parcel.status == "created" and parcel.due_at is not None and parcel.carrier.code == "ghn"
    assert parcel.recipient["ward_code"] == shop.brand_center.ward_id


def test_a_brand_centre_without_an_address_is_refused_and_nothing_is_booked(shop: Workshop) -> None:
    order = _diagnosing(shop)
    with pytest.raises(ValidationFailed) as refused:
        services.outsource(actor=shop.technician, order=order, center=shop.brand_center, carrier="own_fleet")
    assert refused.value.errors[0].field == "center"
    with pytest.raises(ValidationFailed) as unknown:
        services.outsource(actor=shop.technician, order=order, center=shop.brand_center, carrier="no-such-carrier")
    assert unknown.value.errors[0].field == "tracking_code"
    fresh = RepairOrder.objects.get(pk=order.pk)
    assert fresh.outsourced_at is None and not Shipment.objects.exists()
    assert not Event.objects.filter(name="repair.outsourced").exists()


def test_the_console_books_the_shipment_to_the_brand(addressed: Workshop, client: Any) -> None:
    order = _diagnosing(addressed)
    client.force_login(addressed.technician)
    page = client.get(f"/console/repairs/{order.code}/").content.decode()
    assert 'id="outsource-form"' in page and 'value="own_fleet"' in page
    client.post(
        f"/console/repairs/{order.code}/actions/outsource/",
        {"center": addressed.brand_center.code, "carrier": "own_fleet"},
    )
    order.refresh_from_db()
    assert order.outsource_shipment and order.outsource_status == "pickup_scheduled"
    assert 'id="outsource-status"' in client.get(f"/console/repairs/{order.code}/").content.decode()


def _brand_terms(claim: Claim) -> None:
    warranty = claim.warranty
    warranty.terms = {**warranty.terms, "responsibility": "brand"}
    warranty.save(update_fields=["terms"])


def test_a_claim_goes_to_the_chosen_centre(shop: Workshop) -> None:
    claim = accepted_claim(shop.warranty)
    with pytest.raises(ValidationFailed) as unknown:
        warranty_services.resolve_claim(actor=shop.manager, claim=claim, service_center="no-such-centre")
    assert unknown.value.errors[0].code == "unknown_center"
    if shop.warranty.terms.get("responsibility") != "brand":
        with pytest.raises(ValidationFailed) as retailer:
            warranty_services.resolve_claim(actor=shop.manager, claim=claim, service_center=shop.brand_center.code)
        assert retailer.value.errors[0].code == "not_brand_warranty"
    assert Claim.objects.get(pk=claim.pk).status == "accepted"
    _brand_terms(claim)
    claim.refresh_from_db()
    assert shop.brand_center in warranty_services.center_choices(claim)
    resolved = warranty_services.resolve_claim(actor=shop.manager, claim=claim, service_center=shop.brand_center.code)
    assert resolved.status == "in_service" and resolved.service_center_code == shop.brand_center.code
    dispatch()
    order = RepairOrder.objects.get(claim=claim)
    # The unit comes in at our counter and goes on to the brand: the outsourcing form preselects it.
    assert order.service_center == shop.center and not order.intake_done


def test_a_claim_sent_to_one_of_our_centres_opens_there(shop: Workshop) -> None:
    from haumai.repairs.models import ServiceCenter

    other = ServiceCenter.objects.create(code="ttbh-q7", name="Trung tâm bảo hành Quận 7")
    claim = accepted_claim(shop.warranty)
    warranty_services.resolve_claim(actor=shop.manager, claim=claim, service_center=other.code)
    dispatch()
    assert RepairOrder.objects.get(claim=claim).service_center == other


def test_a_centre_on_a_replacement_claim_is_refused(shop: Workshop) -> None:
    claim = warranty_services.file_claim(
        actor=None, warranty=shop.warranty, description="Hỏng nguồn, không bật được", origin="console"
    )
    claim = warranty_services.decide_claim(actor=None, claim=claim, accept=True, resolution="refund")
    with pytest.raises(ValidationFailed) as refused:
        warranty_services.resolve_claim(actor=shop.manager, claim=claim, service_center=shop.center.code)
    assert refused.value.errors[0].code == "not_repair"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_parallel_sends_book_one_shipment(addressed: Workshop) -> None:
    order = _diagnosing(addressed)
    barrier = threading.Barrier(4, timeout=60)
    outcomes: list[str] = []

    def send() -> None:
        try:
            barrier.wait()
            services.outsource(
                actor=addressed.technician, order=order, center=addressed.brand_center, carrier="own_fleet"
            )
            outcomes.append("sent")
        except Conflict:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused"] * 3 + ["sent"]
    assert Shipment.objects.filter(reference=order.code).count() == 1
