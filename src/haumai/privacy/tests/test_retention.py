"""Retention: the worker's scheduler runs the daily job; with the clock moved past each rule's limit it
removes exactly what is due (photos of finished returns, message bodies, delivery attempts, login codes,
lookup attempts, import row errors and report files, expired export ZIPs) and logs what it removed."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from django.core.files.base import ContentFile

from haumai.core import clock, scheduler
from haumai.events.models import Event
from haumai.integrations.models import ImportRun
from haumai.messaging.models import Delivery, DeliveryAttempt
from haumai.messaging.services import queue_message
from haumai.portal.models import LoginCode, LookupAttempt
from haumai.privacy import retention
from haumai.privacy.models import DataRequest, RetentionSchedule
from haumai.privacy.tests.conftest import PNG, Footprint
from haumai.returns.models import ReturnPhoto, ReturnRequest

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def _message(footprint: Footprint, key: str) -> Delivery:
    context = {
        "customer": {"name": "An", "first_name": "An", "code": footprint.customer.code},
        "order": {"code": footprint.shop.order.code, "total": 1, "lines": []},
        "links": {"portal": "http://x/"},
    }
    queue_message(
        customer=footprint.customer,
        template_key="order.thank_you",
        channel="email",
        context=context,
        idempotency_key=key,
    )
    return Delivery.objects.get(idempotency_key=key)


def _import_run(started: dt.datetime, folder: Any, name: str) -> ImportRun:
    report = folder / f"{name}.csv"
    report.write_text("row,problem\n2,phone 0901234567 is not valid\n", encoding="utf-8")
    return ImportRun.objects.create(
        kind="customers", file_name=f"{name}.csv", started_at=started, status="done",
        errors=[{"row": 2, "message": "phone 0901234567"}], report_file=str(report),
    )  # fmt: skip


@pytest.fixture
def due(footprint: Footprint, tmp_path: Any) -> dict[str, Any]:
    """Two of everything: one just past its rule's limit, one just inside it, when the job next runs."""
    schedule = RetentionSchedule.objects.get(key="daily")
    now = schedule.next_run_at + dt.timedelta(minutes=1)
    rows: dict[str, Any] = {"now": now}

    def at(days: int, inside: bool) -> dt.datetime:
        return now - days * DAY + (DAY if inside else -DAY)

    # Photos of finished returns (365 days); a photo of a return still open stays whatever its age.
    ReturnRequest.objects.filter(code=footprint.return_code).update(status="refunded")
    old_photo = ReturnPhoto.objects.get(request__code=footprint.return_code)
    ReturnPhoto.objects.filter(pk=old_photo.pk).update(uploaded_at=at(365, False))
    fresh_photo = ReturnPhoto(
        request=old_photo.request, content_type="image/png", size=len(PNG), uploaded_at=at(365, True)
    )
    fresh_photo.file.save("fresh.png", ContentFile(PNG), save=True)
    rows.update(old_photo=old_photo, old_photo_path=old_photo.file.path, fresh_photo=fresh_photo)
    # Message bodies (180 days) of finished deliveries; an unfinished one keeps its text.
    Delivery.objects.update(status="sent")  # the footprint's message: sent today, kept
    old, fresh, waiting = (_message(footprint, key) for key in ("old-1", "fresh-1", "waiting-1"))
    Delivery.objects.filter(pk=old.pk).update(status="sent", created_at=at(180, False))
    Delivery.objects.filter(pk=fresh.pk).update(status="sent", created_at=at(180, True))
    # Waiting for a person (the provider's answer is unknown): not finished, so its text stays.
    Delivery.objects.filter(pk=waiting.pk).update(status="unknown", created_at=at(180, False))
    rows.update(old_message=old, fresh_message=fresh, waiting_message=waiting)
    # Delivery attempts (90 days).
    rows["old_attempt"] = DeliveryAttempt.objects.create(
        delivery=fresh, number=1, started_at=at(90, False), outcome="sent"
    )
    rows["fresh_attempt"] = DeliveryAttempt.objects.create(
        delivery=fresh, number=2, started_at=at(90, True), outcome="sent"
    )
    # Login codes (30 days) and lookup attempts (7 days).
    code = LoginCode.objects.get()
    LoginCode.objects.filter(pk=code.pk).update(created_at=at(30, False))
    rows["old_code"] = code
    rows["fresh_code"] = LoginCode.objects.create(
        destination="+84901234567", channel=code.channel, code_hash="x" * 64, created_at=at(30, True), expires_at=now
    )
    rows["old_lookup"] = LookupAttempt.objects.create(ip_address="203.0.113.1", attempted_at=at(7, False))
    rows["fresh_lookup"] = LookupAttempt.objects.create(ip_address="203.0.113.2", attempted_at=at(7, True))
    # Import row errors and problem-report files (90 days).
    rows["old_import"] = _import_run(at(90, False), tmp_path, "old-import")
    rows["fresh_import"] = _import_run(at(90, True), tmp_path, "fresh-import")
    # An export ZIP past its keep time, and one still downloadable.
    folder = tmp_path / "exports"
    folder.mkdir()
    for name, expires in (("old", now - DAY), ("fresh", now + DAY)):
        (folder / f"{name}.zip").write_bytes(b"PK")
        rows[f"{name}_export"] = DataRequest.objects.create(
            code=f"DSR-2026-99999{len(name)}", customer=footprint.customer, kind="export", status="completed",
            origin="portal", received_at=now - 10 * DAY, acknowledge_by=now, due_at=now, export_file=f"{name}.zip",
            export_expires_at=expires,
        )  # fmt: skip
    rows["export_folder"] = folder
    return rows


def test_the_retention_job_is_scheduled_in_the_worker() -> None:
    assert "privacy.retention" in [source.name for source in scheduler.registered()]
    schedule = RetentionSchedule.objects.get(key="daily")
    assert schedule.next_run_at is not None  # the migration plants the first run
    local = schedule.next_run_at.astimezone(retention.LOCAL)
    assert (local.hour, local.minute) == (3, 0)


def test_before_the_run_time_the_job_does_nothing(due: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    clock.freeze(due["now"] - dt.timedelta(minutes=2))
    with django_capture_on_commit_callbacks(execute=True):
        scheduler.tick()  # what `haumai worker` runs on every pass
    assert LookupAttempt.objects.count() == 2 and not Event.objects.filter(name="privacy.retention_applied").exists()


def test_the_worker_removes_exactly_what_is_due_and_logs_it(
    due: dict[str, Any], django_capture_on_commit_callbacks: Any, caplog: Any
) -> None:
    clock.freeze(due["now"])
    caplog.set_level("INFO", logger="haumai.privacy.retention")
    with django_capture_on_commit_callbacks(execute=True):
        scheduler.tick()  # what `haumai worker` runs on every pass

    photos = set(ReturnPhoto.objects.values_list("pk", flat=True))
    assert photos == {due["fresh_photo"].pk} and not os.path.exists(due["old_photo_path"])
    assert os.path.exists(due["fresh_photo"].file.path)
    texts = {row["pk"]: row for row in Delivery.objects.values("pk", "body_text", "payload", "created_at", "status")}
    assert texts[due["old_message"].pk]["body_text"] == "" and texts[due["old_message"].pk]["payload"] == {}
    assert texts[due["fresh_message"].pk]["payload"] == due["fresh_message"].payload != {}
    assert texts[due["waiting_message"].pk]["payload"] == due["waiting_message"].payload != {}
    assert set(DeliveryAttempt.objects.values_list("pk", flat=True)) == {due["fresh_attempt"].pk}
    assert set(LoginCode.objects.values_list("pk", flat=True)) == {due["fresh_code"].pk}
    assert set(LookupAttempt.objects.values_list("pk", flat=True)) == {due["fresh_lookup"].pk}
    old_import, fresh_import = (ImportRun.objects.get(pk=due[key].pk) for key in ("old_import", "fresh_import"))
    assert old_import.errors == [] and old_import.report_file == "" and old_import.rows_total == 0
    assert not os.path.exists(due["old_import"].report_file)
    assert fresh_import.errors and os.path.exists(fresh_import.report_file)
    assert not (due["export_folder"] / "old.zip").exists() and (due["export_folder"] / "fresh.zip").exists()
    assert DataRequest.objects.get(pk=due["old_export"].pk).export_file == ""

    expected = {
        "returns.photos": 1,
        "messaging.bodies": 1,
        "messaging.attempts": 1,
        "portal.login_codes": 1,
        "portal.lookup_attempts": 1,
        "integrations.import_errors": 1,
        "integrations.import_reports": 1,
        "privacy.exports": 1,
    }
    event = Event.objects.get(name="privacy.retention_applied")
    assert event.payload["removed"] == expected and event.actor_label == "system"
    schedule = RetentionSchedule.objects.get(key="daily")
    assert schedule.last_run_at == due["now"] and schedule.next_run_at > due["now"]
    assert {key: value for key, value in schedule.last_counts.items() if value} == expected
    assert "retention: removed" in caplog.text

    # The same day again: the schedule moved to tomorrow, so nothing runs; tomorrow nothing more is due.
    with django_capture_on_commit_callbacks(execute=True):
        scheduler.tick()  # what `haumai worker` runs on every pass
    assert Event.objects.filter(name="privacy.retention_applied").count() == 1
    clock.freeze(schedule.next_run_at + dt.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        scheduler.tick()  # what `haumai worker` runs on every pass
    second = Event.objects.filter(name="privacy.retention_applied").order_by("-id").first()
    assert second is not None and second.pk != event.pk
    # A day later what was kept (one day inside its limit) is exactly at the limit: still kept.
    assert second.payload["removed"] == {} and LookupAttempt.objects.count() == 1


def test_a_rule_set_to_zero_is_switched_off(
    due: dict[str, Any], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.HAUMAI_RETENTION_LOOKUP_ATTEMPTS_DAYS = 0
    settings.HAUMAI_RETENTION_LOGIN_CODES_DAYS = 400
    clock.freeze(due["now"])
    with django_capture_on_commit_callbacks(execute=True):
        counts = retention.apply_retention()
    assert "portal.lookup_attempts" not in counts and LookupAttempt.objects.count() == 2
    assert counts["portal.login_codes"] == 0 and LoginCode.objects.count() == 2
