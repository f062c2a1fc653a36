"""Benchmark: inbound support messages through the inbound-parse webhook on PostgreSQL (messages/s).

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/haumai_bench_support .venv/bin/python bench/bench_support.py
Options: --messages N (default 3000), --senders 600, --duplicates 0.2, --concurrency 32, --port 8768.

Builds raw e-mails (MIME, HMAC-signed like a mail relay would) from `--senders` customers, some answering
earlier ones (In-Reply-To), mixes in ~20% replays, shuffles, and POSTs them to `/hooks/support/email/` on
`haumai web --workers 2` over loopback. Then GET /healthz in the same run gives the machine's ceiling, and
the ratio says how close ingestion comes to it. It checks that exactly one message per distinct e-mail was
stored. Prints `BENCH {json}` lines for bench/run.py.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import random
import sys
import time
from email.message import EmailMessage
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haumai.settings")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/haumai_bench_support"
SECRET = "bench-inbound-secret"


def build_requests(run: str, messages: int, senders: int, duplicates: float) -> tuple[list[dict[str, Any]], int]:
    """Signed raw e-mails (some threaded on earlier ones) plus replays, shuffled; returns (requests, distinct)."""
    rng = random.Random(11)
    distinct: list[dict[str, Any]] = []
    earlier: dict[int, str] = {}
    for i in range(messages):
        sender = i % senders
        mail = EmailMessage()
        mail["From"] = f"Khach {sender} <khach{run}.{sender}@example.vn>"
        mail["To"] = "cskh@shop.vn"
        mail["Subject"] = f"Hỏi về đơn hàng số {sender}"
        message_id = f"b{run}.{i}@example.vn"
        mail["Message-ID"] = f"<{message_id}>"
        if sender in earlier and rng.random() < 0.5:
            mail["In-Reply-To"] = f"<{earlier[sender]}>"
        earlier[sender] = message_id
        mail.set_content("Chào shop, máy giặt nhà tôi không vắt được, nhờ shop kiểm tra giúp. " * 3)
        body = bytes(mail)
        signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        distinct.append({"url": "/hooks/support/email/", "body": body,
                         "headers": {"Content-Type": "message/rfc822", "X-Haumai-Signature": signature}})  # fmt: skip
    replays = [rng.choice(distinct) for _ in range(round(len(distinct) * duplicates / (1 - duplicates)))]
    everything = distinct + replays
    rng.shuffle(everything)
    return everything, len(distinct)


def bench(metric: str, value: float, unit: str, target: str = "") -> None:
    """Print one BENCH line."""
    row: dict[str, object] = {"benchmark": "support", "metric": metric, "value": round(value, 2), "unit": unit}
    if target:
        row["target"] = target
    print("BENCH " + json.dumps(row, ensure_ascii=False), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--senders", type=int, default=600)
    parser.add_argument("--duplicates", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--port", type=int, default=8768)
    args = parser.parse_args()
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        sys.exit("set DATABASE_URL to a PostgreSQL database, e.g. " + DEFAULT_URL)
    from bench_webhooks import ensure_database, health_rate, percentile, send_all, start_server

    ensure_database(url)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from haumai.support.models import Message, Ticket

    call_command("migrate", verbosity=0)
    run = f"{int(time.time()) % 10_000_000:07d}"
    requests, distinct = build_requests(run, args.messages, args.senders, args.duplicates)
    print(f"{len(requests)} inbound e-mails ({len(requests) - distinct} replays), {os.cpu_count()} CPUs", flush=True)
    connection.close()
    env = {**os.environ, "LOG_LEVEL": "WARNING", "DEBUG": "0", "HAUMAI_SUPPORT_INBOUND_SECRET": SECRET}
    server = start_server(args.port, env)
    base = f"http://127.0.0.1:{args.port}"
    try:
        latencies, wall, statuses = asyncio.run(send_all(base, requests, args.concurrency))
        baseline = asyncio.run(health_rate(base, 2000, args.concurrency))
    finally:
        server.terminate()
        server.wait(timeout=30)
    stored = Message.objects.filter(external_id__startswith=f"b{run}.").count()
    tickets = Ticket.objects.filter(customer__email__startswith=f"khach{run}.").count()
    rate = len(requests) / wall
    bench("inbound e-mails ingested (20% replays), 2 web workers", rate, "msg/s", ">= 500")
    bench("/healthz in the same run", baseline, "req/s")
    bench("ingestion as a share of /healthz", rate / baseline, "ratio")
    bench("p95 latency", percentile(latencies, 0.95), "ms")
    bench("messages stored / distinct e-mails", stored / distinct, "ratio", "1.0")
    bench("tickets opened", tickets, "tickets")
    print(f"statuses {statuses}, stored {stored} of {distinct} distinct, {tickets} tickets", flush=True)


if __name__ == "__main__":
    main()
