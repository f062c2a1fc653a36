"""`haumai serve` prints its URL only once the web server answers, so the first click never fails."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow
def test_the_url_is_printed_when_healthz_already_answers(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(HAUMAI_DATA_DIR=str(tmp_path / "var"), SECRET_KEY="test-only-secret", PYTHONUNBUFFERED="1")
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "haumai", "serve", "--port", str(port), "--sandbox", "off"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    assert process.stdout is not None
    try:
        deadline = time.monotonic() + 120
        for line in process.stdout:
            if "Haumai is running at" in line:
                # The very first request after the URL appears gets an answer: no "connection refused".
                assert f"http://127.0.0.1:{port}/" in line
                assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).json() == {"status": "ok"}
                break
            assert time.monotonic() < deadline, "no URL within 120 s"
        else:
            pytest.fail(f"haumai serve exited with {process.wait()} before printing the URL")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
