"""A real `haumai worker` process killed (SIGKILL) in the middle of a claimed batch of e-mails.

The worker claims 300 e-mails in one batch and sends them to a slow local SMTP server; it is killed
once about 100 have arrived. Then: what arrived is recorded as sent (once); at most the one message in
flight is "sending" (and becomes "unknown" after the sending timeout, for a person to check); the
others were never started, so when their claim expires a new worker sends them without anyone's help.
The worker runs against this test's database: the PostgreSQL test database, or an SQLite file (the
SQLite test database lives in memory, out of another process's reach).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from haumai.testing.smtp import LocalSmtp, local_smtp

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

HAUMAI = [sys.executable, "-m", "haumai"]
COUNT = 300
KILL_AFTER = 100
PREFIX = "killed-worker-"
# Short enough for the test to finish soon, long enough for the first worker to reach message 100.
CLAIM_SECONDS = 10
SENDING_SECONDS = 10

SEED = f"""
from haumai.customers.services import create_customer
from haumai.messaging.services import MessageRequest, queue_messages

customer = create_customer(actor=None, full_name="Trần Văn Hùng", phone="0912345679", email="hung@example.vn")
context = {{"order": {{"code": "DH-1", "total": 500000, "placed_at": None, "delivered_at": None, "lines": []}},
           "links": {{"portal": "http://x/portal/"}}}}
results = queue_messages([
    MessageRequest(customer=customer, template_key="order.thank_you", channel="email", context=context,
                   idempotency_key=f"{PREFIX}{{i:03d}}")
    for i in range({COUNT})
])
assert all(r.delivery is not None and r.delivery.status == "queued" for r in results), results[:3]
"""

REPORT_SQL = """
SELECT d.idempotency_key, d.status, d.tracking_id, d.attempt_count, d.send_started_at IS NOT NULL,
       (SELECT COUNT(*) FROM messaging_deliveryattempt a WHERE a.delivery_id = d.id)
FROM messaging_delivery d WHERE d.idempotency_key LIKE %s
"""


def _database_url(tmp_path: Path, env: dict[str, str]) -> str:
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
        host, port = settings.get("HOST") or "127.0.0.1", settings.get("PORT") or 5432
        return f"postgres://{settings['USER']}{password}@{host}:{port}/{settings['NAME']}"
    url = f"sqlite:///{tmp_path / 'worker.sqlite3'}"
    subprocess.run([*HAUMAI, "migrate", "-v", "0"], env={**env, "DATABASE_URL": url}, check=True, timeout=300)
    return url


@pytest.fixture
def slow_smtp() -> Iterator[LocalSmtp]:
    with local_smtp(delay=0.01) as server:
        yield server


@pytest.fixture
def worker_env(tmp_path: Path, slow_smtp: LocalSmtp) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        HAUMAI_DATA_DIR=str(tmp_path / "var"),
        SECRET_KEY="test-only-secret",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST=slow_smtp.host,
        EMAIL_PORT=str(slow_smtp.port),
        EMAIL_TIMEOUT="10",
        HAUMAI_MESSAGING_CLAIM_TIMEOUT_SECONDS=str(CLAIM_SECONDS),
        HAUMAI_MESSAGING_SENDING_TIMEOUT_SECONDS=str(SENDING_SECONDS),
        HAUMAI_DB_POOL_SIZE="2",
    )
    env["DATABASE_URL"] = _database_url(tmp_path, env)
    return env


def _shell(env: dict[str, str], code: str) -> str:
    done = subprocess.run([*HAUMAI, "shell", "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _report(env: dict[str, str]) -> dict[str, dict[str, Any]]:
    """The deliveries as the worker left them, read with plain SQL (committed state only)."""
    url = env["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as db:
            rows = db.execute(REPORT_SQL.replace("%s", "?"), (PREFIX + "%",)).fetchall()
    else:
        with connection.cursor() as cursor:
            cursor.execute(REPORT_SQL, [PREFIX + "%"])
            rows = cursor.fetchall()
    return {
        key: {"status": status, "tracking": tracking, "attempts": attempts, "started": bool(started),
              "attempt_rows": attempt_rows}
        for key, status, tracking, attempts, started, attempt_rows in rows
    }


def _received(smtp: LocalSmtp) -> Counter[str]:
    with smtp._lock:
        return Counter(str(m["X-Haumai-Delivery"]) for m in smtp.messages)


def _start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen([*HAUMAI, "worker", "--interval", "0.2"], env=env, stdout=out, stderr=subprocess.STDOUT)


def _statuses(report: dict[str, dict[str, Any]]) -> Counter[str]:
    return Counter(row["status"] for row in report.values())


def test_a_worker_killed_mid_batch_leaves_only_the_message_in_flight_unknown(
    worker_env: dict[str, str], slow_smtp: LocalSmtp, tmp_path: Path
) -> None:
    _shell(worker_env, SEED)
    tracking = {row["tracking"] for row in _report(worker_env).values()}
    assert len(tracking) == COUNT
    log = tmp_path / "worker.log"

    first = _start_worker(worker_env, log)
    deadline = time.monotonic() + 120
    try:
        while sum(n for t, n in _received(slow_smtp).items() if t in tracking) < KILL_AFTER:
            assert first.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the worker did not send 100 e-mails in 120 s\n" + log.read_text()
            time.sleep(0.005)
    finally:
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)

    after_kill = _report(worker_env)
    statuses = _statuses(after_kill)
    received = _received(slow_smtp)
    assert KILL_AFTER <= sum(received.values()) < COUNT  # killed in the middle of the batch
    assert statuses["sending"] <= 1  # only the message in flight was started and not answered
    assert statuses["claimed"] > 0 and statuses["unknown"] == 0 and statuses["queued"] == 0
    assert statuses["sent"] + statuses["sending"] + statuses["claimed"] == COUNT
    for row in after_kill.values():
        if row["status"] == "sent":
            assert received[row["tracking"]] == 1
        if row["status"] == "claimed":  # never started: nothing of it reached the server
            assert received[row["tracking"]] == 0 and not row["started"] and row["attempts"] == 0

    second = _start_worker(worker_env, log)
    deadline = time.monotonic() + max(CLAIM_SECONDS, SENDING_SECONDS) + 120
    try:
        while True:
            final = _report(worker_env)
            if not {"queued", "claimed", "sending", "failed"} & set(_statuses(final)):
                break
            assert second.poll() is None, log.read_text()
            assert time.monotonic() < deadline, f"not settled: {_statuses(final)}\n" + log.read_text()
            time.sleep(0.5)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)

    statuses = _statuses(final)
    received = _received(slow_smtp)
    assert statuses["unknown"] <= 1 and statuses["sent"] == COUNT - statuses["unknown"], statuses
    assert max(received[t] for t in tracking) == 1  # nothing sent twice
    for key, row in final.items():
        if row["status"] == "sent":
            assert received[row["tracking"]] == 1 and row["attempts"] == 1 and row["attempt_rows"] == 1, key
        else:  # the one in flight when the worker died: a person checks with the provider
            assert after_kill[key]["status"] == "sending" and row["started"]
