"""Console registration: the Warranties and Claims pages, and a search provider by serial/IMEI/code."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from haumai.core.paging import capped_count
from haumai.core.registry import NavEntry, SearchHit, SearchProvider, register_nav, register_search
from haumai.warranty import selectors
from haumai.warranty.models import Claim, ClaimStatus, Warranty


def _open_claims(user: Any) -> int | None:
    return capped_count(Claim.objects.filter(status=ClaimStatus.SUBMITTED))


def search_warranties(query: str, user: Any, limit: int) -> list[SearchHit]:
    """Warranties whose code, serial or IMEI is the query (exact), then claims by code."""
    text = query.strip()
    # Codes, serials and IMEIs are one word with digits: a name costs no query here.
    if len(text) < 3 or " " in text or not any(ch.isdigit() for ch in text):
        return []
    rows = (
        Warranty.objects.filter(Q(code=text.upper()) | Q(unit__serial=text) | Q(unit__imei=text))
        .select_related("unit__product")
        .order_by("-created_at")[:limit]
    )
    hits = []
    for warranty in rows:
        answer = selectors.answer(warranty)
        hits.append(
            SearchHit(
                kind=_("Warranty"),
                title=f"{warranty.code} · {warranty.unit.serial}",
                url=reverse("warranty:detail", args=[warranty.code]),
                subtitle=f"{warranty.unit.product.name} · {answer.sentence}",
                icon="shield-check",
                score=1.0,
            )
        )
    if text.upper().startswith("WC-"):
        claim = Claim.objects.filter(code=text.upper()).select_related("warranty__unit__product").first()
        if claim is not None:
            hits.append(
                SearchHit(
                    kind=_("Warranty claim"),
                    title=claim.code,
                    url=reverse("warranty:claim", args=[claim.code]),
                    subtitle=f"{claim.warranty.unit.product.name} · {claim.get_status_display()}",
                    icon="shield-check",
                    score=1.0,
                )
            )
    return hits[:limit]


register_nav(
    NavEntry(
        key="warranty.list",
        area="aftersales",
        label=_("Warranties"),
        url_name="warranty:list",
        icon="shield-check",
        permission="warranty.view_warranty",
        order=20,
        active_prefixes=("/console/warranty/",),
    ),
    NavEntry(
        key="warranty.claims",
        area="aftersales",
        label=_("Warranty claims"),
        url_name="warranty:claims",
        icon="shield-check",
        permission="warranty.view_claim",
        order=21,
        active_prefixes=("/console/warranty/claims/",),
        count=_open_claims,
    ),
)
register_search(
    SearchProvider(
        key="warranty", label=_("Warranties"), search=search_warranties, permission="warranty.view_warranty", order=40
    )
)
