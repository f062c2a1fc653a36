"""Console pages of service centres: list, create, edit with weekly opening hours and closed days, and
the month of slots of one centre."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haumai.core.errors import DomainError, FieldError, Forbidden, NotFound, ValidationFailed
from haumai.core.paging import page_number, page_of
from haumai.repairs.booking import centers, forms, selectors, slots
from haumai.repairs.booking.portal_views import slot_days
from haumai.repairs.models import ServiceCenter, ServiceCenterKind
from haumai.repairs.models.booking import WEEKDAYS

PAGE_SIZE = 25
RANGES_PER_DAY = 2
NUMBER_FIELDS = ("capacity_per_hour", "turnaround_target_hours", "slot_minutes", "booking_horizon_days",
                 "min_notice_minutes")  # fmt: skip
TEXT_FIELDS = ("name", "kind", "address", "province", "phone", "email", "time_zone")


def _load(code: str) -> ServiceCenter:
    try:
        return selectors.center_by_code(code)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def field_errors(exc: DomainError) -> dict[str, str]:
    """Field -> message of a refusal ('' holds the message without a field)."""
    found = {error.field: error.message for error in exc.errors}
    return found or {"": exc.message}


def _read_form(post: Any) -> tuple[dict[str, Any], list[centers.HoursRange], list[FieldError]]:
    values: dict[str, Any] = {name: post.get(name, "").strip()[:255] for name in TEXT_FIELDS}
    errors = []
    for name in NUMBER_FIELDS:
        raw = post.get(name, "").strip()
        if not raw.isdigit() or len(raw) > 5:
            errors.append(FieldError(name, _("Enter a whole number")))
        else:
            values[name] = int(raw)
    values["ward_code"] = post.get("ward_code", "").strip()[:12]
    values["closed_on_public_holidays"] = post.get("closed_on_public_holidays") == "on"
    values["is_active"] = post.get("is_active") == "on"
    hours = []
    for weekday, _label in WEEKDAYS:
        for index in range(RANGES_PER_DAY):
            opens, closes = post.get(f"h{weekday}_{index}_open", ""), post.get(f"h{weekday}_{index}_close", "")
            if not opens and not closes:
                continue
            try:
                hours.append(centers.HoursRange(weekday, dt.time.fromisoformat(opens[:5]),
                                                dt.time.fromisoformat(closes[:5])))  # fmt: skip
            except ValueError:
                errors.append(FieldError(f"hours.{weekday}", _("Enter both times as HH:MM")))
    return values, hours, errors


def _hours_rows(
    center: ServiceCenter | None, post: Any = None, errors: dict[str, str] | None = None
) -> list[tuple[int, Any, list[tuple[str, str]], str]]:
    """Per weekday, RANGES_PER_DAY (open, close) pairs for the form."""
    existing: dict[int, list[tuple[str, str]]] = {}
    if center is not None and center.pk:
        for row in center.opening_hours.order_by("weekday", "opens_at"):
            pair = (row.opens_at.strftime("%H:%M"), row.closes_at.strftime("%H:%M"))
            existing.setdefault(row.weekday, []).append(pair)
    rows = []
    for weekday, label in WEEKDAYS:
        if post is not None:
            pairs = [(post.get(f"h{weekday}_{i}_open", ""), post.get(f"h{weekday}_{i}_close", "")) for i in range(2)]
        else:
            pairs = (existing.get(weekday, []) + [("", "")] * RANGES_PER_DAY)[:RANGES_PER_DAY]
        rows.append((weekday, label, pairs, (errors or {}).get(f"hours.{weekday}", "")))
    return rows


@login_required
@permission_required("repairs.view_servicecenter", raise_exception=True)
@require_GET
def center_list(request: HttpRequest) -> HttpResponse:
    """Service centres by province, with their hours and capacity; paginated."""
    query = request.GET.get("q", "").strip()[:64]
    page = page_number(request)
    rows, has_next = page_of(selectors.center_list(q=query), page, PAGE_SIZE)
    context = {"rows": rows, "has_next": has_next, "page": page, "query": query}
    return render(request, "repairs/booking/centers.html", context)


def _form_page(request: HttpRequest, center: ServiceCenter | None) -> HttpResponse:
    errors: dict[str, str] = {}
    post = request.POST if request.method == "POST" else None
    if post is not None:
        values, hours, problems = _read_form(post)
        try:
            if problems:
                raise ValidationFailed(_("Some fields are invalid"), problems + centers.check_hours(hours))
            saved = centers.save_center(actor=request.user, code=post.get("code", "")[:40], values=values,
                                        hours=hours, center=center)  # fmt: skip
        except DomainError as exc:
            errors = field_errors(exc)
        else:
            messages.success(request, _("Service centre saved."))
            return redirect("booking:center", code=saved.code)
    shown = center or ServiceCenter()
    context = {
        "center": center, "shown": shown, "post": post, "errors": errors, "kinds": ServiceCenterKind.choices,
        "hours_rows": _hours_rows(center, post, errors), "form_error": errors.get("", ""),
        "closed_days": list(center.closed_days.all()) if center else [],
    }  # fmt: skip
    return render(request, "repairs/booking/center_form.html", context, status=400 if errors else 200)


@login_required
@permission_required("repairs.add_servicecenter", raise_exception=True)
@require_http_methods(["GET", "POST"])
def center_new(request: HttpRequest) -> HttpResponse:
    """Create a service centre with its weekly hours."""
    return _form_page(request, None)


@login_required
@permission_required("repairs.view_servicecenter", raise_exception=True)
@require_http_methods(["GET", "POST"])
def center_edit(request: HttpRequest, code: str) -> HttpResponse:
    """A centre's details, hours and closed days (editing needs the change permission)."""
    center = _load(code)
    if request.method == "POST" and not request.user.has_perm("repairs.change_servicecenter"):
        raise Forbidden()
    return _form_page(request, center)


@login_required
@permission_required("repairs.change_servicecenter", raise_exception=True)
@require_POST
def closed_day(request: HttpRequest, code: str) -> HttpResponse:
    """Add (or remove, with remove=1) a closed day."""
    center = _load(code)
    try:
        day = dt.date.fromisoformat(request.POST.get("date", "")[:10])
    except ValueError:
        messages.error(request, _("Enter a date"))
        return redirect("booking:center", code=center.code)
    if request.POST.get("remove"):
        centers.remove_closed_day(actor=request.user, center=center, date=day)
    else:
        centers.add_closed_day(actor=request.user, center=center, date=day, reason=request.POST.get("reason", ""))
    messages.success(request, _("Done."))
    return redirect("booking:center", code=center.code)


@login_required
@permission_required("repairs.view_servicecenter", raise_exception=True)
@require_GET
def center_slots(request: HttpRequest, code: str) -> HttpResponse:
    """The month of slots of a centre with the places left (full slots shown as full)."""
    center = _load(code)
    year, month = forms.parse_month(request.GET.get("month", ""))
    found = slots.month_slots(center, year, month)
    full = sum(1 for slot in found if not slot.is_free)
    context = {
        "center": center, "days": slot_days(center, found, only_free=False), "month": f"{year:04d}-{month:02d}",
        "previous_month": forms.shift_month(year, month, -1), "next_month": forms.shift_month(year, month, 1),
        "total": len(found), "full": full,
    }  # fmt: skip
    return render(request, "repairs/booking/center_slots.html", context)
