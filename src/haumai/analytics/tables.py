"""The dashboard's breakdown tables (support by agent/team/channel/tag, claim rate per product/batch, carriers).

Each table is one grouped query over the records of the range (not a rollup), at most 50 rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haumai.analytics.days import start_of
from haumai.analytics.filters import Filters

NO_FILTERS = Filters()

SUPPORT_BY = {
    "agent": gettext_lazy("Agent"),
    "team": gettext_lazy("Team"),
    "channel": gettext_lazy("Channel"),
    "tag": gettext_lazy("Tag"),
}
CLAIMS_BY = {"product": gettext_lazy("Product"), "batch": gettext_lazy("Product and batch (purchase month)")}
FORECAST_BY = {"province": gettext_lazy("Province"), "category": gettext_lazy("Product category")}
CARRIERS_BY = {"carrier": gettext_lazy("Carrier"), "province": gettext_lazy("Carrier and province")}


def choice(raw: str, options: dict[str, Any]) -> str:
    """The chosen breakdown, or the first option for a missing or unknown value."""
    return raw if raw in options else next(iter(options))


def _period(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return start_of(first), start_of(last + dt.timedelta(days=1))


def _name(row: dict[str, Any], by: str) -> str:
    from haumai.support.models import TicketChannel

    if by == "agent":
        full = f"{row['assignee__first_name']} {row['assignee__last_name']}".strip()
        return full or row["assignee__username"] or _("Unassigned")
    if by == "team":
        return row["team__name"] or _("No team")
    if by == "channel":
        return str(TicketChannel(row["channel"]).label) if row["channel"] in TicketChannel.values else row["channel"]
    return row["tags__name"] or _("No tag")


def support_rows(first: dt.date, last: dt.date, by: str, filters: Filters = NO_FILTERS) -> list[dict[str, Any]]:
    """Tickets solved in the range per agent, team, channel or tag."""
    from haumai.support import metrics

    rows = []
    for row in metrics.breakdown(*_period(first, last), by, team=filters.team):
        fcr = f"{100 * row['fcr'] / row['solved']:.0f}%" if row["solved"] else "—"
        answered = row["answered"]
        frt = _("%(hours).1f h") % {"hours": row["frt_seconds"] / answered / 3600} if answered else "—"
        rows.append({"name": _name(row, by), "solved": row["solved"], "fcr": fcr, "reopened": row["reopened"],
                     "frt": frt})  # fmt: skip
    return rows


def claim_rows(first: dt.date, last: dt.date, by: str, filters: Filters = NO_FILTERS) -> list[dict[str, Any]]:
    """Claims per 1,000 units under warranty, per product (and batch)."""
    from haumai.warranty import metrics

    rows = []
    found = metrics.claim_rates(
        *_period(first, last), by_batch=by == "batch", category=filters.category, channel=filters.channel
    )
    for row in found:
        batch = date_format(row["batch"], "m/Y") if row["batch"] else _("unknown")
        rate = f"{row['rate']:.1f}‰" if row["rate"] is not None else "—"
        rows.append({"sku": row["unit__product__sku"], "name": row["unit__product__name"],
                     "batch": batch if by == "batch" else "", "claims": row["claims"], "units": row["units"],
                     "rate": rate})  # fmt: skip
    return rows


def _share(hits: int, n: int) -> str:
    return f"{100 * hits / n:.0f}%" if n else "—"


def carrier_rows(first: dt.date, last: dt.date, by: str, filters: Filters = NO_FILTERS) -> list[dict[str, Any]]:
    """Pickup and delivery on time, lost and delayed per carrier (and the customer's province)."""
    from haumai.shipping import metrics

    rows = []
    found = metrics.by_carrier(*_period(first, last), by_province=by == "province", province=filters.province)
    for row in found[:50]:
        rows.append({
            "carrier": row["carrier"], "province": (row["province"] or _("unknown")) if by == "province" else "",
            "created": row["created"], "pickup": _share(row["picked_on_time"], row["picked"]),
            "picked": row["picked"], "delivery": _share(row["delivered_on_time"], row["delivered"]),
            "delivered": row["delivered"], "lost": row["lost"], "delayed": row["delayed"],
        })  # fmt: skip
    return rows
