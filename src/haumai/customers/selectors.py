"""Reads about customers."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Length
from django.utils.translation import gettext as _

from haumai.core.errors import FieldError, NotFound, ValidationFailed
from haumai.core.phone import InvalidPhone, normalize_phone
from haumai.core.text import search_key
from haumai.customers.models import Address, Customer, Identity, IdentityKind

MAX_NAME_WORDS = 6


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
                customers = customers.filter(name_words_filter(search_key(text)))
    return customers.order_by("-created_at", "-id")


def searches_by_contact(q: str) -> bool:
    """Whether a free-text search would match a phone number or an e-mail address (personal data)."""
    text = (q or "").strip()
    return "@" in text or _phone_or_none(text) is not None

def name_words_filter(key: str) -> Q:
    """Each word of the (folded) text starts a word of the name: any order, words may be left out."""
    condition = Q()
    for word in key.split()[:MAX_NAME_WORDS]:
        condition &= Q(search_key__startswith=word) | Q(search_key__contains=" " + word)
    return condition


def _whole_word(word: str) -> Q:
    return (
        Q(search_key=word)
        | Q(search_key__startswith=word + " ")
        | Q(search_key__endswith=" " + word)
        | Q(search_key__contains=" " + word + " ")
    )


def _points(condition: Q, points: int) -> Case:
    return Case(When(condition, then=Value(points)), default=Value(0), output_field=IntegerField())


def customer_search(q: str, *, limit: int = 10) -> list[Customer]:
    """Customers for the global search, closest first (one query).

    A code, e-mail or phone matches exactly. A name matches without diacritics, in any case, with the
    words in any order and words left out ("nguyen an" and "an nguyen" find "Nguyễn Văn An"); the
    ranking prefers the exact name, then the words in the typed order, whole words over word starts,
    the family name first (Vietnamese order) or last (Western order), and then the shorter name.
    """
    text = (q or "").strip()[:100]
    if not text:
        return []
    if text.upper().startswith("CUS-") or "@" in text or _phone_or_none(text):
        return list(customer_list(q=text)[:limit])
    if any(ch.isdigit() for ch in text):
        return []  # a code or a number that is not a phone: names have no digits
    key = search_key(text)
    words = key.split()[:MAX_NAME_WORDS]
    if not words:
        return []
    rank = (
        _points(Q(search_key=key), 100)
        + _points(Q(search_key__startswith=key + " "), 30)  # the typed words, in order, then more
        + _points(Q(search_key__startswith=key), 3)  # still typing the last word
    )
    for word in words:
        rank = rank + _points(_whole_word(word), 10)
    rank = rank + _points(Q(search_key__startswith=words[0] + " ") | Q(search_key=words[0]), 5)
    rank = rank + _points(Q(search_key__endswith=" " + words[-1]), 5)
    if len(words) > 1:
        rank = rank + _points(Q(search_key__startswith=words[-1] + " ") & Q(search_key__endswith=" " + words[0]), 8)
    rows = (
        Customer.objects.filter(name_words_filter(key))
        .annotate(search_rank=rank, name_length=Length("search_key"))
        .order_by("-search_rank", "name_length", "-created_at", "-id")
    )
    return list(rows[:limit])


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
