"""Console registration: the Repairs queue and a search provider by RO code, serial or IMEI."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from haumai.core.paging import capped_count
from haumai.core.registry import NavEntry, SearchHit, SearchProvider, register_nav, register_search
from haumai.repairs.models import RepairOrder, RepairStatus

OTHER_CODE_PREFIXES = ("RMA-", "WR-", "WC-", "EP-", "ORD-", "CUS-", "TK-", "AP-", "VS-")


def _my_open(user: Any) -> int | None:
    if not user.has_perm("repairs.work_repairorder"):
        return capped_count(RepairOrder.objects.filter(status=RepairStatus.READY))
    return capped_count(
        RepairOrder.objects.filter(
            technician=user,
            status__in=(
                RepairStatus.RECEIVED,
                RepairStatus.DIAGNOSING,
                RepairStatus.APPROVED,
                RepairStatus.REPAIRING,
                RepairStatus.QC,
            ),
        )
    )


def search_repairs(query: str, user: Any, limit: int) -> list[SearchHit]:
    """Repair orders whose code, serial or IMEI is the query (exact), newest first."""
    text = query.strip()
    if len(text) < 3 or " " in text or not any(ch.isdigit() for ch in text):
        return []
    if text.upper().startswith(OTHER_CODE_PREFIXES):  # another module's code, never a serial
        return []
    rows = (
        RepairOrder.objects.filter(Q(code=text.upper()) | Q(unit__serial=text) | Q(unit__imei=text))
        .select_related("unit__product", "customer")
        .order_by("-received_at")[:limit]
    )
    return [
        SearchHit(
            kind=_("Repair"),
            title=f"{order.code} · {order.unit.serial}",
            url=reverse("repairs:detail", args=[order.code]),
            subtitle=f"{order.unit.product.name} · {order.get_status_display()}",
            icon="wrench",
            score=1.0,
        )
        for order in rows
    ]


register_nav(
    NavEntry(
        key="repairs.queue",
        area="aftersales",
        label=_("Repairs"),
        url_name="repairs:queue",
        icon="wrench",
        permission="repairs.view_repairorder",
        order=25,
        active_prefixes=("/console/repairs/",),
        count=_my_open,
    ),
)
register_search(
    SearchProvider(
        key="repairs", label=_("Repairs"), search=search_repairs, permission="repairs.view_repairorder", order=45
    )
)

# Service centres, appointments, visits and maintenance register from their own subpackage.
from haumai.repairs.booking import ui as _booking  # noqa: E402, F401
