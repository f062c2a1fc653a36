"""A voucher step gives the customer a real code of a loyalty campaign; the run's later messages show it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.core import clock
from haumai.core.errors import ValidationFailed
from haumai.journeys.models import JourneyRun, Reason, StepRun
from haumai.journeys.services import StepInput
from haumai.journeys.tests.conftest import deliver, place_order, tick
from haumai.journeys.tests.test_engine import make_journey
from haumai.loyalty.models import Voucher
from haumai.loyalty.services.vouchers import CampaignInput, create_campaign
from haumai.messaging.models import Delivery
from haumai.messaging.services import create_template

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(make_staff: Any, morning: Any) -> Any:
    manager = make_staff("manager")
    create_template(
        actor=manager, key="test.voucher", channel="email", language="vi", name="Quà tặng",
        subject="Quà cho {{ customer.name }}",
        body_text="Mã {{ voucher.code }} giảm {{ voucher.value }}, dùng đến {{ voucher.valid_until }}.",
    )  # fmt: skip
    return create_campaign(actor=manager, data=CampaignInput(
        code="CAMON", name="Cảm ơn", code_kind="unique", discount_kind="amount", amount_vnd=50_000, percent=0,
        max_discount_vnd=0, min_order_vnd=0, starts_at=clock.now() - dt.timedelta(days=1),
        ends_at=dt.datetime(2026, 12, 31, 16, 0, tzinfo=dt.UTC),
    ))  # fmt: skip


def test_the_code_given_is_the_one_in_the_message_and_a_repeated_tick_gives_nothing_more(
    catalog: Any, campaign: Any, capture: Any
) -> None:
    make_journey(steps=[StepInput(kind="voucher", voucher_campaign="CAMON"),
                        StepInput(kind="send", template_key="test.voucher")], channel_order=["email"])  # fmt: skip
    order = deliver(place_order())
    tick(capture)
    voucher = Voucher.objects.get()
    assert voucher.owner_id == order.customer_id and voucher.campaign_id == campaign.pk
    body = Delivery.objects.get().body_text
    assert voucher.code in body and "50.000" in body and "31/12/2026" in body
    assert JourneyRun.objects.get().context["voucher"]["code"] == voucher.code
    tick(capture)
    assert Voucher.objects.count() == 1 and Delivery.objects.count() == 1


def test_an_ended_campaign_skips_the_step_with_its_reason_and_the_run_goes_on(
    catalog: Any, campaign: Any, capture: Any
) -> None:
    make_journey(steps=[StepInput(kind="voucher", voucher_campaign="CAMON"),
                        StepInput(kind="send", template_key="order.thank_you")], channel_order=["email"])  # fmt: skip
    type(campaign).objects.filter(pk=campaign.pk).update(ends_at=clock.now() - dt.timedelta(hours=1))
    deliver(place_order())
    tick(capture)
    skipped = StepRun.objects.order_by("id").first()
    assert skipped is not None and skipped.reason == Reason.VOUCHER_UNAVAILABLE and "ended" in skipped.message
    assert not Voucher.objects.exists() and Delivery.objects.count() == 1


def test_a_voucher_step_must_name_an_existing_campaign(catalog: Any, morning: Any) -> None:
    with pytest.raises(ValidationFailed) as refused:
        make_journey(steps=[StepInput(kind="voucher", voucher_campaign="KHONG-CO")])
    assert refused.value.errors[0].field.endswith("voucher_campaign")


def test_the_demo_birthday_journey_sends_a_real_voucher_and_without_one_promises_none(
    db: Any, morning: Any, capture: Any, make_staff: Any
) -> None:
    from haumai.customers.models import Customer
    from haumai.demo.birthday import wire_birthday_voucher
    from haumai.journeys.models import Journey
    from haumai.journeys.tests.conftest import MORNING, grant, only

    only("birthday-greeting")
    today = clock.today()
    lan = Customer.objects.create(code="C1", full_name="Khách C1", search_key="c1", birth_date=today.replace(year=1990),
                                  email="lan@example.vn", preferred_channel="email")  # fmt: skip
    grant(lan, "marketing", "email")
    Journey.objects.filter(key="birthday-greeting").update(next_enrollment_at=MORNING)
    tick(capture)
    plain = Delivery.objects.get().body_text
    assert "Chúc mừng sinh nhật" in plain or "sinh nhật" in plain
    assert "Quà sinh nhật" not in plain  # no voucher step: the message promises no offer
    Delivery.objects.all().delete()
    JourneyRun.objects.all().delete()
    create_campaign(actor=make_staff("manager"), data=CampaignInput(
        code=f"SINHNHAT-{today.year}", name="Quà sinh nhật", code_kind="unique", discount_kind="amount",
        amount_vnd=100_000, percent=0, max_discount_vnd=0, min_order_vnd=500_000,
        starts_at=clock.now() - dt.timedelta(days=1), ends_at=clock.now() + dt.timedelta(days=90),
    ))  # fmt: skip
    assert wire_birthday_voucher() == {"journeys.birthday_voucher": 1}
    assert wire_birthday_voucher() == {"journeys.birthday_voucher": 0}  # once
    Journey.objects.filter(key="birthday-greeting").update(next_enrollment_at=MORNING)
    tick(capture)
    voucher = Voucher.objects.get(owner=lan)
    body = Delivery.objects.get().body_text
    assert f"mã {voucher.code} giảm 100.000" in body and "500.000" in body
