"""Customer services: creation rules, find-or-create by phone, updates."""

from __future__ import annotations

from typing import Any

import pytest

from haumai.core.errors import Conflict, ValidationFailed
from haumai.customers import services
from haumai.customers.models import Address, Consent, Customer, Identity
from haumai.events.models import Event


def test_create_customer_normalizes_and_records(make_staff: Any, ward: Any) -> None:
    actor = make_staff("agent")
    customer = services.create_customer(
        actor=actor,
        full_name="  Nguyễn   Văn Đạt ",
        phone="0912 345 678",
        email="Dat.Nguyen@Example.VN",
        addresses=[services.AddressInput(street="12 Lê Lợi", province_code=ward.province_id, ward_code=ward.code)],
        consents=[services.ConsentInput(purpose="marketing", channel="zalo", granted=True)],
    )
    assert customer.code.startswith("CUS-")
    assert customer.full_name == "Nguyễn Văn Đạt"
    assert customer.search_key == "nguyen van dat"
    assert customer.phone == "+84912345678"
    assert customer.email == "dat.nguyen@example.vn"
    kinds = set(Identity.objects.filter(customer=customer).values_list("kind", "value"))
    assert kinds == {("phone", "+84912345678"), ("email", "dat.nguyen@example.vn")}
    address = Address.objects.get(customer=customer)
    assert address.is_default
    assert Consent.objects.get(customer=customer).granted is True
    names = list(Event.objects.filter(customer=customer).values_list("name", flat=True).order_by("id"))
    assert names == ["customer.created", "customer.consent_changed"]


def test_create_customer_collects_every_field_error(make_staff: Any) -> None:
    with pytest.raises(ValidationFailed) as info:
        services.create_customer(
            actor=make_staff("agent"),
            full_name="",
            phone="12345",
            email="not-an-email",
            addresses=[services.AddressInput(street="x", province_code=999)],
            consents=[services.ConsentInput(purpose="spam", channel="fax", granted=True)],
        )
    fields = {e.field for e in info.value.errors}
    assert fields == {
        "full_name",
        "phone",
        "email",
        "addresses.0.province_code",
        "consents.0.purpose",
        "consents.0.channel",
    }
    assert Customer.objects.count() == 0
    assert Event.objects.count() == 0


def test_duplicate_phone_in_another_format_is_a_conflict(make_staff: Any) -> None:
    actor = make_staff("agent")
    first = services.create_customer(actor=actor, full_name="An", phone="+84912345678")
    with pytest.raises(Conflict) as info:
        services.create_customer(actor=actor, full_name="Bình", phone="84912345678")
    assert first.code in info.value.message
    assert Customer.objects.count() == 1


def test_find_or_create_by_phone(make_staff: Any) -> None:
    actor = make_staff("agent")
    customer, created = services.find_or_create_customer(actor=actor, phone="0912 345 678", full_name="Lan")
    assert created
    again, created_again = services.find_or_create_customer(actor=actor, phone="+84912345678")
    assert (again.pk, created_again) == (customer.pk, False)
    with pytest.raises(ValidationFailed) as info:
        services.find_or_create_customer(actor=actor, phone="0987 654 321")
    assert info.value.errors[0].field == "full_name"
    assert Customer.objects.count() == 1


def test_find_by_secondary_phone_identity(make_staff: Any) -> None:
    actor = make_staff("agent")
    customer = services.create_customer(actor=actor, full_name="Hoa", phone="0912345678")
    services.update_customer(actor=actor, customer=customer, phone="0987654321")
    found, created = services.find_or_create_customer(actor=actor, phone="0912345678")
    assert (found.pk, created) == (customer.pk, False)


def test_update_changes_only_given_fields(make_staff: Any) -> None:
    actor = make_staff("agent")
    customer = services.create_customer(actor=actor, full_name="Trần Thị Mai", phone="0912345678", email="m@x.vn")
    services.update_customer(actor=actor, customer=customer, full_name="Trần Thị Mai Anh")
    customer.refresh_from_db()
    assert customer.search_key == "tran thi mai anh"
    assert customer.email == "m@x.vn"
    event = Event.objects.filter(name="customer.updated").get()
    assert event.payload == {"code": customer.code, "fields": ["full_name"]}


def test_update_refuses_phone_of_another_customer(make_staff: Any) -> None:
    actor = make_staff("agent")
    services.create_customer(actor=actor, full_name="A", phone="0912345678")
    other = services.create_customer(actor=actor, full_name="B", phone="0987654321")
    with pytest.raises(Conflict):
        services.update_customer(actor=actor, customer=other, phone="+84 912 345 678")
    other.refresh_from_db()
    assert other.phone == "+84987654321"


def test_ward_must_be_in_province(make_staff: Any, ward: Any) -> None:
    from haumai.customers.models import Province

    other_province = Province.objects.exclude(code=ward.province_id).first()
    with pytest.raises(ValidationFailed) as info:
        services.create_customer(
            actor=make_staff("agent"),
            full_name="C",
            addresses=[services.AddressInput(street="1 A", province_code=other_province.code, ward_code=ward.code)],
        )
    assert info.value.errors[0].code == "ward_not_in_province"
