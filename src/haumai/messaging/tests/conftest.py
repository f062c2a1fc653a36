"""Fixtures for messaging tests: customers, a local SMTP server, and running the worker."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from haumai.testing.smtp import LocalSmtp, local_smtp


@pytest.fixture
def customer(db: Any) -> Any:
    from haumai.customers.services import create_customer

    return create_customer(
        actor=None, full_name="Nguyễn Thị Lan", phone="0912345678", email="lan@example.vn", preferred_language="vi"
    )


@pytest.fixture
def smtp(settings: Any) -> Iterator[LocalSmtp]:
    with local_smtp() as server:
        server.configure(settings)
        yield server


@pytest.fixture
def run_worker(django_capture_on_commit_callbacks: Any) -> Callable[[], int]:
    """Run one messaging batch as the worker does: claim, commit, then send."""
    from haumai.messaging.dispatch import run_once

    def run() -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return run_once()

    return run
