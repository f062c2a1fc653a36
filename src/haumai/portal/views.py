"""Customer portal pages: passwordless login, my orders, public lookup. Customers are not Django users:
the session carries only `portal_customer_id`, checked on every page that needs it."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haumai.core.errors import NotFound
from haumai.core.phone import mask_phone
from haumai.core.text import mask_email
from haumai.customers.models import Customer
from haumai.portal import selectors, services
from haumai.portal.forms import CodeForm, LoginForm, LookupForm, client_ip
from haumai.shipping import selectors as shipping_selectors
from haumai.shipping.statuses import for_the_customer

logger = logging.getLogger(__name__)

SESSION_CUSTOMER = "portal_customer_id"
SESSION_PENDING = "portal_pending_login"
SESSION_NEXT = "portal_next"
ORDERS_PAGE_SIZE = 10

PortalView = Callable[..., HttpResponse]


def current_customer(request: HttpRequest) -> Customer | None:
    """The customer logged in to the portal in this session, or None."""
    customer_id = request.session.get(SESSION_CUSTOMER)
    if customer_id is None:
        return None
    customer = selectors.portal_customer(customer_id)
    if customer is None:
        request.session.pop(SESSION_CUSTOMER, None)
    return customer


def portal_login_required(view: PortalView) -> PortalView:
    """Pass the logged-in customer to the view, or send the visitor to the portal login."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        customer = current_customer(request)
        if customer is None:
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('portal:login')}?{query}")
        return view(request, customer, *args, **kwargs)

    return wrapper


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    if "portal_customer" not in context:
        context["portal_customer"] = current_customer(request)
    return render(request, template, context, status=status)


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    portal_root = reverse("portal:home")
    if (
        candidate
        and candidate.startswith(portal_root)
        and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()})
    ):
        return candidate
    return portal_root


def _log_in(request: HttpRequest, customer: Customer) -> HttpResponse:
    target = _safe_next(request, request.session.get(SESSION_NEXT))
    request.session.pop(SESSION_PENDING, None)
    request.session.pop(SESSION_NEXT, None)
    request.session.cycle_key()
    request.session[SESSION_CUSTOMER] = customer.pk
    return redirect(target)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Tiles for what the portal offers today."""
    return _page(request, "portal/home.html", {})


@never_cache
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    """Ask for a phone or e-mail and send a one-time code (the answer never says whether it is known)."""
    if current_customer(request) is not None:
        return redirect("portal:orders")
    form = LoginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        destination = form.cleaned_data["identifier"]
        try:
            services.request_login_code(
                destination=destination,
                ip_address=client_ip(request),
                link_for=lambda token: request.build_absolute_uri(reverse("portal:login_link", args=[token])),
            )
        except services.RateLimited as exc:
            form.add_error(None, exc.message)
            context = {"form": form, "next": _safe_next(request, request.POST.get("next"))}
            return _page(request, "portal/login.html", context, status=429)
        else:
            request.session[SESSION_PENDING] = {"kind": destination.kind, "value": destination.value}
            request.session[SESSION_NEXT] = _safe_next(request, request.POST.get("next"))
            return redirect("portal:login_code")
    return _page(request, "portal/login.html", {"form": form, "next": _safe_next(request, request.GET.get("next"))})


@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """Enter the 6-digit code sent to the phone or e-mail given on the previous page."""
    pending = request.session.get(SESSION_PENDING)
    if not isinstance(pending, dict) or not isinstance(pending.get("value"), str):
        return redirect("portal:login")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            customer = services.verify_login_code(destination=pending["value"], code=form.cleaned_data["code"])
        except services.LoginRefused as exc:
            form.add_error("code", exc.message)
        else:
            return _log_in(request, customer)
    shown = mask_email(pending["value"]) if pending.get("kind") == "email" else mask_phone(pending["value"])
    context = {
        "form": form,
        "destination": shown,
        "by_email": pending.get("kind") == "email",
        "minutes": settings.HAUMAI_PORTAL_CODE_MINUTES,
    }
    return _page(request, "portal/login_code.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def login_link(request: HttpRequest, token: str) -> HttpResponse:
    """A login link from an e-mail: GET asks to confirm (mail scanners only GET), POST logs in once."""
    try:
        if request.method == "POST":
            return _log_in(request, services.use_login_link(token=token))
        services.check_login_link(token=token)
    except services.LoginRefused as exc:
        return _page(request, "portal/login_link.html", {"error": exc.message}, status=400)
    return _page(request, "portal/login_link.html", {"error": ""})


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """Leave the portal (a staff login in the same browser, if any, is left alone)."""
    request.session.pop(SESSION_CUSTOMER, None)
    request.session.pop(SESSION_PENDING, None)
    request.session.cycle_key()
    return redirect("portal:home")


def _cursor(raw: str) -> tuple[dt.datetime, int] | None:
    placed, _sep, order_id = raw.partition("|")
    try:
        moment = dt.datetime.fromisoformat(placed)
        return (moment, int(order_id)) if moment.tzinfo is not None else None
    except ValueError:
        return None


@never_cache
@require_GET
@portal_login_required
def orders(request: HttpRequest, customer: Customer) -> HttpResponse:
    """My orders, newest first, ten per page (keyset pagination)."""
    after = _cursor(request.GET.get("after", "")[:80])
    views, cursor = selectors.my_orders(customer, after=after, limit=ORDERS_PAGE_SIZE)
    next_cursor = f"{cursor[0].isoformat()}|{cursor[1]}" if cursor else ""
    context = {"orders": views, "next_cursor": next_cursor, "portal_customer": customer, "paged": after is not None}
    return _page(request, "portal/orders.html", context)


@never_cache
@require_GET
@portal_login_required
def order_detail(request: HttpRequest, customer: Customer, code: str) -> HttpResponse:
    """One of my orders; any other code (someone else's included) is a plain 404."""
    try:
        view = selectors.my_order(customer, code[:40])
    except NotFound:
        raise Http404("Order not found") from None
    deliveries = []
    for shipment in shipping_selectors.deliveries_of_order(view.order.code):
        events = [(event, for_the_customer(event.mapped_status)) for event in getattr(shipment, "applied_events", [])]
        deliveries.append((shipment, for_the_customer(shipment.status), events))
    context = {"view": view, "portal_customer": customer, "deliveries": deliveries}
    return _page(request, "portal/order_detail.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """Public warranty and order lookup by phone + order code or by serial/IMEI (no login, rate-limited)."""
    form = LookupForm(request.POST if request.method == "POST" else None)
    result: selectors.LookupResult | None = None
    not_found = limited = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.register_lookup(ip_address=client_ip(request))
            if data["serial"]:
                result = selectors.lookup_by_serial(serial=data["serial"])
            else:
                result = selectors.lookup_by_order(phone=data["phone"], code=data["order_code"])
        except services.RateLimited as exc:
            form.add_error(None, exc.message)
            limited = True
        except NotFound:
            not_found = True
    context = {"form": form, "result": result, "not_found": not_found}
    return _page(request, "portal/lookup.html", context, status=429 if limited else 200)


def error_page(request: HttpRequest, status: int) -> HttpResponse:
    """The portal's 403 or 404 page (haumai.error_views picks it for paths under /portal/)."""
    if status == 403:
        title = _("No access")
        explanation = _("This page belongs to another account. Log in with your own phone or e-mail.")
    else:
        title = _("Page not found")
        explanation = _("This page does not exist or the link has expired. Start again from the home page.")
    try:
        customer = current_customer(request)
    except Exception:  # the session or database may be what failed; the page still renders
        logger.warning("portal error page without the customer", exc_info=True)
        customer = None
    # The language switch goes back home: a refused path (another customer's order code) is not echoed.
    context = {
        "status": status,
        "title": title,
        "explanation": explanation,
        "portal_customer": customer,
        "language_next": "/portal/",
    }
    return render(request, "portal/errors/error.html", context, status=status)
