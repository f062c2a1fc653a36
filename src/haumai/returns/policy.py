"""The return policy engine: which policy applies, and whether each line may be returned, with reasons.

Decisions carry notes as {code, params}; `explain()` turns a note into a sentence in the reader's
language when it is shown, so a decision made in English reads in Vietnamese on the portal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from haumai.catalog.models import Product
from haumai.core import clock
from haumai.returns.models import Condition, Reason, Resolution, ReturnPolicy, WindowStart

# Reasons the seller is responsible for: the window of a defect rule applies, not change-of-mind rules.
SELLER_FAULT_REASONS = {Reason.DEFECTIVE, Reason.WRONG_ITEM, Reason.DAMAGED_IN_TRANSIT, Reason.NOT_AS_DESCRIBED}

Note = dict[str, Any]


@dataclass(frozen=True)
class Benefit:
    """What another app grants a customer on returns: extra days on the window, or a waived pickup fee.

    `key` says why (e.g. "loyalty:gold"); the source's `describe` turns it into words when it is shown."""

    key: str
    extra_days: int = 0
    free_pickup: bool = False


# Other apps (loyalty tiers) say what a customer is granted; the engine asks them, it does not know them.
BenefitSource = Callable[[Any], Benefit | None]
_benefit_sources: list[BenefitSource] = []
_describers: list[Callable[[str], str | None]] = []


def register_benefit_source(source: BenefitSource, describe: Callable[[str], str | None]) -> None:
    """Add a source of customer benefits (called with the customer) and how to name its keys to a reader."""
    if source not in _benefit_sources:
        _benefit_sources.append(source)
        _describers.append(describe)


def benefits_for(customer: Any) -> list[Benefit]:
    """The benefits the registered sources grant this customer (none without a customer)."""
    if customer is None or getattr(customer, "pk", None) is None:
        return []
    return [benefit for source in _benefit_sources if (benefit := source(customer)) is not None]


def describe_benefit(key: str) -> str:
    """A benefit key in the reader's language (the key itself when no source knows it)."""
    return next((text for describe in _describers if (text := describe(key))), key)


def _extension(benefits: list[Benefit]) -> Benefit | None:
    extended = [benefit for benefit in benefits if benefit.extra_days > 0]
    return max(extended, key=lambda benefit: benefit.extra_days) if extended else None


def pickup_fee_for(*, customer: Any, reason: str, logistics: str, base_fee: int) -> tuple[int, str]:
    """(fee charged to the customer for a carrier pickup, key of the benefit that waived it or "").

    Seller-fault returns never pay; a change of mind pays `base_fee` unless a benefit waives it."""
    if logistics != "carrier_pickup" or reason in SELLER_FAULT_REASONS or base_fee <= 0:
        return 0, ""
    waiver = next((benefit for benefit in benefits_for(customer) if benefit.free_pickup), None)
    return (0, waiver.key) if waiver is not None else (base_fee, "")


@dataclass
class LineDecision:
    """Whether one line may be returned, and why (notes in the order they were found)."""

    eligible: bool = True
    notes: list[Note] = field(default_factory=list)
    policy: ReturnPolicy | None = None
    last_day: dt.date | None = None

    def refuse(self, code: str, **params: Any) -> None:
        self.eligible = False
        self.notes.append({"code": code, "params": params})

    def note(self, code: str, **params: Any) -> None:
        self.notes.append({"code": code, "params": params})

    @property
    def messages(self) -> list[str]:
        return [explain(note) for note in self.notes]


def window_last_day(start: dt.date, window_days: int) -> dt.date:
    """The last day a return is accepted: delivered 01/11 with 7 days -> 08/11 (the start day is day 0)."""
    return start + dt.timedelta(days=window_days)


def within_window(start: dt.date, window_days: int, today: dt.date) -> bool:
    """Whether `today` is inside the window that opened on `start` (a future start is inside)."""
    return today <= window_last_day(start, window_days)


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return moment.astimezone(clock.LOCAL_TZ).date() if moment is not None else None


def policy_for(*, product: Product, channel_id: int | None) -> ReturnPolicy | None:
    """The most specific active policy: product > category (nearest ancestor first) > channel > default."""
    categories: list[int] = []
    category = product.category
    while category is not None and len(categories) < 10:
        categories.append(category.pk)
        category = category.parent
    candidates = list(
        ReturnPolicy.objects.filter(is_active=True).filter(
            Q(product=product)
            | Q(product__isnull=True, category_id__in=categories)
            | Q(product__isnull=True, category__isnull=True, channel_id=channel_id)
            | Q(product__isnull=True, category__isnull=True, channel__isnull=True)
        )
    )

    def rank(policy: ReturnPolicy) -> tuple[int, int]:
        if policy.product_id:
            return (0, 0)
        if policy.category_id:
            return (1, categories.index(policy.category_id))
        if policy.channel_id:
            return (2, 0)
        return (3, 0)

    candidates.sort(key=lambda policy: (*rank(policy), -policy.pk))
    return candidates[0] if candidates else None


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def check_line(
    *,
    product: Product,
    channel_id: int | None,
    placed_at: dt.datetime | None,
    delivered_at: dt.datetime | None,
    reason: str,
    condition: str,
    resolution: str,
    today: dt.date | None = None,
    customer: Any = None,
) -> LineDecision:
    """Decide one line against its policy and the product's own terms (return_days, is_returnable).

    A customer benefit (a loyalty tier) adds days to the change-of-mind window, noted with its label."""
    today = today or clock.today()
    policy = policy_for(product=product, channel_id=channel_id)
    decision = LineDecision(policy=policy)
    if not product.is_returnable or (policy is not None and not policy.is_returnable):
        decision.refuse("not_returnable", product=product.name)
    window_days = product.return_days
    start_kind = WindowStart.DELIVERY
    if policy is not None:
        # The product's own period wins when it was set lower than the policy (a product-level term).
        window_days = min(policy.window_days, product.return_days) if product.return_days else policy.window_days
        start_kind = WindowStart(policy.window_start)
        if policy.allowed_reasons and reason not in policy.allowed_reasons:
            decision.refuse("reason_not_allowed", reason=reason)
        if policy.allowed_conditions and condition not in policy.allowed_conditions:
            decision.refuse("condition_not_allowed", condition=condition)
        if policy.allowed_resolutions and resolution not in policy.allowed_resolutions:
            decision.refuse("resolution_not_allowed", resolution=resolution)
    extension = _extension(benefits_for(customer)) if window_days and decision.eligible else None
    if extension is not None:
        window_days += extension.extra_days
        decision.note("benefit_extension", days=extension.extra_days, benefit=extension.key)
    start = _local_date(placed_at)
    start_label = "purchase"
    if start_kind in (WindowStart.DELIVERY, WindowStart.ACTIVATION):
        # Activation is not tracked yet: the delivery date is the closest fact we have.
        if delivered_at is None:
            decision.note("not_delivered_yet")
            return decision
        start = _local_date(delivered_at)
        start_label = "delivery"
    if start is None:
        decision.refuse("no_purchase_date")
        return decision
    decision.last_day = window_last_day(start, window_days)
    if within_window(start, window_days, today):
        decision.note("within_window", days=window_days, last_day=_fmt(decision.last_day))
        return decision
    grace = policy.defect_reasons_ignore_window_days if policy is not None else 0
    if reason in SELLER_FAULT_REASONS and grace and within_window(start, grace, today):
        decision.note("seller_fault_window", days=grace, last_day=_fmt(window_last_day(start, grace)))
        return decision
    decision.refuse(
        "window_passed", days=window_days, start=_fmt(start), start_kind=start_label, today=_fmt(today)
    )
    return decision


def explain(note: Note) -> str:
    """One eligibility note as a sentence in the active language."""
    code = note.get("code", "")
    params = dict(note.get("params") or {})
    if code == "window_passed":
        params["start"] = str(params.get("start", ""))[:5]
        params["today"] = str(params.get("today", ""))[:5]
        if params.get("start_kind") == "purchase":
            return _("Return window of %(days)s days has passed: bought on %(start)s, today is %(today)s") % params
        return _("Return window of %(days)s days has passed: delivered on %(start)s, today is %(today)s") % params
    messages = {
        "within_window": _("Within the %(days)s-day return window (until %(last_day)s)"),
        "seller_fault_window": _(
            "Past the change-of-mind window, but a seller-fault reason is accepted until %(last_day)s"
        ),
        "benefit_extension": _("%(days)s more days to return: %(benefit)s"),
        "not_delivered_yet": _("Not delivered yet: the return window has not started"),
        "no_purchase_date": _("The purchase date is unknown"),
        "not_returnable": _("%(product)s cannot be returned"),
        "reason_not_allowed": _("The reason “%(reason)s” is not accepted for this item"),
        "condition_not_allowed": _("Items in condition “%(condition)s” are not accepted"),
        "resolution_not_allowed": _("“%(resolution)s” is not offered for this item"),
        "quantity_too_high": _("Only %(left)s of %(bought)s can still be returned (%(returned)s already in returns)"),
        "serial_not_on_order": _("Serial %(serial)s does not belong to this order"),
        "unit_in_open_return": _("Serial %(serial)s is already in return %(code)s"),
        "overridden": _("Accepted by %(user)s as an exception: %(note)s"),
        "not_on_any_order": _("Not bought on an order we know: accepted by an agent"),
    }
    template = messages.get(code)
    if template is None:
        return code
    if code == "benefit_extension":
        params["benefit"] = describe_benefit(str(params.get("benefit", "")))
    if "reason" in params and params["reason"] in Reason.values:
        params["reason"] = str(Reason(params["reason"]).label)
    if "condition" in params and params["condition"] in Condition.values:
        params["condition"] = str(Condition(params["condition"]).label)
    if "resolution" in params and params["resolution"] in Resolution.values:
        params["resolution"] = str(Resolution(params["resolution"]).label)
    try:
        return template % params
    except (KeyError, TypeError, ValueError):
        return template
