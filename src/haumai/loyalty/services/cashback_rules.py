"""Cashback rules: create (every term checked, all problems at once), switch on and off."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from haumai.catalog.models import Category, Product
from haumai.core import clock
from haumai.core.errors import FieldError, ValidationFailed
from haumai.events.services import record_event
from haumai.loyalty import conf
from haumai.loyalty.models import CashbackRule, RuleScope
from haumai.loyalty.services.common import MAX_VND, require, user_or_none


@dataclass(frozen=True)
class CashbackRuleInput:
    name: str
    percent: Any
    cap_vnd: Any
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    min_order_vnd: Any = 0
    scope: str = RuleScope.ALL
    category_id: int | None = None
    product_id: int | None = None
    tier: str = ""


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def rule_problems(data: CashbackRuleInput) -> list[FieldError]:
    """Every problem with the terms, each on its field (empty when the rule can be saved)."""
    problems: list[FieldError] = []
    if not (data.name or "").strip():
        problems.append(FieldError("name", _("Give the rule a name"), "required"))
    if not _whole(data.percent) or not 1 <= data.percent <= 100:
        problems.append(FieldError("percent", _("The percent must be a whole number from 1 to 100"), "invalid"))
    if not _whole(data.cap_vnd) or not 1 <= data.cap_vnd <= MAX_VND:
        problems.append(FieldError("cap_vnd", _("The cap per order must be a whole amount of VND above 0"), "invalid"))
    if not _whole(data.min_order_vnd) or not 0 <= data.min_order_vnd <= MAX_VND:
        problems.append(FieldError("min_order_vnd", _("The minimum order must be 0 or more VND"), "invalid"))
    if data.starts_at is None or data.ends_at is None:
        problems.append(FieldError("ends_at", _("Give both validity dates"), "required"))
    elif data.ends_at <= data.starts_at:
        problems.append(FieldError("ends_at", _("The rule must end after it starts"), "invalid"))
    if data.scope not in RuleScope.values:
        problems.append(FieldError("scope", _("Choose what the rule covers"), "invalid"))
    elif data.scope == RuleScope.CATEGORY and not Category.objects.filter(pk=data.category_id or 0).exists():
        problems.append(FieldError("category", _("Choose the category the rule covers"), "required"))
    elif data.scope == RuleScope.PRODUCT and not Product.objects.filter(pk=data.product_id or 0).exists():
        problems.append(FieldError("product", _("Choose the product the rule covers"), "required"))
    if data.tier and data.tier not in conf.TIER_BY_CODE:
        problems.append(FieldError("tier", _("Unknown tier"), "invalid"))
    return problems


def create_rule(*, actor: Any, data: CashbackRuleInput) -> CashbackRule:
    """A new cashback rule, enabled; bad terms change nothing and say what is wrong."""
    require(actor, "loyalty.add_cashbackrule")
    problems = rule_problems(data)
    if problems:
        raise ValidationFailed(_("Some fields are invalid"), problems)
    assert data.starts_at is not None and data.ends_at is not None
    rule = CashbackRule.objects.create(
        name=data.name.strip()[:120],
        percent=data.percent,
        cap_vnd=data.cap_vnd,
        min_order_vnd=data.min_order_vnd,
        scope=data.scope,
        category_id=data.category_id if data.scope == RuleScope.CATEGORY else None,
        product_id=data.product_id if data.scope == RuleScope.PRODUCT else None,
        tier=data.tier,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        created_by=user_or_none(actor),
        created_at=clock.now(),
    )
    record_event(name="loyalty.cashback_rule_created", subject=rule, actor=actor, payload={"name": rule.name})
    return rule


def set_rule_active(*, actor: Any, rule: CashbackRule, active: bool) -> CashbackRule:
    """Enable or disable a rule; cashback already pending keeps its course."""
    require(actor, "loyalty.change_cashbackrule")
    if rule.active != active:
        rule.active = active
        rule.save(update_fields=["active"])
        record_event(
            name="loyalty.cashback_rule_changed",
            subject=rule,
            actor=actor,
            payload={"name": rule.name, "active": active},
        )
    return rule
