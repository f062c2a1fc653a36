"""Consent evidence: versioned wording per purpose (vi/en), the version and evidence stored with each grant,
shown on the 360 and the portal; a new wording that requires re-consent voids older grants for marketing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from haumai.core.errors import ValidationFailed
from haumai.customers.consents import current_texts, effective_consents, publish_consent_text
from haumai.customers.models import Consent, ConsentText
from haumai.customers.services import ConsentInput, create_customer, update_customer
from haumai.events.models import Event
from haumai.journeys.models import Reason, StepRun
from haumai.journeys.tests.conftest import (  # noqa: F401
    _fresh_journey_cache,
    capture,
    catalog,
    deliver,
    morning,
    only,
    place_order,
    tick,
)
from haumai.journeys.tests.test_engine import make_journey, send
from haumai.messaging.models import Delivery

pytestmark = pytest.mark.django_db
V1 = {"vi": "Tôi đồng ý nhận tin khuyến mãi qua Zalo, SMS, e-mail.", "en": "I agree to receive promotions."}
V2 = {
    "vi": "Tôi đồng ý nhận tin khuyến mãi và gợi ý sản phẩm theo lịch sử mua hàng.",
    "en": "Promotions and suggestions.",
}


def test_wording_is_versioned_per_purpose(make_staff: Any) -> None:
    manager = make_staff("manager")
    with pytest.raises(ValidationFailed) as refused:
        publish_consent_text(actor=manager, purpose="marketing", bodies={"en": "English only"})
    assert [e.field for e in refused.value.errors] == ["bodies.vi"]
    with pytest.raises(ValidationFailed):
        publish_consent_text(actor=manager, purpose="lottery", bodies={"vi": "x"})
    assert not ConsentText.objects.exists()
    first = publish_consent_text(actor=manager, purpose="marketing", bodies=V1)
    second = publish_consent_text(actor=manager, purpose="marketing", bodies=V2)
    service = publish_consent_text(actor=manager, purpose="service", bodies={"vi": "Tin nhắn về đơn hàng"})
    assert {t.version for t in first} == {1} and {t.version for t in second} == {2} and service[0].version == 1
    assert current_texts("en")["marketing"].body == V2["en"] and current_texts("en")["service"].language == "vi"
    assert Event.objects.filter(name="customer.consent_text_published").count() == 3


def test_a_grant_stores_its_version_and_evidence_and_the_360_shows_them(make_staff: Any) -> None:
    publish_consent_text(actor=None, purpose="marketing", bodies=V1)
    with pytest.raises(ValidationFailed) as refused:
        create_customer(
            actor=None, full_name="Phạm Thu Hà", phone="0903000111",
            consents=[ConsentInput(purpose="marketing", channel="zalo", granted=True, text_version=9,
                                   evidence_channel="telepathy", ip_address="not-an-ip")],
        )  # fmt: skip
    assert {e.field for e in refused.value.errors} == {
        "consents.0.text_version", "consents.0.evidence_channel", "consents.0.ip_address"
    }  # fmt: skip
    customer = create_customer(
        actor=None, full_name="Phạm Thu Hà", phone="0903000111",
        consents=[ConsentInput(purpose="marketing", channel="zalo", granted=True, source="store",
                               evidence_channel="in_store", agent="Phiếu đăng ký ký tại cửa hàng Q1")],
    )  # fmt: skip
    consent = Consent.objects.get(customer=customer)
    assert consent.text_version == 1 and consent.evidence_channel == "in_store"  # the current version by default
    agent = make_staff("agent")
    client = Client()
    client.force_login(agent)
    page = client.get(f"/console/customers/{customer.code}/").content.decode()
    assert 'id="customer-consent-evidence"' in page and "wording v1" in page and "Signed at a store" in page


@pytest.mark.django_db
def test_a_new_wording_requires_consent_again_before_marketing_goes(
    catalog: Any,  # noqa: F811
    morning: Any,  # noqa: F811
    capture: Any,  # noqa: F811
) -> None:
    publish_consent_text(actor=None, purpose="marketing", bodies=V1)
    make_journey(steps=[send()], purpose="marketing", channel_order=["email"])
    only("test")
    order = place_order()
    update_customer(
        actor=None, customer=order.customer,
        consents=[ConsentInput(purpose="marketing", channel="email", granted=True, evidence_channel="portal")],
    )  # fmt: skip
    assert effective_consents([order.customer.pk])[order.customer.pk] == {("marketing", "email"): True}
    # A wording change that does not need a new consent (a typo) keeps the grant counting.
    publish_consent_text(actor=None, purpose="marketing", bodies=V1, requires_reconsent=False)
    assert effective_consents([order.customer.pk])[order.customer.pk] == {("marketing", "email"): True}
    # A new purpose scope: grants of versions 1-2 stop counting; the journey skips for lack of consent.
    publish_consent_text(actor=None, purpose="marketing", bodies=V2)
    assert effective_consents([order.customer.pk])[order.customer.pk] == {("marketing", "email"): False}
    deliver(order)
    tick(capture)
    assert not Delivery.objects.exists()
    assert StepRun.objects.get().reason == Reason.NO_CONSENT
    # Agreeing to version 3 is a change (a re-consent) and counts again.
    changes = update_customer(
        actor=None, customer=order.customer,
        consents=[ConsentInput(purpose="marketing", channel="email", granted=True, text_version=3)],
    )  # fmt: skip
    assert changes and Consent.objects.get(customer=order.customer).text_version == 3
    assert effective_consents([order.customer.pk])[order.customer.pk] == {("marketing", "email"): True}


def portal(customer: Any) -> Client:
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 (iPhone) Safari", REMOTE_ADDR="203.0.113.77")
    session = client.session
    session["portal_customer_id"] = customer.pk
    session.save()
    return client


def test_the_portal_shows_the_wording_and_records_the_evidence_of_a_grant(db: Any) -> None:
    customer = create_customer(actor=None, full_name="Võ Minh Tuấn", phone="0933444555")
    client = portal(customer)
    assert 'id="privacy-marketing-consent"' not in client.get("/portal/privacy/").content.decode()
    publish_consent_text(actor=None, purpose="marketing", bodies=V1)
    page = client.get("/portal/privacy/").content.decode()
    assert 'id="marketing-wording"' in page and V1["en"] in page  # in the reader's language
    stale = client.post("/portal/privacy/consent/marketing/", {"version": "0", "channel": "zalo"})
    nothing = client.post("/portal/privacy/consent/marketing/", {"version": "1"})
    assert "error=consent" in stale["Location"] and "error=consent" in nothing["Location"]
    assert not Consent.objects.exists()
    done = client.post("/portal/privacy/consent/marketing/", {"version": "1", "channel": ["zalo", "email", "fax"]})
    assert "done=agreed" in done["Location"]
    rows = list(Consent.objects.filter(customer=customer).order_by("channel"))
    assert [(c.channel, c.text_version, c.evidence_channel) for c in rows] == [
        ("email", 1, "portal"),
        ("zalo", 1, "portal"),
    ]
    assert rows[0].evidence_ip == "203.0.113.77" and "iPhone" in rows[0].evidence_agent
    publish_consent_text(actor=None, purpose="marketing", bodies=V2)
    page = client.get("/portal/privacy/").content.decode()
    assert 'data-outdated="yes"' in page and V2["en"] in page
