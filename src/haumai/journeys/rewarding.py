"""The seam between journeys and loyalty: a voucher step gives the customer a code of a campaign, and the
following messages of the run can show it (`{{ voucher.code }}`, `{{ voucher.value }}`, `{{ voucher.valid_until }}`)."""

from __future__ import annotations

from typing import Any

from haumai.core import clock
from haumai.core.errors import DomainError


def campaign_exists(code: str) -> bool:
    """Whether a voucher step may name this campaign (checked when the journey is saved)."""
    from haumai.loyalty.models import VoucherCampaign

    return bool(code) and VoucherCampaign.objects.filter(code=code).exists()


def campaign_choices() -> list[tuple[str, str]]:
    """(code, name) of the campaigns that still run, for the builder (at most 200, newest first)."""
    from haumai.loyalty.models import VoucherCampaign

    running = VoucherCampaign.objects.filter(ends_at__gt=clock.now(), closed_at__isnull=True)
    rows = running.order_by("-created_at", "-id")[:200]
    return [(c.code, c.name) for c in rows]


def give_voucher(
    *, campaign_code: str, customer: Any, reference: str, birthday_year: int | None = None
) -> dict[str, str] | str:
    """The voucher's template values, or why none could be given (campaign gone, ended, limit reached).

    The same reference gives the same code (a repeated tick issues nothing new); on a birthday journey the
    code is the customer's birthday gift of that year, one per customer and year across journeys."""
    from haumai.loyalty.services.vouchers import issue_birthday_voucher, issue_for_journey

    try:
        if birthday_year is not None:
            voucher = issue_birthday_voucher(customer=customer, year=birthday_year, campaign_code=campaign_code)
            assert voucher is not None  # a named campaign gives a code or refuses
        else:
            voucher = issue_for_journey(campaign_code=campaign_code, customer=customer, reference=reference)
    except DomainError as exc:
        details = "; ".join(error.message for error in exc.errors)
        return (details or exc.message)[:300]
    return _values(voucher)


def birthday_year(journey: Any, run: Any) -> int | None:
    """The year of a birthday run (the local day it started), None for a journey of another trigger."""
    if journey.trigger_kind != "birthday":
        return None
    return int(run.started_at.astimezone(clock.LOCAL_TZ).year)


def birthday_campaign_running() -> bool:
    """Whether a birthday-gift campaign runs now (loyalty); a batch of greetings asks once."""
    from haumai.loyalty.services.vouchers import birthday_campaign

    return birthday_campaign() is not None


def birthday_gift(*, customer: Any, year: int) -> dict[str, str] | None:
    """The birthday greeting's voucher: the customer's gift of `year` from the running birthday campaign
    (loyalty), or None when no birthday campaign runs or it cannot give one (the greeting promises nothing)."""
    from haumai.loyalty.services.vouchers import issue_birthday_voucher

    try:
        voucher = issue_birthday_voucher(customer=customer, year=year)
    except DomainError:
        return None
    return _values(voucher) if voucher is not None else None


def _values(voucher: Any) -> dict[str, str]:
    from haumai.core.money import format_vnd

    campaign = voucher.campaign
    value = f"{campaign.percent}%" if campaign.discount_kind == "percent" else format_vnd(campaign.amount_vnd)
    return {
        "code": voucher.code,
        "value": value,
        "min_order": format_vnd(campaign.min_order_vnd) if campaign.min_order_vnd else "",
        "valid_until": campaign.ends_at.astimezone(clock.LOCAL_TZ).strftime("%d/%m/%Y"),
        "campaign": campaign.name,
    }
