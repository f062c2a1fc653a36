"""`haumai demo`: seed deterministic Vietnamese demo data (customers, orders, stock, staff logins)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from haumai.demo.seed import (
    DEFAULT_CHUNK,
    DEFAULT_CUSTOMERS,
    DEFAULT_MONTHS,
    DEFAULT_SEED,
    DemoRefused,
    seed_demo,
)


class Command(BaseCommand):
    help = "Seed deterministic Vietnamese demo data: same --seed, same data. Only into an empty database."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--customers", type=int, default=DEFAULT_CUSTOMERS, help="how many customers (default 2000)"
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default 42)")
        parser.add_argument("--months", type=int, default=DEFAULT_MONTHS, help="months of order history (default 18)")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when customers already exist")
        parser.add_argument(
            "--chunk-size", type=int, default=DEFAULT_CHUNK, help="customers per write batch (default 10000)"
        )
        parser.add_argument(
            "--workers", type=int, default=None,
            help="generator processes (default: up to 4 from 20,000 customers on; 0 = in this process)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["customers"] < 0:
            raise CommandError("--customers must be 0 or more")
        if options["months"] < 1:
            raise CommandError("--months must be at least 1")
        try:
            seed_demo(
                customers=options["customers"], seed=options["seed"], months=options["months"],
                if_empty=options["if_empty"], chunk_size=options["chunk_size"], workers=options["workers"],
                out=lambda line: self.stdout.write(line),
            )
        except DemoRefused as exc:
            raise CommandError(f"{exc} Use --if-empty to skip quietly, or start from a fresh database.") from exc
