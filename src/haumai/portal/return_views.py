"""Customer portal pages for returns: my returns, request a return from an order, follow one return."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from haumai.core import clock
from haumai.core.errors import DomainError, NotFound
from haumai.customers.models import Customer
from haumai.portal import return_carriers, return_form
from haumai.portal.views import _page, portal_login_required
from haumai.returns import exchanges, qr, refunds, selectors, services
from haumai.returns.models import Condition, Logistics, Origin, Reason, Resolution, Status
from haumai.returns.policy import explain
from haumai.sales.selectors import order_by_code

# What customers may choose themselves (repairs go through an agent); another item only where the policy allows.
PORTAL_RESOLUTIONS = (
    Resolution.REFUND_ORIGINAL,
    Resolution.BANK_TRANSFER,
    Resolution.STORE_CREDIT,
    Resolution.EXCHANGE_SAME,
    Resolution.EXCHANGE_OTHER,
)
PICKUP_SLOTS = ((8, 12), (13, 17))
# Events the customer sees on the timeline, in their words.
TIMELINE_LABELS = {
    "return.requested": gettext_lazy("Return requested"),
    "return.approved": gettext_lazy("Approved"),
    "return.rejected": gettext_lazy("Not accepted"),
    "return.pickup_booked": gettext_lazy("Pickup booked with the carrier"),
    "return.dropoff_ready": gettext_lazy("Ready for drop-off at a store"),
    "return.picked_up": gettext_lazy("Picked up by the carrier"),
    "return.arrived": gettext_lazy("Arrived at our warehouse"),
    "return.received": gettext_lazy("Received and being checked"),
    "return.inspected": gettext_lazy("Checked"),
    "return.refund_requested": gettext_lazy("Refund on its way"),
    "return.refunded": gettext_lazy("Refund sent"),
    "return.store_credited": gettext_lazy("Store credit added"),
    "return.exchanged": gettext_lazy("Replacement on its way"),
    "return.replacement_shipped": gettext_lazy("Replacement handed to the carrier"),
    "return.replacement_delivered": gettext_lazy("Replacement delivered"),
    "return.returned_to_customer": gettext_lazy("Sent back to you"),
    "return.closed": gettext_lazy("Closed"),
    "return.cancelled": gettext_lazy("Cancelled"),
}


def _slots() -> list[tuple[str, str]]:
    today = clock.local_now().date()
    choices = []
    for days in range(1, 6):
        day = today + dt.timedelta(days=days)
        for start, end in PICKUP_SLOTS:
            choices.append((f"{day.isoformat()}|{start}|{end}", f"{day:%d/%m} {start:02d}:00–{end:02d}:00"))
    return choices


def _window(raw: str) -> tuple[dt.datetime, dt.datetime] | None:
    try:
        day, start, end = raw.split("|")
        date = dt.date.fromisoformat(day)
        return (
            dt.datetime.combine(date, dt.time(int(start)), tzinfo=clock.LOCAL_TZ),
            dt.datetime.combine(date, dt.time(int(end)), tzinfo=clock.LOCAL_TZ),
        )
    except ValueError:
        return None


@never_cache
@require_GET
@portal_login_required
def my_returns(request: HttpRequest, customer: Customer) -> HttpResponse:
    """My returns, and the orders a new one can start from."""
    context = {
        "returns": list(selectors.my_returns(customer)[:50]),
        "orders": selectors.orders_to_return_from(customer),
        "portal_customer": customer,
    }
    return _page(request, "portal/returns/list.html", context)


def _pickup(data: QueryDict, customer: Customer, phone: str) -> services.PickupInput | None:
    window = _window(data.get("slot", ""))
    if data.get("address") == "new":
        return services.PickupInput(
            name=customer.full_name,
            phone=phone,
            street=data.get("pickup_street", "")[:255],
            ward_code=data.get("pickup_ward", "")[:10],
            province_code=data.get("pickup_province", "")[:10],
            window_from=window[0] if window else None,
            window_to=window[1] if window else None,
        )
    address = next(
        (a for a in selectors.customer_addresses(customer) if str(a.pk) == data.get("address", "")), None
    )
    if address is None:
        return None
    return services.PickupInput(
        name=address.recipient_name or customer.full_name,
        phone=address.phone or customer.phone or "",
        street=address.street,
        ward_code=str(address.ward_id or ""),
        province_code=str(address.province_id),
        window_from=window[0] if window else None,
        window_to=window[1] if window else None,
    )


def _submit(request: HttpRequest, customer: Customer, order: Any, rows: list[dict[str, Any]]) -> Any:
    """Create the return, or say beside each field what is wrong (return_form.PlacedErrors)."""
    lines, line_ids = return_form.chosen_lines(request.POST, rows)
    logistics = request.POST.get("logistics", "")
    resolution = request.POST.get("resolution", "")
    phone, phone_errors = return_form.pickup_phone(request.POST, fallback=customer.phone or "")
    if phone_errors and logistics == Logistics.CARRIER_PICKUP and request.POST.get("address") == "new":
        return return_form.place(phone_errors, line_ids)
    pickup = _pickup(request.POST, customer, phone) if logistics == Logistics.CARRIER_PICKUP else None
    carrier = request.POST.get("carrier", "")[:20]
    if pickup is not None:
        items = return_carriers.items_of(request.POST, rows)
        unserved = return_carriers.refuse_unserved(customer, pickup, items, carrier)
        if unserved:
            return return_form.place(unserved, line_ids)
    try:
        created, _created = services.create_return(
            actor=None,
            customer=customer,
            order=order,
            lines=lines,
            reason=request.POST.get("reason", ""),
            resolution=resolution if resolution in PORTAL_RESOLUTIONS else "",
            logistics=logistics,
            origin=Origin.PORTAL,
            carrier_code=carrier,
            pickup=pickup,
            customer_note=request.POST.get("customer_note", "")[:2000],
            exchange_sku=request.POST.get("exchange_sku", "")[:64] if resolution == Resolution.EXCHANGE_OTHER else "",
            # Bank details are kept only for a refund by bank transfer (the fields may be filled and hidden).
            bank_account={
                "bank": request.POST.get("bank", ""),
                "number": request.POST.get("bank_number", ""),
                "name": request.POST.get("bank_name", ""),
            }
            if resolution == Resolution.BANK_TRANSFER
            else None,
            photos=request.FILES.getlist("photos"),  # type: ignore[arg-type]
            idempotency_key=f"portal:{customer.pk}:{request.POST.get('form_key', '')[:60]}"
            if request.POST.get("form_key")
            else None,
            actor_label="customer",
        )
    except DomainError as exc:
        placed = return_form.place(exc.errors, line_ids)
        if not exc.errors:
            placed.general.append(exc.message)
        return placed
    return created


@never_cache
@require_http_methods(["GET", "POST"])
@portal_login_required
def new_return(request: HttpRequest, customer: Customer, code: str) -> HttpResponse:
    """Choose items of one of my orders, why, what I want instead, and pickup or drop-off."""
    try:
        order = order_by_code(code[:40])
    except NotFound:
        raise Http404("Order not found") from None
    if order.customer_id != customer.pk:
        raise Http404("Order not found")
    rows = selectors.returnable_lines(order.pk)
    errors = return_form.PlacedErrors()
    data = request.POST if request.method == "POST" else QueryDict()
    if request.method == "POST":
        outcome = _submit(request, customer, order, rows)
        if not isinstance(outcome, return_form.PlacedErrors):
            return redirect("portal:return_detail", code=outcome.code)
        errors = outcome
    addresses = selectors.customer_addresses(customer)
    province = data.get("pickup_province", "")
    # Only what can work for how the order was paid (no "back to your card" for cash on delivery).
    workable = refunds.offered_resolutions(order)
    replacements = _replacement_choices(order, rows)
    offered = [
        value
        for value in PORTAL_RESOLUTIONS
        if (workable is None or value not in refunds.REFUND_METHODS or value in workable)
        and (value != Resolution.EXCHANGE_OTHER or replacements)
    ]
    context = {
        "order": order,
        "rows": return_form.rows_as_typed(rows, data, errors),
        "errors": errors,
        "field_errors": errors.by_place,
        "photos_dropped": bool(errors and request.FILES.getlist("photos")),
        "reasons": Reason.choices,
        "conditions": Condition.choices,
        "resolutions": [(value, Resolution(value).label) for value in offered],
        "resolution": data.get("resolution") or offered[0],
        "replacements": replacements,
        "logistics": data.get("logistics") or (Logistics.CARRIER_PICKUP if addresses else Logistics.STORE_DROPOFF),
        "address": data.get("address") or (str(addresses[0].pk) if addresses else "new"),
        "addresses": addresses,
        "provinces": selectors.provinces(),
        "wards": selectors.wards_of(int(province)) if province.isdigit() and len(province) < 6 else [],
        "slots": _slots(),
        "carrier_choices": return_carriers.unquoted(),
        "carrier": data.get("carrier", ""),
        "form": data,
        "form_key": data.get("form_key") or services.common.new_short_code(),
        "portal_customer": customer,
    }
    return _page(request, "portal/returns/new.html", context, status=422 if errors else 200)


def _replacement_choices(order: Any, rows: list[dict[str, Any]]) -> list[Any]:
    """Products the customer may choose for an exchange of at least one returnable line (checked again on submit)."""
    warehouse = exchanges.default_warehouse()
    found: dict[int, Any] = {}
    for row in rows:
        if row["left"]:
            line = row["line"]
            returned = [exchanges.Returned(line.product, line.unit_price, order.channel_id)]
            found.update((p.pk, p) for p in exchanges.replacement_choices(returned, warehouse=warehouse))
    return sorted(found.values(), key=lambda product: (product.name, product.pk))


@never_cache
@require_GET
@portal_login_required
def return_detail(request: HttpRequest, customer: Customer, code: str) -> HttpResponse:
    """One of my returns: what happens next, the drop-off QR code, and the timeline."""
    try:
        found = selectors.my_return(customer, code)
    except NotFound:
        raise Http404("Return not found") from None
    timeline = [
        (event, TIMELINE_LABELS[event.name]) for event in selectors.timeline(found) if event.name in TIMELINE_LABELS
    ]
    context = {
        "rma": found,
        "lines": [(line, [explain(note) for note in line.notes]) for line in found.lines.all()],
        "timeline": timeline,
        "qr_svg": qr.svg(found.dropoff_code) if found.dropoff_code and found.status == Status.AWAITING_DROPOFF else "",
        "can_cancel": services.common.customer_may_cancel(found),
        "replacements": selectors.replacement_shipments(found) if found.exchange_order_code else [],
        "portal_customer": customer,
    }
    return _page(request, "portal/returns/detail.html", context)


@require_http_methods(["GET", "POST"])
@portal_login_required
def cancel_return(request: HttpRequest, customer: Customer, code: str) -> HttpResponse:
    """Cancel my return before the carrier has the parcel: GET asks to confirm, POST cancels."""
    try:
        found = selectors.my_return(customer, code)
    except NotFound:
        raise Http404("Return not found") from None
    context: dict[str, Any] = {"rma": found, "portal_customer": customer, "error": ""}
    if request.method == "POST":
        try:
            services.cancel_return(
                actor=None, request=found, note=_("Cancelled by the customer"), actor_label="customer"
            )
        except DomainError as refused:
            context["error"] = refused.message
            return _page(request, "portal/returns/cancel.html", context, status=409)
        return redirect("portal:return_detail", code=found.code)
    if not services.common.customer_may_cancel(found):
        context["error"] = _("This return can no longer be cancelled here. Contact us if you need to stop it.")
    return _page(request, "portal/returns/cancel.html", context)


@never_cache
@require_GET
@portal_login_required
def carrier_options(request: HttpRequest, customer: Customer, code: str) -> HttpResponse:
    """The carriers with the fee each quotes for the chosen items and pickup address (htmx, return form)."""
    try:
        order = order_by_code(code[:40])
    except NotFound:
        raise Http404("Order not found") from None
    if order.customer_id != customer.pk:
        raise Http404("Order not found")
    rows = selectors.returnable_lines(order.pk)
    phone, _errors = return_form.pickup_phone(request.GET, fallback=customer.phone or "")
    pickup = _pickup(request.GET, customer, phone)
    choices, note = return_carriers.quoted(customer, pickup, return_carriers.items_of(request.GET, rows))
    context = {
        "carrier_choices": choices,
        "carrier_note": note,
        "carrier": request.GET.get("carrier", ""),
        "order": order,
        "portal_customer": customer,
    }
    return _page(request, "portal/returns/_carrier_options.html", context)


@require_GET
@portal_login_required
def ward_options(request: HttpRequest, customer: Customer) -> HttpResponse:
    """The <option>s of the wards of a province (htmx, pickup address form)."""
    raw = request.GET.get("pickup_province", "").strip()
    wards = selectors.wards_of(int(raw)) if raw.isdigit() and len(raw) < 6 else []
    return _page(request, "portal/returns/_ward_options.html", {"wards": wards, "portal_customer": customer})
