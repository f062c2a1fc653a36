"""The weekly KPI e-mail: last week's rollups (the dataset of conftest: D2 = Monday 2 March 2026 is in the week
2-8 March), one e-mail per manager with an address who did not opt out, once per week and person, even from
parallel workers; the opt-out toggle on the dashboard."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection, connections

from haumai.analytics import summary
from haumai.analytics.models import RollupSchedule, SummaryOptOut
from haumai.analytics.tests.conftest import D2, local
from haumai.core import clock
from haumai.messaging.models import Delivery

MONDAY = dt.date(2026, 3, 9)


@pytest.fixture
def managers(dataset: Any, make_staff: Any) -> dict[str, Any]:
    clock.freeze(local(MONDAY, 7, 5))
    people = {"reader": make_staff("manager"), "quiet": make_staff("manager"), "no_email": make_staff("manager"),
              "agent": make_staff("agent")}  # fmt: skip
    for key, person in people.items():
        person.email = "" if key == "no_email" else f"{key}@sao-viet.vn"
        person.save(update_fields=["email"])
    summary.set_opt_out(user=people["quiet"], opted_out=True)
    return people


def _summaries() -> list[Delivery]:
    return list(Delivery.objects.filter(source="analytics.weekly_summary").order_by("destination"))


@pytest.mark.django_db
def test_the_week_is_monday_to_sunday_and_the_next_run_is_monday_seven() -> None:
    assert summary.last_week(MONDAY) == (D2, dt.date(2026, 3, 8))
    assert summary.last_week(dt.date(2026, 3, 15)) == (D2, dt.date(2026, 3, 8))  # a Sunday
    assert summary.next_run(local(MONDAY, 6, 59)) == local(MONDAY, 7)
    assert summary.next_run(local(MONDAY, 7)) == local(MONDAY + dt.timedelta(days=7), 7)


@pytest.mark.django_db
def test_the_scheduler_sends_last_weeks_kpis_to_managers_once(managers: Any) -> None:
    RollupSchedule.objects.update_or_create(key=summary.SCHEDULE_KEY, defaults={"due_at": local(MONDAY, 7)})
    summary.handle_due(list(summary.pending()))
    sent = _summaries()
    assert [d.destination for d in sent] == ["reader@sao-viet.vn"]
    mail = sent[0]
    assert mail.channel == "email" and mail.status == "queued" and mail.customer_id is None
    assert "02/03/2026 - 08/03/2026" in mail.subject
    assert "CSAT: 75.0% (3 / 4)" in mail.body_text  # D2: 5, 5, 2 (the 00:10 answer is D2); 3 March: 5
    assert "/console/analytics/?since=2026-03-02&until=2026-03-08" in mail.body_text
    row = RollupSchedule.objects.get(key=summary.SCHEDULE_KEY)
    assert row.due_at == local(MONDAY + dt.timedelta(days=7), 7)
    summary.send_week(D2, dt.date(2026, 3, 8))  # a second run of the same week
    assert len(_summaries()) == 1


@pytest.mark.django_db
def test_a_manager_stops_and_resumes_the_email_from_the_dashboard(managers: Any, client: Any) -> None:
    reader = managers["reader"]
    client.force_login(reader)
    assert "Stop the weekly e-mail" in client.get("/console/analytics/").content.decode()
    assert client.post("/console/analytics/weekly-email/", {"weekly": "stop"}).status_code == 302
    assert SummaryOptOut.objects.filter(user=reader).exists()
    assert "Send me the weekly e-mail" in client.get("/console/analytics/").content.decode()
    assert client.post("/console/analytics/weekly-email/", {"weekly": "maybe"}).status_code == 400
    assert SummaryOptOut.objects.filter(user=reader).exists()
    assert summary.send_week(D2, dt.date(2026, 3, 8)) == 0
    client.post("/console/analytics/weekly-email/", {"weekly": "resume"})
    assert not SummaryOptOut.objects.filter(user=reader).exists()
    client.force_login(managers["agent"])
    assert client.post("/console/analytics/weekly-email/", {"weekly": "stop"}).status_code == 403
    assert not SummaryOptOut.objects.filter(user=managers["agent"]).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_workers_queue_one_email_per_manager(managers: Any) -> None:
    barrier = threading.Barrier(4, timeout=60)
    failures: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            summary.send_week(D2, dt.date(2026, 3, 8))
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    assert [d.destination for d in _summaries()] == ["reader@sao-viet.vn"]
