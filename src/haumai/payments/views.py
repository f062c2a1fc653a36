"""Console pages of payments: refunds list, needs-attention queue, refund detail with its provider attempts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from haumai.accounts.selectors import can_see_pii
from haumai.core.errors import DomainError, NotFound
from haumai.core.paging import page_number
from haumai.payments import selectors, services
from haumai.payments.forms import ConfirmManualRefundForm, RefundFilterForm, ResolveRefundForm
from haumai.payments.models import Refund, RefundStatus

PAGE_SIZE = 25


def _listing(request: HttpRequest, *, attention: bool) -> HttpResponse:
    form = RefundFilterForm(request.GET or None)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    refunds = selectors.refund_list(
        status=filters.get("status", ""), method=filters.get("method", ""), q=filters.get("q", ""), attention=attention
    )
    page = page_number(request)
    rows = list(refunds[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1])
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "refunds": rows[:PAGE_SIZE],
        "page": page,
        "has_next": len(rows) > PAGE_SIZE,
        "query": query.urlencode(),
        "attention": attention,
        "attention_count": selectors.attention_count(),
    }
    return render(request, "payments/refund_list.html", context)


@login_required
@permission_required("payments.view_refund", raise_exception=True)
@require_GET
def refund_index(request: HttpRequest) -> HttpResponse:
    """All refunds, filtered, newest first."""
    return _listing(request, attention=False)


@login_required
@permission_required("payments.view_refund", raise_exception=True)
@require_GET
def attention_queue(request: HttpRequest) -> HttpResponse:
    """Refunds waiting for a person: unknown provider outcome, or a cash/bank transfer to confirm."""
    return _listing(request, attention=True)


def _refund(code: str) -> Refund:
    try:
        return selectors.refund_by_code(code)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _masked_account(request: HttpRequest, refund: Refund) -> dict[str, str]:
    account = dict(refund.bank_account or {})
    number = account.get("account_number", "")
    if number and not can_see_pii(request.user):
        account["account_number"] = "•" * max(len(number) - 4, 0) + number[-4:]
    return account


@login_required
@permission_required("payments.view_refund", raise_exception=True)
@require_GET
def refund_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One refund: what was asked, every provider call and answer, and what a person can do now."""
    refund = _refund(code)
    return _detail(request, refund, ConfirmManualRefundForm(), ResolveRefundForm(initial={"outcome": "query"}))


SETTLEABLE = (RefundStatus.AWAITING_CONFIRMATION, RefundStatus.NEEDS_ATTENTION)


def _detail(
    request: HttpRequest, refund: Refund, confirm_form: ConfirmManualRefundForm, resolve_form: ResolveRefundForm
) -> HttpResponse:
    can_act = request.user.has_perm("payments.add_refund")
    # Separation of duties: the requester may ask the provider again but not confirm, cancel or settle.
    can_settle = can_act and services.may_settle(request.user, refund)
    if can_act and not can_settle:
        field = resolve_form.fields["outcome"]
        field.choices = [choice for choice in ResolveRefundForm.OUTCOMES if choice[0] == "query"]  # type: ignore[attr-defined]
    awaiting = refund.status == RefundStatus.AWAITING_CONFIRMATION
    context = {
        "refund": refund,
        "attempts": list(refund.attempts.all()),
        "bank_account": _masked_account(request, refund),
        "confirm_form": confirm_form if can_settle and awaiting else None,
        "resolve_form": resolve_form if can_act and refund.status == RefundStatus.NEEDS_ATTENTION else None,
        "can_cancel": can_settle and awaiting,
        "settle_refused": can_act and not can_settle and refund.status in SETTLEABLE,
    }
    return render(request, "payments/refund_detail.html", context)


@login_required
@permission_required("payments.add_refund", raise_exception=True)
@require_http_methods(["POST"])
def confirm_refund(request: HttpRequest, code: str) -> HttpResponse:
    """Record that a cash or bank transfer refund was paid."""
    refund = _refund(code)
    form = ConfirmManualRefundForm(request.POST)
    if form.is_valid():
        try:
            services.confirm_manual_refund(
                refund=refund, actor=request.user, transfer_reference=form.cleaned_data["transfer_reference"]
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Refund %(code)s confirmed as paid.") % {"code": refund.code})
            return redirect("payments:detail", code=refund.code)
    return _detail(request, refund, form, ResolveRefundForm())


@login_required
@permission_required("payments.add_refund", raise_exception=True)
@require_http_methods(["POST"])
def resolve_refund(request: HttpRequest, code: str) -> HttpResponse:
    """Settle a refund the worker could not (or cancel a manual one)."""
    refund = _refund(code)
    form = ResolveRefundForm(request.POST)
    if form.is_valid():
        try:
            services.resolve_refund(
                refund=refund,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                provider_refund_ref=form.cleaned_data["provider_refund_ref"],
            )
        except DomainError as exc:
            for error in exc.errors:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            if not exc.errors:
                form.add_error(None, exc.message)
        else:
            messages.success(request, _("Refund %(code)s updated.") % {"code": refund.code})
            return redirect("payments:detail", code=refund.code)
    return _detail(request, refund, ConfirmManualRefundForm(), form)
