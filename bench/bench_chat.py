"""Benchmark: web chat round trip over the push transport (server-sent events) on PostgreSQL.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/haumai_bench_chat .venv/bin/python bench/bench_chat.py
Options: --visitors 40 (open streams), --rounds 200, --port 8769; REDIS_URL (default redis://127.0.0.1:6379/14
when it answers) carries the notices between the two web workers.

Starts `haumai web --interface asgi --workers 2`, opens one widget stream per visitor, then posts chat
messages (each through whichever worker the connection lands on) and times how long until the message
arrives on the visitor's open stream: post -> stored -> commit -> notice (in-process or Redis) -> stream
re-read -> event. The same run times GET /healthz one request at a time, and the ratio says how many
/healthz requests one chat round trip costs. Prints `BENCH {json}` lines for bench/run.py.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haumai.settings")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/haumai_bench_chat"
DEFAULT_REDIS = "redis://127.0.0.1:6379/14"


def bench(metric: str, value: float, unit: str, target: str = "") -> None:
    """Print one BENCH line."""
    row: dict[str, object] = {"benchmark": "chat", "metric": metric, "value": round(value, 2), "unit": unit}
    if target:
        row["target"] = target
    print("BENCH " + json.dumps(row, ensure_ascii=False), flush=True)


def redis_url() -> str:
    url = os.environ.get("REDIS_URL") or DEFAULT_REDIS
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except Exception:  # no Redis: each worker's streams hear only that worker (and re-read every 10 s)
        return ""
    return url


class Visitor:
    def __init__(self, token: str, cursor: int) -> None:
        self.token, self.cursor = token, cursor
        self.waiting: dict[str, asyncio.Future[float]] = {}


async def open_visitor(client: Any, n: int) -> Visitor:
    session = (await client.post("/widget/api/session", json={})).json()
    token = session["token"]
    first = await client.post("/widget/api/messages", json={"client_id": f"bench-{n:04d}-{uuid.uuid4().hex[:8]}",
                              "text": "Xin chào"}, headers={"X-Haumai-Visitor": token})  # fmt: skip
    first.raise_for_status()
    return Visitor(token, first.json()["message"]["id"])


async def listen(client: Any, visitor: Visitor, ready: asyncio.Event) -> None:
    ticket = (await client.post("/widget/api/stream-ticket", headers={"X-Haumai-Visitor": visitor.token})).json()
    params = {"ticket": ticket["ticket"], "after": visitor.cursor}
    async with client.stream("GET", "/widget/api/stream", params=params, timeout=None) as response:
        assert response.status_code == 200, f"stream answered {response.status_code} (is the server ASGI?)"
        event = ""
        async for line in response.aiter_lines():
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: ") and event == "messages":
                ready.set()
                for message in json.loads(line[6:])["messages"]:
                    waiter = visitor.waiting.pop(message.get("client_id") or "", None)
                    if waiter is not None and not waiter.done():
                        waiter.set_result(time.perf_counter())


async def round_trips(base: str, visitors: int, rounds: int) -> tuple[list[float], float]:
    import httpx

    limits = httpx.Limits(max_connections=visitors + 16, max_keepalive_connections=16)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        people = [await open_visitor(client, n) for n in range(visitors)]
        readies = [asyncio.Event() for _ in people]
        listeners = [asyncio.create_task(listen(client, v, r)) for v, r in zip(people, readies, strict=True)]
        await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), 60)
        await asyncio.sleep(1.0)  # every worker's Redis listener is subscribed
        timings: list[float] = []
        for number in range(rounds):
            visitor = random.choice(people)
            client_id = f"r{number:05d}-{uuid.uuid4().hex[:10]}"
            arrived: asyncio.Future[float] = asyncio.get_running_loop().create_future()
            visitor.waiting[client_id] = arrived
            started = time.perf_counter()
            answer = await client.post("/widget/api/messages", json={"client_id": client_id, "text": f"Câu {number}"},
                                       headers={"X-Haumai-Visitor": visitor.token})  # fmt: skip
            answer.raise_for_status()
            timings.append((await asyncio.wait_for(arrived, 30)) - started)
        health = []
        for _ in range(200):
            started = time.perf_counter()
            await client.get("/healthz")
            health.append(time.perf_counter() - started)
        for task in listeners:
            task.cancel()
        await asyncio.gather(*listeners, return_exceptions=True)
    return timings, sorted(health)[len(health) // 2]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visitors", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--port", type=int, default=8769)
    args = parser.parse_args()
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        sys.exit("set DATABASE_URL to a PostgreSQL database, e.g. " + DEFAULT_URL)
    from bench_webhooks import ensure_database, percentile, start_server

    ensure_database(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    connection.close()
    redis = redis_url()
    env = {**os.environ, "LOG_LEVEL": "WARNING", "DEBUG": "0", "HAUMAI_WEB_CHAT_HOURS": "always",
           "HAUMAI_WEB_CHAT_MESSAGES_PER_MINUTE": "100000", "HAUMAI_WEB_CHAT_POSTS_PER_IP_PER_MINUTE": "100000",
           "REDIS_URL": redis}  # fmt: skip
    print(f"{args.visitors} open streams, {args.rounds} messages, Redis: {redis or 'none'}", flush=True)
    server = start_server(args.port, env, interface="asgi")
    try:
        timings, health = asyncio.run(round_trips(f"http://127.0.0.1:{args.port}", args.visitors, args.rounds))
    finally:
        server.terminate()
        server.wait(timeout=30)
    p50, p95 = percentile(timings, 0.5) * 1000, percentile(timings, 0.95) * 1000
    bench(f"chat post -> pushed on the open stream, p50 ({args.visitors} streams, 2 ASGI workers)", p50, "ms")
    bench("chat post -> pushed on the open stream, p95", p95, "ms", "< 2000")
    bench("/healthz one at a time, median", health * 1000, "ms")
    bench("chat round trip p50 as /healthz requests", p50 / (health * 1000), "ratio")


if __name__ == "__main__":
    main()
