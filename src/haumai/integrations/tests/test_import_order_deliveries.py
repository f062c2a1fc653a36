"""Orders import with carrier + tracking code: the order's delivery is registered as the API registers it."""

from __future__ import annotations

import pytest

from haumai.events.models import Event
from haumai.integrations.models import ImportRun
from haumai.integrations.services import columns_of
from haumai.integrations.tests.test_import_orders import HEADER, good_rows
from haumai.sales.models import Order
from haumai.shipping.models import Carrier, Shipment

pytestmark = pytest.mark.django_db

DELIVERY_HEADER = [*HEADER, "carrier", "tracking_code"]


def rows_with_deliveries(first: tuple[str, str] = ("ghn", "GHN-LX7Q2"), second: tuple[str, str] = ("", "")):
    rows = good_rows()
    return [DELIVERY_HEADER, rows[1] + list(first), rows[2] + list(first), rows[3] + list(second)]


def other_order_with(tracking_code: str) -> list[list[object]]:
    row = good_rows()[3]
    return [DELIVERY_HEADER, [row[0], "SP-9", *row[2:], "ghn", tracking_code]]


def test_the_columns_are_documented() -> None:
    names = [column.name for column in columns_of("orders")]
    assert "carrier" in names and "tracking_code" in names


def test_a_delivered_order_with_a_tracking_code_gets_its_watched_shipment(
    run_import, write_csv, channel, store, products
):
    outcome = run_import("orders", write_csv("orders.csv", rows_with_deliveries()))

    assert outcome.ok, outcome
    assert "shipments_created: 1" in outcome
    order = Order.objects.get(external_id="SP-1")
    shipment = Shipment.objects.get()
    assert (shipment.direction, shipment.status, shipment.reference) == ("forward", "pickup_scheduled", order.code)
    assert shipment.carrier.code == "ghn" and shipment.tracking_code == "GHN-LX7Q2"
    assert shipment.customer_id == order.customer_id and shipment.due_at is not None  # stuck detection watches it
    assert Event.objects.filter(name="shipment.created", subject_id=str(shipment.pk)).count() == 1
    assert ImportRun.objects.get().counts["shipments_created"] == 1

    again = run_import("orders", write_csv("again.csv", rows_with_deliveries()))

    assert again.ok, again
    assert "unchanged: 2" in again
    assert Shipment.objects.count() == 1 and Event.objects.filter(name="shipment.created").count() == 1


def test_a_stored_order_imported_again_with_its_tracking_code_gets_the_shipment(
    run_import, write_csv, channel, store, products
):
    assert run_import("orders", write_csv("orders.csv", good_rows())).ok
    order = Order.objects.get(external_id="SP-2")

    outcome = run_import("orders", write_csv("again.csv", rows_with_deliveries(("", ""), ("ghtk", "S1.234-5"))))

    assert outcome.ok, outcome
    assert "unchanged: 2" in outcome
    assert Shipment.objects.get().reference == order.code


def test_a_code_used_by_another_order_refuses_the_file_and_writes_nothing(
    run_import, write_csv, channel, store, products, snapshot
):
    other = other_order_with("GHN-LX7Q2")
    assert run_import("orders", write_csv("other.csv", other)).ok
    taken_by = Order.objects.get(external_id="SP-9").code
    before, shipments = snapshot(), list(Shipment.objects.values_list("id", "reference"))

    outcome = run_import("orders", write_csv("orders.csv", rows_with_deliveries()))

    assert not outcome.ok
    assert f"line 2, column tracking_code: tracking code GHN-LX7Q2 of ghn is already used by {taken_by}" in outcome
    assert snapshot() == before and list(Shipment.objects.values_list("id", "reference")) == shipments


def test_skip_invalid_leaves_out_the_whole_order_with_a_taken_code(
    run_import, write_csv, channel, store, products
):
    other = other_order_with("GHN-LX7Q2")
    assert run_import("orders", write_csv("other.csv", other)).ok

    outcome = run_import("orders", write_csv("orders.csv", rows_with_deliveries()), "--skip-invalid")

    assert outcome.ok, outcome
    assert sorted(Order.objects.values_list("external_id", flat=True)) == ["SP-2", "SP-9"]
    assert Shipment.objects.count() == 1
    assert ImportRun.objects.order_by("-pk").first().status == "partial"


@pytest.mark.parametrize(
    ("first", "second", "problem"),
    [
        (("dhl", "DHL-123"), ("", ""), "line 2, column carrier: unknown carrier 'dhl' (known: "),
        (("", "GHN-1234"), ("", ""), "line 2, column carrier: is required with a tracking code"),
        (("ghn", ""), ("", ""), "line 2, column tracking_code: is required with a carrier"),
        (("ghn", "mã vận đơn"), ("", ""), "line 2, column tracking_code: 'mã vận đơn' is not a tracking code"),
        (("ghn", "GHN-1"), ("ghn", "GHN-1"), "line 4, column tracking_code: tracking code GHN-1 of ghn is already on"
                                             " line 2 (order SP-1)"),
    ],
)  # fmt: skip
def test_bad_delivery_cells_refuse_the_file(
    run_import, write_csv, channel, store, products, snapshot, first, second, problem
):
    before = snapshot()

    outcome = run_import("orders", write_csv("orders.csv", rows_with_deliveries(first, second)))

    assert not outcome.ok
    assert problem in outcome, outcome
    assert snapshot() == before and not Shipment.objects.exists()


def test_a_cancelled_order_or_a_switched_off_carrier_has_no_delivery(
    run_import, write_csv, channel, store, products, snapshot
):
    Carrier.objects.filter(code="ghtk").update(is_active=False)
    rows = rows_with_deliveries(("ghn", "GHN-1234"), ("ghtk", "GHTK-1"))
    for row in rows[1:3]:
        row[3] = "da_huy"
    before = snapshot()

    outcome = run_import("orders", write_csv("orders.csv", rows))

    assert not outcome.ok
    assert "line 2, column tracking_code: a cancelled order has no delivery to register" in outcome
    assert "line 4, column carrier: carrier 'ghtk' is switched off" in outcome
    assert snapshot() == before and not Shipment.objects.exists()


def test_the_lines_of_one_order_agree_on_the_delivery(run_import, write_csv, channel, store, products):
    rows = rows_with_deliveries()
    rows[2][-1] = "GHN-OTHER"

    outcome = run_import("orders", write_csv("orders.csv", rows))

    assert not outcome.ok
    assert "line 3, column tracking_code: 'GHN-OTHER' differs from line 2 of the same order ('GHN-LX7Q2')" in outcome
