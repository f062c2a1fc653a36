"""Warranty terms: which policy applies to a product, end dates, and whether a claim is covered, with reasons.

Coverage decisions carry notes as {code, params} (like the return policy engine); `explain()` turns a
note into a sentence in the reader's language when it is shown.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from haumai.catalog.models import Product
from haumai.warranty.models import (
    DurationUnit,
    Responsibility,
    StartRule,
    VoidReason,
    Warranty,
    WarrantyPolicy,
    WarrantyStatus,
)

Note = dict[str, Any]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later (clamped to the month's last day)."""
    year, month_index = divmod(day.month - 1 + months, 12)
    year += day.year
    month = month_index + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def covered_until(start: dt.date, duration: int, unit: str) -> dt.date:
    """The last day covered: 12 months from 05/01/2026 -> 04/01/2027 (05/01/2027 is no longer covered)."""
    if unit == DurationUnit.DAYS:
        return start + dt.timedelta(days=duration - 1)
    return add_months(start, duration) - dt.timedelta(days=1)


def generic_code(product: Product) -> str:
    """The code of the generic policy made from a product's own warranty fields."""
    return f"default-{product.warranty_months}m-{product.warranty_start}-{product.warranty_provider}"


# Names of generic policies are data (stored once), so they are written in the default language.
_START_VI = {"purchase": "từ ngày mua", "delivery": "từ ngày giao hàng", "activation": "từ ngày kích hoạt"}
_RESPONSIBLE_VI = {"retailer": "cửa hàng bảo hành", "brand": "bảo hành tại hãng"}


def generic_policy_fields(months: int, start: str, provider: str) -> dict[str, Any]:
    """The fields of a generic policy for a product's warranty months, start rule and provider."""
    start_rule = start if start in StartRule.values else StartRule.PURCHASE
    responsibility = provider if provider in Responsibility.values else Responsibility.RETAILER
    return {
        "name": f"Bảo hành {months} tháng {_START_VI[start_rule]}, {_RESPONSIBLE_VI[responsibility]}",
        "duration": months,
        "duration_unit": DurationUnit.MONTHS,
        "start_rule": start_rule,
        "responsibility": responsibility,
        "coverage_vi": "Lỗi kỹ thuật do nhà sản xuất.",
        "coverage_en": "Manufacturing defects.",
        "exclusions_vi": "Rơi vỡ, vào nước, cháy nổ, tự ý tháo lắp hoặc sửa chữa ngoài trung tâm bảo hành.",
        "exclusions_en": "Drops, liquid damage, burns, opening or repair outside an authorised service centre.",
    }


def policy_for(product: Product) -> WarrantyPolicy | None:
    """The most specific active policy: product > category (nearest first) > generic terms of the product.

    None when the product has no warranty (0 months and no policy of its own or of its category).
    """
    categories: list[int] = []
    category = product.category
    while category is not None and len(categories) < 10:
        categories.append(category.pk)
        category = category.parent
    candidates = list(
        WarrantyPolicy.objects.filter(is_active=True)
        .filter(Q(product=product) | Q(product__isnull=True, category_id__in=categories))
        .prefetch_related("components")
    )
    if candidates:
        candidates.sort(key=lambda p: -1 if p.product_id else categories.index(p.category_id or 0))
        return candidates[0]
    if not product.warranty_months:
        return None
    policy, _created = WarrantyPolicy.objects.get_or_create(
        code=generic_code(product),
        defaults=generic_policy_fields(product.warranty_months, product.warranty_start, product.warranty_provider),
    )
    return policy


def snapshot(policy: WarrantyPolicy) -> dict[str, Any]:
    """The policy's terms as stored on a warranty (later policy edits do not change sold warranties)."""
    return {
        "policy_code": policy.code,
        "name": policy.name,
        "duration": policy.duration,
        "duration_unit": policy.duration_unit,
        "start_rule": policy.start_rule,
        "coverage_vi": policy.coverage_vi,
        "coverage_en": policy.coverage_en,
        "exclusions_vi": policy.exclusions_vi,
        "exclusions_en": policy.exclusions_en,
        "responsibility": policy.responsibility,
        "service_name": policy.service_name,
        "service_address": policy.service_address,
        "service_phone": policy.service_phone,
        "repair_attempts_before_replacement": policy.repair_attempts_before_replacement,
        "components": [
            {"name_vi": c.name_vi, "name_en": c.name_en or c.name_vi, "duration": c.duration, "unit": c.duration_unit}
            for c in policy.components.all()
        ],
    }


def component_ends(warranty: Warranty) -> list[dict[str, Any]]:
    """Each component of the warranty's terms with its own end date (extensions apply to every part)."""
    if warranty.starts_on is None:
        return []
    extra = (warranty.ends_on - warranty.base_ends_on).days if warranty.ends_on and warranty.base_ends_on else 0
    rows = []
    for component in warranty.terms.get("components", []):
        ends = covered_until(warranty.starts_on, int(component["duration"]), str(component["unit"]))
        rows.append({**component, "ends_on": ends + dt.timedelta(days=extra)})
    return rows


@dataclass
class CoverageDecision:
    """Whether a claim is covered, and why (notes in the order they were found)."""

    covered: bool = True
    notes: list[Note] = field(default_factory=list)

    def refuse(self, code: str, **params: Any) -> None:
        self.covered = False
        self.notes.append({"code": code, "params": params})

    def note(self, code: str, **params: Any) -> None:
        self.notes.append({"code": code, "params": params})

    @property
    def messages(self) -> list[str]:
        return [explain(note) for note in self.notes]


def check_coverage(warranty: Warranty, *, today: dt.date, plan_ends_on: dt.date | None = None) -> CoverageDecision:
    """Decide whether a claim filed today on this warranty is covered, line by line."""
    decision = CoverageDecision()
    status = warranty.state_on(today)
    if status == WarrantyStatus.VOID:
        decision.refuse("void", reason=warranty.void_reason)
        return decision
    if status == WarrantyStatus.REPLACED:
        decision.refuse("replaced", new_code=warranty.replaced_by.code if warranty.replaced_by else "")
        return decision
    if status == WarrantyStatus.PENDING or warranty.starts_on is None or warranty.ends_on is None:
        decision.refuse("not_activated")
        return decision
    last_day = warranty.ends_on.strftime("%d/%m/%Y")
    if status == WarrantyStatus.ACTIVE:
        decision.note("within_term", last_day=last_day)
    elif plan_ends_on is not None and today <= plan_ends_on:
        decision.note("expired_on", last_day=last_day)
        decision.note("extended_plan", last_day=plan_ends_on.strftime("%d/%m/%Y"))
    else:
        decision.refuse("expired_on", last_day=last_day)
    exclusions = warranty.terms.get("exclusions_vi") or ""
    if decision.covered and exclusions:
        decision.note("exclusions_apply", exclusions=exclusions)
    return decision


def explain(note: Note) -> str:
    """One coverage note as a sentence in the active language."""
    code = note.get("code", "")
    params = dict(note.get("params") or {})
    messages = {
        "within_term": _("Under warranty until %(last_day)s"),
        "expired_on": _("The warranty ended on %(last_day)s"),
        "extended_plan": _("Covered by an extended plan until %(last_day)s"),
        "not_activated": _("The warranty has not been activated yet"),
        "void": _("The warranty is void (%(reason)s)"),
        "replaced": _("This unit was replaced (new warranty %(new_code)s): claim on the new unit"),
        "exclusions_apply": _("Not covered by the warranty: %(exclusions)s"),
        "open_claim": _("Claim %(code)s on this unit is still open"),
        "overridden": _("Accepted by %(user)s as an exception: %(note)s"),
        "repair_attempts": _("The same defect was repaired %(count)s times: replacement or refund is offered"),
    }
    template = messages.get(code)
    if template is None:
        return code
    if code == "void" and params.get("reason") in VoidReason.values:
        params["reason"] = str(VoidReason(params["reason"]).label)
    try:
        return template % params
    except (KeyError, TypeError, ValueError):
        return template
