"""Warranties of units sold before Haumai: one row per unit, all-or-nothing (API bulk and `haumai
import_warranties FILE`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from haumai.catalog.models import Product, Unit, UnitStatus
from haumai.core import clock
from haumai.core.codes import next_codes
from haumai.core.errors import FieldError
from haumai.core.phone import try_normalize_phone
from haumai.customers import services as customer_services
from haumai.customers.models import Customer, Identity, IdentityKind
from haumai.events.services import record_events
from haumai.warranty import policy
from haumai.warranty.models import LIVE_STATUSES, StartRule, Warranty, WarrantySource, WarrantyStatus
from haumai.warranty.services.common import payload_for, raise_if

MAX_ROWS = 10_000


@dataclass(frozen=True)
class ImportRow:
    """One unit sold before Haumai."""

    serial: str
    sku: str
    phone: str
    purchased_on: dt.date
    imei: str | None = None
    full_name: str = ""
    starts_on: dt.date | None = None


def _check(rows: list[ImportRow]) -> tuple[dict[str, Product], dict[str, Unit], list[FieldError]]:
    errors: list[FieldError] = []
    if not rows:
        errors.append(FieldError("rows", _("Add at least one row"), "required"))
    if len(rows) > MAX_ROWS:
        errors.append(FieldError("rows", _("At most %(count)s rows per import") % {"count": MAX_ROWS}, "too_many"))
    products = {p.sku: p for p in Product.objects.filter(sku__in={r.sku for r in rows}).select_related("category")}
    units = {u.serial: u for u in Unit.objects.filter(serial__in={r.serial.strip() for r in rows})}
    live = set(
        Warranty.objects.filter(unit__in=units.values(), status__in=LIVE_STATUSES).values_list(
            "unit__serial", flat=True
        )
    )
    phones = {p for p in (try_normalize_phone(r.phone) for r in rows) if p}
    known = set(Customer.objects.filter(phone__in=phones).values_list("phone", flat=True))
    known |= set(Identity.objects.filter(kind=IdentityKind.PHONE, value__in=phones).values_list("value", flat=True))
    seen: set[str] = set()
    today = clock.today()
    for index, row in enumerate(rows):
        prefix = f"rows.{index}."
        serial = row.serial.strip()
        if not serial:
            errors.append(FieldError(prefix + "serial", _("Serial number is required"), "required"))
        elif serial in seen:
            errors.append(
                FieldError(
                    prefix + "serial", _("Serial %(serial)s is twice in the file") % {"serial": serial}, "duplicate"
                )
            )
        seen.add(serial)
        product = products.get(row.sku)
        if product is None:
            errors.append(FieldError(prefix + "sku", _("Unknown SKU %(sku)s") % {"sku": row.sku}, "unknown"))
        unit = units.get(serial)
        if unit is not None and product is not None and unit.product_id != product.pk:
            errors.append(
                FieldError(
                    prefix + "serial",
                    _("Serial %(serial)s belongs to another product") % {"serial": serial},
                    "serial_product_mismatch",
                )
            )
        if serial in live:
            errors.append(
                FieldError(
                    prefix + "serial",
                    _("Serial %(serial)s already has a warranty") % {"serial": serial},
                    "has_warranty",
                )
            )
        phone = try_normalize_phone(row.phone)
        if phone is None:
            errors.append(FieldError(prefix + "phone", _("Enter a valid phone number"), "invalid_phone"))
        elif phone not in known and not row.full_name.strip():
            errors.append(
                FieldError(prefix + "full_name", _("Full name is required to create a new customer"), "required")
            )
        if row.purchased_on > today:
            errors.append(FieldError(prefix + "purchased_on", _("The purchase date is in the future"), "future"))
        if product is not None and policy.policy_for(product) is None:
            errors.append(FieldError(prefix + "sku", _("%(sku)s has no warranty") % {"sku": row.sku}, "no_warranty"))
    return products, units, errors


def import_warranties(*, actor: Any, rows: list[ImportRow], dry_run: bool = False) -> list[Warranty]:
    """Create the warranties (and the units and customers they need); any invalid row rejects the whole file."""
    products, units, errors = _check(rows)
    raise_if(errors)
    if dry_run:
        return []
    created: list[Warranty] = []
    with transaction.atomic():
        codes = next_codes("WR", len(rows))
        for row, code in zip(rows, codes, strict=True):
            product = products[row.sku]
            unit = units.get(row.serial.strip())
            if unit is None:
                unit = Unit.objects.create(
                    product=product,
                    serial=row.serial.strip(),
                    imei=(row.imei or "").strip() or None,
                    status=UnitStatus.SOLD,
                )
            customer, _created = customer_services.find_or_create_customer(
                actor=actor, phone=row.phone, full_name=row.full_name
            )
            terms = policy.policy_for(product)
            assert terms is not None
            start = row.starts_on
            if start is None and terms.start_rule != StartRule.ACTIVATION:
                start = row.purchased_on
            ends_on = policy.covered_until(start, terms.duration, terms.duration_unit) if start else None
            created.append(
                Warranty(
                    code=code,
                    unit=unit,
                    customer=customer,
                    policy=terms,
                    terms=policy.snapshot(terms),
                    source=WarrantySource.IMPORT,
                    status=WarrantyStatus.ACTIVE if start else WarrantyStatus.PENDING,
                    purchased_on=row.purchased_on,
                    starts_on=start,
                    base_ends_on=ends_on,
                    ends_on=ends_on,
                    covered_until=ends_on,
                )
            )
        Warranty.objects.bulk_create(created, batch_size=1000)
        saved = list(Warranty.objects.filter(code__in=codes).select_related("unit", "customer"))
        record_events(
            [
                {
                    "name": "warranty.imported",
                    "customer": w.customer,
                    "subject": w,
                    "actor": actor,
                    "payload": payload_for(w),
                }
                for w in saved
            ]
        )
    return saved
