"""Console pages that change a voucher campaign: edit, close (optionally voiding its codes), give to a segment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haumai.console.forms import errors_onto_form
from haumai.core.errors import DomainError, NotFound
from haumai.loyalty import forms, selectors
from haumai.loyalty.models import VoucherCampaign
from haumai.loyalty.services import campaigns
from haumai.segments import selectors as segment_selectors


def _campaign(code: str) -> VoucherCampaign:
    try:
        return selectors.campaign_by_code(code[:40])
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _refused(request: HttpRequest, exc: DomainError) -> None:
    details = "; ".join(error.message for error in exc.errors)
    messages.error(request, f"{exc.message}: {details}" if details else exc.message)


@login_required
@permission_required("loyalty.change_vouchercampaign", raise_exception=True)
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Change a campaign's name, value (until a code is used), validity, limits and purpose."""
    campaign = _campaign(code)
    if campaign.closed_at is not None:
        messages.error(request, _("This campaign is closed: it can no longer be changed"))
        return redirect("loyalty:campaign", code=campaign.code)
    form = forms.CampaignEditForm(request.POST or None, initial=forms.CampaignEditForm.initial_for(campaign))
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.window()
        data = form.cleaned_data
        try:
            campaigns.update_campaign(
                actor=request.user,
                campaign=campaign,
                data=campaigns.CampaignChanges(
                    name=data["name"], discount_kind=data["discount_kind"], amount_vnd=data["amount_vnd"],
                    percent=data["percent"], max_discount_vnd=data["max_discount_vnd"],
                    min_order_vnd=data["min_order_vnd"], starts_at=starts_at, ends_at=ends_at,
                    per_customer_limit=data["per_customer_limit"], points_price=data["points_price"],
                    purpose=data.get("purpose") or "",
                ),
            )  # fmt: skip
        except DomainError as exc:
            errors_onto_form(form, exc, forms.CAMPAIGN_FIELDS)
        else:
            messages.success(request, _("Campaign %(code)s saved") % {"code": campaign.code})
            return redirect("loyalty:campaign", code=campaign.code)
    return render(request, "loyalty/campaign_edit.html", {"form": form, "campaign": campaign})


@login_required
@permission_required("loyalty.change_vouchercampaign", raise_exception=True)
@require_POST
def campaign_close(request: HttpRequest, code: str) -> HttpResponse:
    """Close a campaign: no new codes; the codes given stay usable until the end unless voided."""
    campaign = _campaign(code)
    form = forms.CloseCampaignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason to close the campaign"))
        return redirect("loyalty:campaign", code=campaign.code)
    try:
        campaigns.close_campaign(
            actor=request.user, campaign=campaign, void_codes=form.cleaned_data["void_codes"],
            reason=form.cleaned_data["reason"],
        )  # fmt: skip
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Campaign %(code)s closed") % {"code": campaign.code})
    return redirect("loyalty:campaign", code=campaign.code)


@login_required
@permission_required("loyalty.change_vouchercampaign", raise_exception=True)
@require_POST
def campaign_segment(request: HttpRequest, code: str) -> HttpResponse:
    """Queue a code of the campaign for every member of a saved segment (the worker issues them)."""
    campaign = _campaign(code)
    form = forms.SegmentIssueForm(request.POST, segments=segment_selectors.segment_list()[:200])
    if not form.is_valid():
        messages.error(request, _("Choose a saved segment"))
        return redirect("loyalty:campaign", code=campaign.code)
    try:
        issuance = campaigns.issue_to_segment(
            actor=request.user, campaign=campaign, segment_key=form.cleaned_data["segment"]
        )
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(
            request,
            _("Codes for segment %(segment)s are being issued by the worker") % {"segment": issuance.segment_name},
        )
    return redirect("loyalty:campaign", code=campaign.code)
