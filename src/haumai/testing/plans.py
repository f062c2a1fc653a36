"""Query-plan assertions for tests: a lookup that must stay fast at scale reads through indexes.

Tiny test tables are cheaper to scan, so on PostgreSQL sequential scans are disabled for the check
(`enable_seqscan = off` makes the planner use an index whenever one can serve the query; a scan that
remains means no index can). SQLite's `EXPLAIN QUERY PLAN` says `SCAN <table>` for a full scan and
`SEARCH <table> USING ... INDEX` otherwise."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def full_scans(run: Callable[[], Any], tables: Iterable[str]) -> list[str]:
    """Run `run`, then explain each query it made; return 'table: sql' for every full scan of `tables`."""
    watched = set(tables)
    with CaptureQueriesContext(connection) as captured:
        run()
    found: list[str] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            prefix = "EXPLAIN " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
            cursor.execute(prefix + sql)
            plan = "\n".join(" ".join(str(part) for part in row) for row in cursor.fetchall())
            pattern = r"Seq Scan on (\w+)" if connection.vendor == "postgresql" else r"\bSCAN (\w+)"
            for table in re.findall(pattern, plan):
                if table in watched:
                    found.append(f"{table}: {sql}")
    return found
