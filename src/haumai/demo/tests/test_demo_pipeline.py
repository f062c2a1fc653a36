"""The PostgreSQL path outside a transaction: a writer thread COPYs while the generator runs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Count, F, Sum

from haumai.core import clock
from haumai.customers.models import Customer, Identity
from haumai.demo.seed import seed_demo
from haumai.sales.models import Order, OrderLine

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the pipelined COPY writer is PostgreSQL only"),
]


def test_pipelined_run_commits_every_chunk_and_moves_sequences() -> None:
    lines: list[str] = []
    with clock.frozen(dt.datetime(2026, 11, 22, 3, 30, tzinfo=dt.UTC)):
        result = seed_demo(customers=2_500, chunk_size=1_000, out=lines.append)
    # The bot's demo chats (worlds of 1,000 customers or more) add their visitors as contacts without a phone.
    assert result.customers == Customer.objects.filter(identities__kind="phone").distinct().count() == 2_500
    assert result.orders == Order.objects.count()
    assert Identity.objects.filter(kind="phone").count() == 2_500
    assert not Order.objects.annotate(sum=Sum("lines__line_total")).exclude(total=F("sum")).exists()
    assert not OrderLine.objects.exclude(order__in=Order.objects.all()).exists()
    assert Customer.objects.exclude(phone=None).values("phone").annotate(n=Count("id")).filter(n__gt=1).count() == 0
    assert any("2,500 customers" in line for line in lines)
    highest = Customer.objects.order_by("-pk").values_list("pk", flat=True).first()
    fresh = Customer.objects.create(code="CUS-2026-999999", full_name="Lê Thị Mới", search_key="le thi moi")
    assert fresh.pk > highest
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone()[0] == "origin"


def test_pipelined_large_run_mode_loads_in_one_transaction_and_restores_indexes() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename = 'sales_order'")
        order_indexes = cursor.fetchone()[0]
    with clock.frozen(dt.datetime(2026, 11, 22, 3, 30, tzinfo=dt.UTC)):
        result = seed_demo(customers=1_500, chunk_size=1_000, reindex_from=0, workers=2, out=lambda line: None)
    assert Order.objects.count() == result.orders > 1_500
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename = 'sales_order'")
        assert cursor.fetchone()[0] == order_indexes > 5
