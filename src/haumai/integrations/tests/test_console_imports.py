"""Imports from the console and the API: upload, preview, the worker's run and progress, problems, limits."""

from __future__ import annotations

import datetime as dt
import io
import json
import threading
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client

from haumai.core import clock
from haumai.customers.models import Customer
from haumai.integrations import uploads
from haumai.integrations.importing import progress
from haumai.integrations.models import ImportRun

pytestmark = pytest.mark.django_db

HEADER = "external_id,full_name,phone,email\n"
GOOD = HEADER + "KH001,Nguyễn Văn An,0912 345 678,an@example.vn\nKH002,Trần Thị Bình,0987654321,\n"
BAD = HEADER + "KH001,Nguyễn Văn An,0912 345 678,an@example.vn\nKH003,Lê Châu,12,not-an-email\n"


@pytest.fixture(autouse=True)
def _files_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.HAUMAI_IMPORT_UPLOADS_DIR = tmp_path / "uploads"


def _console(make_staff: Any, role: str = "manager") -> Client:
    client = Client()
    client.force_login(make_staff(role))
    return client


def _upload(client: Client, content: str, *, name: str = "khach.csv", **fields: str) -> Any:
    data = {"kind": "customers", "mode": "preview", **fields}
    data["file"] = SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")  # type: ignore[assignment]
    return client.post("/console/imports/", data)


def _file() -> SimpleUploadedFile:
    return SimpleUploadedFile("khach.csv", GOOD.encode(), content_type="text/csv")


def _uploaded_files(settings: Any) -> list[Path]:
    folder = Path(settings.HAUMAI_IMPORT_UPLOADS_DIR)
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_preview_writes_nothing_and_the_confirmed_import_writes_the_rows(make_staff: Any) -> None:
    client = _console(make_staff)
    response = _upload(client, GOOD)
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/console/imports/{run.pk}/"
    assert (run.status, run.dry_run, run.file_name, run.file_size) == ("queued", True, "khach.csv", len(GOOD.encode()))
    page = client.get(f"/console/imports/{run.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page and "Waiting for the worker" in page
    uploads.run_queued(run.pk)
    run.refresh_from_db()
    assert run.status == "dry_run" and run.rows_total == 2 and Customer.objects.count() == 0
    page = client.get(f"/console/imports/{run.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' not in page and 'id="confirm-import"' in page
    confirmed = client.post(f"/console/imports/{run.pk}/import/")
    real = ImportRun.objects.exclude(pk=run.pk).get()
    assert confirmed["Location"] == f"/console/imports/{real.pk}/" and real.dry_run is False
    uploads.run_queued(real.pk)
    real.refresh_from_db()
    assert real.status == "completed" and real.rows_imported == 2
    assert sorted(Customer.objects.values_list("external_id", flat=True)) == ["KH001", "KH002"]
    uploads.run_queued(real.pk)  # the worker delivering the task twice changes nothing
    assert Customer.objects.count() == 2 and ImportRun.objects.count() == 2


def test_problems_are_listed_downloadable_and_the_file_cannot_be_imported(make_staff: Any) -> None:
    client = _console(make_staff)
    _upload(client, BAD)
    run = ImportRun.objects.get()
    uploads.run_queued(run.pk)
    run.refresh_from_db()
    assert run.status == "rejected" and run.rows_invalid == 1
    page = client.get(f"/console/imports/{run.pk}/").content.decode()
    assert 'id="confirm-import"' not in page and 'id="download-report"' in page and "phone" in page
    report = client.get(f"/console/imports/{run.pk}/report/")
    body = b"".join(report.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    assert report.status_code == 200 and body.startswith("line,column,message") and ",phone," in body
    refused = client.post(f"/console/imports/{run.pk}/import/", follow=True)
    assert "Only a preview that found the file importable" in refused.content.decode()
    assert ImportRun.objects.count() == 1 and Customer.objects.count() == 0


def test_skipping_invalid_rows_imports_the_valid_ones(make_staff: Any) -> None:
    client = _console(make_staff)
    _upload(client, BAD, mode="import", skip_invalid="1")
    run = ImportRun.objects.get()
    uploads.run_queued(run.pk)
    run.refresh_from_db()
    assert (run.status, run.rows_imported, run.rows_invalid) == ("partial", 1, 1)
    assert list(Customer.objects.values_list("external_id", flat=True)) == ["KH001"]


@pytest.mark.parametrize(
    ("name", "content", "fields", "message"),
    [
        ("khach.pdf", GOOD, {}, "Upload a CSV (UTF-8) or Excel .xlsx file."),
        ("khach.csv", "", {}, "The file is empty."),
        ("khach.csv", GOOD, {"kind": "warranties"}, "Choose what the file holds"),
        ("khach.csv", GOOD * 40, {}, "the limit is 0 MB"),
    ],
)
def test_bad_uploads_are_refused_with_a_message_and_store_nothing(
    make_staff: Any, settings: Any, name: str, content: str, fields: dict[str, str], message: str
) -> None:
    settings.HAUMAI_MAX_IMPORT_BYTES = 2000
    client = _console(make_staff)
    response = _upload(client, content, name=name, **fields)
    assert response.status_code == 200 and message in response.content.decode()
    assert ImportRun.objects.count() == 0 and _uploaded_files(settings) == []


def test_the_same_file_is_not_queued_twice_while_the_first_waits(make_staff: Any, settings: Any) -> None:
    client = _console(make_staff)
    _upload(client, GOOD)
    again = _upload(client, GOOD)
    first = ImportRun.objects.get()
    assert again.status_code == 200 and f"already being imported (run #{first.pk})" in again.content.decode()
    assert len(_uploaded_files(settings)) == 1
    uploads.run_queued(first.pk)
    _upload(client, GOOD)  # once the first ended, the same file may be checked again
    assert ImportRun.objects.count() == 2


def test_only_staff_who_may_import_see_or_upload(make_staff: Any) -> None:
    agent = _console(make_staff, "agent")
    assert agent.get("/console/imports/").status_code == 403
    assert _upload(agent, GOOD).status_code == 403
    assert ImportRun.objects.count() == 0
    anonymous = Client().get("/console/imports/")
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_the_progress_bar_follows_the_worker_and_reloads_the_page_at_the_end(make_staff: Any) -> None:
    client = _console(make_staff)
    _upload(client, GOOD)
    run = ImportRun.objects.get()
    ImportRun.objects.filter(pk=run.pk).update(status="running")
    with progress.reporting(run.pk):
        progress.report("validate", 50, 100, force=True)  # what the worker writes while it checks rows
        bar = client.get(f"/console/imports/{run.pk}/progress/")
        assert bar.status_code == 200 and "HX-Refresh" not in bar
        text = bar.content.decode()
        assert 'data-percent="40"' in text and "Checking the rows" in text and "50 / 100" in text
    assert not progress.progress_path(run.pk).exists()
    ImportRun.objects.filter(pk=run.pk).update(status="dry_run")
    ended = client.get(f"/console/imports/{run.pk}/progress/")
    assert ended["HX-Refresh"] == "true" and 'data-percent="100"' in ended.content.decode()


def test_progress_moves_through_the_phases_of_a_real_run(make_staff: Any, monkeypatch: Any) -> None:
    seen: list[tuple[str, int]] = []
    original = progress._Reporter.report

    def watch(self: Any, phase: str, done: int, total: int, *, force: bool = False) -> None:
        original(self, phase, done, total, force=force)
        if force:  # each phase announces itself; the file then holds the bar's position
            seen.append((phase, json.loads(self.path.read_text())["percent"]))

    monkeypatch.setattr(progress._Reporter, "report", watch)
    client = _console(make_staff)
    _upload(client, GOOD, mode="import")
    uploads.run_queued(ImportRun.objects.get().pk)
    assert seen == [("read", 0), ("validate", 30), ("write", 50)]


def test_the_list_is_paginated_with_a_fixed_number_of_queries(
    make_staff: Any, django_assert_max_num_queries: Any
) -> None:
    client = _console(make_staff)
    user = make_staff("manager", username="nhap.lieu")
    ImportRun.objects.bulk_create(
        ImportRun(kind="orders", file_name=f"don-{n}.csv", actor=user, started_at="2026-12-01T08:00:00+07:00",
                  status="completed", rows_total=n)
        for n in range(30)
    )  # fmt: skip
    client.get("/console/imports/")
    with django_assert_max_num_queries(12):
        page = client.get("/console/imports/").content.decode()
    assert page.count("data-run=") == 25 and "?page=2" in page
    assert Client().get("/console/imports/?page=2").status_code == 302
    assert client.get("/console/imports/?page=2").content.decode().count("data-run=") == 5


def test_the_api_uploads_follows_and_confirms(api_client_for: Any) -> None:
    api = api_client_for("manager")
    sent = api.post("/api/v1/imports", {"kind": "customers", "file": _file(), "dry_run": "true"})
    assert sent.status_code == 202, sent.content
    body = sent.json()
    assert (body["status"], body["percent"], body["phase"], body["dry_run"]) == ("queued", 0, "queued", True)
    uploads.run_queued(body["id"])
    shown = api.get(f"/api/v1/imports/{body['id']}").json()
    assert shown["status"] == "dry_run" and shown["percent"] == 100 and shown["counts"]["created"] == 2
    confirmed = api.post(f"/api/v1/imports/{body['id']}/import")
    assert confirmed.status_code == 202 and confirmed.json()["dry_run"] is False
    uploads.run_queued(confirmed.json()["id"])
    assert Customer.objects.count() == 2
    assert [row["id"] for row in api.get("/api/v1/imports").json()["items"]] == [confirmed.json()["id"], body["id"]]


def test_the_api_refuses_bad_uploads_and_other_roles(api_client_for: Any) -> None:
    api = api_client_for("manager")
    wrong_kind = api.post("/api/v1/imports", {"kind": "vouchers", "file": _file()})
    assert wrong_kind.status_code == 422 and wrong_kind.json()["error"]["fields"][0]["field"] == "kind"
    no_file = api.post("/api/v1/imports", {"kind": "customers"})
    assert no_file.status_code == 422
    assert api.get("/api/v1/imports/999999").status_code == 404
    assert api.get("/api/v1/imports/0").status_code == 422
    agent = api_client_for("agent")
    assert agent.post("/api/v1/imports", {"kind": "customers", "file": _file()}).status_code == 403
    assert agent.get("/api/v1/imports").status_code == 403
    assert ImportRun.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_runs_an_uploaded_import(make_staff: Any, django_capture_on_commit_callbacks: Any) -> None:
    client = _console(make_staff)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, GOOD, mode="import")
    call_command("worker", "--once", stdout=io.StringIO())
    run = ImportRun.objects.get()
    assert run.status == "completed" and Customer.objects.count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_parallel_uploads_of_one_file_queue_one_run(make_staff: Any, settings: Any) -> None:
    user = make_staff("manager")
    workers = 8
    start = threading.Barrier(workers, timeout=30)
    outcomes: list[str] = []

    def run() -> None:
        try:
            start.wait()
            uploads.queue_upload(
                actor=user, kind="customers", name="khach.csv", size=len(GOOD.encode()),
                stream=io.BytesIO(GOOD.encode()), dry_run=True,
            )  # fmt: skip
            outcomes.append("queued")
        except Exception as exc:
            outcomes.append(getattr(exc, "code", repr(exc)))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already_queued"] * (workers - 1) + ["queued"]
    assert ImportRun.objects.count() == 1
    assert [p.name for p in _uploaded_files(settings)] == [Path(ImportRun.objects.get().stored_file).name]


def test_the_demo_shows_a_refused_preview_and_one_ready_to_import(make_staff: Any) -> None:
    from haumai.integrations.demo import seed_imports

    assert seed_imports() == {"import runs": 2}
    assert seed_imports() == {"import runs": 0}
    refused, ready = ImportRun.objects.order_by("pk")
    assert (refused.status, refused.rows_total, refused.rows_invalid) == ("rejected", 4, 1)
    assert (ready.status, ready.skip_invalid, ready.counts["created"]) == ("dry_run", True, 3)
    page = _console(make_staff).get(f"/console/imports/{ready.pk}/").content.decode()
    assert 'id="confirm-import"' in page and Customer.objects.count() == 0


def test_uploaded_files_go_after_a_week_unless_a_run_still_reads_them(make_staff: Any, settings: Any) -> None:
    from haumai.integrations.privacy import purge_uploaded_files

    client = _console(make_staff)
    _upload(client, GOOD)
    preview = ImportRun.objects.get()
    uploads.run_queued(preview.pk)
    _upload(client, BAD, name="khac.csv")
    waiting = ImportRun.objects.exclude(pk=preview.pk).get()  # queued: the worker has not read it yet
    assert len(_uploaded_files(settings)) == 2
    later = clock.now() + dt.timedelta(days=8)
    assert purge_uploaded_files(later) == 1  # the finished preview's file; the waiting one stays
    preview.refresh_from_db()
    waiting.refresh_from_db()
    assert preview.stored_file == "" and waiting.stored_file != ""
    assert _uploaded_files(settings) == [Path(waiting.stored_file)]
    answer = client.post(f"/console/imports/{preview.pk}/import/")  # importing the gone file is refused
    assert ImportRun.objects.count() == 2 and answer.status_code in (302, 409)
