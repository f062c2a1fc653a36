"""Writes about the catalog: products (SKU) and serialised units."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from haumai.catalog.models import Category, Product, Unit, UnitStatus, WarrantyProvider, WarrantyStart
from haumai.core.errors import Conflict, FieldError, ValidationFailed
from haumai.core.text import search_key
from haumai.events.services import record_event

_UNSET: Any = object()
MAX_PRICE = 100_000_000_000
PRODUCT_FIELDS = (
    "name",
    "brand",
    "category_code",
    "price",
    "is_serialized",
    "warranty_months",
    "warranty_start",
    "warranty_provider",
    "return_days",
    "is_returnable",
    "is_active",
    "weight_grams",
    "length_cm",
    "width_cm",
    "height_cm",
)
# Packed sizes a carrier takes at all (the largest household appliances included).
PARCEL_LIMITS = {"weight_grams": 300_000, "length_cm": 300, "width_cm": 300, "height_cm": 300}


class UnitAlreadySold(Conflict):
    """The serial belongs to a unit that is already sold."""

    def __init__(self, unit: Unit) -> None:
        super().__init__(_("Serial %(serial)s is already sold") % {"serial": unit.serial}, code="unit_already_sold")
        self.unit = unit


def _raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise ValidationFailed(_("Some fields are invalid"), errors)


def _clean_product_fields(values: dict[str, Any], errors: list[FieldError]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key, value in values.items():
        if key == "name":
            name = " ".join((value or "").split())
            if not name:
                errors.append(FieldError("name", _("Name is required"), "required"))
            cleaned["name"], cleaned["search_key"] = name, search_key(name)
        elif key == "price":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                errors.append(
                    FieldError("price", _("Price must be a whole number of VND, 0 or more"), "invalid_amount")
                )
            elif value > MAX_PRICE:
                errors.append(
                    FieldError("price", _("Price is too large (at most %(max)s VND)") % {"max": MAX_PRICE}, "max_value")
                )
            cleaned["price"] = value
        elif key in PARCEL_LIMITS:
            limit = PARCEL_LIMITS[key]
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit:
                message = _("Must be a whole number from 0 to %(max)s") % {"max": limit}
                errors.append(FieldError(key, message, "invalid"))
            cleaned[key] = value
        elif key in ("warranty_months", "return_days"):
            limit = 240 if key == "warranty_months" else 3650
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                errors.append(FieldError(key, _("Must be 0 or more"), "min_value"))
            elif value > limit:
                errors.append(FieldError(key, _("Must be at most %(max)s") % {"max": limit}, "max_value"))
            cleaned[key] = value
        elif key == "warranty_start":
            if value not in WarrantyStart.values:
                errors.append(
                    FieldError(
                        key,
                        _("Must be one of: %(allowed)s") % {"allowed": ", ".join(WarrantyStart.values)},
                        "invalid_choice",
                    )
                )
            cleaned[key] = value
        elif key == "warranty_provider":
            if value not in WarrantyProvider.values:
                errors.append(
                    FieldError(
                        key,
                        _("Must be one of: %(allowed)s") % {"allowed": ", ".join(WarrantyProvider.values)},
                        "invalid_choice",
                    )
                )
            cleaned[key] = value
        elif key == "category_code":
            if value:
                category = Category.objects.filter(code=value).first()
                if category is None:
                    errors.append(
                        FieldError(key, _("Unknown category '%(code)s'") % {"code": value}, "unknown_category")
                    )
                cleaned["category"] = category
            else:
                cleaned["category"] = None
        elif key == "brand":
            cleaned[key] = " ".join((value or "").split())
        else:
            cleaned[key] = value
    return cleaned


def create_product(*, actor: Any, sku: str, name: str, **fields: Any) -> Product:
    """Create a product; `fields` are any of PRODUCT_FIELDS."""
    errors: list[FieldError] = []
    clean_sku = (sku or "").strip()
    if not clean_sku:
        errors.append(FieldError("sku", _("SKU is required"), "required"))
    unknown = set(fields) - set(PRODUCT_FIELDS)
    if unknown:
        raise TypeError(f"unknown product fields: {sorted(unknown)}")
    cleaned = _clean_product_fields({"name": name, **fields}, errors)
    _raise_if(errors)
    if Product.objects.filter(sku=clean_sku).exists():
        raise Conflict(_("A product with SKU %(sku)s already exists") % {"sku": clean_sku}, code="duplicate_sku")
    try:
        with transaction.atomic():
            product = Product.objects.create(sku=clean_sku, **cleaned)
            record_event(name="product.created", subject=product, actor=actor, payload={"sku": product.sku})
    except IntegrityError as exc:
        raise Conflict(
            _("A product with SKU %(sku)s already exists") % {"sku": clean_sku}, code="duplicate_sku"
        ) from exc
    return product


def update_product(*, actor: Any, product: Product, **fields: Any) -> Product:
    """Change the given fields of a product (SKU never changes)."""
    unknown = set(fields) - set(PRODUCT_FIELDS)
    if unknown:
        raise TypeError(f"unknown product fields: {sorted(unknown)}")
    errors: list[FieldError] = []
    cleaned = _clean_product_fields(fields, errors)
    _raise_if(errors)
    changed = [key for key, value in cleaned.items() if getattr(product, key) != value]
    if not changed:
        return product
    with transaction.atomic():
        for key in changed:
            setattr(product, key, cleaned[key])
        product.save(update_fields=[*changed, "updated_at"])
        record_event(
            name="product.updated",
            subject=product,
            actor=actor,
            payload={"sku": product.sku, "fields": [key for key in changed if key != "search_key"]},
        )
    return product


def _clean_serial(
    serial: str | None, imei: str | None, errors: list[FieldError], prefix: str
) -> tuple[str, str | None]:
    clean_serial = (serial or "").strip()
    clean_imei = (imei or "").strip() or None
    if clean_imei is not None and (not clean_imei.isdigit() or len(clean_imei) not in (14, 15, 16)):
        errors.append(FieldError(f"{prefix}imei", _("IMEI must be 15 digits"), "invalid_imei"))
    if not clean_serial:
        if clean_imei:
            clean_serial = clean_imei
        else:
            errors.append(FieldError(f"{prefix}serial", _("Serial number is required"), "required"))
    elif len(clean_serial) > 64:
        errors.append(FieldError(f"{prefix}serial", _("Serial number is longer than 64 characters"), "too_long"))
    return clean_serial, clean_imei


def create_unit(
    *, actor: Any, product: Product, serial: str, imei: str | None = None, status: str = UnitStatus.IN_STOCK
) -> Unit:
    """Register one serialised unit of a product."""
    errors: list[FieldError] = []
    clean_serial, clean_imei = _clean_serial(serial, imei, errors, "")
    if status not in UnitStatus.values:
        errors.append(
            FieldError(
                "status", _("Must be one of: %(allowed)s") % {"allowed": ", ".join(UnitStatus.values)}, "invalid_choice"
            )
        )
    _raise_if(errors)
    if Unit.objects.filter(serial=clean_serial).exists():
        raise Conflict(
            _("A unit with serial %(serial)s already exists") % {"serial": clean_serial}, code="duplicate_serial"
        )
    if clean_imei and Unit.objects.filter(imei=clean_imei).exists():
        raise Conflict(_("A unit with IMEI %(imei)s already exists") % {"imei": clean_imei}, code="duplicate_imei")
    try:
        with transaction.atomic():
            unit = Unit.objects.create(product=product, serial=clean_serial, imei=clean_imei, status=status)
            record_event(
                name="unit.created", subject=unit, actor=actor, payload={"sku": product.sku, "serial": unit.serial}
            )
    except IntegrityError as exc:
        raise Conflict(_("A unit with this serial or IMEI already exists"), code="duplicate_serial") from exc
    return unit


def sell_unit(*, actor: Any, product: Product, serial: str | None, imei: str | None, field_prefix: str = "") -> Unit:
    """Find or create the unit with this serial/IMEI and mark it sold (call inside the order's transaction).

    Raises ValidationFailed for bad input or a unit of another product, UnitAlreadySold when sold.
    """
    errors: list[FieldError] = []
    clean_serial, clean_imei = _clean_serial(serial, imei, errors, field_prefix)
    _raise_if(errors)
    unit = Unit.objects.select_for_update().filter(serial=clean_serial).first()
    if unit is None and clean_imei:
        unit = Unit.objects.select_for_update().filter(imei=clean_imei).first()
    if unit is None:
        return Unit.objects.create(product=product, serial=clean_serial, imei=clean_imei, status=UnitStatus.SOLD)
    if unit.product_id != product.pk:
        raise ValidationFailed(
            _("Some fields are invalid"),
            [
                FieldError(
                    f"{field_prefix}serial",
                    _("Serial %(serial)s belongs to another product") % {"serial": unit.serial},
                    "serial_product_mismatch",
                )
            ],
        )
    if unit.status == UnitStatus.SOLD:
        raise UnitAlreadySold(unit)
    if clean_imei and unit.imei and unit.imei != clean_imei:
        raise ValidationFailed(
            _("Some fields are invalid"),
            [
                FieldError(
                    f"{field_prefix}imei",
                    _("IMEI does not match serial %(serial)s") % {"serial": unit.serial},
                    "imei_mismatch",
                )
            ],
        )
    unit.status = UnitStatus.SOLD
    if clean_imei and not unit.imei:
        unit.imei = clean_imei
    unit.save(update_fields=["status", "imei"])
    return unit


def release_units(*, actor: Any, unit_ids: list[int]) -> int:
    """Put sold units back in stock (their order was cancelled before delivery)."""
    return Unit.objects.filter(pk__in=unit_ids, status=UnitStatus.SOLD).update(status=UnitStatus.IN_STOCK)


def mark_unit_returned(*, actor: Any, unit: Unit, status: str) -> Unit:
    """A sold unit came back through a return: restocked (in_stock), kept aside (returned) or scrapped."""
    if status not in (UnitStatus.IN_STOCK, UnitStatus.RETURNED, UnitStatus.SCRAPPED, UnitStatus.IN_REPAIR):
        problem = FieldError("status", _("Not a status for a returned unit"), "invalid_choice")
        raise ValidationFailed(_("Some fields are invalid"), [problem])
    Unit.objects.filter(pk=unit.pk).update(status=status)
    unit.status = status
    record_event(name="unit.returned", subject=unit, actor=actor, payload={"serial": unit.serial, "status": status})
    return unit


def lock_unit(unit: Unit) -> Unit:
    """The unit's row, locked until the end of the caller's transaction (its moves and status change together)."""
    return Unit.objects.select_for_update().get(pk=unit.pk)


def set_unit_status(*, actor: Any, unit: Unit, status: str) -> Unit:
    """Set where a unit stands after a stock move of it (inventory calls this inside the move's transaction)."""
    if status not in UnitStatus.values:
        problem = FieldError("status", _("Must be one of: %(allowed)s") % {"allowed": ", ".join(UnitStatus.values)})
        raise ValidationFailed(_("Some fields are invalid"), [problem])
    if unit.status != status:
        Unit.objects.filter(pk=unit.pk).update(status=status)
        unit.status = status
    return unit
