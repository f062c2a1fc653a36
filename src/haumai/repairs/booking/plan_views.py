"""Console page of maintenance plans: the list (paginated), a form to add one, edit, stop/start."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haumai.catalog.models import Category, Product
from haumai.core.errors import DomainError
from haumai.core.paging import page_number, page_of
from haumai.repairs.booking import maintenance
from haumai.repairs.booking.views import field_errors
from haumai.repairs.models import MaintenancePlan

PAGE_SIZE = 30


def _target(source: Any) -> tuple[Product | None, Category | None, dict[str, str]]:
    """The product (by SKU) or the category (by its code) the form names, with an error for an unknown one."""
    sku, category_code = source.get("product", "").strip()[:64], source.get("category", "").strip()[:60]
    product = Product.objects.filter(sku=sku).first() if sku else None
    category = Category.objects.filter(code=category_code).first() if category_code else None
    errors = {}
    if sku and product is None:
        errors["product"] = _("No product with this SKU")
    if category_code and category is None:
        errors["category"] = _("No category with this code")
    return product, category, errors


@login_required
@permission_required("repairs.view_maintenanceplan", raise_exception=True)
@require_http_methods(["GET", "POST"])
def plan_list(request: HttpRequest) -> HttpResponse:
    """Every maintenance plan (name, product or category, interval) and, for managers, the form to add one."""
    errors: dict[str, str] = {}
    values: Any = {}
    if request.method == "POST":
        if not request.user.has_perm("repairs.add_maintenanceplan"):
            raise PermissionDenied
        values = request.POST
        product, category, errors = _target(values)
        if not errors:
            try:
                plan = maintenance.create_plan(
                    actor=request.user, name=values.get("name", ""), product=product, category=category,
                    interval_months=values.get("interval_months", ""), onsite=values.get("onsite") == "on",
                )  # fmt: skip
            except DomainError as exc:
                errors = field_errors(exc)
            else:
                messages.success(request, _("Maintenance plan %(name)s added.") % {"name": plan.name})
                return redirect("booking:maintenance_plans")
    page = page_number(request)
    rows, has_next = page_of(
        MaintenancePlan.objects.select_related("product", "category").order_by("-is_active", "name", "id"),
        page, PAGE_SIZE,
    )  # fmt: skip
    context = {
        "rows": rows, "has_next": has_next, "page": page, "errors": errors, "values": values,
        "form_error": errors.get("", ""),
        "categories": Category.objects.order_by("name")[:200],
    }  # fmt: skip
    return render(request, "repairs/booking/maintenance_plans.html", context, status=400 if errors else 200)


@login_required
@permission_required("repairs.change_maintenanceplan", raise_exception=True)
@require_POST
def plan_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop a plan (or start it again)."""
    plan = MaintenancePlan.objects.filter(pk=pk).first()
    if plan is None:
        raise Http404("No such plan")
    active = request.POST.get("active") == "1"
    maintenance.set_plan_active(actor=request.user, plan=plan, active=active)
    text = _("Maintenance plan %(name)s started again.") if active else _("Maintenance plan %(name)s stopped.")
    messages.success(request, text % {"name": plan.name})
    return redirect("booking:maintenance_plans")


@login_required
@permission_required("repairs.change_maintenanceplan", raise_exception=True)
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a plan's name, interval and place; the page says what happens to the units already scheduled."""
    plan = MaintenancePlan.objects.select_related("product", "category").filter(pk=pk).first()
    if plan is None:
        raise Http404("No such plan")
    errors: dict[str, str] = {}
    values: Any = {"name": plan.name, "interval_months": plan.interval_months, "onsite": plan.onsite}
    if request.method == "POST":
        values = request.POST
        try:
            maintenance.update_plan(
                actor=request.user, plan=plan, name=values.get("name", ""),
                interval_months=values.get("interval_months", ""), onsite=values.get("onsite") == "on",
            )  # fmt: skip
        except DomainError as exc:
            errors = field_errors(exc)
        else:
            messages.success(request, _("Maintenance plan %(name)s saved.") % {"name": values.get("name", "")})
            return redirect("booking:maintenance_plans")
    context = {
        "plan": plan, "values": values, "errors": errors, "form_error": errors.get("", ""),
        "scheduled": plan.schedules.filter(is_active=True).count(),
    }  # fmt: skip
    return render(request, "repairs/booking/maintenance_plan_edit.html", context, status=400 if errors else 200)
