"""Dashboard filters: sales channel, customer province, support team, product category.

The KPI cards read the daily rollups, which are totals for the whole business (one row per metric and day, no
dimension), so the filters apply to what is computed from the records on each view: the customer figures and
cohorts (channel: orders of that channel; province: customers with an address there), the support breakdown
(team), the claim-rate table (category, channel of the sale) and the carrier table (the customer's province).
The page says so next to the filters. Choices are read once per view (four small queries) and a value that is
not among them is refused with a message (the filter is then left out).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Filters:
    """The chosen filters (empty: everything)."""

    channel: str = ""
    province: int | None = None
    team: int | None = None
    category: int | None = None
    province_name: str = ""

    @property
    def active(self) -> bool:
        return bool(self.channel or self.province or self.team or self.category)

    def as_query(self) -> dict[str, str]:
        """The non-empty filters as GET parameters (kept by the other forms on the page)."""
        values = {"channel": self.channel, "province": self.province, "team": self.team, "category": self.category}
        return {key: str(value) for key, value in values.items() if value}


@dataclass
class Choices:
    """What each filter may be set to (value, label)."""

    channels: list[tuple[str, str]] = field(default_factory=list)
    provinces: list[tuple[int, str]] = field(default_factory=list)
    teams: list[tuple[int, str]] = field(default_factory=list)
    categories: list[tuple[int, str]] = field(default_factory=list)


def choices() -> Choices:
    """The filter options (four queries)."""
    from haumai.accounts.models import Team
    from haumai.catalog.models import Category
    from haumai.customers.models import Province
    from haumai.sales.models import Channel

    return Choices(
        channels=list(Channel.objects.order_by("name").values_list("code", "name")),
        provinces=list(Province.objects.order_by("name").values_list("code", "name")),
        teams=list(Team.objects.order_by("name").values_list("id", "name")),
        categories=list(Category.objects.order_by("name").values_list("id", "name")),
    )


def _number(raw: str) -> int | None:
    try:
        return int(raw.strip()[:12])
    except ValueError:
        return None


def parse(request: HttpRequest, options: Choices) -> tuple[Filters, str]:
    """The filters of a request, and a message when a value was refused (that filter is left out)."""
    errors: list[str] = []
    channel = request.GET.get("channel", "").strip()[:40]
    if channel and channel not in {code for code, _name in options.channels}:
        errors.append(_("Unknown sales channel."))
        channel = ""

    def pick(name: str, known: list[tuple[int, str]], message: str) -> tuple[int | None, str]:
        raw = request.GET.get(name, "").strip()
        if not raw:
            return None, ""
        value = _number(raw)
        labels = dict(known)
        if value is None or value not in labels:
            errors.append(message)
            return None, ""
        return value, labels[value]

    province, province_name = pick("province", options.provinces, _("Unknown province."))
    team, _team_name = pick("team", options.teams, _("Unknown team."))
    category, _category_name = pick("category", options.categories, _("Unknown product category."))
    chosen = Filters(channel=channel, province=province, team=team, category=category, province_name=province_name)
    return chosen, " ".join(errors)


def as_kwargs(filters: Filters) -> dict[str, Any]:
    """The order filters the sales metrics take."""
    return {"channel": filters.channel, "province": filters.province}
