"""Reads about customers."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from haumai.core.errors import FieldError, NotFound, ValidationFailed
from haumai.core.phone import InvalidPhone, normalize_phone
from haumai.core.text import search_key
from haumai.customers.models import Address, Customer, Identity, IdentityKind


def customer_list(*, q: str = "", phone: str = "", email: str = "") -> QuerySet[Customer]:
    """Customers, newest first; q matches the name without diacritics (or a phone/code/e-mail)."""
    customers = Customer.objects.all()
    if phone:
        try:
            customers = customers.filter(phone=normalize_phone(phone))
        except InvalidPhone as exc:
            raise ValidationFailed(
                _("Some fields are invalid"), [FieldError("phone", str(exc), "invalid_phone")]
            ) from exc
    if email:
        customers = customers.filter(email=email.strip().lower())
    text = (q or "").strip()
    if text:
        if text.upper().startswith("CUS-"):
            customers = customers.filter(code=text.upper())
        elif "@" in text:
            customers = customers.filter(email=text.lower())
        else:
            as_phone = _phone_or_none(text)
            if as_phone:
                customers = customers.filter(phone=as_phone)
            else:
                key = search_key(text)
                # Name starting with the text, or any word of the name starting with it.
                customers = customers.filter(Q(search_key__startswith=key) | Q(search_key__contains=" " + key))
    return customers.order_by("-created_at", "-id")


def searches_by_contact(q: str) -> bool:
    """Whether a free-text search would match a phone number or an e-mail address (personal data)."""
    text = (q or "").strip()
    return "@" in text or _phone_or_none(text) is not None


def _phone_or_none(text: str) -> str | None:
    digits = sum(ch.isdigit() for ch in text)
    if digits < 9 or any(ch.isalpha() for ch in text):
        return None
    try:
        return normalize_phone(text)
    except InvalidPhone:
        return None


def customer_detail_queryset() -> QuerySet[Customer]:
    """Customers with identities, addresses (and their units) and consents prefetched."""
    return Customer.objects.prefetch_related(
        "identities",
        Prefetch(
            "addresses", queryset=Address.objects.select_related("province", "ward").order_by("-is_default", "id")
        ),
        "consents",
    )


def customer_by_code(code: str, *, detail: bool = True) -> Customer:
    """One customer by public code, or NotFound."""
    queryset = customer_detail_queryset() if detail else Customer.objects.all()
    customer = queryset.filter(code=code.strip().upper()).first()
    if customer is None:
        raise NotFound(_("No customer with code %(code)s") % {"code": code})
    return customer


def customer_by_phone(phone: str) -> Customer:
    """One customer by a phone in any format: the customer's phone (one indexed query), else an identity."""
    try:
        e164 = normalize_phone(phone)
    except InvalidPhone as exc:
        raise ValidationFailed(
            _("Some fields are invalid"),
            [FieldError("phone", _("Invalid phone number: %(reason)s") % {"reason": exc}, "invalid_phone")],
        ) from exc
    customer = Customer.objects.filter(phone=e164).first()
    if customer is None:
        identity = Identity.objects.select_related("customer").filter(kind=IdentityKind.PHONE, value=e164).first()
        customer = identity.customer if identity else None
    if customer is None:
        raise NotFound(_("No customer with phone %(phone)s") % {"phone": e164})
    return customer
