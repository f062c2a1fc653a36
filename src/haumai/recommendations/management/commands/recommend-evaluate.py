"""`haumai recommend-evaluate`: hit-rate@5 of the learned associations against a popularity baseline."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Max, Min

from haumai.core import clock
from haumai.recommendations import evaluation
from haumai.sales.models import Order


class Command(BaseCommand):
    help = "Time-split holdout: train before a cut date, test on later purchases; print hit-rate@k and uplift."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cut", help="cut date YYYY-MM-DD (default: 75%% of the way through the order history)")
        parser.add_argument("--horizon-days", type=int, default=180, help="test purchases within this many days")
        parser.add_argument("--k", type=int, default=5)
        parser.add_argument("--window-days", type=int, default=240, help="'bought later' window")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["cut"]:
            try:
                day = dt.date.fromisoformat(options["cut"])
            except ValueError as exc:
                raise CommandError("--cut: give a date as YYYY-MM-DD") from exc
            cut = dt.datetime.combine(day, dt.time(), tzinfo=clock.LOCAL_TZ)
        else:
            span = Order.objects.aggregate(first=Min("placed_at"), last=Max("placed_at"))
            if span["first"] is None:
                raise CommandError("No orders: nothing to evaluate (load data, e.g. `haumai demo`).")
            cut = span["first"] + (span["last"] - span["first"]) * 0.75
        for name in ("horizon_days", "k", "window_days"):
            if options[name] < 1:
                raise CommandError(f"--{name.replace('_', '-')}: give a positive number")
        started = time.perf_counter()
        result = evaluation.evaluate(
            cut=cut, horizon_days=options["horizon_days"], k=options["k"], window_days=options["window_days"]
        )
        seconds = time.perf_counter() - started
        k = result.k
        out = self.stdout.write
        out(f"cut: {cut.astimezone(clock.LOCAL_TZ):%Y-%m-%d}  horizon: {result.horizon_days} days  "
            f"rules learned: {result.rules}  test customers: {result.customers}")  # fmt: skip
        out(f"hit-rate@{k} model:      {result.model_rate:.3f} ({result.model_hits}/{result.customers})")
        out(f"hit-rate@{k} popularity: {result.baseline_rate:.3f} ({result.baseline_hits}/{result.customers})")
        uplift = "n/a (baseline hits nothing)" if result.uplift is None else f"{result.uplift * 100:+.1f}%"
        out(f"uplift over popularity: {uplift} ({(result.model_rate - result.baseline_rate) * 100:+.1f} points)")
        out(f"evaluated in {seconds:.2f} s")
