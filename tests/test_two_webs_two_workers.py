"""The production layout in miniature: two `haumai web` and two `haumai worker` processes on one PostgreSQL.

Issue 17: web processes are stateless and workers claim rows with SKIP LOCKED, so
- customers created through either web process each raise one `customer.created` event, and the two
  workers together deliver each event's webhook exactly once (no event twice, none lost);
- a role change made in one process is seen by the other web process on its very next request (the
  per-process permission cache is keyed by the user's permissions version, read from the database).
The processes run against this test's PostgreSQL database (committed rows: a transactional test).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from django.db import connection

from haumai.testing.smtp import free_port

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="several processes share one PostgreSQL; SQLite is one process"
    ),
]

HAUMAI = [sys.executable, "-m", "haumai"]
CUSTOMERS = 60

SEED = """
from haumai.accounts.models import Role
from haumai.accounts.services import create_api_token, create_staff_user
from haumai.messaging.models import WebhookSubscription

agent = create_staff_user(username="agent-procs", password="x-Very-long-9", role=Role.AGENT)
_, raw = create_api_token(actor=agent, user=agent, name="procs")
WebhookSubscription.objects.create(name="receiver", url="{url}", secret="s3cret", event_patterns="customer.created")
print(raw)
"""

DEMOTE = """
from haumai.accounts.models import Role, User
from django.contrib.auth.models import Group
User.objects.get(username="agent-procs").groups.set([Group.objects.get(name=Role.WAREHOUSE)])
"""


class _Receiver(BaseHTTPRequestHandler):
    received: list[tuple[str, str]] = []
    lock = threading.Lock()

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with self.lock:
            self.received.append((body["id"], self.headers["X-Haumai-Delivery"]))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return


@contextlib.contextmanager
def _receiver() -> Iterator[str]:
    _Receiver.received = []
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        server.shutdown()
        server.server_close()


def _env(tmp_path: Path) -> dict[str, str]:
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host, port = settings.get("HOST") or "127.0.0.1", settings.get("PORT") or 5432
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgres://{settings['USER']}{password}@{host}:{port}/{settings['NAME']}",
        HAUMAI_DATA_DIR=str(tmp_path / "var"),
        SECRET_KEY="test-only-secret",
        HAUMAI_DB_POOL_SIZE="4",
    )
    return env


def _shell(env: dict[str, str], code: str) -> str:
    done = subprocess.run([*HAUMAI, "shell", "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@contextlib.contextmanager
def _processes(env: dict[str, str], log: Path) -> Iterator[list[str]]:
    ports = [free_port(), free_port()]
    with log.open("ab") as out:
        processes = [
            *(
                subprocess.Popen(
                    [*HAUMAI, "web", "--port", str(port), "--workers", "1"], env=env, stdout=out, stderr=out
                )
                for port in ports
            ),
            *(
                subprocess.Popen([*HAUMAI, "worker", "--interval", "0.2"], env=env, stdout=out, stderr=out)
                for _ in range(2)
            ),
        ]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for base in bases:
            for _ in range(150):
                with contextlib.suppress(httpx.TransportError):
                    if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                        break
                time.sleep(0.2)
            else:
                pytest.fail(f"{base} did not answer within 30 s\n{log.read_text()}")
        yield bases
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def test_two_webs_and_two_workers_deliver_each_event_once_and_share_permissions(tmp_path: Path) -> None:
    env = _env(tmp_path)
    with _receiver() as url:
        token = _shell(env, SEED.format(url=url)).splitlines()[-1]
        headers = {"Authorization": f"Bearer {token}"}
        with _processes(env, tmp_path / "processes.log") as bases:

            def create(i: int) -> int:
                body = {"full_name": f"Khách Đa Tiến Trình {i}", "phone": f"09{i:08d}"}
                response = httpx.post(f"{bases[i % 2]}/api/v1/customers", json=body, headers=headers, timeout=30)
                return response.status_code

            with ThreadPoolExecutor(max_workers=8) as pool:
                statuses = Counter(pool.map(create, range(CUSTOMERS)))
            assert statuses == {201: CUSTOMERS}, statuses

            deadline = time.monotonic() + 90
            while len({event for event, _ in _Receiver.received}) < CUSTOMERS:
                assert time.monotonic() < deadline, f"{len(_Receiver.received)} webhooks after 90 s"
                time.sleep(0.2)
            time.sleep(3)  # room for a second (duplicate) delivery to arrive, if the workers made one

            events = Counter(event for event, _ in _Receiver.received)
            assert len(events) == CUSTOMERS
            assert max(events.values()) == 1, [e for e, n in events.items() if n > 1]
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT status, COUNT(*), MAX(attempt_count) FROM messaging_delivery"
                    " WHERE channel = 'webhook' GROUP BY status"
                )
                assert cursor.fetchall() == [("sent", CUSTOMERS, 1)]

            # Both web processes have the agent's permissions cached; a role change elsewhere is seen at once.
            for base in bases:
                assert httpx.get(f"{base}/api/v1/customers", headers=headers, timeout=10).status_code == 200
            _shell(env, DEMOTE)
            for base in bases:
                answer = httpx.post(
                    f"{base}/api/v1/customers", json={"full_name": "Không Được Tạo"}, headers=headers, timeout=10
                )
                assert answer.status_code == 403, answer.text
