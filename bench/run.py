"""Run every benchmark in bench/ on PostgreSQL and print one table.

Each `bench/bench_*.py` script prints lines `BENCH {json}` with benchmark, metric, value, unit and
target; this runner collects them. Benchmarks set no timeouts and fail nothing: they measure.
Usage: DATABASE_URL=postgres://... python bench/run.py [--only demo,import,api] [--customers N]
Optional, not in the default order: `--only probe` runs bench/probe_integrity.py (issue 9's integrity figures).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = [
    "demo", "import", "api", "search", "journeys", "webhooks", "receiving", "analytics", "slots", "sla", "support",
    "loyalty",
    "knowledge",
    "warranty_web",
    "bot",
    "chat",
]
OPTIONAL = {"probe": "probe_integrity.py"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", default="", help="comma-separated benchmark names")
    parser.add_argument("--customers", type=int, default=1_000_000, help="demo scale")
    args = parser.parse_args()
    wanted = [name for name in args.only.split(",") if name] or ORDER
    rows: list[dict[str, object]] = []
    for name in wanted:
        script = HERE / OPTIONAL.get(name, f"bench_{name}.py")
        if not script.exists():
            continue
        extra = ["--customers", str(args.customers)] if name == "demo" else []
        print(f"== {name}", flush=True)
        started = time.monotonic()
        process = subprocess.run(
            [sys.executable, str(script), *extra], env=os.environ.copy(), capture_output=True, text=True
        )
        for line in process.stdout.splitlines():
            if line.startswith("BENCH "):
                rows.append(json.loads(line[6:]))
        if process.returncode != 0:
            print(process.stdout[-2000:], process.stderr[-4000:], sep="\n")
            rows.append(
                {"benchmark": name, "metric": "FAILED", "value": process.returncode, "unit": "exit", "target": ""}
            )
        print(f"   {time.monotonic() - started:.0f} s", flush=True)
    print()
    header = f"{'benchmark':<10} {'metric':<48} {'value':>12} {'unit':<12} target"
    print(header)
    print("-" * len(header))
    for row in rows:
        value = row["value"]
        shown = f"{value:,.1f}" if isinstance(value, float) else f"{value:,}" if isinstance(value, int) else str(value)
        print(f"{row['benchmark']!s:<10} {row['metric']!s:<48} {shown:>12} {row['unit']!s:<12} {row.get('target', '')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
