"""Console registration: the voucher campaigns page and a search provider by voucher code."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from haumai.core.registry import NavEntry, SearchHit, SearchProvider, register_nav, register_search
from haumai.loyalty.models import Voucher, VoucherCampaign

# Haumai's own codes (RMA-2026-000123, ORD-..., CUS-...) belong to other providers.
OWN_CODE = re.compile(r"^[A-Z]{2,4}-\d{4}-\d{6}$")


def search_vouchers(query: str, user: Any, limit: int) -> list[SearchHit]:
    """A voucher code (exact, any case) or a campaign code: one query when nothing matches."""
    text = query.strip().upper()
    if len(text) < 3 or " " in text or len(text) > 40 or OWN_CODE.match(text):
        return []
    found = list(
        Voucher.objects.filter(code=text)
        .values_list("code", "campaign__code")
        .union(VoucherCampaign.objects.filter(code=text).values_list("code", "code"))
    )
    hits = []
    for code, campaign_code in found:
        campaign = VoucherCampaign.objects.get(code=campaign_code)
        url = reverse("loyalty:campaign", args=[campaign.code])
        if code == campaign_code and not Voucher.objects.filter(code=code).exists():
            hits.append(
                SearchHit(
                    kind=_("Voucher campaign"),
                    title=campaign.code,
                    icon="gift",
                    score=0.9,
                    url=url,
                    subtitle=campaign.name,
                )
            )
            continue
        voucher = Voucher.objects.select_related("owner").get(code=code)
        owner = voucher.owner.full_name if voucher.owner is not None else _("anyone")
        hits.append(
            SearchHit(
                kind=_("Voucher"),
                title=voucher.code,
                icon="ticket",
                score=1.0,
                url=url,
                subtitle=f"{campaign.name} · {owner}",
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
        active_prefixes=("/console/loyalty/campaigns/",),
    ),
    NavEntry(
        key="loyalty.cashback",
        area="proactive",
        label=_("Cashback rules"),
        url_name="loyalty:cashback_rules",
        icon="wallet",
        permission="loyalty.view_cashbackrule",
        order=41,
        active_prefixes=("/console/loyalty/cashback/",),
    ),
)
register_search(
    SearchProvider(
        key="loyalty", label=_("Vouchers"), search=search_vouchers, permission="loyalty.view_voucher", order=60
    )
)
