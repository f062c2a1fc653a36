"""`make bench` drops only databases it created (issue 17: a benchmark dropped a shared database)."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="benchmarks run on PostgreSQL")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import benchdb  # noqa: E402

SERVER = "postgres://postgres@127.0.0.1:5432"


@pytest.fixture
def url() -> Iterator[str]:
    name = f"haumai_benchdb_{uuid.uuid4().hex[:10]}"
    yield f"{SERVER}/{name}"
    with benchdb._admin_connection(f"{SERVER}/{name}") as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_database_it_did_not_create_is_never_dropped(url: str) -> None:
    name = benchdb.database_name(url)
    with benchdb._admin_connection(url) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    with pytest.raises(SystemExit, match="not created by make bench"):
        benchdb.recreate_database(url)
    assert benchdb.created_by_bench(url) is False  # still there


def test_it_creates_marks_and_recreates_its_own(url: str) -> None:
    assert benchdb.created_by_bench(url) is None
    benchdb.ensure_database(url)
    assert benchdb.created_by_bench(url) is True
    benchdb.recreate_database(url)
    assert benchdb.created_by_bench(url) is True


def test_refuses_the_servers_own_databases() -> None:
    with pytest.raises(SystemExit, match="refusing"):
        benchdb.recreate_database(f"{SERVER}/postgres")
