"""Deletion = anonymization across every app: nothing names the person any more, accounting stays."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from django.db.models import Sum

from haumai.console.selectors import global_search
from haumai.core.errors import Forbidden
from haumai.customers.models import Address, Consent, Customer, Identity
from haumai.customers.selectors import customer_list
from haumai.customers.services import ANONYMIZED_NAME
from haumai.events.models import Event
from haumai.messaging.models import Delivery
from haumai.portal.models import LoginCode
from haumai.privacy import services
from haumai.privacy.models import RequestStatus
from haumai.privacy.tests.conftest import EMAIL, NAME, PHONE, Footprint
from haumai.returns.models import ReturnPhoto, ReturnRequest
from haumai.sales.models import Order
from haumai.shipping.models import Shipment

pytestmark = pytest.mark.django_db

NEEDLES = (PHONE, "0901234567", "901234567", EMAIL, NAME, "NGUYEN VAN AN", "0011002233445")


def _dump_everything(customer: Customer) -> str:
    """Every text Haumai holds that is linked to the customer, as one string."""
    parts: list[Any] = [list(Event.objects.values_list("payload", flat=True))]
    parts.append(list(Customer.objects.filter(pk=customer.pk).values()))
    parts.append(list(ReturnRequest.objects.filter(customer=customer).values()))
    parts.append(list(Shipment.objects.filter(customer=customer).values("sender", "recipient", "booking_error")))
    parts.append(list(Delivery.objects.values("destination", "subject", "body_text", "body_html", "payload")))
    parts.append(list(LoginCode.objects.values("destination")))
    from haumai.payments.models import Refund

    parts.append(list(Refund.objects.values("bank_account", "reason")))
    return json.dumps(parts, ensure_ascii=False, default=str)


def _deletion(footprint: Footprint, manager: Any) -> Any:
    return services.create_request(
        actor=manager,
        customer=footprint.customer,
        kind="deletion",
        origin="console",
        verification_method="id_document",
        verification_note="CCCD checked at the store",
    )


def test_deletion_leaves_nothing_that_names_the_person(
    footprint: Footprint, make_staff: Any, django_capture_on_commit_callbacks: Any, client: Any
) -> None:
    customer = footprint.customer
    manager = make_staff("manager")
    before = _dump_everything(customer)
    for needle in (PHONE, EMAIL, NAME):
        assert needle in before  # the footprint really holds the person's data
    totals_before = Order.objects.aggregate(total=Sum("total"))["total"]
    orders_before = Order.objects.filter(customer=customer).count()
    photo = ReturnPhoto.objects.get(request__customer=customer)
    photo_path = photo.file.path
    assert os.path.exists(photo_path)

    request = _deletion(footprint, manager)
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.erase_customer(actor=manager, request=request)

    customer.refresh_from_db()
    assert customer.full_name == ANONYMIZED_NAME and customer.phone is None and customer.email is None
    assert customer.birth_date is None and customer.search_key == ""
    assert not Identity.objects.filter(customer=customer).exists()
    assert not Address.objects.filter(customer=customer).exists()
    assert not Consent.objects.filter(customer=customer).exists()
    assert not ReturnPhoto.objects.filter(request__customer=customer).exists()
    assert not os.path.exists(photo_path)
    assert not LoginCode.objects.filter(destination=PHONE).exists()
    after = _dump_everything(customer)
    for needle in NEEDLES:
        assert needle not in after, needle
    # Search by name, phone and e-mail finds nothing any more.
    for query in ("Nguyễn Văn An", "nguyen van an", "0901234567", "+84901234567", EMAIL):
        assert not customer_list(q=query).filter(pk=customer.pk).exists(), query
        assert not any(customer.code in hit.url for hit in global_search(query, manager).hits), query
    # Accounting stays: the orders and the return are there, the sums unchanged.
    assert Order.objects.filter(customer=customer).count() == orders_before
    assert Order.objects.aggregate(total=Sum("total"))["total"] == totals_before
    assert ReturnRequest.objects.get(code=footprint.return_code).customer_id == customer.pk
    request.refresh_from_db()
    assert request.status == RequestStatus.COMPLETED
    assert counts["customers.identity"] >= 1 and counts["returns.returnphoto"] == 1
    # The console shows the anonymized record with its orders.
    client.force_login(manager)
    page = client.get(f"/console/customers/{customer.code}/").content.decode()
    assert ANONYMIZED_NAME in page and footprint.shop.order.code in page and NAME not in page
    audit = Event.objects.get(name="privacy.customer_anonymized")
    assert audit.actor == manager and audit.payload["removed"]["customers.customer"] == 1


def test_only_a_permitted_user_may_erase_and_a_refusal_changes_nothing(footprint: Footprint, make_staff: Any) -> None:
    request = _deletion(footprint, make_staff("manager"))
    before = _dump_everything(footprint.customer)
    with pytest.raises(Forbidden):
        services.erase_customer(actor=make_staff("agent"), request=request)
    assert _dump_everything(footprint.customer) == before
    request.refresh_from_db()
    assert request.status == RequestStatus.VERIFIED


def test_a_failing_app_hook_rolls_the_whole_deletion_back(
    footprint: Footprint, make_staff: Any, monkeypatch: Any
) -> None:
    """One transaction: half an anonymization would be worse than none."""
    from haumai.privacy import registry

    manager = make_staff("manager")
    request = _deletion(footprint, manager)
    before = _dump_everything(footprint.customer)
    source = registry._sources["shipping"]

    def broken(person: Any, actor: Any) -> dict[str, int]:
        raise RuntimeError("carrier adapter exploded")

    # The failure is injected into one registered hook (an external fault), not into our database.
    monkeypatch.setitem(
        registry._sources,
        "shipping",
        registry.PersonalDataSource(
            app=source.app,
            models=source.models,
            not_personal=source.not_personal,
            export=source.export,
            anonymize=broken,
            order=source.order,
        ),
    )
    with pytest.raises(RuntimeError):
        services.erase_customer(actor=manager, request=request)
    assert _dump_everything(footprint.customer) == before
    assert Identity.objects.filter(customer=footprint.customer).exists()
