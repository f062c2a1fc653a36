"""Console pages of cashback rules: the list (with what each paid), a new rule, enable and disable."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haumai.catalog.models import Category
from haumai.catalog.selectors import product_by_sku
from haumai.console.forms import errors_onto_form
from haumai.core.errors import DomainError, NotFound
from haumai.core.paging import page_number, page_of
from haumai.loyalty import conf, forms, selectors
from haumai.loyalty.services import cashback_rules

PAGE_SIZE = 25
FIELD_OF = {"starts_at": "starts_on", "ends_at": "ends_on", "product": "product_sku"}


@login_required
@permission_required("loyalty.view_cashbackrule", raise_exception=True)
@require_GET
def rule_list(request: HttpRequest) -> HttpResponse:
    """Cashback rules, newest first, with how many orders earned under each; paginated."""
    page = page_number(request)
    rows, has_next = page_of(selectors.cashback_rules(), page, PAGE_SIZE)
    return render(request, "loyalty/cashback_rules.html", {"rows": rows, "page": page, "has_next": has_next})


def _product_id(sku: str) -> int | None:
    if not sku.strip():
        return None
    try:
        return product_by_sku(sku.strip()).pk
    except NotFound:
        return None


@login_required
@permission_required("loyalty.add_cashbackrule", raise_exception=True)
@require_http_methods(["GET", "POST"])
def rule_new(request: HttpRequest) -> HttpResponse:
    """Create a cashback rule: percent, cap, minimum order, scope, tier, validity."""
    form = forms.CashbackRuleForm(
        request.POST or None, categories=Category.objects.order_by("name")[:500], tiers=conf.TIERS
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        starts_at, ends_at = form.window()
        category = data.get("category") or ""
        try:
            rule = cashback_rules.create_rule(
                actor=request.user,
                data=cashback_rules.CashbackRuleInput(
                    name=data["name"], percent=data["percent"], cap_vnd=data["cap_vnd"],
                    min_order_vnd=data["min_order_vnd"], scope=data["scope"],
                    category_id=int(category) if category.isdigit() else None,
                    product_id=_product_id(data.get("product_sku") or ""), tier=data.get("tier") or "",
                    starts_at=starts_at, ends_at=ends_at,
                ),
            )  # fmt: skip
        except DomainError as exc:
            errors_onto_form(form, exc, FIELD_OF)
        else:
            messages.success(request, _("Cashback rule “%(name)s” created") % {"name": rule.name})
            return redirect("loyalty:cashback_rules")
    return render(request, "loyalty/cashback_rule_new.html", {"form": form})


@login_required
@permission_required("loyalty.change_cashbackrule", raise_exception=True)
@require_POST
def rule_toggle(request: HttpRequest, rule_id: int) -> HttpResponse:
    """Enable or disable a rule (pending cashback keeps its course)."""
    try:
        rule = selectors.cashback_rule(rule_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    active = request.POST.get("active") == "1"
    cashback_rules.set_rule_active(actor=request.user, rule=rule, active=active)
    if active:
        messages.success(request, _("Cashback rule “%(name)s” enabled") % {"name": rule.name})
    else:
        messages.success(request, _("Cashback rule “%(name)s” disabled") % {"name": rule.name})
    return redirect("loyalty:cashback_rules")
