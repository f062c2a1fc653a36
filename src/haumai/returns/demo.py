"""Demo return terms: the shop's default policy lets customers choose another product of the same category."""

from __future__ import annotations

from haumai.returns.models import OtherItemExchange, ReturnPolicy

DEFAULT_POLICY = "Đổi trả trong 7 ngày"


def seed_return_terms() -> dict[str, int]:
    """Offer exchange for another product (same category, not dearer) on the default policy."""
    changed = ReturnPolicy.objects.filter(
        name=DEFAULT_POLICY, product__isnull=True, category__isnull=True, channel__isnull=True
    ).update(exchange_for_other=OtherItemExchange.SAME_CATEGORY)
    return {"returns.policies_with_other_item_exchange": changed}
