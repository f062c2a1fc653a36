"""A time-split holdout: learn from purchases before a cut date, then for each customer who bought
something new afterwards ask whether it is in our top k for what they had bought before."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from haumai.recommendations import training


@dataclass(frozen=True)
class Evaluation:
    """Hit-rate@k of the model and of the popularity baseline on the same customers."""

    cut: dt.datetime
    horizon_days: int
    k: int
    rules: int
    customers: int
    model_hits: int
    baseline_hits: int

    @property
    def model_rate(self) -> float:
        return self.model_hits / self.customers if self.customers else 0.0

    @property
    def baseline_rate(self) -> float:
        return self.baseline_hits / self.customers if self.customers else 0.0

    @property
    def uplift(self) -> float | None:
        """Relative uplift over the baseline (None when the baseline hits nothing)."""
        return self.model_rate / self.baseline_rate - 1.0 if self.baseline_rate else None


def _purchases(*, until: dt.datetime, since: dt.datetime | None = None) -> dict[int, set[int]]:
    params = training._clean_params(until)
    where = ""
    if since is not None:
        where = "WHERE placed_at >= %s"
        params = [*params, training.connection.ops.adapt_datetimefield_value(since)]
    found: dict[int, set[int]] = defaultdict(set)
    for customer_id, product_id in training._fetch(
        f"WITH {training.CLEAN_CTE} SELECT DISTINCT customer_id, product_id FROM clean {where}", params  # noqa: S608 - SQL built from constants; values are parameters
    ):
        found[int(str(customer_id))].add(int(str(product_id)))
    return found


def evaluate(
    *, cut: dt.datetime, horizon_days: int = 180, k: int = 5, window_days: int = training.DEFAULT_WINDOW_DAYS,
    min_pairs: int = training.DEFAULT_MIN_PAIRS,
) -> Evaluation:  # fmt: skip
    """Train on purchases before `cut`; test on new products bought in [cut, cut + horizon_days)."""
    rules = training.learn(until=cut, window_days=window_days, min_pairs=min_pairs)
    rule_index = training.index(rules)
    popular = training.popular_products(until=cut, limit=k * 10)
    popular_only = [(p, float(len(popular) - n)) for n, (p, _) in enumerate(popular)]  # ranks, no rules
    before = _purchases(until=cut)
    after = _purchases(until=cut + dt.timedelta(days=horizon_days), since=cut)
    customers = model_hits = baseline_hits = 0
    for customer_id, bought in after.items():
        history = before.get(customer_id)
        new = bought - history if history else set()
        if not new:
            continue
        customers += 1
        assert history is not None
        if new & set(training.rank(history=history, rules=rule_index, popular=popular, k=k)):
            model_hits += 1
        if new & set(training.rank(history=history, rules={}, popular=popular_only, k=k)):
            baseline_hits += 1
    return Evaluation(cut, horizon_days, k, len(rules), customers, model_hits, baseline_hits)
