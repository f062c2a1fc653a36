"""Portal warranty pages (haumai.warranty): the public "tra cứu bảo hành" lookup, activation, my
warranties, the electronic warranty card (page and PDF, by signed link) and filing a claim."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from haumai.core.errors import DomainError, NotFound
from haumai.customers.models import Customer
from haumai.portal import services as portal_services
from haumai.portal.forms import LookupForm, client_ip
from haumai.portal.views import _page, portal_login_required
from haumai.warranty import cards, policy
from haumai.warranty import selectors as warranty_selectors
from haumai.warranty import services as warranty_services
from haumai.warranty.models import ClaimOrigin, Warranty


class ActivationForm(LookupForm):
    """Serial/IMEI + the phone the product was bought with + a photo of the invoice."""

    proof = forms.FileField(label=gettext_lazy("Photo of the invoice or warranty card"), required=False)

    def clean(self) -> dict[str, Any]:
        data = forms.Form.clean(self) or {}
        if self.errors:
            return data
        if not data.get("serial"):
            self.add_error("serial", _("Enter the serial number or IMEI"))
        if not data.get("phone"):
            self.add_error("phone", _("Enter the phone number you bought with"))
        return data


class ClaimForm(forms.Form):
    description = forms.CharField(
        label=gettext_lazy("What is wrong with the product?"), max_length=4000, widget=forms.Textarea, strip=True
    )


def _apply_errors(form: forms.Form, exc: DomainError) -> None:
    if not exc.errors:
        form.add_error(None, exc.message)
    for error in exc.errors:
        field = error.field if error.field in form.fields else None
        form.add_error(field, error.message)


@never_cache
@require_http_methods(["GET", "POST"])
def warranty_lookup(request: HttpRequest) -> HttpResponse:
    """Public warranty lookup by serial/IMEI or phone + order code: status and end date, never the owner."""
    form = LookupForm(request.POST if request.method == "POST" else None)
    answers: list[warranty_selectors.PublicAnswer] | None = None
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            portal_services.register_lookup(ip_address=client_ip(request))
        except portal_services.RateLimited as exc:
            form.add_error(None, exc.message)
            status = 429
        else:
            if data["serial"]:
                answers = warranty_selectors.public_by_serial(data["serial"])
            else:
                answers = warranty_selectors.public_by_order(phone=data["phone"], order_code=data["order_code"])
    return _page(request, "portal/warranty/lookup.html", {"form": form, "answers": answers}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def activate(request: HttpRequest) -> HttpResponse:
    """Activate a warranty that starts on activation: serial/IMEI, the buyer's phone, a purchase photo."""
    form = ActivationForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            portal_services.register_lookup(ip_address=client_ip(request))
            warranty = warranty_services.activate(
                actor=None, serial=data["serial"], phone=data["phone"], proof=data.get("proof"), actor_label="portal"
            )
        except portal_services.RateLimited as exc:
            form.add_error(None, exc.message)
            status = 429
        except DomainError as exc:
            _apply_errors(form, exc)
            status = 400
        else:
            return redirect(cards.card_path(warranty))
    return _page(request, "portal/warranty/activate.html", {"form": form}, status=status)


@never_cache
@require_GET
@portal_login_required
def my_warranties(request: HttpRequest, customer: Customer) -> HttpResponse:
    """My warranties with their state and end date, each with its card."""
    rows = [
        (w, warranty_selectors.answer(w), cards.card_path(w)) for w in warranty_selectors.customer_warranties(customer)
    ]
    claims = warranty_selectors.customer_claims(customer, limit=20)
    context = {"rows": rows, "claims": claims, "portal_customer": customer}
    return _page(request, "portal/warranty/mine.html", context)


def _card_warranty(token: str) -> Warranty:
    code = cards.code_from_token(token)
    if code is None:
        raise Http404("Link expired")
    try:
        return warranty_selectors.warranty_by_code(code)
    except NotFound:
        raise Http404("No warranty") from None


def _card_rows(warranty: Warranty) -> list[tuple[str, str]]:
    terms = warranty.terms
    until = warranty_selectors.covered_until(warranty)
    rows = [
        (_("Product"), warranty.unit.product.name),
        (_("Serial"), warranty.unit.serial + (f" · IMEI {warranty.unit.imei}" if warranty.unit.imei else "")),
        (_("Customer"), (warranty.customer.full_name.split() or [""])[-1]),
        (_("Start date"), warranty.starts_on.strftime("%d/%m/%Y") if warranty.starts_on else "—"),
        (_("Covered until"), until.strftime("%d/%m/%Y") if until else "—"),
        (_("Terms"), str(terms.get("name", ""))),
        (_("Coverage"), str(terms.get("coverage_vi") or "")),
        (_("Exclusions"), str(terms.get("exclusions_vi") or "")),
    ]
    for component in policy.component_ends(warranty):
        rows.append((str(component["name_vi"]), component["ends_on"].strftime("%d/%m/%Y")))
    service = " · ".join(
        x for x in (terms.get("service_name"), terms.get("service_address"), terms.get("service_phone")) if x
    )
    if service:
        rows.append((_("Warranty service"), service))
    return rows


@never_cache
@require_GET
def warranty_card(request: HttpRequest, token: str) -> HttpResponse:
    """The electronic warranty card by its signed link (sent in the message, printed as a QR code)."""
    warranty = _card_warranty(token)
    url = request.build_absolute_uri()
    context = {
        "warranty": warranty,
        "answer": warranty_selectors.answer(warranty),
        "rows": _card_rows(warranty),
        "qr_svg": cards.qr_svg(url),
        "pdf_url": reverse("portal:warranty_card_pdf", args=[token]),
        "history": warranty_selectors.history(warranty),
    }
    return _page(request, "portal/warranty/card.html", context)


@never_cache
@require_GET
def warranty_card_pdf(request: HttpRequest, token: str) -> HttpResponse:
    """The card as a PDF with a QR code of its link."""
    warranty = _card_warranty(token)
    url = request.build_absolute_uri(reverse("portal:warranty_card", args=[token]))
    data = cards.card_pdf(
        warranty,
        url=url,
        rows=_card_rows(warranty),
        title=_("Electronic warranty card"),
        note=_("Scan the QR code to see the warranty's current state or file a claim."),
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{warranty.code}.pdf"'
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@portal_login_required
def new_claim(request: HttpRequest, customer: Customer, code: str) -> HttpResponse:
    """File a warranty claim on one of my warranties; the coverage check and its reasons are shown first."""
    try:
        warranty = warranty_selectors.warranty_by_code(code[:24])
    except NotFound:
        raise Http404("No warranty") from None
    if warranty.customer_id != customer.pk:
        raise Http404("No warranty")
    decision = warranty_services.coverage_for(warranty)
    form = ClaimForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            claim = warranty_services.file_claim(
                actor=None,
                warranty=warranty,
                description=form.cleaned_data["description"],
                origin=ClaimOrigin.PORTAL,
                actor_label="portal",
            )
        except DomainError as exc:
            _apply_errors(form, exc)
            status = 400
        else:
            return redirect(f"{reverse('portal:my_warranties')}?filed={claim.code}")
    context = {"warranty": warranty, "decision": decision, "form": form, "portal_customer": customer}
    return _page(request, "portal/warranty/claim.html", context, status=status)
