"""Learning associations from order lines with set-based SQL (PostgreSQL and SQLite), and ranking with them.

Clean purchases are order lines of orders that were not cancelled, minus every line that went back in a
return that was not cancelled or rejected (a returned item was not really kept, whatever the reason; a
defective one says nothing good about the pair), minus the replacement orders that exchanges created (a
replacement for a defective unit is not a second purchase). Two kinds of rules come out:

- together: product X and Y in the same order; baskets are orders.
- later: the customer's first purchase of Y came 1 second to `window_days` days after their first of X;
  baskets are customers.

support = pair baskets / all baskets, confidence = pair baskets / baskets with X, lift = confidence /
(baskets with Y / all baskets). Pairs seen in fewer than `min_pairs` baskets are dropped as noise.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import connection

from haumai.sales.models import OrderStatus

DEFAULT_WINDOW_DAYS = 240
DEFAULT_MIN_PAIRS = 3
CLOSED_RETURN_STATUSES = ("cancelled", "rejected")

CLEAN_CTE = """
clean AS (
  SELECT DISTINCT o.id AS order_id, o.customer_id AS customer_id, l.product_id AS product_id,
         o.placed_at AS placed_at
  FROM sales_orderline l JOIN sales_order o ON o.id = l.order_id
  WHERE o.status <> %s AND o.placed_at < %s
    AND NOT EXISTS (
      SELECT 1 FROM returns_returnline rl JOIN returns_returnrequest rr ON rr.id = rl.request_id
      WHERE rl.order_line_id = l.id AND rr.status NOT IN (%s, %s))
    AND NOT EXISTS (
      SELECT 1 FROM returns_returnrequest ex WHERE ex.exchange_order_code = o.code AND ex.exchange_order_code <> '')
)"""


# The same clean purchases of one customer (the filter inside the CTE, so the customer's index is used).
CUSTOMER_CLEAN_CTE = CLEAN_CTE.replace("WHERE o.status <> %s", "WHERE o.customer_id = %s AND o.status <> %s")


@dataclass(frozen=True)
class Rule:
    """One learned association."""

    kind: str
    product_id: int
    other_id: int
    pair_count: int
    support: float
    confidence: float
    lift: float


def _clean_params(until: dt.datetime) -> list[Any]:
    return [OrderStatus.CANCELLED, connection.ops.adapt_datetimefield_value(until), *CLOSED_RETURN_STATUSES]


def _within(later: str, earlier: str) -> str:
    """SQL: `later` is after `earlier` by at most %s days (the one vendor difference)."""
    if connection.vendor == "postgresql":
        return f"{later} > {earlier} AND {later} <= {earlier} + (%s * INTERVAL '1 day')"
    return f"julianday({later}) > julianday({earlier}) AND julianday({later}) <= julianday({earlier}) + %s"


def _fetch(sql: str, params: list[Any]) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _rules(kind: str, pairs: list[tuple[object, ...]], counts: dict[int, int], baskets: int) -> list[Rule]:
    rules = []
    for product_id, other_id, pair_count in pairs:
        a, b, n = int(str(product_id)), int(str(other_id)), int(str(pair_count))
        confidence = n / counts[a]
        lift = confidence / (counts[b] / baskets)
        rules.append(Rule(kind, a, b, n, n / baskets, confidence, lift))
    return rules


def learn(
    *, until: dt.datetime, window_days: int = DEFAULT_WINDOW_DAYS, min_pairs: int = DEFAULT_MIN_PAIRS
) -> list[Rule]:
    """Every together and later rule from clean purchases placed before `until`."""
    params = _clean_params(until)
    together_pairs = _fetch(
        f"WITH {CLEAN_CTE} SELECT a.product_id, b.product_id, COUNT(*) FROM clean a JOIN clean b "  # noqa: S608 - SQL built from constants; values are parameters
        "ON a.order_id = b.order_id AND a.product_id <> b.product_id GROUP BY a.product_id, b.product_id "
        "HAVING COUNT(*) >= %s",
        [*params, min_pairs],
    )
    order_counts = _fetch(
        f"WITH {CLEAN_CTE} SELECT product_id, COUNT(DISTINCT order_id) FROM clean GROUP BY product_id", params  # noqa: S608 - SQL built from constants; values are parameters
    )
    orders = _fetch(f"WITH {CLEAN_CTE} SELECT COUNT(DISTINCT order_id), COUNT(DISTINCT customer_id) FROM clean", params)  # noqa: S608 - SQL built from constants; values are parameters
    first = (
        f"{CLEAN_CTE}, firsts AS (SELECT customer_id, product_id, MIN(placed_at) AS first_at FROM clean "  # noqa: S608 - SQL built from constants; values are parameters
        "GROUP BY customer_id, product_id)"
    )
    later_pairs = _fetch(
        f"WITH {first} SELECT a.product_id, b.product_id, COUNT(*) FROM firsts a JOIN firsts b "  # noqa: S608 - SQL built from constants; values are parameters
        f"ON a.customer_id = b.customer_id AND a.product_id <> b.product_id AND {_within('b.first_at', 'a.first_at')} "
        "GROUP BY a.product_id, b.product_id HAVING COUNT(*) >= %s",
        [*params, window_days, min_pairs],
    )
    customer_counts = _fetch(f"WITH {first} SELECT product_id, COUNT(*) FROM firsts GROUP BY product_id", params)  # noqa: S608 - SQL built from constants; values are parameters
    total_orders, total_customers = (int(str(v or 0)) for v in orders[0])
    if not total_orders:
        return []
    by_order = {int(str(p)): int(str(n)) for p, n in order_counts}
    by_customer = {int(str(p)): int(str(n)) for p, n in customer_counts}
    return _rules("together", together_pairs, by_order, total_orders) + _rules(
        "later", later_pairs, by_customer, total_customers
    )


def popular_products(
    *, until: dt.datetime, since: dt.datetime | None = None, limit: int = 20
) -> list[tuple[int, float]]:
    """Products most customers bought (clean purchases in [since, until)), most first, with the share of
    buying customers who bought each: the baseline, and the floor every learned score must beat."""
    params: list[Any] = _clean_params(until)
    where = ""
    if since is not None:
        where = "WHERE placed_at >= %s"
        params.append(connection.ops.adapt_datetimefield_value(since))
    rows = _fetch(
        f"WITH {CLEAN_CTE} SELECT product_id, COUNT(DISTINCT customer_id) AS n FROM clean {where} "  # noqa: S608 - SQL built from constants; values are parameters
        "GROUP BY product_id ORDER BY n DESC, product_id LIMIT %s",
        [*params, limit],
    )
    totals = _fetch(f"WITH {CLEAN_CTE} SELECT COUNT(DISTINCT customer_id) FROM clean {where}", params)  # noqa: S608
    buyers = int(str(totals[0][0] or 0)) or 1
    return [(int(str(p)), int(str(n)) / buyers) for p, n in rows]


RuleIndex = dict[int, list[Rule]]
KIND_WEIGHT = {"later": 1.0, "together": 0.5}  # what to offer after a purchase: follow-ups first


def index(rules: list[Rule]) -> RuleIndex:
    """Rules by antecedent product."""
    found: RuleIndex = defaultdict(list)
    for rule in rules:
        if rule.lift > 1.0:
            found[rule.product_id].append(rule)
    return found


def rank(*, history: set[int], rules: RuleIndex, popular: list[tuple[int, float]], k: int = 5) -> list[int]:
    """The top k products to offer someone who bought `history`, never one they have.

    Each candidate scores the likelihood we can estimate for it: its share of buyers (popularity) or, when
    higher, the confidence of a learned rule from something in the history (together rules count half: we
    are predicting a later purchase). A weak rule therefore never pushes out a best seller.
    """
    scores: dict[int, float] = {p: share for p, share in popular if p not in history}
    for product_id in history:
        for rule in rules.get(product_id, ()):
            if rule.other_id in history:
                continue
            score = rule.confidence * KIND_WEIGHT.get(rule.kind, 0.5)
            if score > scores.get(rule.other_id, 0.0):
                scores[rule.other_id] = score
    return [p for p, _ in sorted(scores.items(), key=lambda item: (-item[1], item[0]))][:k]
