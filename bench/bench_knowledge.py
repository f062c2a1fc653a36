"""Benchmark: help-center search with 10,000 published articles on PostgreSQL, and its ratio to /healthz.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/haumai_bench_knowledge .venv/bin/python bench/bench_knowledge.py
Options: --articles N (default 10000), --requests N (default 2000), --concurrency N (default 8), --port.

The database is created (with the bench mark) and migrated when missing; articles are added until N exist,
with Vietnamese titles and bodies made from a phrase pool (as the services store them: sanitized body, folded
search texts). Queries mix words with and without diacritics, prefixes, typos and a few that find nothing.
It measures the selector in-process (database time) and `GET /portal/help/search/?q=` through
`haumai web --workers 2` with httpx, as bench_api.py does. Prints `BENCH {json}` lines for bench/run.py.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from bench_api import percentile, run_scenario, start_server
from benchdb import ensure_database

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haumai.settings")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/haumai_bench_knowledge"
PUBLIC = "none"  # bench_api.run_scenario sends a bearer token; public pages ignore it

TOPICS = ["điện thoại", "laptop", "tủ lạnh", "máy giặt", "điều hòa", "nồi cơm điện", "tai nghe", "máy lọc nước",
          "quạt điều hòa", "bàn là hơi nước", "máy hút bụi", "lò vi sóng", "đồng hồ thông minh", "máy tính bảng"]
BRANDS = ["Samsung", "Apple", "LG", "Panasonic", "Daikin", "Sharp", "Toshiba", "Xiaomi", "Sony", "Electrolux"]
ACTIONS = ["Hướng dẫn sử dụng", "Cách vệ sinh", "Bảo hành", "Đổi trả", "Lắp đặt", "Khắc phục lỗi", "Cập nhật phần mềm",
           "Cách sạc pin", "Kết nối Wi-Fi", "Bảo dưỡng định kỳ"]
SENTENCES = [
    "Sản phẩm được bảo hành chính hãng 12 tháng tại trung tâm bảo hành trên toàn quốc.",
    "Vệ sinh lưới lọc mỗi tháng giúp máy chạy êm và tiết kiệm điện.",
    "Nếu máy không lên nguồn, hãy kiểm tra ổ cắm và dây nguồn trước khi gọi tổng đài.",
    "Đổi mới trong 30 ngày nếu sản phẩm lỗi do nhà sản xuất, miễn phí vận chuyển hai chiều.",
    "Kỹ thuật viên liên hệ trong 24 giờ để hẹn lịch lắp đặt tại nhà.",
    "Giữ hóa đơn hoặc số serial để tra cứu bảo hành nhanh trên cổng khách hàng.",
    "Không tự tháo máy: tem bảo hành bị rách sẽ không được bảo hành.",
    "Thanh toán trả góp 0% qua thẻ tín dụng cho đơn từ 3.000.000 đồng.",
    "Cập nhật phần mềm mới nhất để có thêm tính năng và vá lỗi bảo mật.",
    "Đặt nhiệt độ 26 độ C để tiết kiệm điện vào mùa hè.",
]
QUERIES = [
    "bao hanh dieu hoa", "bảo hành điện thoại", "ve sinh may giat", "cach sac pin laptop", "doi tra tu lanh",
    "lap dat dieu hoa daikin", "ket noi wifi", "khac phuc loi may hut bui", "huong dan su dung noi com",
    "bao duong dinh ky", "tra gop", "bảo hàng điều hoà", "ve sinhh may giatt", "samsung tu lanh", "cap nhat phan mem",
    "dieu ho", "lo vi song sharp", "xyz khong co gi", "mua ve may bay", "đồng hồ thông minh apple",
]


def seed_articles(count: int) -> int:
    """Add published articles until `count` exist (bulk, as the services would store them)."""
    from django.db import connection

    from haumai.core import clock
    from haumai.knowledge import content
    from haumai.knowledge.models import Article, ArticleKind, ArticleStatus, HelpCategory

    existing = Article.objects.count()
    if existing >= count:
        return existing
    category, _ = HelpCategory.objects.get_or_create(slug="bench", defaults={"name_vi": "Bench"})
    rng = random.Random(11)
    now = clock.now()
    rows = []
    for number in range(existing, count):
        title = f"{rng.choice(ACTIONS)} {rng.choice(TOPICS)} {rng.choice(BRANDS)} mẫu {number}"
        paragraphs = rng.sample(SENTENCES, 5)
        body = "".join(f"<p>{sentence}</p>" for sentence in paragraphs * 3)
        text = content.body_text(body)
        summary = paragraphs[0]
        rows.append(Article(
            title=title, slug=f"{content.slug_for(title)}-{number}", summary=summary, body_html=body, body_text=text,
            kind=ArticleKind.GUIDE if number % 3 == 0 else ArticleKind.ARTICLE, category=category,
            status=ArticleStatus.PUBLISHED, published_at=now, language="vi",
            title_key=content.search_text(title=title, summary="", text="")[:200],
            search_text=content.search_text(title=title, summary=summary, text=text),
        ))
        if len(rows) == 2000:
            Article.objects.bulk_create(rows)
            rows = []
    Article.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE knowledge_article")
    return Article.objects.count()


def bench(metric: str, value: float, unit: str, target: str = "") -> None:
    """Print one BENCH line."""
    row: dict[str, object] = {"benchmark": "knowledge", "metric": metric, "value": round(value, 2), "unit": unit}
    if target:
        row["target"] = target
    print("BENCH " + json.dumps(row, ensure_ascii=False), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--interface", choices=["asgi", "wsgi"], default=os.environ.get("HAUMAI_WEB_INTERFACE", "wsgi"))
    args = parser.parse_args()
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        sys.exit("set DATABASE_URL to a PostgreSQL database, e.g. " + DEFAULT_URL)
    ensure_database(url)
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from haumai.knowledge.search import search_articles

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    total = seed_articles(args.articles)
    print(f"data: {total} articles (seeding {time.perf_counter() - started:.1f} s); {os.cpu_count()} CPUs", flush=True)

    for query in QUERIES:  # warm up
        search_articles(query=query, language="vi")
    timings: list[float] = []
    found = 0
    for index in range(args.requests):
        query = QUERIES[index % len(QUERIES)]
        began = time.perf_counter()
        hits = search_articles(query=query, language="vi", limit=11)
        timings.append((time.perf_counter() - began) * 1000)
        found += bool(hits)
    bench("search selector p50 (in-process)", statistics.median(timings), "ms")
    bench("search selector p95 (in-process)", percentile(timings, 0.95), "ms", "<= 30")
    bench("queries with at least one hit", 100 * found / args.requests, "%")
    connection.close()

    server = start_server(args.port, args.interface)
    base = f"http://127.0.0.1:{args.port}"
    paths = [f"/portal/help/search/?q={quote(QUERIES[i % len(QUERIES)])}" for i in range(args.requests)]
    try:
        asyncio.run(run_scenario(base, PUBLIC, ["/healthz"] * 200, args.concurrency))
        health, health_wall, _ = asyncio.run(run_scenario(base, PUBLIC, ["/healthz"] * args.requests, args.concurrency))
        health_rate = len(health) / health_wall
        bench("/healthz requests/s (the baseline)", health_rate, "req/s")
        asyncio.run(run_scenario(base, PUBLIC, paths[:100], args.concurrency))  # warm up
        alone, _wall, _errors = asyncio.run(run_scenario(base, PUBLIC, paths[: args.requests // 4], 1))
        bench("help-center search page p50, one client at a time", statistics.median(alone), "ms")
        bench("help-center search page p95, one client at a time", percentile(alone, 0.95), "ms", "<= 30")
        latencies, wall, errors = asyncio.run(run_scenario(base, PUBLIC, paths, args.concurrency))
        bench(f"help-center search page p95, {args.concurrency} clients", percentile(latencies, 0.95), "ms")
        rate = len(latencies) / wall
        bench("help-center search requests/s", rate, "req/s")
        bench("help-center search as % of /healthz", 100 * rate / health_rate, "%")
        if errors:
            bench("help-center search errors", errors, "requests", "0")
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
