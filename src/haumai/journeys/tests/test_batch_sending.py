"""A claimed batch queues its sends in one messaging call: fixed queries, idempotent, errors per run."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from haumai.core import clock
from haumai.customers.models import Customer
from haumai.journeys.engine import advance_runs
from haumai.journeys.enrollment import enroll_for_day
from haumai.journeys.models import Journey, JourneyRun, Outcome, Reason, RunStatus, StepRun
from haumai.journeys.tests.conftest import grant, only
from haumai.messaging.models import Delivery

pytestmark = pytest.mark.django_db


def born_today(code: str, **fields: Any) -> Customer:
    return Customer.objects.create(
        code=code, full_name=f"Khách {code}", search_key=code.lower(),
        birth_date=clock.today().replace(year=1990), **fields,
    )  # fmt: skip


def enrolled_runs() -> list[JourneyRun]:
    only("birthday-greeting")
    assert enroll_for_day(journey=Journey.objects.get(key="birthday-greeting"), day=clock.today())
    return list(JourneyRun.objects.order_by("pk"))


def outcomes() -> dict[str, tuple[str, str, str]]:
    rows = StepRun.objects.select_related("run__customer").values_list(
        "run__customer__code", "outcome", "reason", "channel"
    )
    return {code: (outcome, reason, channel) for code, outcome, reason, channel in rows}


def test_a_batch_of_100_runs_takes_a_fixed_number_of_queries(
    morning: Any, django_assert_max_num_queries: Any
) -> None:
    for index in range(100):
        person = born_today(f"B{index:03d}", email=f"b{index}@example.vn", preferred_channel="email")
        grant(person, "marketing", "email")
    runs = enrolled_runs()
    # journeys, steps, customers + identities, consents, marketing sends; templates, keys, INSERT, ids;
    # StepRuns, runs; whether a birthday voucher campaign runs, asked once per batch (PostgreSQL; SQLite
    # splits the Delivery INSERT at its 999-parameter limit).
    with django_assert_max_num_queries(13 if connection.vendor == "postgresql" else 16):
        advance_runs(runs)
    assert Delivery.objects.filter(channel="email", template_key="birthday.greeting").count() == 100
    assert StepRun.objects.filter(outcome=Outcome.SENT).count() == 100
    assert not JourneyRun.objects.exclude(status=RunStatus.COMPLETED).exists()


def test_mixed_outcomes_in_one_batch_and_fallback_to_the_next_channel(morning: Any) -> None:
    mail = born_today("MAIL", email="mail@example.vn", preferred_channel="email")
    grant(mail, "marketing", "email")
    # SMS first, but there is no SMS birthday template: falls back to e-mail in the next messaging call.
    sms = born_today("SMS", phone="+84912000001", email="sms@example.vn", preferred_channel="sms")
    grant(sms, "marketing", "sms")
    grant(sms, "marketing", "email")
    only_sms = born_today("ONLYSMS", phone="+84912000002", preferred_channel="sms")
    grant(only_sms, "marketing", "sms")
    born_today("NOGRANT", email="nogrant@example.vn", preferred_channel="email")
    born_today("NOWHERE")
    advance_runs(enrolled_runs())
    assert outcomes() == {
        "MAIL": ("sent", "", "email"),
        "SMS": ("sent", "", "email"),
        "ONLYSMS": ("skipped", Reason.TEMPLATE_MISSING, "sms"),
        "NOGRANT": ("skipped", Reason.NO_CONSENT, ""),
        "NOWHERE": ("skipped", Reason.NO_REACHABLE_CHANNEL, ""),
    }
    assert sorted(Delivery.objects.values_list("destination", flat=True)) == ["mail@example.vn", "sms@example.vn"]
    sent = StepRun.objects.filter(outcome=Outcome.SENT)
    assert set(sent.values_list("delivery_id", flat=True)) == set(Delivery.objects.values_list("pk", flat=True))


def test_a_replayed_batch_sends_nothing_twice(morning: Any) -> None:
    for index in range(5):
        grant(born_today(f"R{index}", email=f"r{index}@example.vn", preferred_channel="email"), "marketing", "email")
    runs = enrolled_runs()
    advance_runs(runs[:2])
    first = dict(StepRun.objects.values_list("run_id", "delivery_id"))
    # A worker crashed after queueing but before saving the runs: the whole batch is advanced again,
    # together with runs never advanced before.
    JourneyRun.objects.update(status=RunStatus.ACTIVE, position=1, due_at=clock.now(), finished_at=None)
    advance_runs(list(JourneyRun.objects.order_by("pk")))
    assert Delivery.objects.count() == 5
    again = StepRun.objects.order_by("pk").values_list("run_id", "delivery_id")
    replayed = [(run_id, delivery_id) for run_id, delivery_id in again if run_id in first][len(first):]
    assert dict(replayed) == first  # the same Delivery for the same run and step
