"""A survey invitation opened by the surveys app itself (not by a journey) respects the customer's processing
restriction: `automated_care` (or `all`) stops it with nothing created; `marketing` or `profiling` alone does
not; lifting the restriction lets the customer be asked again (issue 9, restriction of processing)."""

from __future__ import annotations

from typing import Any

import pytest

from haumai.core.errors import Conflict
from haumai.privacy import restrictions
from haumai.surveys.models import Invitation
from haumai.surveys.tests.conftest import invite

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("purpose", ["automated_care", "all"])
def test_a_restricted_customer_is_not_invited(surveys: Any, customer: Any, make_staff: Any, purpose: str) -> None:
    manager = make_staff("manager")
    restrictions.restrict_processing(actor=manager, customer=customer, purposes=[purpose], evidence="Gọi tổng đài")
    with pytest.raises(Conflict) as refused:
        invite(surveys["ces-return"], customer, idempotency_key="k1")
    assert refused.value.code == "restricted" and not Invitation.objects.exists()
    restrictions.lift_restriction(actor=manager, customer=customer, reason="Khách đồng ý lại")
    assert invite(surveys["ces-return"], customer, idempotency_key="k1").customer_id == customer.pk


def test_other_purposes_do_not_stop_a_survey(surveys: Any, customer: Any, make_staff: Any) -> None:
    restrictions.restrict_processing(actor=make_staff("manager"), customer=customer,
                                     purposes=["marketing", "profiling"], evidence="Không nhận quảng cáo")  # fmt: skip
    assert invite(surveys["ces-return"], customer).code.startswith("SV-")
