"""Portal page "Điểm thưởng / ưu đãi": points, tier and the way to the next, vouchers, store credit and
cashback (pending until the return window closes), history."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from haumai.core.errors import DomainError, NotFound
from haumai.core.paging import page_number, page_of
from haumai.customers.models import Customer
from haumai.loyalty import selectors
from haumai.loyalty.services import vouchers
from haumai.payments.selectors import store_credit_balance
from haumai.portal.views import _page, portal_login_required

HISTORY_ROWS = 15
CASHBACK_ROWS = 10


@never_cache
@require_GET
@portal_login_required
def mine(request: HttpRequest, customer: Customer) -> HttpResponse:
    """The member's own points, tier, vouchers and history (paginated); only their own."""
    page = page_number(request)
    entries, has_next = page_of(selectors.history(customer.pk), page, HISTORY_ROWS)
    owned = list(selectors.customer_vouchers(customer.pk)[:30])
    context = {
        "standing": selectors.standing(customer),
        "store_credit": store_credit_balance(customer.pk),
        "cashback": selectors.cashback_summary(customer.pk),
        "cashback_rows": list(selectors.customer_cashbacks(customer.pk)[:CASHBACK_ROWS]),
        "entries": entries,
        "page": page,
        "has_next": has_next,
        "vouchers": [(voucher, selectors.usable(voucher)) for voucher in owned],
        "for_points": list(selectors.campaigns_for_points()[:10]),
        "bought": request.GET.get("bought", "")[:40],
        "error": request.session.pop("loyalty_error", ""),
        "portal_customer": customer,
        # A fresh key per page view: a double-click on "buy" buys once.
        "buy_key": uuid.uuid4().hex,
    }
    return _page(request, "loyalty/portal/mine.html", context)


@require_POST
@portal_login_required
def buy(request: HttpRequest, customer: Customer, code: str) -> HttpResponse:
    """Trade points for a voucher code of a campaign on sale."""
    try:
        campaign = selectors.campaign_by_code(code[:40])
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    key = request.POST.get("key", "").strip()[:60]
    try:
        voucher = vouchers.buy_with_points(
            actor=None, campaign=campaign, customer=customer, idempotency_key=f"portal:{customer.pk}:{key}"
        )
    except DomainError as exc:
        request.session["loyalty_error"] = "; ".join(e.message for e in exc.errors) or exc.message
        return redirect("loyalty_portal:mine")
    return redirect(reverse("loyalty_portal:mine") + f"?bought={voucher.code}")
