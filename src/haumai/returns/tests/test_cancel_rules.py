"""Who may cancel a return, and when (DESIGN.md): the customer only before the carrier has the parcel;
once in transit, stopping it is a staff decision that sends the parcel back; nothing after a refund."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from haumai.core.errors import Conflict
from haumai.customers.models import Ward
from haumai.events.models import Event
from haumai.returns import logistics, services
from haumai.returns.models import ReturnRequest, Status
from haumai.returns.tests.conftest import Shop
from haumai.returns.tests.test_integration import ghn_pickup, push
from haumai.returns.tests.test_portal import portal
from haumai.testing.carriers import LocalCarriers


def in_transit(shop: Shop, ward: Ward, settings: Any, carriers: LocalCarriers, tick: Callable[[], None]) -> Any:
    request = ghn_pickup(shop, ward, settings)
    tick()
    request.refresh_from_db()
    push(carriers, request.tracking_code, "picked")
    tick()
    request.refresh_from_db()
    assert request.status == Status.IN_TRANSIT, request.problem
    return request


def cancel_calls(carriers: LocalCarriers) -> int:
    return sum("cancel" in r.path for r in carriers.requests_to("ghn"))


@pytest.mark.django_db
def test_the_customer_cannot_cancel_once_the_carrier_has_the_parcel(
    shop: Shop, ward: Ward, settings: Any, carriers: LocalCarriers, tick: Callable[[], None]
) -> None:
    request = in_transit(shop, ward, settings, carriers, tick)
    client = portal(shop.customer)

    assert b"/cancel/" not in client.get(f"/portal/returns/{request.code}/").content
    confirm = client.get(f"/portal/returns/{request.code}/cancel/")
    assert b"Yes, cancel" not in confirm.content and b"can no longer be cancelled" in confirm.content
    refused = client.post(f"/portal/returns/{request.code}/cancel/")

    assert refused.status_code == 409
    request.refresh_from_db()
    assert request.status == Status.IN_TRANSIT
    assert cancel_calls(carriers) == 0
    assert logistics.shipments_for(request)[0].status != "cancelled"


@pytest.mark.django_db
def test_staff_stop_in_transit_sends_the_parcel_back_and_keeps_the_shipment(
    shop: Shop, ward: Ward, settings: Any, carriers: LocalCarriers, tick: Callable[[], None], make_staff: Any
) -> None:
    request = in_transit(shop, ward, settings, carriers, tick)
    agent = make_staff("manager")

    services.cancel_return(actor=agent, request=request, note="Khách đổi ý, đã gọi điện xác nhận")

    request.refresh_from_db()
    assert request.status == Status.CANCELLED and request.stopped_in_transit_at is not None
    assert "back to the customer" in request.problem
    assert cancel_calls(carriers) == 0 and logistics.shipments_for(request)[0].status != "cancelled"
    event = Event.objects.get(name="return.cancelled", subject_id=str(request.pk))
    assert event.actor == agent and event.payload["parcel"] == "back_to_customer"

    push(carriers, request.tracking_code, "returned")  # the carrier brought it back to the customer
    tick()
    request.refresh_from_db()
    assert request.problem == "" and request.status == Status.CANCELLED


@pytest.mark.django_db
def test_nothing_is_cancelled_after_a_refund_was_sent(
    shop: Shop, ward: Ward, settings: Any, carriers: LocalCarriers, tick: Callable[[], None], make_staff: Any
) -> None:
    request = in_transit(shop, ward, settings, carriers, tick)
    # As a refund on the first carrier scan leaves it (payments owns the refund itself).
    ReturnRequest.objects.filter(pk=request.pk).update(refund_code="RF-2026-000001", refund_status="sent")
    request.refresh_from_db()

    with pytest.raises(Conflict) as refused:
        services.cancel_return(actor=make_staff("manager"), request=request, note="")

    assert refused.value.code == "refund_sent"
    request.refresh_from_db()
    assert request.status == Status.IN_TRANSIT and request.stopped_in_transit_at is None
    page = portal(shop.customer).get(f"/portal/returns/{request.code}/")
    assert b"/cancel/" not in page.content


@pytest.mark.django_db
def test_the_customer_confirms_before_cancelling_and_is_recorded_as_the_customer(
    shop: Shop, ward: Ward, settings: Any, carriers: LocalCarriers, tick: Callable[[], None]
) -> None:
    request = ghn_pickup(shop, ward, settings)
    tick()
    client = portal(shop.customer)

    confirm = client.get(f"/portal/returns/{request.code}/cancel/")
    assert confirm.status_code == 200
    request.refresh_from_db()
    assert request.status == Status.AWAITING_PICKUP  # asking is not cancelling
    assert client.post(f"/portal/returns/{request.code}/cancel/").status_code == 302

    request.refresh_from_db()
    assert request.status == Status.CANCELLED
    event = Event.objects.get(name="return.cancelled", subject_id=str(request.pk))
    assert event.actor is None and event.actor_label == "customer"
