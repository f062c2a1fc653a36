"""Template contexts from domain events, and the signed links put into messages."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.core import signing
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext as _

from haumai.core.errors import ValidationFailed
from haumai.messaging import conf

UNSUBSCRIBE_SALT = "haumai.messaging.unsubscribe"
UNSUBSCRIBE_MAX_AGE = dt.timedelta(days=400)
SAFE_CHARS = "!$&'()*+,;=/~:@"  # what reverse() leaves unquoted in an argument


def absolute(path: str) -> str:
    """An absolute URL on the public origin."""
    return f"{conf.public_base_url()}{path}"


# reverse() walks the URL map (~0.1 ms); a message batch asks the same few routes thousands of times.
_PLACEHOLDER = "haumai0placeholder0token"
_paths: dict[tuple[Any, ...], str | None] = {}


def _cached_path(name: str, *, with_token: bool) -> str | None:
    """The path of a route without arguments, or with one token argument as a placeholder (cached)."""
    key = (name, with_token, settings.ROOT_URLCONF, get_urlconf(), get_script_prefix())
    if key not in _paths:
        try:
            _paths[key] = reverse(name, args=[_PLACEHOLDER] if with_token else [])
        except NoReverseMatch:
            _paths[key] = None
    return _paths[key]


def _reverse(name: str, *args: Any) -> str | None:
    if not args:
        path = _cached_path(name, with_token=False)
        return absolute(path) if path is not None else None
    try:
        return absolute(reverse(name, args=args))
    except NoReverseMatch:
        return None


def _token_url(name: str, token: str) -> str | None:
    path = _cached_path(name, with_token=True)
    if path is None or path.count(_PLACEHOLDER) != 1 or "/" in token or quote(token, safe=SAFE_CHARS) != token:
        return _reverse(name, token)
    return absolute(path.replace(_PLACEHOLDER, token))


def unsubscribe_url(*, customer: Any, purpose: str, channel: str) -> str:
    """A signed, long-lived link that withdraws the customer's consent for one purpose on one channel."""
    token = signing.dumps({"c": customer.pk, "p": purpose, "ch": channel}, salt=UNSUBSCRIBE_SALT, compress=True)
    # The public mount (/m/...) when the URL map has it; else the same view under /console/messaging/.
    return _token_url("messaging_public:unsubscribe", token) or absolute(
        reverse("messaging:unsubscribe", args=[token])
    )


def read_unsubscribe_token(token: str) -> dict[str, Any]:
    """Check an unsubscribe token; raise ValidationFailed when forged or expired."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.BadSignature as exc:
        raise ValidationFailed(_("This unsubscribe link is invalid or has expired")) from exc
    if not isinstance(data, dict) or data.get("p") not in ("service", "marketing") or not data.get("ch"):
        raise ValidationFailed(_("This unsubscribe link is invalid or has expired"))
    return {"customer": data["c"], "purpose": data["p"], "channel": data["ch"]}


def customer_context(customer: Any) -> dict[str, Any]:
    """Name and code of a customer as template values."""
    if customer is None:
        return {"name": "", "first_name": "", "code": ""}
    name = (customer.full_name or "").strip()
    # Vietnamese names end with the given name: "Nguyễn Thị Lan" -> "Lan".
    return {"name": name, "first_name": name.split()[-1] if name else "", "code": customer.code}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _order(order: Any) -> dict[str, Any]:
    lines = [
        {"product": line.product.name, "sku": line.product.sku, "quantity": line.quantity}
        for line in order.lines.select_related("product").all()
    ]
    return {
        "code": order.code,
        "total": int(order.total),
        "placed_at": _iso(order.placed_at),
        "delivered_at": _iso(order.delivered_at),
        "status": order.status,
        "lines": lines,
    }


def _attr(obj: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        value = getattr(obj, name, None)
        if value is not None and value != "":
            return value
    return default


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if hasattr(value, "code") and not isinstance(value, (str, int)):
        return str(value.code)
    return value


def _generic(obj: Any, payload: dict[str, Any], fields: dict[str, tuple[str, ...]]) -> dict[str, Any]:
    values = {}
    for name, attrs in fields.items():
        fallback = next((payload[a] for a in attrs if payload.get(a) not in (None, "")), None)
        values[name] = _plain(_attr(obj, *attrs, default=fallback))
    return values


_SUBJECT_FIELDS: dict[str, tuple[str, dict[str, tuple[str, ...]]]] = {
    "returns.returnrequest": ("return", {"code": ("code", "return_code"), "status": ("status",),
                                         "reason": ("reason",), "dropoff_code": ("dropoff_code",)}),
    "shipping.shipment": ("shipment", {"code": ("code", "shipment_code"), "carrier": ("carrier",),
                                       "tracking": ("tracking_code", "tracking"), "status": ("status",)}),
    "payments.refund": ("refund", {"code": ("code", "refund_code"), "amount": ("amount_vnd", "amount"),
                                   "method": ("method",), "status": ("status",)}),
}


def _guide_link(order: Any, customer: Any) -> str | None:
    """The help-center usage guide of the products delivered in the order (product, then category guide,
    else the help center home), when the knowledge app is installed."""
    if not apps.is_installed("haumai.knowledge"):
        return None
    from haumai.knowledge.selectors import guide_path_for_products

    products = [line.product for line in order.lines.select_related("product__category").order_by("id")]
    language = getattr(customer, "preferred_language", "") or "vi"
    return absolute(guide_path_for_products(products=products, language=language))


def context_for_event(event: Any) -> dict[str, Any]:
    """Template context of a domain event: customer, the subject as plain values, payload and links."""
    payload = dict(event.payload or {})
    context: dict[str, Any] = {
        "customer": customer_context(event.customer),
        "payload": payload,
        "links": {"portal": _reverse("portal:home")},
    }
    subject = None
    if event.subject_type and event.subject_id:
        try:
            model = apps.get_model(event.subject_type)
        except (LookupError, ValueError):
            model = None
        if model is not None:
            subject = model._default_manager.filter(pk=event.subject_id).first()
    if event.subject_type == "sales.order" and subject is not None:
        context["order"] = _order(subject)
        context["links"]["order"] = _reverse("portal:order_detail", subject.code)
        context["links"]["guide"] = _guide_link(subject, event.customer)
    elif event.subject_type == "catalog.unit" and subject is not None:
        context["unit"] = {
            "serial": subject.serial,
            "product": subject.product.name,
            "warranty_expires": payload.get("warranty_expires"),
        }
    elif event.subject_type in _SUBJECT_FIELDS:
        name, fields = _SUBJECT_FIELDS[event.subject_type]
        context[name] = _generic(subject, payload, fields)
    if event.subject_type == "returns.returnrequest":
        # The return's pickup (return.picked_up tells the carrier and tracking code).
        context["shipment"] = {
            "code": _attr(subject, "shipment_code", default=""),
            "carrier": _attr(subject, "carrier_code", default=""),
            "tracking": _attr(subject, "tracking_code", default=""),
            "status": _attr(subject, "shipment_status", default=""),
        }
    return context
