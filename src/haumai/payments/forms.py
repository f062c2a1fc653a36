"""Console forms for refunds."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from haumai.payments.models import RefundMethod, RefundStatus


class RefundFilterForm(forms.Form):
    q = forms.CharField(label=_("Refund, order or reference code"), max_length=40, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All statuses")), *RefundStatus.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select", "aria-label": _("Status")}),
    )
    method = forms.ChoiceField(
        label=_("Method"),
        choices=[("", _("All methods")), *RefundMethod.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select", "aria-label": _("Method")}),
    )


class ConfirmManualRefundForm(forms.Form):
    transfer_reference = forms.CharField(
        label=_("Transfer or receipt reference"), max_length=80, help_text=_("e.g. the bank's FT number")
    )


class ResolveRefundForm(forms.Form):
    OUTCOMES = [
        ("query", _("Ask the provider again")),
        ("sent", _("Money was refunded (checked at the provider)")),
        ("failed", _("No money was refunded: mark as failed")),
    ]
    outcome = forms.ChoiceField(label=_("Outcome"), choices=OUTCOMES, widget=forms.RadioSelect)
    provider_refund_ref = forms.CharField(label=_("Provider refund reference"), max_length=64, required=False)
    note = forms.CharField(
        label=_("What you checked"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
