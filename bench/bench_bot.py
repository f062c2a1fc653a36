"""Benchmark: bot turns without an AI provider on PostgreSQL (latency p95, turns/s, ratio to /healthz).

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/haumai_bench_bot .venv/bin/python bench/bench_bot.py
Options: --turns N (default 1000), --requests N over HTTP (default 1500), --concurrency 8, --port 8771.

Seeds (once) the demo help articles, a service centre and `--customers` buyers with a phone, an order and a
Zalo identity. 1. In process: chat messages from the labelled questions (intents the bot answers; not the
hand-over ones) are stored with the bot off, then each is answered by `bot.services.handle_message`
(reading, intent, the task or the article search, the reply stored and queued, the turn recorded), timed
one by one: the bot turn latency. 2. Over HTTP: signed Zalo OA webhook events to `haumai web --workers 2`,
each stored and answered in the request (the bot listener runs after the commit), against GET /healthz in
the same run. Prints `BENCH {json}` lines for bench/run.py.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haumai.settings")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/haumai_bench_bot"
SECRET = "bench-zalo-secret"
OA_ID = "bench-oa"
APP_ID = "bench-app"
SKIPPED_INTENTS = {"human", "unknown"}


def bench(metric: str, value: float, unit: str, target: str = "") -> None:
    """Print one BENCH line."""
    row: dict[str, object] = {"benchmark": "bot", "metric": metric, "value": round(value, 2), "unit": unit}
    if target:
        row["target"] = target
    print("BENCH " + json.dumps(row, ensure_ascii=False), flush=True)


def seed(customers: int) -> list[tuple[str, str, str]]:
    """Articles, a centre and buyers (once); returns (zalo user id, phone, order code) per buyer."""
    from django.contrib.auth import get_user_model

    from haumai.bot.tests.helpers import publish_demo_articles
    from haumai.catalog.models import Product
    from haumai.catalog.services import create_product
    from haumai.core import clock
    from haumai.customers.models import Identity
    from haumai.customers.services import add_identity, create_customer
    from haumai.knowledge.models import Article
    from haumai.messaging.models import ZaloCredential
    from haumai.repairs.models import ServiceCenter
    from haumai.repairs.tests.booking_helpers import make_center
    from haumai.sales.models import Channel, Order
    from haumai.sales.services import CustomerRef, OrderLineInput, upsert_order

    if not Article.objects.filter(status="published").exists():
        users = get_user_model().objects
        manager = users.filter(is_superuser=True).first() or users.create_superuser(
            username="bench-bot-admin", password=os.urandom(12).hex())
        publish_demo_articles(manager)
    if not ServiceCenter.objects.exists():
        make_center("bench-hn", address="12 Trần Thái Tông, Cầu Giấy", capacity=50)
    ZaloCredential.objects.get_or_create(oa_id=OA_ID, defaults={"app_id": APP_ID, "refresh_token": "x",
                                                                  "access_token": "x"})
    Channel.objects.get_or_create(code="website", defaults={"name": "Website", "kind": "website"})
    if not Product.objects.filter(sku="BENCH-WASHER").exists():
        create_product(actor=None, sku="BENCH-WASHER", name="Máy giặt bench", price=9_000_000)
    existing = Identity.objects.filter(kind="zalo", value__startswith="bench-zalo-").count()
    for number in range(existing, customers):
        buyer = create_customer(actor=None, full_name=f"Khách Bench {number}", phone=f"09{number:08d}")
        add_identity(actor=None, customer=buyer, kind="zalo", value=f"bench-zalo-{number}")
        upsert_order(actor=None, channel_code="website", customer=CustomerRef(code=buyer.code),
                     lines=[OrderLineInput(sku="BENCH-WASHER", quantity=1, unit_price=9_000_000)],
                     placed_at=clock.now(), status="shipped",
                     payment_method="cod")
    rows = []
    for identity in Identity.objects.filter(kind="zalo", value__startswith="bench-zalo-").select_related("customer"):
        order = Order.objects.filter(customer=identity.customer).order_by("id").first()
        if order is not None:
            rows.append((identity.value, str(identity.customer.phone), order.code))
    return rows


def questions() -> list[str]:
    from haumai.bot.tests.helpers import labelled

    return [row.text for row in labelled() if row.intent not in SKIPPED_INTENTS]


def in_process(turns: int, run: str) -> tuple[list[float], float]:
    """Store `turns` web-chat messages with the bot off, then time each bot turn."""
    from haumai.bot import services
    from haumai.core import clock
    from haumai.support.channels.inbound import InboundMessage
    from haumai.support.services.ingest import ingest_inbound

    rng = random.Random(7)
    texts = questions()
    os.environ["HAUMAI_BOT_ENABLED"] = "0"
    stored = []
    for number in range(turns):
        visitor = f"bench-web-{run}-{number // 4}"  # four messages per conversation
        message = ingest_inbound(InboundMessage(
            channel="web_chat", external_id=f"bench-{run}-{number}", sender_kind="web_visitor",
            sender_value=visitor, sent_at=clock.now(), text=rng.choice(texts)))  # fmt: skip
        if message is not None:
            stored.append(message)
    os.environ["HAUMAI_BOT_ENABLED"] = "1"
    services.handle_message(message=stored[0])  # builds the article index once, as a running process has it
    latencies = []
    started = time.perf_counter()
    for message in stored[1:]:
        begun = time.perf_counter()
        services.handle_message(message=message)
        latencies.append((time.perf_counter() - begun) * 1000)
    wall = time.perf_counter() - started
    return latencies, wall


def zalo_requests(count: int, buyers: list[tuple[str, str, str]], run: str) -> list[dict[str, Any]]:
    from haumai.support.channels.zalo import signature

    rng = random.Random(11)
    texts = [*questions(), "don hang cua toi giao chua", "dh cua mik toi dau r"]
    requests = []
    for number in range(count):
        user, _phone, _order = buyers[number % len(buyers)]
        timestamp = str(int(time.time() * 1000) + number)
        event = {"app_id": APP_ID, "event_name": "user_send_text", "timestamp": timestamp,
                 "sender": {"id": user}, "recipient": {"id": OA_ID},
                 "message": {"msg_id": f"bench-{run}-z{number}", "text": rng.choice(texts)}}  # fmt: skip
        body = json.dumps(event, ensure_ascii=False).encode()
        requests.append({"url": "/hooks/support/zalo/", "body": body, "headers": {
            "Content-Type": "application/json",
            "X-ZEvent-Signature": signature(app_id=APP_ID, body=body, timestamp=timestamp, secret=SECRET)}})
    return requests


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--customers", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--port", type=int, default=8771)
    args = parser.parse_args()
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        sys.exit("set DATABASE_URL to a PostgreSQL database, e.g. " + DEFAULT_URL)
    from bench_webhooks import ensure_database, health_rate, percentile, send_all, start_server

    ensure_database(url)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["HAUMAI_ZALO_OA_SECRET_KEY"] = SECRET
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from haumai.bot.models import BotTurn

    call_command("migrate", verbosity=0)
    buyers = seed(args.customers)
    run = f"{int(time.time()) % 10_000_000:07d}"
    latencies, wall = in_process(args.turns, run)
    bench("bot turn p50, in process (no AI provider)", statistics.median(latencies), "ms")
    bench("bot turn p95, in process (no AI provider)", percentile(latencies, 0.95), "ms", "<= 150")
    bench("bot turns/s, one process, one at a time", len(latencies) / wall, "turns/s")
    before = BotTurn.objects.count()
    connection.close()
    env = {**os.environ, "LOG_LEVEL": "WARNING", "DEBUG": "0", "HAUMAI_ZALO_OA_SECRET_KEY": SECRET}
    server = start_server(args.port, env)
    base = f"http://127.0.0.1:{args.port}"
    try:
        requests = zalo_requests(args.requests, buyers, run)
        http_latencies, http_wall, statuses = asyncio.run(send_all(base, requests, args.concurrency))
        baseline = asyncio.run(health_rate(base, 2000, args.concurrency))
    finally:
        server.terminate()
        server.wait(timeout=30)
    answered = BotTurn.objects.count() - before
    rate = len(requests) / http_wall
    bench("Zalo messages stored and answered, 2 web workers", rate, "msg/s")
    bench("bot turns recorded over HTTP", answered, "turns")
    bench("webhook + bot turn p95 over HTTP", percentile(http_latencies, 0.95), "ms")
    bench("/healthz in the same run", baseline, "req/s")
    bench("Zalo + bot as a share of /healthz", rate / baseline, "ratio")
    print(f"statuses {statuses}; {answered} bot turns over HTTP", flush=True)


if __name__ == "__main__":
    main()
