"""Warranties start: on delivery of an order line with a unit, by import, by activation; and end early
when the unit is returned and refunded (void) or replaced."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from haumai.catalog import selectors as catalog_selectors
from haumai.catalog.models import Unit
from haumai.core import clock
from haumai.core.codes import next_code, next_codes
from haumai.core.errors import Conflict, NotFound
from haumai.customers import selectors as customer_selectors
from haumai.customers.models import Customer
from haumai.events.services import record_event
from haumai.sales.models import Order, OrderLine
from haumai.warranty import cards, policy
from haumai.warranty.models import (
    LIVE_STATUSES,
    StartRule,
    VoidReason,
    Warranty,
    WarrantyPolicy,
    WarrantySource,
    WarrantyStatus,
)
from haumai.warranty.services.common import (
    WARRANTY_PREFIX,
    UploadedPhoto,
    check_photo,
    local_date,
    payload_for,
    refuse,
)


def _dates(terms: WarrantyPolicy, start: dt.date | None) -> tuple[str, dt.date | None, dt.date | None]:
    if start is None:
        return WarrantyStatus.PENDING, None, None
    return WarrantyStatus.ACTIVE, start, policy.covered_until(start, terms.duration, terms.duration_unit)


def _new_warranty(
    *,
    code: str,
    unit: Unit,
    customer: Customer,
    terms: WarrantyPolicy,
    source: str,
    purchased_on: dt.date | None,
    start: dt.date | None,
    order_line: OrderLine | None = None,
) -> Warranty:
    status, starts_on, ends_on = _dates(terms, start)
    return Warranty(
        code=code,
        unit=unit,
        order_line=order_line,
        customer=customer,
        policy=terms,
        terms=policy.snapshot(terms),
        source=source,
        status=status,
        purchased_on=purchased_on,
        starts_on=starts_on,
        base_ends_on=ends_on,
        ends_on=ends_on,
        covered_until=ends_on,
    )


def _record_started(warranty: Warranty, actor: Any, actor_label: str = "") -> None:
    name = "warranty.started" if warranty.status == WarrantyStatus.ACTIVE else "warranty.registered"
    record_event(
        name=name,
        customer=warranty.customer,
        subject=warranty,
        actor=actor,
        actor_label=actor_label,
        payload=payload_for(warranty, source=warranty.source),
    )
    if warranty.status == WarrantyStatus.ACTIVE:
        warranty_id = warranty.pk
        transaction.on_commit(lambda: cards.send_card(warranty_id=warranty_id))


def start_for_order(*, actor: Any, order: Order, actor_label: str = "") -> list[Warranty]:
    """Create the warranty of every line with a unit of a delivered order (a repeat creates nothing)."""
    created: list[Warranty] = []
    with transaction.atomic():
        lines = list(
            OrderLine.objects.filter(order=order, unit__isnull=False)
            .select_related("unit", "product__category", "order__customer")
            .order_by("id")
        )
        done = set(Warranty.objects.filter(order_line__in=lines).values_list("order_line_id", flat=True))
        todo = [(line, policy.policy_for(line.product)) for line in lines if line.pk not in done]
        todo = [(line, terms) for line, terms in todo if terms is not None]
        codes = next_codes(WARRANTY_PREFIX, len(todo)) if todo else []
        for (line, terms), code in zip(todo, codes, strict=True):
            assert line.unit is not None and terms is not None
            start = None
            if terms.start_rule == StartRule.PURCHASE:
                start = local_date(order.placed_at)
            elif terms.start_rule == StartRule.DELIVERY:
                start = local_date(order.delivered_at) or clock.today()
            _end_resold(line.unit, order.customer, actor)
            warranty = _new_warranty(
                code=code,
                unit=line.unit,
                customer=order.customer,
                terms=terms,
                source=WarrantySource.DELIVERY,
                purchased_on=local_date(order.placed_at),
                start=start,
                order_line=line,
            )
            try:
                with transaction.atomic():
                    warranty.save()
            except IntegrityError:
                continue  # created meanwhile by another worker for the same line
            _record_started(warranty, actor, actor_label)
            created.append(warranty)
    return created


def _end_resold(unit: Unit, buyer: Customer, actor: Any) -> None:
    """A unit sold again (e.g. refurbished after a return) ends the previous owner's live warranty."""
    for previous in Warranty.objects.select_for_update().filter(unit=unit, status__in=LIVE_STATUSES):
        void(actor=actor, warranty=previous, reason=VoidReason.RESOLD, note=_("Sold again to another customer"))


def void(*, actor: Any, warranty: Warranty, reason: str, note: str = "") -> Warranty:
    """End a live warranty early (returned and refunded, refunded claim, resold, staff); idempotent."""
    with transaction.atomic():
        locked = Warranty.objects.select_for_update().select_related("unit", "customer").get(pk=warranty.pk)
        if locked.status not in LIVE_STATUSES:
            return locked
        locked.status = WarrantyStatus.VOID
        locked.void_reason = reason
        locked.void_note = note[:300]
        locked.voided_at = clock.now()
        locked.save(update_fields=["status", "void_reason", "void_note", "voided_at", "updated_at"])
        record_event(
            name="warranty.voided",
            customer=locked.customer,
            subject=locked,
            actor=actor,
            payload=payload_for(locked, reason=reason),
        )
    return locked


def void_returned_units(
    *,
    actor: Any,
    customer_id: int | None,
    unit_ids: list[int],
    reference: str,
    reason: str = VoidReason.RETURNED_REFUNDED,
) -> int:
    """Void the live warranties of units a customer returned and was refunded for (or given store credit)."""
    count = 0
    rows = Warranty.objects.filter(unit_id__in=unit_ids, status__in=LIVE_STATUSES)
    if customer_id is not None:
        rows = rows.filter(customer_id=customer_id)
    for warranty in rows:
        void(actor=actor, warranty=warranty, reason=reason, note=reference)
        count += 1
    return count


def find_unit(serial: str) -> Unit:
    """The unit with this serial or IMEI, or a field error on `serial`."""
    try:
        return catalog_selectors.unit_by_serial(serial)
    except NotFound:
        raise refuse(
            "serial", _("We have no product with serial or IMEI %(serial)s") % {"serial": serial}, "unknown_serial"
        ) from None


def activate(
    *,
    actor: Any,
    serial: str,
    phone: str,
    proof: UploadedPhoto | None,
    proof_required: bool = True,
    actor_label: str = "",
) -> Warranty:
    """Start an activation-start warranty today, for the buyer's phone; any mistake changes nothing."""
    unit = find_unit(serial)
    try:
        owner = customer_selectors.customer_by_phone(phone)
    except NotFound:
        owner = None
    checked = check_photo(proof) if proof is not None else None
    if checked is None and proof_required:
        raise refuse("proof", _("Add a photo of the invoice or the warranty card"), "required")
    with transaction.atomic():
        warranty = (
            Warranty.objects.select_for_update(of=("self",))
            .select_related("unit", "customer")
            .filter(unit=unit)
            .exclude(status=WarrantyStatus.VOID)
            .order_by("-created_at", "-id")
            .first()
        )
        if warranty is None:
            raise refuse(
                "serial", _("Serial %(serial)s was not sold by us or has no warranty") % {"serial": serial}, "not_sold"
            )
        if owner is None or owner.pk != warranty.customer_id:
            raise refuse(
                "phone",
                _("This phone number is not the one the product was bought with"),
                "other_owner",
            )
        if warranty.status == WarrantyStatus.REPLACED:
            raise Conflict(_("This unit was replaced; its warranty moved to the new unit"), code="replaced")
        if warranty.status == WarrantyStatus.ACTIVE:
            raise Conflict(
                _("The warranty of %(serial)s is already active (since %(day)s)")
                % {"serial": unit.serial, "day": warranty.starts_on.strftime("%d/%m/%Y") if warranty.starts_on else ""},
                code="already_activated",
            )
        terms = warranty.policy or policy.policy_for(unit.product)
        today = clock.today()
        warranty.status = WarrantyStatus.ACTIVE
        warranty.starts_on = today
        warranty.base_ends_on = warranty.ends_on = warranty.covered_until = policy.covered_until(
            today,
            int(warranty.terms.get("duration") or (terms.duration if terms else 0)),
            str(warranty.terms.get("duration_unit") or "months"),
        )
        warranty.activated_at = clock.now()
        warranty.activation_phone = owner.phone or ""
        fields = ["status", "starts_on", "base_ends_on", "ends_on", "covered_until", "activated_at", "activation_phone",
                  "updated_at"]  # fmt: skip
        if checked is not None:
            data, kind = checked
            extension = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}[kind]
            warranty.proof_photo.save(
                f"{warranty.code}-{secrets.token_hex(6)}.{extension}", ContentFile(data), save=False
            )
            warranty.proof_content_type = kind
            fields += ["proof_photo", "proof_content_type"]
        warranty.save(update_fields=fields)
        record_event(
            name="warranty.activated",
            customer=warranty.customer,
            subject=warranty,
            actor=actor,
            actor_label=actor_label,
            payload=payload_for(warranty),
        )
        warranty_id = warranty.pk
        transaction.on_commit(lambda: cards.send_card(warranty_id=warranty_id))
    return warranty


def start_replacement(*, actor: Any, old: Warranty, unit: Unit, reference: str) -> Warranty:
    """A fresh warranty for the unit that replaced `old`'s unit (call inside the claim's transaction)."""
    terms = old.policy or policy.policy_for(unit.product)
    if terms is None:
        raise refuse("serial", _("The replacing product has no warranty policy"), "no_policy")
    if Warranty.objects.filter(unit=unit, status__in=LIVE_STATUSES).exists():
        raise refuse("serial", _("Serial %(serial)s already has a warranty") % {"serial": unit.serial}, "has_warranty")
    fresh = _new_warranty(
        code=next_code(WARRANTY_PREFIX),
        unit=unit,
        customer=old.customer,
        terms=terms,
        source=WarrantySource.REPLACEMENT,
        purchased_on=old.purchased_on,
        start=clock.today(),
    )
    fresh.save()
    old.status = WarrantyStatus.REPLACED
    old.replaced_by = fresh
    old.save(update_fields=["status", "replaced_by", "updated_at"])
    record_event(
        name="warranty.replaced",
        customer=old.customer,
        subject=old,
        actor=actor,
        payload=payload_for(old, replaced_by=fresh.code, new_serial=unit.serial, reference=reference),
    )
    _record_started(fresh, actor)
    return fresh
