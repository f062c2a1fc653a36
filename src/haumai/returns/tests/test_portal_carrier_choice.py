"""The customer picks the carrier of a pickup among those enabled, each with the fee its fee API quotes;
a carrier that errors is shown unavailable, one that does not serve the address is refused at submit."""

from __future__ import annotations

from typing import Any

import pytest

from haumai.customers.models import Ward
from haumai.returns.models import ReturnRequest
from haumai.returns.tests.conftest import Shop
from haumai.returns.tests.test_portal import form, portal
from haumai.shipping.models import Carrier
from haumai.testing.carriers import LocalCarriers, local_fee

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_address(shop: Shop, ward: Ward, settings: Any) -> dict[str, Any]:
    settings.HAUMAI_RETURNS_ADDRESS_STREET = "12 Nguyễn Huệ"
    settings.HAUMAI_RETURNS_ADDRESS_WARD_CODE = str(ward.code)
    settings.HAUMAI_SHIPPING_READ_TIMEOUT = "0.4"  # the local server's simulated timeout waits 0.5 s
    phone_line = shop.order.lines.get(product__sku="PHONE-1")
    return {
        f"quantity_{phone_line.pk}": "1",
        "logistics": "carrier_pickup",
        "address": "new",
        "pickup_street": "9 Pasteur",
        "pickup_province": str(ward.province_id),
        "pickup_ward": str(ward.code),
        "pickup_phone": "0903 222 333",
    }


def test_the_form_lists_the_enabled_carriers_and_loads_their_fees(
    shop: Shop, carriers: LocalCarriers, other_address: dict[str, Any]
) -> None:
    Carrier.objects.filter(code="ninjavan").update(is_active=False)
    client = portal(shop.customer)
    page = client.get(f"/portal/orders/{shop.order.code}/return/").content.decode()
    assert 'name="carrier" value="ghn"' in page and 'value="ninjavan"' not in page
    assert carriers.requests == []  # the page itself asks no carrier; its fees load separately

    options = client.get(f"/portal/orders/{shop.order.code}/return/carriers/", other_address).content.decode()

    # The phone (1 item, no size recorded) travels as the default 500 g box.
    for code in ("ghn", "ghtk", "viettel_post", "jt"):
        assert f'data-carrier="{code}"' in options and f'data-fee="{local_fee(code, 500)}"' in options
    assert "ninjavan" not in options
    # Nothing chosen yet: every returnable item counts (the phone and two cases, 1.5 kg).
    del other_address[next(k for k in other_address if k.startswith("quantity_"))]
    options = client.get(f"/portal/orders/{shop.order.code}/return/carriers/", other_address).content.decode()
    assert f'data-fee="{local_fee("ghn", 1500)}"' in options


def test_a_carrier_that_errors_is_shown_unavailable(
    shop: Shop, carriers: LocalCarriers, other_address: dict[str, Any]
) -> None:
    carriers.fail_next("ghtk", "error")
    carriers.fail_next("jt", "timeout")

    options = portal(shop.customer).get(f"/portal/orders/{shop.order.code}/return/carriers/", other_address)

    text = options.content.decode()
    assert options.status_code == 200
    assert 'id="carrier-ghtk" disabled' in text and 'id="carrier-jt" disabled' in text
    assert "Gave no fee for this parcel" in text and "Did not answer" in text
    assert f'data-fee="{local_fee("ghn", 500)}"' in text


def test_an_address_without_ward_gets_a_clear_message_and_no_carrier_is_asked(
    shop: Shop, carriers: LocalCarriers, other_address: dict[str, Any]
) -> None:
    other_address["pickup_ward"] = ""

    text = portal(shop.customer).get(f"/portal/orders/{shop.order.code}/return/carriers/", other_address)

    assert "Choose a ward or commune that exists." in text.content.decode()
    assert carriers.requests == []


def test_the_chosen_carrier_is_booked(shop: Shop, carriers: LocalCarriers, other_address: dict[str, Any]) -> None:
    response = portal(shop.customer).post(
        f"/portal/orders/{shop.order.code}/return/", form(shop, carrier="viettel_post", **other_address)
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert ReturnRequest.objects.get().carrier_code == "viettel_post"


def test_a_carrier_that_does_not_serve_the_address_is_refused_with_nothing_created(
    shop: Shop, ward: Ward, carriers: LocalCarriers, other_address: dict[str, Any]
) -> None:
    carriers.refuse_ward("ghtk", ward.name)

    response = portal(shop.customer).post(
        f"/portal/orders/{shop.order.code}/return/", form(shop, carrier="ghtk", **other_address)
    )

    assert response.status_code == 422
    assert "does not serve this address: choose another carrier." in response.content.decode()
    assert not ReturnRequest.objects.exists()


def test_a_switched_off_carrier_cannot_be_chosen(
    shop: Shop, carriers: LocalCarriers, other_address: dict[str, Any]
) -> None:
    Carrier.objects.filter(code="jt").update(is_active=False)

    response = portal(shop.customer).post(
        f"/portal/orders/{shop.order.code}/return/", form(shop, carrier="jt", **other_address)
    )

    assert response.status_code == 422 and "Unknown carrier" in response.content.decode()
    assert not ReturnRequest.objects.exists()


def test_fees_of_another_customers_order_are_404(shop: Shop, other_address: dict[str, Any]) -> None:
    response = portal(shop.other).get(f"/portal/orders/{shop.order.code}/return/carriers/", other_address)

    assert response.status_code == 404
