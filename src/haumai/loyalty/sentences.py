"""Timeline sentences for the loyalty events."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from haumai.core.registry import TimelineEntry, register_sentence
from haumai.loyalty import conf


def _n(value: Any) -> str:
    try:
        return f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return "—"


def _tier(code: Any) -> str:
    tier = conf.TIER_BY_CODE.get(str(code))
    return str(tier.label) if tier else str(code or "")


def _clawed(p: dict[str, Any]) -> str:
    text = _("%(points)s points taken back for return %(code)s") % {
        "points": _n(p["points"]),
        "code": p.get("return_code", ""),
    }
    if p.get("written_off"):
        text += " · " + _("%(points)s already spent, written off") % {"points": _n(p["written_off"])}
    if p.get("debt"):
        text += " · " + _("%(points)s recorded as debt") % {"points": _n(p["debt"])}
    return text


def _day(value: Any) -> str:
    text = str(value or "")
    return f"{text[8:10]}/{text[5:7]}/{text[:4]}" if len(text) >= 10 else "—"


def _reversed(p: dict[str, Any]) -> str:
    values = {"amount": _n(p["amount"]), "code": p.get("return_code", ""), "order": p.get("order", "")}
    if not p.get("released"):
        return _("Pending cashback on order %(order)s reduced by %(amount)s ₫ for return %(code)s") % values
    text = _("%(amount)s ₫ of cashback taken back from store credit for return %(code)s") % values
    if p.get("not_recovered"):
        text += " · " + _("%(amount)s ₫ already spent, not recovered") % {"amount": _n(p["not_recovered"])}
    return text


SENTENCES: dict[str, tuple[Callable[[dict[str, Any]], str], str, str]] = {
    "loyalty.points_earned": (
        lambda p: _("Earned %(points)s points on order %(order)s") % {"points": _n(p["points"]), "order": p["order"]},
        "coins",
        "success",
    ),
    "loyalty.points_spent": (
        lambda p: (
            _("Spent %(points)s points (%(reference)s)")
            % {"points": _n(p["points"]), "reference": p.get("reference") or "—"}
        ),
        "coins",
        "neutral",
    ),
    "loyalty.points_adjusted": (
        lambda p: (
            _("Points adjusted by %(points)s: %(reason)s")
            % {"points": f"{int(p['points']):+d}", "reason": p.get("reason", "")}
        ),
        "coins",
        "info",
    ),
    "loyalty.points_expired": (
        lambda p: _("%(points)s points expired") % {"points": _n(p["points"])},
        "hourglass",
        "warning",
    ),
    "loyalty.points_clawed_back": (_clawed, "undo-2", "warning"),
    "loyalty.points_restored": (
        lambda p: (
            _("%(points)s points spent on order %(order)s given back")
            % {"points": _n(p["points"]), "order": p.get("order", "")}
        ),
        "coins",
        "success",
    ),
    "loyalty.tier_upgraded": (lambda p: _("Tier raised to %(tier)s") % {"tier": _tier(p["tier"])}, "star", "success"),
    "loyalty.tier_downgraded": (
        lambda p: _("Tier lowered to %(tier)s at the yearly review") % {"tier": _tier(p["tier"])},
        "star",
        "warning",
    ),
    "loyalty.points_expiring": (
        lambda p: (
            _("Told that %(points)s points expire from %(day)s")
            % {"points": _n(p["points"]), "day": p.get("expires_on", "")}
        ),
        "hourglass",
        "info",
    ),
    "loyalty.tier_downgrade_notice": (
        lambda p: (
            _("Told that the tier goes down to %(tier)s at the review on %(day)s unless %(amount)s ₫ more is spent")
            % {"tier": _tier(p["to"]), "day": p.get("review_on", ""), "amount": _n(p.get("spend_needed"))}
        ),
        "star",
        "info",
    ),
    "loyalty.campaign_changed": (
        lambda p: _("Voucher campaign %(code)s changed") % {"code": p["code"]},
        "gift",
        "info",
    ),
    "loyalty.campaign_closed": (
        lambda p: (
            (
                _("Voucher campaign %(code)s closed, its codes voided")
                if p.get("voided")
                else _("Voucher campaign %(code)s closed (issued codes stay valid)")
            )
            % {"code": p["code"]}
        ),
        "gift",
        "warning",
    ),
    "loyalty.segment_vouchers_issued": (
        lambda p: (
            _("%(count)s codes of %(code)s given to segment %(segment)s")
            % {"count": _n(p.get("issued")), "code": p["code"], "segment": p.get("segment", "")}
        ),
        "gift",
        "success",
    ),
    "loyalty.segment_vouchers_requested": (
        lambda p: (
            _("Codes of %(code)s requested for segment %(segment)s (the worker gives them)")
            % {"code": p.get("code", ""), "segment": p.get("segment", "")}
        ),
        "gift",
        "info",
    ),
    "loyalty.voucher_issued": (
        lambda p: _("Voucher %(code)s given (%(campaign)s)") % {"code": p["code"], "campaign": p.get("campaign", "")},
        "ticket",
        "info",
    ),
    "loyalty.voucher_redeemed": (
        lambda p: (
            _("Voucher %(code)s used on %(order)s, %(amount)s ₫ off")
            % {"code": p["code"], "order": p.get("order", ""), "amount": _n(p.get("discount"))}
        ),
        "ticket",
        "success",
    ),
    "cashback.pending": (
        lambda p: (
            _("Cashback of %(amount)s ₫ on order %(order)s pending until %(day)s")
            % {"amount": _n(p["amount"]), "order": p.get("order", ""), "day": _day(p.get("release_on"))}
        ),
        "wallet",
        "info",
    ),
    "cashback.released": (
        lambda p: (
            _("Cashback of %(amount)s ₫ on order %(order)s added to store credit")
            % {"amount": _n(p["amount"]), "order": p.get("order", "")}
        ),
        "wallet",
        "success",
    ),
    "cashback.reversed": (_reversed, "undo-2", "warning"),
    "loyalty.cashback_rule_created": (
        lambda p: _("Cashback rule “%(name)s” created") % {"name": p.get("name", "")},
        "wallet",
        "info",
    ),
    "loyalty.cashback_rule_changed": (
        lambda p: (
            (_("Cashback rule “%(name)s” enabled") if p.get("active") else _("Cashback rule “%(name)s” disabled"))
            % {"name": p.get("name", "")}
        ),
        "wallet",
        "neutral",
    ),
    "loyalty.campaign_created": (
        lambda p: _("Voucher campaign %(code)s created") % {"code": p["code"]},
        "gift",
        "info",
    ),
}


def _url(event: Any) -> str:
    code = (event.payload or {}).get("code", "")
    campaign_event = event.name.startswith("loyalty.campaign_") or event.name.startswith("loyalty.segment_vouchers_")
    if not campaign_event or not code:
        return ""
    try:
        return reverse("loyalty:campaign", args=[code])
    except NoReverseMatch:
        return ""


def _entry(make: Callable[[dict[str, Any]], str], icon: str, tone: str) -> Callable[[Any], TimelineEntry]:
    def describe(event: Any) -> TimelineEntry:
        try:
            text = make(dict(event.payload or {}))
        except (KeyError, TypeError, ValueError):
            text = _("Points updated")
        return TimelineEntry(text=text, icon=icon, url=_url(event), tone=tone)

    return describe


for _name, (_make, _icon, _tone) in SENTENCES.items():
    register_sentence(_name, _entry(_make, _icon, _tone))
