"""The real processes: `haumai --help`, `haumai web` (granian) and `haumai worker --once`.

These start the console script in subprocesses against a throw-away SQLite file, so they test
what a retailer runs, not the test client.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

HAUMAI = [sys.executable, "-m", "haumai"]


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["HAUMAI_DATA_DIR"] = str(tmp_path / "var")
    env["SECRET_KEY"] = "test-only-secret"
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_help_lists_the_commands() -> None:
    out = subprocess.run([*HAUMAI, "--help"], capture_output=True, text=True, check=True).stdout
    for command in ("serve", "web", "worker", "migrate", "demo", "import", "createadmin"):
        assert command in out


@pytest.fixture
def migrated(tmp_path: Path) -> dict[str, str]:
    env = _env(tmp_path)
    subprocess.run([*HAUMAI, "migrate", "-v", "0"], env=env, check=True, timeout=120)
    return env


@contextlib.contextmanager
def _running_web(env: dict[str, str], *options: str) -> Iterator[str]:
    """`haumai web` on a free port until the block ends; yields its base URL once /healthz answers."""
    port = _free_port()
    process = subprocess.Popen(
        [*HAUMAI, "web", "--port", str(port), "--workers", "1", *options],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            pytest.fail(f"haumai web {' '.join(options)} did not answer within 20 s")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)


@pytest.fixture
def web_server(migrated: dict[str, str]) -> Iterator[str]:
    with _running_web(migrated) as base:
        yield base


def test_web_serves_api_docs_admin_and_static_files(web_server: str) -> None:
    assert httpx.get(web_server + "/healthz").json() == {"status": "ok"}
    schema = httpx.get(web_server + "/api/v1/openapi.json")
    assert schema.status_code == 200 and schema.json()["info"]["title"] == "Haumai API"
    assert httpx.get(web_server + "/api/v1/docs").status_code == 200
    login = httpx.get(web_server + "/admin/login/")
    assert login.status_code == 200 and 'lang="vi"' in login.text
    css = httpx.get(web_server + "/static/admin/css/base.css")
    assert css.status_code == 200 and "body" in css.text


def test_api_without_token_gets_the_error_format(web_server: str) -> None:
    response = httpx.get(web_server + "/api/v1/customers")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_worker_once_runs_a_tick(migrated: dict[str, str]) -> None:
    out = subprocess.run(
        [*HAUMAI, "worker", "--once"], env=migrated, capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert "events.dispatch" in out


def test_every_command_in_the_help_exists() -> None:
    """Issue 17: the help listed a `bench-data` command that did not exist."""
    import re

    from django.core.management import get_commands

    from haumai.cli import HELP

    listed = re.findall(r"^  ([a-z][a-z-]*)\s{2,}", HELP.split("commands:")[1].split("\n\n")[0], flags=re.M)
    assert {"serve", "web", "worker", "demo"} <= set(listed)
    missing = [name for name in listed if name not in {"serve", "web"} and name not in get_commands()]
    assert not missing, missing


def test_web_still_serves_under_asgi(migrated: dict[str, str]) -> None:
    """WSGI is the default (measured faster); ASGI stays available with --interface asgi."""
    with _running_web(migrated, "--interface", "asgi") as base:
        assert httpx.get(base + "/api/v1/customers").json()["error"]["code"] == "unauthorized"
