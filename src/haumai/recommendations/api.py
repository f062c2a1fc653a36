"""REST API v1: recommendations for the retailer's site (`?product=SKU` or `?customer=CODE`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from haumai.core.errors import FieldError, NotFound, ValidationFailed
from haumai.core.permissions import require
from haumai.customers.models import Customer
from haumai.recommendations import selectors

router = Router(tags=["recommendations"])


class RecommendationFilters(Schema):
    product: str = Field("", max_length=64, description="SKU: what goes with this product")
    customer: str = Field("", max_length=20, description="customer code: what to offer this customer now")
    limit: int = Field(5, ge=1, le=20)


class SuggestionOut(Schema):
    sku: str
    name: str
    price: int = Field(description="list price, VND")
    kind: str = Field(description="together, later (bought after) or popular (fallback)")
    confidence: float
    lift: float


class RecommendationsOut(Schema):
    together: list[SuggestionOut] = Field(description="bought in the same order (product queries)")
    later: list[SuggestionOut] = Field(description="bought afterwards (product queries)")
    offer: list[SuggestionOut] = Field(description="what to offer now (customer queries)")


def _out(s: selectors.Suggestion) -> dict[str, Any]:
    return {"sku": s.product.sku, "name": s.product.name, "price": s.product.price, "kind": s.kind,
            "confidence": round(s.confidence, 4), "lift": round(s.lift, 3)}  # fmt: skip


@router.get("", response=RecommendationsOut, summary="Products to recommend for a product or a customer")
def recommendations(request: HttpRequest, filters: Query[RecommendationFilters]) -> dict[str, Any]:
    """Give exactly one of `product` or `customer` (OpenAPI cannot relate two query parameters): neither or both
    is a 422 with the field code `one_of_required`."""
    require(request, "recommendations.view_association")
    if bool(filters.product.strip()) == bool(filters.customer.strip()):
        message = _("Give either product (a SKU) or customer (a customer code), not both.")
        raise ValidationFailed(_("Some fields are invalid"), [FieldError("product", message, "one_of_required")])
    if filters.product.strip():
        found = selectors.for_product(selectors.product_by_sku(filters.product), limit=filters.limit)
        return {"together": [_out(s) for s in found["together"]], "later": [_out(s) for s in found["later"]],
                "offer": []}  # fmt: skip
    customer = Customer.objects.filter(code=filters.customer.strip().upper(), merged_into__isnull=True).first()
    if customer is None:
        raise NotFound(_("Customer not found"))
    offer = selectors.for_customer(customer, limit=filters.limit)
    return {"together": [], "later": [], "offer": [_out(s) for s in offer]}
