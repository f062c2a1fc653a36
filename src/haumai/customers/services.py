"""Writes about customers: create, update, find-or-create by phone, addresses and consent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from haumai.core.codes import next_code
from haumai.core.errors import Conflict, FieldError, ValidationFailed
from haumai.core.phone import InvalidPhone, normalize_phone
from haumai.core.text import search_key
from haumai.customers.consents import ConsentInput, clean_consents, write_consents
from haumai.customers.models import (
    Address,
    Consent,
    Customer,
    Gender,
    Identity,
    IdentityKind,
    Province,
    Ward,
)
from haumai.events.services import record_event

__all__ = ["AddressInput", "ConsentInput"]

CUSTOMER_CODE_PREFIX = "CUS"
LANGUAGES = ("vi", "en")


@dataclass(frozen=True)
class AddressInput:
    """An address as given by a caller; province and ward are official 2025 codes."""

    street: str
    province_code: int
    ward_code: int | None = None
    label: str = ""
    recipient_name: str = ""
    phone: str = ""
    is_default: bool = False


_UNSET: Any = object()


def clean_phone(raw: str | None, field: str, errors: list[FieldError]) -> str | None:
    """Normalize a phone to E.164, adding a field error when it is invalid; None when empty."""
    if raw is None or not str(raw).strip():
        return None
    try:
        return normalize_phone(str(raw))
    except InvalidPhone as exc:
        errors.append(FieldError(field, _("Invalid phone number: %(reason)s") % {"reason": exc}, "invalid_phone"))
        return None


def clean_email(raw: str | None, field: str, errors: list[FieldError]) -> str | None:
    """Lower-case and validate an e-mail address; None when empty."""
    if raw is None or not str(raw).strip():
        return None
    email = str(raw).strip().lower()
    try:
        validate_email(email)
    except DjangoValidationError:
        errors.append(
            FieldError(field, _("'%(email)s' is not a valid e-mail address") % {"email": raw}, "invalid_email")
        )
        return None
    return email


def _clean_name(raw: str | None, field: str, errors: list[FieldError]) -> str:
    name = " ".join((raw or "").split())
    if not name:
        errors.append(FieldError(field, _("Full name is required"), "required"))
    elif len(name) > 160:
        errors.append(FieldError(field, _("Full name is longer than 160 characters"), "too_long"))
    return name


def _clean_addresses(
    addresses: Sequence[AddressInput], prefix: str, errors: list[FieldError]
) -> list[tuple[AddressInput, str | None]]:
    """Check province/ward codes against the 2025 units (two queries for any number of addresses)."""
    province_codes = {a.province_code for a in addresses}
    ward_codes = {a.ward_code for a in addresses if a.ward_code is not None}
    provinces = set(Province.objects.filter(code__in=province_codes).values_list("code", flat=True))
    wards = dict(Ward.objects.filter(code__in=ward_codes).values_list("code", "province_id"))
    cleaned = []
    for index, address in enumerate(addresses):
        field = f"{prefix}.{index}"
        if not address.street.strip():
            errors.append(FieldError(f"{field}.street", _("Street address is required"), "required"))
        if address.province_code not in provinces:
            errors.append(
                FieldError(
                    f"{field}.province_code",
                    _("Unknown province code %(code)s (use the 2025 two-level codes)")
                    % {"code": address.province_code},
                    "unknown_province",
                )
            )
        if address.ward_code is not None:
            if address.ward_code not in wards:
                errors.append(
                    FieldError(
                        f"{field}.ward_code",
                        _("Unknown ward code %(code)s") % {"code": address.ward_code},
                        "unknown_ward",
                    )
                )
            elif wards[address.ward_code] != address.province_code:
                errors.append(
                    FieldError(
                        f"{field}.ward_code",
                        _("Ward %(ward)s is not in province %(province)s")
                        % {"ward": address.ward_code, "province": address.province_code},
                        "ward_not_in_province",
                    )
                )
        phone = clean_phone(address.phone, f"{field}.phone", errors) if address.phone else None
        cleaned.append((address, phone))
    return cleaned


def _check_choice(value: str, allowed: Sequence[str], field: str, errors: list[FieldError]) -> None:
    if value not in allowed:
        errors.append(
            FieldError(
                field,
                _("'%(value)s' is not allowed (one of: %(allowed)s)")
                % {"value": value, "allowed": ", ".join(a for a in allowed if a) or "-"},
                "invalid_choice",
            )
        )


def _raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise ValidationFailed(_("Some fields are invalid"), errors)


def _owner_of_phone(phone: str, exclude_id: int | None = None) -> Customer | None:
    query = Customer.objects.filter(phone=phone)
    if exclude_id:
        query = query.exclude(pk=exclude_id)
    owner = query.first()
    if owner is None:
        identities = Identity.objects.select_related("customer").filter(kind=IdentityKind.PHONE, value=phone)
        if exclude_id:
            identities = identities.exclude(customer_id=exclude_id)
        identity = identities.first()
        owner = identity.customer if identity else None
    return owner


def _add_identities(customer: Customer, identities: Sequence[tuple[str, str | None]]) -> None:
    """Record the customer's phone/e-mail identities; one already recorded (for anyone) stays as it is.

    One INSERT ... ON CONFLICT DO NOTHING for all of them (was a select, a savepoint, an insert and a release each).
    """
    rows = [Identity(customer=customer, kind=kind, value=value) for kind, value in identities if value]
    if rows:
        Identity.objects.bulk_create(rows, ignore_conflicts=True)


def _write_addresses(customer: Customer, cleaned: list[tuple[AddressInput, str | None]]) -> list[Address]:
    rows = [
        Address(
            customer=customer,
            label=a.label.strip(),
            recipient_name=" ".join(a.recipient_name.split()),
            phone=phone or "",
            street=a.street.strip(),
            province_id=a.province_code,
            ward_id=a.ward_code,
            is_default=a.is_default,
        )
        for a, phone in cleaned
    ]
    if any(row.is_default for row in rows):
        Address.objects.filter(customer=customer, is_default=True).update(is_default=False)
        first_default = next(row for row in rows if row.is_default)
        for row in rows:
            row.is_default = row is first_default
    elif rows and not Address.objects.filter(customer=customer).exists():
        rows[0].is_default = True
    return Address.objects.bulk_create(rows)


def create_customer(
    *,
    actor: Any,
    full_name: str,
    phone: str | None = None,
    email: str | None = None,
    birth_date: dt.date | None = None,
    gender: str = "",
    preferred_language: str = "vi",
    preferred_channel: str = "",
    external_id: str | None = None,
    addresses: Sequence[AddressInput] = (),
    consents: Sequence[ConsentInput] = (),
    actor_label: str = "",
) -> Customer:
    """Create a customer with phone/email identities, addresses and consent flags."""
    errors: list[FieldError] = []
    name = _clean_name(full_name, "full_name", errors)
    e164 = clean_phone(phone, "phone", errors)
    clean_mail = clean_email(email, "email", errors)
    _check_choice(gender, Gender.values, "gender", errors)
    _check_choice(preferred_language, LANGUAGES, "preferred_language", errors)
    cleaned_addresses = _clean_addresses(addresses, "addresses", errors)
    clean_consents(consents, "consents", errors)
    external = (external_id or "").strip() or None
    _raise_if(errors)
    if e164:
        owner = _owner_of_phone(e164)
        if owner is not None:
            raise Conflict(
                _("A customer with phone %(phone)s already exists (%(code)s)") % {"phone": e164, "code": owner.code},
                code="duplicate_phone",
            )
    if external and Customer.objects.filter(external_id=external).exists():
        raise Conflict(
            _("A customer with external id '%(id)s' already exists") % {"id": external}, code="duplicate_external_id"
        )
    try:
        with transaction.atomic():
            customer = Customer.objects.create(
                code=next_code(CUSTOMER_CODE_PREFIX),
                full_name=name,
                search_key=search_key(name),
                phone=e164,
                email=clean_mail,
                birth_date=birth_date,
                gender=gender,
                preferred_language=preferred_language,
                preferred_channel=preferred_channel,
                external_id=external,
            )
            _add_identities(customer, [(IdentityKind.PHONE, e164), (IdentityKind.EMAIL, clean_mail)])
            _write_addresses(customer, cleaned_addresses)
            record_event(
                name="customer.created",
                customer=customer,
                subject=customer,
                actor=actor,
                actor_label=actor_label,
                payload={"code": customer.code},
            )
            write_consents(customer, consents, actor)
    except IntegrityError as exc:
        # A concurrent request created the same phone/external id between our check and insert.
        raise Conflict(_("A customer with the same phone or external id already exists"), code="duplicate") from exc
    return customer


def find_or_create_customer(
    *,
    actor: Any,
    phone: str,
    full_name: str = "",
    email: str | None = None,
    field: str = "phone",
    actor_label: str = "",
) -> tuple[Customer, bool]:
    """Find a customer by any phone format (customer phone, then phone identity) or create one."""
    errors: list[FieldError] = []
    e164 = clean_phone(phone, field, errors)
    if e164 is None and not errors:
        errors.append(FieldError(field, _("A phone number is required"), "required"))
    _raise_if(errors)
    assert e164 is not None
    existing = _owner_of_phone(e164)
    if existing is not None:
        return existing, False
    if not " ".join((full_name or "").split()):
        raise ValidationFailed(
            _("Some fields are invalid"),
            [
                FieldError(
                    field.rpartition(".")[0] + ".full_name" if "." in field else "full_name",
                    _("Full name is required to create a new customer"),
                    "required",
                )
            ],
        )
    try:
        with transaction.atomic():
            return create_customer(
                actor=actor, full_name=full_name, phone=e164, email=email, actor_label=actor_label
            ), True
    except Conflict:
        found = _owner_of_phone(e164)
        if found is None:
            raise
        return found, False


def update_customer(
    *,
    actor: Any,
    customer: Customer,
    full_name: str = _UNSET,
    phone: str | None = _UNSET,
    email: str | None = _UNSET,
    birth_date: dt.date | None = _UNSET,
    gender: str = _UNSET,
    preferred_language: str = _UNSET,
    preferred_channel: str = _UNSET,
    consents: Sequence[ConsentInput] = (),
) -> Customer:
    """Change the given fields (others stay as they are); new phone/email become identities too."""
    errors: list[FieldError] = []
    changes: dict[str, Any] = {}
    if full_name is not _UNSET:
        changes["full_name"] = _clean_name(full_name, "full_name", errors)
    if phone is not _UNSET:
        changes["phone"] = clean_phone(phone, "phone", errors)
    if email is not _UNSET:
        changes["email"] = clean_email(email, "email", errors)
    if birth_date is not _UNSET:
        changes["birth_date"] = birth_date
    if gender is not _UNSET:
        _check_choice(gender, Gender.values, "gender", errors)
        changes["gender"] = gender
    if preferred_language is not _UNSET:
        _check_choice(preferred_language, LANGUAGES, "preferred_language", errors)
        changes["preferred_language"] = preferred_language
    if preferred_channel is not _UNSET:
        changes["preferred_channel"] = preferred_channel
    clean_consents(consents, "consents", errors)
    _raise_if(errors)
    new_phone = changes.get("phone")
    if new_phone and new_phone != customer.phone:
        owner = _owner_of_phone(new_phone, exclude_id=customer.pk)
        if owner is not None:
            raise Conflict(
                _("Phone %(phone)s already belongs to customer %(code)s") % {"phone": new_phone, "code": owner.code},
                code="duplicate_phone",
            )
    changed = [key for key, value in changes.items() if getattr(customer, key) != value]
    with transaction.atomic():
        for key in changed:
            setattr(customer, key, changes[key])
        if "full_name" in changed:
            customer.search_key = search_key(customer.full_name)
        if changed:
            customer.save(update_fields=[*changed, *(["search_key"] if "full_name" in changed else []), "updated_at"])
            _add_identities(
                customer,
                [
                    (IdentityKind.PHONE, customer.phone if "phone" in changed else None),
                    (IdentityKind.EMAIL, customer.email if "email" in changed else None),
                ],
            )
            # Field names only: the event log must not become a second copy of personal data.
            record_event(
                name="customer.updated",
                customer=customer,
                subject=customer,
                actor=actor,
                payload={"code": customer.code, "fields": changed},
            )
        write_consents(customer, consents, actor)
    return customer


def add_address(*, actor: Any, customer: Customer, address: AddressInput) -> Address:
    """Add one address to a customer (validated against the 2025 province/ward codes)."""
    errors: list[FieldError] = []
    cleaned = _clean_addresses([address], "addresses", errors)
    # A single address reports its fields without the list index.
    for error in errors:
        error.field = error.field.replace("addresses.0.", "")
    _raise_if(errors)
    with transaction.atomic():
        created = _write_addresses(customer, cleaned)[0]
        record_event(
            name="customer.address_added",
            customer=customer,
            subject=customer,
            actor=actor,
            payload={"code": customer.code, "province_code": address.province_code},
        )
    return created


ANONYMIZED_NAME = "Khách hàng đã ẩn danh"


def withdraw_consents(
    *, actor: Any, customer: Customer, purposes: Sequence[str] = (), source: str = "privacy_request"
) -> list[dict[str, Any]]:
    """Withdraw every granted consent of the customer (or those of the given purposes)."""
    with transaction.atomic():
        granted = Consent.objects.filter(customer=customer, granted=True)
        if purposes:
            granted = granted.filter(purpose__in=list(purposes))
        inputs = [ConsentInput(purpose=c.purpose, channel=c.channel, granted=False, source=source) for c in granted]
        return write_consents(customer, inputs, actor)


def anonymize_customer(*, actor: Any, customer: Customer) -> dict[str, int]:
    """Replace the customer's personal data (the row stays for the orders it carries); remove identities,
    addresses and consents. Called by the privacy app's deletion through customers/privacy.py."""
    with transaction.atomic():
        locked = Customer.objects.select_for_update().get(pk=customer.pk)
        counts = {
            "customers.identity": Identity.objects.filter(customer=locked).delete()[0],
            "customers.address": Address.objects.filter(customer=locked).delete()[0],
            "customers.consent": Consent.objects.filter(customer=locked).delete()[0],
        }
        locked.full_name = ANONYMIZED_NAME
        # Blank, not the folded placeholder: a search for "khach hang" must not list every erased person.
        locked.search_key = ""
        locked.phone = None
        locked.email = None
        locked.birth_date = None
        locked.gender = ""
        locked.preferred_channel = ""
        locked.external_id = None
        locked.save()
        counts["customers.customer"] = 1
        # The event names no one: it says that the record was anonymized, by whom, and how much went.
        record_event(
            name="customer.anonymized",
            customer=locked,
            subject=locked,
            actor=actor,
            payload={"code": locked.code, "removed": counts},
        )
    customer.refresh_from_db()
    return counts


def add_identity(*, actor: Any, customer: Customer, kind: str, value: str) -> Identity:
    """Attach a channel identity (Zalo user id, Facebook PSID ...); Conflict when another customer holds it."""
    if kind not in IdentityKind.values or not value.strip():
        raise ValidationFailed(_("Some fields are invalid"), [FieldError("kind", _("Unknown identity kind"))])
    identity, created = Identity.objects.get_or_create(kind=kind, value=value.strip(), defaults={"customer": customer})
    if identity.customer_id != customer.pk:
        raise Conflict(_("This identity belongs to another customer"), code="identity_taken")
    if created:
        record_event(
            name="customer.identity_added",
            customer=customer,
            subject=customer,
            actor=actor,
            payload={"code": customer.code, "kind": kind},
        )
    return identity


MergeStep = Callable[..., int]
# Other apps' steps run inside the merge transaction: step(source=, target=) -> rows moved.
_merge_steps: dict[str, MergeStep] = {}


def register_merge_step(key: str, step: MergeStep) -> None:
    """Let an app move its own rows when two customers are merged (e.g. support tickets)."""
    _merge_steps[key] = step


def merge_customers(*, actor: Any, source: Customer, target: Customer) -> dict[str, int]:
    """Merge `source` into `target`: identities, orders, returns, warranties, events (and registered apps'
    rows) move to `target`; `source` stays as an empty record pointing to `target`. Recorded as customer.merged."""
    # The apps that hold customer rows; imported here because they build on customers.
    from haumai.events.services import reassign_customer_events
    from haumai.returns.services import reassign_customer_returns
    from haumai.sales.services import reassign_customer_orders
    from haumai.warranty.services import reassign_customer_warranties

    if source.pk == target.pk:
        raise ValidationFailed(
            _("Some fields are invalid"), [FieldError("target", _("A customer cannot be merged into itself"))]
        )
    with transaction.atomic():
        first, second = sorted([source.pk, target.pk])
        locked = {c.pk: c for c in Customer.objects.select_for_update().filter(pk__in=[first, second]).order_by("pk")}
        source, target = locked[source.pk], locked[target.pk]
        if source.merged_into_id or target.merged_into_id:
            raise Conflict(_("One of these customers was already merged"), code="already_merged")
        moved = {
            # (kind, value) is unique across customers, so nothing collides on the way.
            "identities": Identity.objects.filter(customer=source).update(customer=target),
            "orders": reassign_customer_orders(source=source, target=target),
            "returns": reassign_customer_returns(source=source, target=target),
            "warranties": reassign_customer_warranties(source=source, target=target),
        }
        for key, step in _merge_steps.items():
            moved[key] = step(source=source, target=target)
        fill = {
            field: getattr(source, field)
            for field in ("email", "birth_date", "external_id")
            if getattr(source, field) and not getattr(target, field)
        }
        phone = source.phone
        source.phone = None
        source.external_id = None
        source.merged_into = target
        source.save(update_fields=["phone", "external_id", "merged_into", "updated_at"])
        if phone and not target.phone:
            fill["phone"] = phone
        for field, value in fill.items():
            setattr(target, field, value)
        if fill:
            target.save(update_fields=[*fill, "updated_at"])
        if phone:
            Identity.objects.get_or_create(kind=IdentityKind.PHONE, value=phone, defaults={"customer": target})
        moved["events"] = reassign_customer_events(source=source, target=target)
        record_event(
            name="customer.merged",
            customer=target,
            subject=target,
            actor=actor,
            payload={"code": target.code, "merged_code": source.code, "moved": moved},
        )
    return moved
