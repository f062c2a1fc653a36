"""Console forms of loyalty: a points adjustment, a goodwill voucher, a new campaign."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from haumai.loyalty.models import CampaignPurpose, CodeKind, DiscountKind, RuleScope

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
# A campaign service names its dates starts_at/ends_at; the campaign forms ask for days (starts_on/ends_on).
CAMPAIGN_FIELDS = {"starts_at": "starts_on", "ends_at": "ends_on"}


class AdjustmentForm(forms.Form):
    points = forms.IntegerField(label=_("Points (+ to add, - to remove)"), min_value=-1_000_000, max_value=1_000_000)
    reason = forms.CharField(label=_("Reason"), max_length=500, strip=True)


class GoodwillVoucherForm(forms.Form):
    campaign = forms.ChoiceField(label=_("Campaign"))
    reason = forms.CharField(label=_("Reason"), max_length=500, strip=True)

    def __init__(self, *args: Any, campaigns: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].choices = [(c.code, c.name) for c in campaigns]  # type: ignore[attr-defined]


class CampaignForm(forms.Form):
    code = forms.CharField(label=_("Campaign code"), max_length=40, help_text=_("e.g. SINHNHAT-2026"))
    name = forms.CharField(label=_("Name"), max_length=160)
    code_kind = forms.ChoiceField(label=_("Codes"), choices=CodeKind.choices)
    shared_code = forms.CharField(label=_("Shared code"), max_length=40, required=False)
    batch_size = forms.IntegerField(label=_("Unique codes to create now"), min_value=0, max_value=10_000, initial=0)
    discount_kind = forms.ChoiceField(label=_("Discount"), choices=DiscountKind.choices)
    amount_vnd = forms.IntegerField(label=_("Amount off (VND)"), min_value=0, initial=0)
    percent = forms.IntegerField(label=_("Percentage off"), min_value=0, max_value=100, initial=0)
    max_discount_vnd = forms.IntegerField(label=_("Cap of a percentage (VND, 0 = none)"), min_value=0, initial=0)
    min_order_vnd = forms.IntegerField(label=_("Minimum order (VND)"), min_value=0, initial=0)
    starts_on = forms.DateField(label=_("Valid from"))
    ends_on = forms.DateField(label=_("Valid until (inclusive)"))
    per_customer_limit = forms.IntegerField(label=_("Uses per customer"), min_value=1, max_value=1000, initial=1)
    points_price = forms.IntegerField(label=_("Price in points (0 = not for sale)"), min_value=0, initial=0)
    purpose = forms.ChoiceField(
        label=_("Purpose"), choices=CampaignPurpose.choices, required=False,
        help_text=_("Birthday gift: the birthday greetings give a code of this campaign while it runs"),
    )  # fmt: skip

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().upper()

    def clean_shared_code(self) -> str:
        return str(self.cleaned_data.get("shared_code") or "").strip().upper()

    def window(self) -> tuple[dt.datetime, dt.datetime]:
        return _window(self.cleaned_data)


def _window(data: dict[str, Any]) -> tuple[dt.datetime, dt.datetime]:
    """From the first day's midnight to the midnight after the last day, local time."""
    start: dt.date = data["starts_on"]
    end: dt.date = data["ends_on"]
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=LOCAL),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=LOCAL),
    )


class CampaignEditForm(forms.Form):
    """What can change on a campaign: not its code or kind of codes; its value only until a code is used."""

    name = forms.CharField(label=_("Name"), max_length=160)
    discount_kind = forms.ChoiceField(label=_("Discount"), choices=DiscountKind.choices)
    amount_vnd = forms.IntegerField(label=_("Amount off (VND)"), min_value=0, initial=0)
    percent = forms.IntegerField(label=_("Percentage off"), min_value=0, max_value=100, initial=0)
    max_discount_vnd = forms.IntegerField(label=_("Cap of a percentage (VND, 0 = none)"), min_value=0, initial=0)
    min_order_vnd = forms.IntegerField(label=_("Minimum order (VND)"), min_value=0, initial=0)
    starts_on = forms.DateField(label=_("Valid from"))
    ends_on = forms.DateField(label=_("Valid until (inclusive)"))
    per_customer_limit = forms.IntegerField(label=_("Uses per customer"), min_value=1, max_value=1000, initial=1)
    points_price = forms.IntegerField(label=_("Price in points (0 = not for sale)"), min_value=0, initial=0)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=CampaignPurpose.choices, required=False)

    def window(self) -> tuple[dt.datetime, dt.datetime]:
        return _window(self.cleaned_data)

    @classmethod
    def initial_for(cls, campaign: Any) -> dict[str, Any]:
        """The form's values from a stored campaign (dates in local time, the end day inclusive)."""
        return {
            "name": campaign.name, "discount_kind": campaign.discount_kind, "amount_vnd": campaign.amount_vnd,
            "percent": campaign.percent, "max_discount_vnd": campaign.max_discount_vnd,
            "min_order_vnd": campaign.min_order_vnd,
            "starts_on": campaign.starts_at.astimezone(LOCAL).date().isoformat(),
            "ends_on": (campaign.ends_at.astimezone(LOCAL) - dt.timedelta(microseconds=1)).date().isoformat(),
            "per_customer_limit": campaign.per_customer_limit, "points_price": campaign.points_price,
            "purpose": campaign.purpose,
        }  # fmt: skip


class CloseCampaignForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, strip=True)
    void_codes = forms.BooleanField(label=_("Also void the codes already given"), required=False)


class SegmentIssueForm(forms.Form):
    segment = forms.ChoiceField(label=_("Segment"))

    def __init__(self, *args: Any, segments: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["segment"].choices = [(s.key, f"{s.name} ({s.size})") for s in segments]  # type: ignore[attr-defined]


class CashbackRuleForm(forms.Form):
    """A new cashback rule; the service checks the terms (percent, cap, dates, scope) and says what is wrong."""

    name = forms.CharField(label=_("Name"), max_length=120)
    percent = forms.IntegerField(label=_("Cashback (% of the paid amount)"))
    cap_vnd = forms.IntegerField(label=_("Cap per order (VND)"))
    min_order_vnd = forms.IntegerField(label=_("Minimum order (VND)"), initial=0)
    scope = forms.ChoiceField(label=_("Covers"), choices=RuleScope.choices)
    category = forms.ChoiceField(label=_("Category"), required=False)
    product_sku = forms.CharField(label=_("Product SKU"), max_length=60, required=False)
    tier = forms.ChoiceField(label=_("Only for tier"), required=False)
    starts_on = forms.DateField(label=_("Valid from"))
    ends_on = forms.DateField(label=_("Valid until (inclusive)"))

    def __init__(self, *args: Any, categories: Any = (), tiers: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—"), *((str(c.pk), c.name) for c in categories)]  # type: ignore[attr-defined]
        self.fields["tier"].choices = [("", _("Every tier")), *((t.code, t.label) for t in tiers)]  # type: ignore[attr-defined]

    def window(self) -> tuple[dt.datetime, dt.datetime]:
        return _window(self.cleaned_data)
