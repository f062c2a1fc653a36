"""Disposition rules: what happens to a returned item by grade, return reason and product category.

The most specific active rule wins (a rule that names more of grade, reason and category beats one that
names fewer; a category rule also covers its sub-categories, the nearest category first); ties go to the
older rule. No matching rule, no proposal: staff choose freely. Inspection applies the proposal when staff
choose nothing, and choosing something else needs `returns.override_disposition` and a reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from haumai.returns.models import DispositionRule


@dataclass(frozen=True)
class Proposal:
    disposition: str
    warehouse: Any  # inventory.Warehouse | None: where a restock goes (None = where the return was received)
    rule: DispositionRule


def _category_chain(category: Any) -> list[int]:
    """The category and its parents, nearest first (a few rows: categories are shallow)."""
    chain: list[int] = []
    while category is not None and category.pk not in chain and len(chain) < 10:
        chain.append(category.pk)
        category = category.parent
    return chain


def _rank(rule: DispositionRule, chain: list[int]) -> tuple[int, int, int]:
    named = bool(rule.grade) + bool(rule.reason) + (rule.category_id is not None)
    depth = chain.index(rule.category_id) if rule.category_id is not None else len(chain)
    return (-named, depth, rule.pk)


def _matches(rule: DispositionRule, grade: str, reason: str, chain: list[int]) -> bool:
    return (
        (not rule.grade or rule.grade == grade)
        and (not rule.reason or rule.reason == reason)
        and (rule.category_id is None or rule.category_id in chain)
    )


def active_rules() -> list[DispositionRule]:
    """Every active rule, with its warehouse (one query)."""
    return list(DispositionRule.objects.filter(is_active=True).select_related("warehouse"))


def propose(*, grade: str, reason: str, category: Any, rules: list[DispositionRule] | None = None) -> Proposal | None:
    """The disposition the rules propose for an item of this grade, return reason and category, if any."""
    chain = _category_chain(category)
    candidates = [
        rule for rule in (rules if rules is not None else active_rules()) if _matches(rule, grade, reason, chain)
    ]
    if not candidates:
        return None
    best = min(candidates, key=lambda rule: _rank(rule, chain))
    return Proposal(disposition=best.disposition, warehouse=best.warehouse, rule=best)


def proposals_by_grade(*, reason: str, category: Any, grades: Sequence[str]) -> dict[str, Proposal | None]:
    """The proposal for each grade (the receiving screen shows them beside the grade buttons)."""
    rules = active_rules()
    return {grade: propose(grade=grade, reason=reason, category=category, rules=rules) for grade in grades}
