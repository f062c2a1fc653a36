"""Benchmark: KPI rollups and the dashboard on PostgreSQL with a sizeable synthetic history.

Recreates `haumai_bench_analytics` (or HAUMAI_BENCH_ANALYTICS_URL), migrates it and writes, with
`INSERT ... SELECT generate_series` inside PostgreSQL (seconds, not minutes): customers, orders with two lines
each, returns with one line, survey invitations each with a response (CSAT/NPS/CES), spread over DAYS days.
Then measures: refreshing one day of rollups (what the worker's tick does), the backfill of every day, the
dashboard page p50/p95 over 30 and 365 days beside /healthz in the same run, a drill-down page, and the CSV
export's rows/s and peak memory (streamed: memory must not grow with the rows).
Usage: python bench/bench_analytics.py [--order-lines 2000000] [--responses 1000000] [--returns 200000]
"""

# ruff: noqa: S608  (the generated SQL interpolates integers from argparse and our own constants only)
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import sys
import time

from benchdb import recreate_database

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/haumai_bench_analytics"
DAYS = 400
CUSTOMERS = 50_000


def bench(name: str, metric: str, value: float, unit: str, target: str = "") -> None:
    print("BENCH " + json.dumps({"benchmark": name, "metric": metric, "value": value, "unit": unit, "target": target}))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share) - 1)]


def generate(
    cursor: object,
    *,
    order_lines: int,
    responses: int,
    returns: int,
    channel: int,
    products: int,
    surveys: dict[str, int],
) -> None:
    """Write the synthetic history with set-based SQL (random but realistic shapes)."""
    run = cursor.execute  # type: ignore[attr-defined]
    ago = f"now() - make_interval(secs => random() * {DAYS} * 86400)"
    run("SET synchronous_commit = off")
    run(f"""INSERT INTO customers_customer (id, code, full_name, search_key, gender, preferred_language,
            preferred_channel, created_at, updated_at)
            SELECT g, 'CUS-B-' || g, 'Khách ' || g, 'khach ' || g, '', 'vi', '', now(), now()
            FROM generate_series(1, {CUSTOMERS}) g""")
    orders = order_lines // 2
    run(f"""INSERT INTO sales_order (id, code, status, placed_at, total, payment_method, content_hash, created_at,
            updated_at, channel_id, customer_id)
            SELECT g, 'ORD-B-' || g, CASE WHEN g % 40 = 0 THEN 'cancelled' ELSE 'delivered' END, {ago}, 1000000,
                   'cod', '', now(), now(), {channel}, 1 + g % {CUSTOMERS}
            FROM generate_series(1, {orders}) g""")
    run(f"""INSERT INTO sales_orderline (id, quantity, unit_price, line_total, order_id, product_id)
            SELECT g, 1 + (g % 3 = 0)::int, 500000, 500000, 1 + (g - 1) / 2, 1 + g % {products}
            FROM generate_series(1, {orders * 2}) g""")
    run(f"""INSERT INTO returns_returnrequest (id, code, status, origin, reason, resolution, logistics, carrier_code,
            customer_note, pickup_name, pickup_phone, pickup_street, pickup_ward_code, pickup_province_code,
            exchange_sku, bank_account, override_note, decision_note, refund_amount, restocking_fee, refund_code,
            refund_status, exchange_order_code, shipment_code, shipment_status, tracking_code, problem,
            requested_at, updated_at, customer_id, order_id, inspected_at, refund_sent_at)
            SELECT g, 'RMA-B-' || g, s.status, 'portal', 'defective', 'refund_original', 'store_dropoff', '', '', '',
                   '', '', '', '', '', '{{}}'::jsonb, '', '', 500000, 0, '', '', '', '', '', '', '', s.at, now(),
                   1 + g % {CUSTOMERS}, 1 + g * 7 % {orders},
                   CASE WHEN s.status IN ('inspected', 'refunded') THEN s.at + interval '3 days' END,
                   CASE WHEN s.status = 'refunded'
                        THEN s.at + interval '5 days' + make_interval(secs => random() * 86400 * 4) END
            FROM (SELECT g, {ago} AS at, (ARRAY['requested', 'approved', 'in_transit', 'received', 'inspected',
                         'refunded', 'refunded', 'refunded', 'rejected', 'cancelled'])[1 + g % 10] AS status
                  FROM generate_series(1, {returns}) g) s""")
    run(f"""INSERT INTO returns_returnline (id, quantity, unit_price, condition, eligible, overridden, notes,
            received_quantity, product_id, request_id)
            SELECT g, 1, 500000, 'opened_unused', true, false, '[]'::jsonb, 0, 1 + g % {products}, g
            FROM generate_series(1, {returns}) g""")
    csat, nps, ces = surveys["csat"], surveys["nps"], surveys["ces"]
    run(f"""INSERT INTO surveys_invitation (id, code, subject_kind, subject_code, subject_id, channel, language, status,
            created_at, expires_at, customer_id, survey_id)
            SELECT g, 'SV-B-' || g, 'order', 'ORD-B-' || g, '', 'zalo', 'vi', 'answered', s.at,
                   s.at + interval '14 days',
                   1 + g % {CUSTOMERS}, CASE WHEN g % 10 < 6 THEN {csat} WHEN g % 10 < 9 THEN {nps} ELSE {ces} END
            FROM (SELECT g, {ago} AS at FROM generate_series(1, {responses}) g) s""")
    run(f"""INSERT INTO surveys_response (id, kind, score, comment, comment_key, subject_kind, subject_code, channel,
            language, is_low, submitted_at, customer_id, invitation_id, survey_id)
            SELECT i.id, k.kind, k.score, '', '', 'order', i.subject_code, 'zalo', 'vi',
                   (k.kind = 'csat' AND k.score <= 2) OR (k.kind = 'nps' AND k.score <= 6)
                   OR (k.kind = 'ces' AND k.score >= 5),
                   i.created_at + interval '2 hours', i.customer_id, i.id, i.survey_id
            FROM surveys_invitation i
            CROSS JOIN LATERAL (SELECT CASE WHEN i.survey_id = {csat} THEN 'csat' WHEN i.survey_id = {nps} THEN 'nps'
                                            ELSE 'ces' END AS kind) kk
            CROSS JOIN LATERAL (SELECT kk.kind AS kind,
                                CASE kk.kind WHEN 'csat' THEN 1 + floor(random() * 5)::int
                                             WHEN 'nps' THEN floor(random() * 11)::int
                                             ELSE 1 + floor(random() * 7)::int END AS score) k""")
    for table in (
        "customers_customer",
        "sales_order",
        "sales_orderline",
        "returns_returnrequest",
        "returns_returnline",
        "surveys_invitation",
        "surveys_response",
    ):
        run(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        run(f"ANALYZE {table}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--order-lines", type=int, default=2_000_000)
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--returns", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    url = os.environ.get("HAUMAI_BENCH_ANALYTICS_URL", DEFAULT_URL)
    recreate_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haumai.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the in-process test client's host
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0)
    from haumai.accounts.services import create_staff_user
    from haumai.analytics import rollups
    from haumai.analytics.days import local_day
    from haumai.catalog.models import Product
    from haumai.core import clock
    from haumai.sales.models import Channel
    from haumai.surveys.models import Survey

    channel = Channel.objects.create(code="website", name="Website", kind="website")
    for n in range(20):
        Product.objects.create(sku=f"B-{n}", name=f"Sản phẩm {n}", search_key=f"san pham {n}", price=500_000)
    surveys = {s.kind: s.pk for s in Survey.objects.filter(key__in=("csat-order", "nps-relationship", "ces-return"))}
    started = time.perf_counter()
    with connection.cursor() as cursor:
        generate(
            cursor,
            order_lines=args.order_lines,
            responses=args.responses,
            returns=args.returns,
            channel=channel.pk,
            products=20,
            surveys=surveys,
        )
    bench(
        "analytics",
        f"synthetic history written ({args.order_lines:,} lines, {args.responses:,} answers, {args.returns:,} returns)",
        round(time.perf_counter() - started, 1),
        "s",
    )

    today = local_day(clock.now())
    timings = []
    for offset in range(1, 11):
        begin = time.perf_counter()
        rollups.refresh_day(today - dt.timedelta(days=offset * 30))
        timings.append((time.perf_counter() - begin) * 1000)
    bench("analytics", "rollup refresh of one day p50 (10 days sampled)", round(statistics.median(timings), 1), "ms")
    bench("analytics", "rollup refresh of one day max", round(max(timings), 1), "ms")
    begin = time.perf_counter()
    written = rollups.refresh_days(today - dt.timedelta(days=DAYS), today)
    backfill = time.perf_counter() - begin
    bench("analytics", f"backfill of {DAYS + 1} days ({written:,} rows)", round(backfill, 1), "s")

    create_staff_user(username="bench.manager", password="s3cret-pass-123", role="manager")
    client = Client()
    client.login(username="bench.manager", password="s3cret-pass-123")

    def timed(path: str, params: dict[str, str] | None = None) -> list[float]:
        spent = []
        client.get(path, params or {})  # warm
        for _ in range(args.requests):
            begin = time.perf_counter()
            response = client.get(path, params or {})
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")
            if getattr(response, "streaming", False):
                for _chunk in response.streaming_content:
                    pass
            spent.append((time.perf_counter() - begin) * 1000)
        return spent

    health = timed("/healthz")
    year = {"since": (today - dt.timedelta(days=364)).isoformat(), "until": today.isoformat()}
    month = timed("/console/analytics/")
    whole = timed("/console/analytics/", year)
    drill = timed("/console/analytics/drill/csat/", year)
    bench("analytics", "/healthz p95 (same run)", round(percentile(health, 0.95), 1), "ms")
    pages = (("dashboard 30 days", month), ("dashboard 365 days", whole), ("drill-down CSAT 365 d", drill))
    for label, values in pages:
        p95 = percentile(values, 0.95)
        bench("analytics", f"{label} p50", round(statistics.median(values), 1), "ms")
        bench("analytics", f"{label} p95", round(p95, 1), "ms", "<= 300 ms" if "dashboard" in label else "")
        bench("analytics", f"{label} p95 / healthz p95", round(p95 / max(percentile(health, 0.95), 0.01), 1), "x")

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    begin = time.perf_counter()
    response = client.get("/console/analytics/export/csat.csv", year)
    rows = sum(chunk.count(b"\n") for chunk in response.streaming_content) - 1
    spent = time.perf_counter() - begin
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    bench("analytics", f"CSV export CSAT 365 days ({rows:,} rows)", round(rows / spent, 1), "rows/s")
    bench("analytics", "CSV export peak memory growth", round((after - before) / 1024, 1), "MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
