"""Console registration: the voucher campaigns page and a search provider by voucher code."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from haumai.core.registry import NavEntry, SearchHit, SearchProvider, register_nav, register_search
from haumai.loyalty.models import Voucher, VoucherCampaign


def search_vouchers(query: str, user: Any, limit: int) -> list[SearchHit]:
    """A voucher code (exact, any case) or a campaign code."""
    text = query.strip().upper()
    if len(text) < 3 or " " in text or len(text) > 40:
        return []
    hits = []
    voucher = Voucher.objects.select_related("campaign", "owner").filter(code=text).first()
    if voucher is not None:
        owner = voucher.owner.full_name if voucher.owner is not None else _("anyone")
        hits.append(
            SearchHit(
                kind=_("Voucher"),
                title=voucher.code,
                icon="ticket",
                score=1.0,
                url=reverse("loyalty:campaign", args=[voucher.campaign.code]),
                subtitle=f"{voucher.campaign.name} · {owner}",
            )
        )
    campaign = VoucherCampaign.objects.filter(code=text).first()
    if campaign is not None:
        hits.append(
            SearchHit(
                kind=_("Voucher campaign"),
                title=campaign.code,
                icon="gift",
                score=0.9,
                url=reverse("loyalty:campaign", args=[campaign.code]),
                subtitle=campaign.name,
            )
        )
    return hits[:limit]


register_nav(
    NavEntry(
        key="loyalty.campaigns",
        area="proactive",
        label=_("Voucher campaigns"),
        url_name="loyalty:campaigns",
        icon="gift",
        permission="loyalty.view_vouchercampaign",
        order=40,
        active_prefixes=("/console/loyalty/",),
    ),
)
register_search(
    SearchProvider(
        key="loyalty", label=_("Vouchers"), search=search_vouchers, permission="loyalty.view_voucher", order=60
    )
)
