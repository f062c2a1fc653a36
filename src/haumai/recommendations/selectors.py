"""Recommendation reads: what goes with a product, and what to offer a customer now."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from haumai.catalog.models import Product
from haumai.core import clock
from haumai.core.errors import NotFound
from haumai.customers.models import Customer
from haumai.privacy import restrictions
from haumai.recommendations import training
from haumai.recommendations.models import Association, PopularProduct

HISTORY_LIMIT = 50


@dataclass(frozen=True)
class Suggestion:
    """A product to offer, and why."""

    product: Product
    kind: str  # together, later, popular
    confidence: float
    lift: float


def product_by_sku(sku: str) -> Product:
    """An active product by SKU."""
    product = Product.objects.filter(sku=sku.strip()[:64], is_active=True).first()
    if product is None:
        raise NotFound("Product not found")
    return product


def for_product(product: Product, *, limit: int = 5) -> dict[str, list[Suggestion]]:
    """Bought together with the product, and bought later after it, best first (lift above 1)."""
    rows = (
        Association.objects.filter(product=product, lift__gt=1.0, other__is_active=True)
        .select_related("other")
        .order_by("kind", "-confidence", "-lift", "other_id")
    )
    found: dict[str, list[Suggestion]] = {"together": [], "later": []}
    for row in rows:
        bucket = found[row.kind]
        if len(bucket) < limit:
            bucket.append(Suggestion(row.other, row.kind, row.confidence, row.lift))
    return found


def _history(customer: Customer) -> set[int]:
    now = clock.now()
    rows = training._fetch(
        f"WITH {training.CUSTOMER_CLEAN_CTE} SELECT product_id, MAX(placed_at) AS last_at FROM clean "  # noqa: S608
        "GROUP BY product_id ORDER BY last_at DESC LIMIT %s",
        [customer.pk, *training._clean_params(now + dt.timedelta(seconds=1)), HISTORY_LIMIT],
    )
    return {int(str(p)) for p, _ in rows}


def for_customer(customer: Customer, *, limit: int = 5) -> list[Suggestion]:
    """What to offer this customer now: follow-ups of what they kept, then what sells, never what they have.

    A customer who restricted profiling (privacy.restrictions) gets the best sellers only: their own
    purchase history is not read."""
    history = set() if restrictions.stops(customer, "profiling") else _history(customer)
    rows = list(
        Association.objects.filter(product_id__in=history, lift__gt=1.0, other__is_active=True).only(
            "kind", "product_id", "other_id", "pair_count", "support", "confidence", "lift"
        )
    )
    rules = training.index([
        training.Rule(r.kind, r.product_id, r.other_id, r.pair_count, r.support, r.confidence, r.lift) for r in rows
    ])  # fmt: skip
    best_sellers = PopularProduct.objects.order_by("-share", "product_id").values_list("product_id", "share")
    popular = list(best_sellers[: limit * 3])
    ranked = training.rank(history=history, rules=rules, popular=popular, k=limit)
    shares = dict(popular)
    products = Product.objects.in_bulk(ranked)
    best: dict[int, Association] = {}
    for r in rows:
        if r.other_id in ranked and (r.other_id not in best or r.confidence > best[r.other_id].confidence):
            best[r.other_id] = r
    suggestions = []
    for product_id in ranked:
        rule = best.get(product_id)
        if rule and rule.confidence * training.KIND_WEIGHT.get(rule.kind, 0.5) < shares.get(product_id, 0.0):
            rule = None  # it is offered because it sells, not because of the rule
        kind = rule.kind if rule else "popular"
        suggestions.append(
            Suggestion(products[product_id], kind, rule.confidence if rule else 0.0, rule.lift if rule else 0.0)
        )
    return suggestions
