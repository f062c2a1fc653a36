"""Segment rules: what a rule may say, how it is checked, and the one query over customers it compiles to.

A rule is a flat dict of conditions that must all hold (AND); an empty value means "any". Every condition
compiles to an indexed `IN (subquery)` or a column test, so a segment is one set-based query on PostgreSQL
and SQLite alike (counted for the live preview, inserted into the member table on refresh).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haumai.catalog.models import Category
from haumai.core import clock
from haumai.core.errors import FieldError
from haumai.customers.models import Address, Consent, ConsentPurpose, Customer, Province
from haumai.privacy import restrictions
from haumai.returns.models import ReturnRequest, Status
from haumai.sales.models import Order, OrderLine, OrderStatus
from haumai.surveys.models import Response, Survey

MAX_DAYS = 3660
MAX_ORDERS = 100_000
MAX_VND = 10**13
CHANNELS = ("sms", "zalo", "email")
YES_NO = ("yes", "no")
CLOSED_RETURNS = (Status.CANCELLED, Status.REJECTED)


@dataclass(frozen=True)
class RuleField:
    """One condition a rule may set."""

    name: str
    label: Any
    kind: str  # int, vnd, days, score, rfm, choice, category, province, survey


FIELDS: tuple[RuleField, ...] = (
    RuleField("min_orders", gettext_lazy("At least this many orders"), "int"),
    RuleField("max_orders", gettext_lazy("At most this many orders"), "int"),
    RuleField("min_spend", gettext_lazy("Spent at least (VND)"), "vnd"),
    RuleField("max_spend", gettext_lazy("Spent at most (VND)"), "vnd"),
    RuleField("category", gettext_lazy("Bought in category"), "category"),
    RuleField("province", gettext_lazy("Lives in province"), "province"),
    RuleField("bought_within_days", gettext_lazy("Last purchase within the last N days"), "days"),
    RuleField("not_bought_for_days", gettext_lazy("No purchase for at least N days (bought before)"), "days"),
    RuleField("has_returns", gettext_lazy("Has returns"), "choice"),
    RuleField("survey", gettext_lazy("Answered survey"), "survey"),
    RuleField("survey_min_score", gettext_lazy("Survey score at least"), "score"),
    RuleField("survey_max_score", gettext_lazy("Survey score at most"), "score"),
    RuleField("marketing_consent", gettext_lazy("Marketing consent"), "choice"),
    RuleField("preferred_channel", gettext_lazy("Preferred channel"), "channel"),
    RuleField("min_recency_score", gettext_lazy("RFM recency score at least (1-5)"), "rfm"),
    RuleField("min_frequency_score", gettext_lazy("RFM frequency score at least (1-5)"), "rfm"),
    RuleField("min_monetary_score", gettext_lazy("RFM monetary score at least (1-5)"), "rfm"),
)
FIELD_NAMES = tuple(f.name for f in FIELDS)
_LIMITS = {"int": MAX_ORDERS, "vnd": MAX_VND, "days": MAX_DAYS, "score": 10, "rfm": 5}


def clean(raw: dict[str, Any]) -> tuple[dict[str, Any], list[FieldError]]:
    """Check a rule as typed (strings from a form or values from JSON); the cleaned rule and the problems."""
    rules: dict[str, Any] = {}
    errors: list[FieldError] = []
    for spec in FIELDS:
        value = raw.get(spec.name)
        text = "" if value is None else str(value).strip()
        if not text:
            continue
        if spec.kind in _LIMITS:
            digits = text.replace(".", "").replace(",", "").replace(" ", "") if spec.kind == "vnd" else text
            if not digits.isdigit() or len(digits) > 14:
                errors.append(FieldError(spec.name, _("Enter a whole number."), "not_a_number"))
                continue
            number = int(digits)
            low = 1 if spec.kind in ("days", "rfm") else 0
            if not low <= number <= _LIMITS[spec.kind]:
                errors.append(FieldError(spec.name, _("Enter a number from %(low)s to %(high)s.") % {
                    "low": low, "high": _LIMITS[spec.kind]}, "out_of_range"))  # fmt: skip
                continue
            rules[spec.name] = number
        elif spec.kind == "choice":
            if text not in YES_NO:
                errors.append(FieldError(spec.name, _("Choose yes or no."), "invalid_choice"))
                continue
            rules[spec.name] = text
        elif spec.kind == "channel":
            if text not in CHANNELS:
                errors.append(FieldError(spec.name, _("Choose SMS, Zalo or e-mail."), "invalid_choice"))
                continue
            rules[spec.name] = text
        elif spec.kind == "category":
            if not Category.objects.filter(code=text[:60]).exists():
                errors.append(FieldError(spec.name, _("Unknown category."), "unknown"))
                continue
            rules[spec.name] = text[:60]
        elif spec.kind == "province":
            if not text.isdigit() or not Province.objects.filter(code=int(text[:6])).exists():
                errors.append(FieldError(spec.name, _("Unknown province."), "unknown"))
                continue
            rules[spec.name] = int(text)
        elif spec.kind == "survey":
            if not Survey.objects.filter(key=text[:60]).exists():
                errors.append(FieldError(spec.name, _("Unknown survey."), "unknown"))
                continue
            rules[spec.name] = text[:60]
    errors += _contradictions(rules)
    if not rules and not errors:
        errors.append(FieldError("rules", _("Set at least one condition."), "empty"))
    return rules, errors


def _contradictions(rules: dict[str, Any]) -> list[FieldError]:
    errors = []
    for low, high in (("min_orders", "max_orders"), ("min_spend", "max_spend"),
                      ("survey_min_score", "survey_max_score")):  # fmt: skip
        if low in rules and high in rules and rules[low] > rules[high]:
            errors.append(FieldError(high, _("The maximum is below the minimum."), "contradiction"))
    if ("survey_min_score" in rules or "survey_max_score" in rules) and "survey" not in rules:
        errors.append(FieldError("survey", _("Choose the survey the score is about."), "required"))
    within, since = rules.get("bought_within_days"), rules.get("not_bought_for_days")
    if within is not None and since is not None and since >= within:
        message = _("Cannot have bought within %(n)s days and not for %(m)s days.") % {"n": within, "m": since}
        errors.append(FieldError("not_bought_for_days", message, "contradiction"))
    return errors


def _live_orders() -> QuerySet[Order]:
    return Order.objects.exclude(status=OrderStatus.CANCELLED)


def _order_conditions(rules: dict[str, Any]) -> Q:
    q = Q()
    min_orders, max_orders = rules.get("min_orders", 0), rules.get("max_orders")
    min_spend, max_spend = rules.get("min_spend", 0), rules.get("max_spend")
    totals = _live_orders().values("customer_id").annotate(n=Count("id"), spend=Sum("total"))
    if min_orders > 0 or min_spend > 0:
        q &= Q(id__in=totals.filter(n__gte=min_orders, spend__gte=min_spend).values("customer_id"))
    over = Q()
    if max_orders is not None:
        over |= Q(n__gt=max_orders)
    if max_spend is not None:
        over |= Q(spend__gt=max_spend)
    if over:
        q &= ~Q(id__in=totals.filter(over).values("customer_id"))
    return q


def compile_rules(rules: dict[str, Any], *, now: dt.datetime | None = None) -> Q:
    """The condition on Customer that a cleaned rule means."""
    now = now or clock.now()
    # Customers who restricted profiling are in no segment (privacy.restrictions).
    q = Q(merged_into__isnull=True) & ~Q(id__in=restrictions.restricted_customers("profiling"))
    q &= _order_conditions(rules)
    if "category" in rules:
        code = rules["category"]
        lines = OrderLine.objects.filter(Q(product__category__code=code) | Q(product__category__parent__code=code))
        q &= Q(id__in=lines.exclude(order__status=OrderStatus.CANCELLED).values("order__customer_id"))
    if "province" in rules:
        q &= Q(id__in=Address.objects.filter(province_id=rules["province"]).values("customer_id"))
    if "bought_within_days" in rules:
        since = now - dt.timedelta(days=rules["bought_within_days"])
        q &= Q(id__in=_live_orders().filter(placed_at__gte=since).values("customer_id"))
    if "not_bought_for_days" in rules:
        since = now - dt.timedelta(days=rules["not_bought_for_days"])
        q &= Q(id__in=_live_orders().values("customer_id"))
        q &= ~Q(id__in=_live_orders().filter(placed_at__gte=since).values("customer_id"))
    if "has_returns" in rules:
        returned = Q(id__in=ReturnRequest.objects.exclude(status__in=CLOSED_RETURNS).values("customer_id"))
        q &= returned if rules["has_returns"] == "yes" else ~returned
    if "survey" in rules:
        answers = Response.objects.filter(survey__key=rules["survey"])
        if "survey_min_score" in rules:
            answers = answers.filter(score__gte=rules["survey_min_score"])
        if "survey_max_score" in rules:
            answers = answers.filter(score__lte=rules["survey_max_score"])
        q &= Q(id__in=answers.values("customer_id"))
    if "marketing_consent" in rules:
        granted = Q(id__in=Consent.objects.filter(purpose=ConsentPurpose.MARKETING, granted=True).values("customer_id"))
        q &= granted if rules["marketing_consent"] == "yes" else ~granted
    if "preferred_channel" in rules:
        q &= Q(preferred_channel=rules["preferred_channel"])
    for name, column in (("min_recency_score", "rfm__recency_score"), ("min_frequency_score", "rfm__frequency_score"),
                         ("min_monetary_score", "rfm__monetary_score")):  # fmt: skip
        if name in rules:
            q &= Q(**{f"{column}__gte": rules[name]})
    return q


def matching(rules: dict[str, Any], *, now: dt.datetime | None = None) -> QuerySet[Customer]:
    """Customers a cleaned rule matches (unordered)."""
    return Customer.objects.filter(compile_rules(rules, now=now))


def describe(rules: dict[str, Any]) -> list[str]:
    """The rule as short readable phrases (label: value)."""
    labels = {f.name: f.label for f in FIELDS}
    return [f"{labels[name]}: {rules[name]}" for name in FIELD_NAMES if name in rules]
