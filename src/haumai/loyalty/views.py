"""Console pages of loyalty: voucher campaigns (list, new, codes), and the 360's adjustment and goodwill forms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haumai.console.forms import errors_onto_form
from haumai.core.errors import DomainError, NotFound
from haumai.core.paging import page_number, page_of
from haumai.customers.selectors import customer_by_code
from haumai.loyalty import forms, selectors
from haumai.loyalty.services import ledger, vouchers
from haumai.segments import selectors as segment_selectors

PAGE_SIZE = 25


def _customer(code: str):  # type: ignore[no-untyped-def]
    try:
        return customer_by_code(code[:20], detail=False)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _refused(request: HttpRequest, exc: DomainError) -> None:
    details = "; ".join(error.message for error in exc.errors)
    messages.error(request, f"{exc.message}: {details}" if details else exc.message)


def _back(code: str) -> HttpResponse:
    return redirect(reverse("customers:detail", args=[code]) + "#loyalty")


@login_required
@permission_required("loyalty.adjust_points", raise_exception=True)
@require_POST
def adjust(request: HttpRequest, code: str) -> HttpResponse:
    """Add or remove points with a required reason (audited by its event)."""
    customer = _customer(code)
    form = forms.AdjustmentForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(str(e) for e in errors)}")
        return _back(customer.code)
    try:
        ledger.adjust_points(
            customer=customer,
            points=form.cleaned_data["points"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Points adjusted"))
    return _back(customer.code)


@login_required
@permission_required("loyalty.add_voucher", raise_exception=True)
@require_POST
def goodwill(request: HttpRequest, code: str) -> HttpResponse:
    """Give the customer a voucher code as goodwill, within the approval limit of the agent's role."""
    customer = _customer(code)
    form = forms.GoodwillVoucherForm(request.POST, campaigns=selectors.open_campaigns().filter(code_kind="unique"))
    if not form.is_valid():
        messages.error(request, _("Choose a running campaign and give a reason"))
        return _back(customer.code)
    try:
        campaign = selectors.campaign_by_code(form.cleaned_data["campaign"])
        voucher = vouchers.issue_goodwill_voucher(
            actor=request.user, campaign=campaign, customer=customer, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Voucher %(code)s given") % {"code": voucher.code})
    return _back(customer.code)


@login_required
@permission_required("loyalty.view_vouchercampaign", raise_exception=True)
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    """Voucher campaigns, newest first, with codes issued and used; paginated."""
    page = page_number(request)
    rows, has_next = page_of(selectors.campaigns(), page, PAGE_SIZE)
    return render(request, "loyalty/campaigns.html", {"rows": rows, "page": page, "has_next": has_next})


@login_required
@permission_required("loyalty.add_vouchercampaign", raise_exception=True)
@require_http_methods(["GET", "POST"])
def campaign_new(request: HttpRequest) -> HttpResponse:
    """Create a campaign: one shared code, or unique codes (a batch now, or issued one by one later)."""
    form = forms.CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.window()
        data = form.cleaned_data
        try:
            campaign = vouchers.create_campaign(
                actor=request.user,
                data=vouchers.CampaignInput(
                    code=data["code"],
                    name=data["name"],
                    code_kind=data["code_kind"],
                    discount_kind=data["discount_kind"],
                    amount_vnd=data["amount_vnd"],
                    percent=data["percent"],
                    max_discount_vnd=data["max_discount_vnd"],
                    min_order_vnd=data["min_order_vnd"],
                    starts_at=starts_at,
                    ends_at=ends_at,
                    per_customer_limit=data["per_customer_limit"],
                    points_price=data["points_price"],
                    shared_code=data["shared_code"],
                    batch_size=data["batch_size"],
                    purpose=data.get("purpose") or "",
                ),
            )
        except DomainError as exc:
            errors_onto_form(form, exc, forms.CAMPAIGN_FIELDS)
        else:
            messages.success(request, _("Campaign %(code)s created") % {"code": campaign.code})
            return redirect("loyalty:campaign", code=campaign.code)
    return render(request, "loyalty/campaign_new.html", {"form": form})


@login_required
@permission_required("loyalty.view_vouchercampaign", raise_exception=True)
@require_GET
def campaign_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A campaign's terms, its codes (paginated, with owner and uses) and its latest redemptions."""
    try:
        campaign = selectors.campaign_by_code(code[:40])
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    page = page_number(request)
    codes, has_next = page_of(selectors.campaign_codes(campaign), page, PAGE_SIZE)
    context = {
        "campaign": campaign,
        "codes": codes,
        "page": page,
        "has_next": has_next,
        "redemptions": list(selectors.redemptions_of(campaign)[:10]),
        "issuances": list(campaign.segment_issuances.order_by("-requested_at", "-id")[:10]),
        "close_form": forms.CloseCampaignForm(),
        "segment_form": forms.SegmentIssueForm(segments=segment_selectors.segment_list()[:200]),
    }
    return render(request, "loyalty/campaign.html", context)
