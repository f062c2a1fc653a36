"""The birthday greeting carries a real code of the running birthday campaign: one per customer and year."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection

from haumai.core import clock, scheduler
from haumai.customers.models import Consent
from haumai.journeys.enrollment import forget_journeys
from haumai.journeys.models import Journey, JourneyStep
from haumai.loyalty.models import Voucher
from haumai.loyalty.services import vouchers
from haumai.loyalty.tests.conftest import Shop
from haumai.loyalty.tests.test_concurrency import _race
from haumai.messaging.models import Delivery

pytestmark = pytest.mark.django_db


def birthday_campaign(code: str = "SINHNHAT-2026", **extra: Any) -> Any:
    now = clock.now()
    fields: dict[str, Any] = {
        "code": code, "name": "Quà sinh nhật", "code_kind": "unique", "discount_kind": "amount",
        "amount_vnd": 100_000, "percent": 0, "max_discount_vnd": 0, "min_order_vnd": 500_000,
        "starts_at": now - dt.timedelta(days=1), "ends_at": now + dt.timedelta(days=60), "purpose": "birthday",
    }  # fmt: skip
    fields.update(extra)
    return vouchers.create_campaign(actor=None, data=vouchers.CampaignInput(**fields))


def celebrate(shop: Shop, capture: Any) -> None:
    """Today is An's birthday: enroll the birthday journeys and run them (with on-commit callbacks)."""
    shop.an.birth_date = clock.today().replace(year=1990)
    shop.an.save(update_fields=["birth_date"])
    Consent.objects.update_or_create(
        customer=shop.an, purpose="marketing", channel="email",
        defaults={"granted": True, "recorded_at": clock.now(), "source": "test"},
    )  # fmt: skip
    Journey.objects.filter(trigger_kind="birthday").update(next_enrollment_at=clock.now())
    with capture(execute=True):
        for source in scheduler.registered():
            if source.name in ("journeys.enrollment", "journeys.runs"):
                scheduler.run_source(source, batch_size=100)


@pytest.fixture
def birthday_only(shop: Shop) -> None:
    Journey.objects.exclude(key="birthday-greeting").update(is_active=False)
    forget_journeys()


def test_the_built_in_greeting_carries_a_code_of_the_birthday_campaign(
    shop: Shop, birthday_only: Any, django_capture_on_commit_callbacks: Any
) -> None:
    campaign = birthday_campaign()
    celebrate(shop, django_capture_on_commit_callbacks)
    voucher = Voucher.objects.get()
    assert (voucher.owner_id, voucher.campaign_id, voucher.max_uses) == (shop.an.pk, campaign.pk, 1)
    assert voucher.idempotency_key == f"birthday:{shop.an.pk}:2026"
    body = Delivery.objects.get(template_key="birthday.greeting").body_text
    assert voucher.code in body and "100.000" in body


def test_a_second_birthday_journey_with_its_own_voucher_step_gives_the_same_code(
    shop: Shop, birthday_only: Any, django_capture_on_commit_callbacks: Any
) -> None:
    birthday_campaign()
    birthday_campaign(code="SN-VIP", purpose="")
    builtin = Journey.objects.get(key="birthday-greeting")
    copy = Journey.objects.create(key="birthday-vip", name="Sinh nhật VIP", trigger_kind="birthday",
                                  purpose="marketing", allow_reentry=True, channel_order=["email"])  # fmt: skip
    JourneyStep.objects.create(journey=copy, position=1, kind="voucher", voucher_campaign="SN-VIP")
    JourneyStep.objects.create(journey=copy, position=2, kind="send", template_key="birthday.greeting")
    assert builtin.is_active
    forget_journeys()
    celebrate(shop, django_capture_on_commit_callbacks)
    assert Voucher.objects.count() == 1
    code = Voucher.objects.get().code
    bodies = list(Delivery.objects.values_list("body_text", flat=True))
    assert len(bodies) == 2 and all(code in body for body in bodies)


def test_without_a_birthday_campaign_the_greeting_promises_no_code(
    shop: Shop, birthday_only: Any, django_capture_on_commit_callbacks: Any
) -> None:
    birthday_campaign(purpose="")  # a campaign, but not the birthday gift
    celebrate(shop, django_capture_on_commit_callbacks)
    assert not Voucher.objects.exists()
    assert "SINHNHAT" not in Delivery.objects.get(template_key="birthday.greeting").body_text


def test_a_closed_birthday_campaign_gives_nothing_and_a_shared_code_cannot_be_the_gift(shop: Shop) -> None:
    from haumai.core.errors import ValidationFailed
    from haumai.loyalty.services.campaigns import close_campaign

    campaign = birthday_campaign()
    close_campaign(actor=None, campaign=campaign, void_codes=False, reason="Hết ngân sách")
    assert vouchers.issue_birthday_voucher(customer=shop.an, year=2026) is None
    with pytest.raises(ValidationFailed) as refused:
        birthday_campaign(code="SN-SHARED", code_kind="shared", shared_code="SNVUI")
    assert refused.value.errors[0].field == "purpose"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_birthday_runs_give_one_code(shop: Shop) -> None:
    birthday_campaign()

    def gift(_n: int) -> Any:
        return vouchers.issue_birthday_voucher(customer=shop.an, year=2026)

    results, failures = _race(10, gift)
    assert failures == [] and len(results) == 10
    assert Voucher.objects.count() == 1 and {v.pk for v in results} == {Voucher.objects.get().pk}
