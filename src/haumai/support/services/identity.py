"""Identity resolution: who sent an inbound message. Known phone, e-mail, Zalo id, Facebook PSID or web
visitor id -> that customer (following merges); otherwise a new contact with that identity."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from haumai.core.phone import try_normalize_phone
from haumai.customers import services as customer_services
from haumai.customers.models import Customer, Identity, IdentityKind
from haumai.support.channels.inbound import InboundMessage

SENDER_IDENTITY = {
    "email": IdentityKind.EMAIL,
    "phone": IdentityKind.PHONE,
    "zalo_user_id": IdentityKind.ZALO,
    "facebook_psid": IdentityKind.FACEBOOK,
    "web_visitor": IdentityKind.WEB,
}


class IdentityRace(Exception):
    """Another transaction created the same identity meanwhile: retry the whole ingestion."""


def sender_identity(message: InboundMessage) -> tuple[str, str]:
    """(identity kind, normalized value) of the sender."""
    kind = SENDER_IDENTITY[message.sender_kind]
    value = message.sender_value.strip()
    if kind == IdentityKind.EMAIL:
        value = value.lower()
    elif kind == IdentityKind.PHONE:
        value = try_normalize_phone(value) or value
    return kind, value


def _follow_merges(customer: Customer) -> Customer:
    seen = 0
    while customer.merged_into_id is not None and seen < 10:
        customer = Customer.objects.get(pk=customer.merged_into_id)
        seen += 1
    return customer


def find_customer(kind: str, value: str) -> Customer | None:
    """The customer holding this identity (or this e-mail/phone on the record), merges followed."""
    identity = Identity.objects.select_related("customer").filter(kind=kind, value=value).first()
    if identity is not None:
        return _follow_merges(identity.customer)
    if kind == IdentityKind.EMAIL:
        found = Customer.objects.filter(email__iexact=value, merged_into__isnull=True).order_by("id").first()
    elif kind == IdentityKind.PHONE:
        found = Customer.objects.filter(phone=value).first()
    else:
        found = None
    return _follow_merges(found) if found is not None else None


def _new_contact_name(message: InboundMessage, kind: str, value: str) -> str:
    name = " ".join(message.sender_name.split())
    if name:
        return name[:160]
    if kind == IdentityKind.EMAIL:
        return value.split("@", 1)[0][:160] or value
    labels: dict[str, str] = {
        IdentityKind.PHONE: _("Caller %(tail)s"),
        IdentityKind.ZALO: _("Zalo contact %(tail)s"),
        IdentityKind.FACEBOOK: _("Facebook contact %(tail)s"),
        IdentityKind.WEB: _("Website visitor %(tail)s"),
    }
    return labels.get(kind, _("Contact %(tail)s")) % {"tail": value[-4:]}


def _valid_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def resolve_sender(message: InboundMessage) -> tuple[Customer, bool]:
    """The customer behind the sender and whether a new contact was created (call inside a transaction)."""
    kind, value = sender_identity(message)
    found = find_customer(kind, value)
    if found is not None:
        return found, False
    name = _new_contact_name(message, kind, value)
    label = f"support:{message.channel}"
    if kind == IdentityKind.PHONE and value.startswith("+"):
        customer = customer_services.create_customer(actor=None, full_name=name, phone=value, actor_label=label)
    elif kind == IdentityKind.EMAIL and _valid_email(value):
        customer = customer_services.create_customer(actor=None, full_name=name, email=value, actor_label=label)
    else:
        customer = customer_services.create_customer(actor=None, full_name=name, actor_label=label)
    owner = Identity.objects.filter(kind=kind, value=value).values_list("customer_id", flat=True).first()
    if owner is None:
        customer_services.add_identity(actor=None, customer=customer, kind=kind, value=value)
    elif owner != customer.pk:
        raise IdentityRace()
    return customer, True
