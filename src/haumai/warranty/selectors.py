"""Warranty reads: lists with filters, lookups by serial/IMEI, phone, order code, and a unit's history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from haumai.catalog.models import Unit
from haumai.core import clock
from haumai.core.errors import NotFound
from haumai.core.phone import try_normalize_phone
from haumai.customers.models import Customer
from haumai.sales.models import OrderLine
from haumai.warranty.models import (
    Claim,
    ExtendedCoverage,
    PlanStatus,
    Warranty,
    WarrantyExtension,
    WarrantyStatus,
)


def _base() -> QuerySet[Warranty]:
    active_plans = ExtendedCoverage.objects.filter(status=PlanStatus.ACTIVE).select_related("plan").order_by("-ends_on")
    return Warranty.objects.select_related(
        "unit__product", "customer", "order_line__order", "replaced_by__unit"
    ).prefetch_related(Prefetch("plans", queryset=active_plans, to_attr="active_plans"))


def _public_base() -> QuerySet[Warranty]:
    """What a public answer reads (product, serial, dates, plans): fewer joins than the staff pages."""
    active_plans = ExtendedCoverage.objects.filter(status=PlanStatus.ACTIVE).order_by("-ends_on")
    return Warranty.objects.select_related("unit__product").prefetch_related(
        Prefetch("plans", queryset=active_plans, to_attr="active_plans")
    )


def warranty_list(
    *,
    q: str = "",
    serial: str = "",
    status: str = "",
    customer_code: str = "",
    order_code: str = "",
    today: dt.date | None = None,
) -> QuerySet[Warranty]:
    """Warranties newest first, filtered by text (code, serial, IMEI, phone), exact serial/IMEI, state, customer
    or order."""
    rows = _base()
    if serial.strip():
        # One unit lookup (unique indexes), then the warranties by their indexed unit_id: no phone parsing and
        # no second pass over the same warranties (the API once ran the whole lookup twice for ?serial=).
        rows = rows.filter(unit_id__in=_unit_ids(serial.strip()))
    day = today or clock.today()
    text = q.strip()
    if text:
        # Resolve the units and the customer first (unique indexes), then match warranties by their own
        # indexed columns: an OR across joined tables makes PostgreSQL scan every warranty.
        match = Q(code=text.upper()) | Q(unit_id__in=_unit_ids(text))
        phone = try_normalize_phone(text) if any(ch.isdigit() for ch in text) else None
        if phone:
            match |= Q(customer_id__in=_customer_ids_by_phone(phone))
        rows = rows.filter(match)
    if status == WarrantyStatus.EXPIRED:
        rows = rows.filter(status=WarrantyStatus.ACTIVE, ends_on__lt=day)
    elif status == WarrantyStatus.ACTIVE:
        rows = rows.filter(status=WarrantyStatus.ACTIVE, ends_on__gte=day)
    elif status in WarrantyStatus.values:
        rows = rows.filter(status=status)
    if customer_code:
        rows = rows.filter(customer_id__in=_ids(Customer.objects.filter(code=customer_code.strip().upper())))
    if order_code:
        rows = rows.filter(order_line_id__in=_order_line_ids(order_code))
    return rows.order_by("-created_at", "-id")


def _ids(rows: QuerySet[Any], limit: int = 500) -> list[int]:
    return list(rows.values_list("id", flat=True)[:limit])


def _unit_ids(serial_or_imei: str) -> list[int]:
    return _ids(Unit.objects.filter(Q(serial=serial_or_imei) | Q(imei=serial_or_imei)))


def _customer_ids_by_phone(phone: str) -> list[int]:
    by_identity = Customer.objects.filter(identities__kind="phone", identities__value=phone)
    return sorted(set(_ids(Customer.objects.filter(phone=phone))) | set(_ids(by_identity)))


def _order_line_ids(order_code: str) -> list[int]:
    return _ids(OrderLine.objects.filter(order__code=order_code.strip().upper()), limit=1000)


def warranty_by_code(code: str) -> Warranty:
    """One warranty by its WR- code, or NotFound."""
    found = _base().filter(code=code.strip().upper()).first()
    if found is None:
        raise NotFound(_("No warranty %(code)s") % {"code": code})
    return found


def warranties_of_unit(unit: Unit) -> list[Warranty]:
    """A unit's warranties, the current one first."""
    return list(_base().filter(unit=unit).order_by("-created_at", "-id"))


def warranties_by_serial(serial: str) -> list[Warranty]:
    """The warranties of the unit with this serial or IMEI (current first); empty when unknown."""
    text = serial.strip()
    if not text:
        return []
    unit_ids = _unit_ids(text)
    return list(_base().filter(unit_id__in=unit_ids).order_by("-created_at", "-id")) if unit_ids else []


def warranties_for_lines(line_ids: list[int]) -> dict[int, Warranty]:
    """The newest warranty of each order line (one query)."""
    found: dict[int, Warranty] = {}
    for warranty in _base().filter(order_line_id__in=line_ids).order_by("-created_at", "-id"):
        if warranty.order_line_id is not None:
            found.setdefault(warranty.order_line_id, warranty)
    return found


def customer_warranties(customer: Customer, *, limit: int = 50) -> list[Warranty]:
    """A customer's warranties, newest first (at most `limit`)."""
    return list(_base().filter(customer=customer).order_by("-created_at", "-id")[:limit])


def covered_until(warranty: Warranty) -> dt.date | None:
    """The last covered day, counting an active extended plan."""
    plans = getattr(warranty, "active_plans", None)
    if plans is None:
        plans = list(warranty.plans.filter(status=PlanStatus.ACTIVE).order_by("-ends_on"))
    ends = [d for d in [warranty.ends_on, *(p.ends_on for p in plans)] if d is not None]
    return max(ends) if ends else None


@dataclass(frozen=True)
class PublicAnswer:
    """What the public lookup may show about one unit: never the owner."""

    product: str
    serial: str
    state: str
    sentence: str
    ends_on: dt.date | None


def answer(warranty: Warranty, *, today: dt.date | None = None) -> PublicAnswer:
    """The one sentence a customer reads: "Còn bảo hành đến dd/mm/yyyy" or "Hết bảo hành từ dd/mm/yyyy"."""
    day = today or clock.today()
    until = covered_until(warranty)
    state = warranty.state_on(day)
    if state == WarrantyStatus.ACTIVE and until is not None and until < day:
        state = WarrantyStatus.EXPIRED
    if state == WarrantyStatus.EXPIRED and until is not None and until >= day:
        state = WarrantyStatus.ACTIVE  # the extended plan still covers it
    if state == WarrantyStatus.ACTIVE and until is not None:
        sentence = _("Under warranty until %(day)s") % {"day": until.strftime("%d/%m/%Y")}
    elif state == WarrantyStatus.EXPIRED and until is not None:
        sentence = _("Out of warranty since %(day)s") % {"day": (until + dt.timedelta(days=1)).strftime("%d/%m/%Y")}
    elif state == WarrantyStatus.PENDING:
        sentence = _("The warranty is not activated yet")
    elif state == WarrantyStatus.REPLACED:
        sentence = _("This unit was replaced by a new one under warranty")
    else:
        sentence = _("No longer under warranty")
    return PublicAnswer(
        product=warranty.unit.product.name,
        serial=warranty.unit.serial,
        state=state,
        sentence=sentence,
        ends_on=until if state in (WarrantyStatus.ACTIVE, WarrantyStatus.EXPIRED) else None,
    )


def public_by_serial(serial: str) -> list[PublicAnswer]:
    """The public answer for a serial/IMEI: the unit's current warranty only."""
    unit_ids = _unit_ids(serial.strip()) if serial.strip() else []
    current = _public_base().filter(unit_id__in=unit_ids).order_by("-created_at", "-id")[:1] if unit_ids else []
    return [answer(row) for row in current]


def public_by_order(*, phone: str, order_code: str) -> list[PublicAnswer]:
    """The public answers for an order's units when the phone is the buyer's; otherwise nothing."""
    line_ids = _order_line_ids(order_code)
    customer_ids = _customer_ids_by_phone(phone) if line_ids else []
    if not customer_ids:
        return []
    rows = _public_base().filter(order_line_id__in=line_ids, customer_id__in=customer_ids)
    rows = rows.order_by("order_line_id", "-id")
    return [answer(row) for row in rows]


@dataclass
class History:
    """Everything that happened to a warranty's unit: claims, extensions, plans, replacements."""

    claims: list[Claim] = field(default_factory=list)
    extensions: list[WarrantyExtension] = field(default_factory=list)
    plans: list[ExtendedCoverage] = field(default_factory=list)
    replaces: list[Warranty] = field(default_factory=list)
    others: list[Warranty] = field(default_factory=list)


def history(warranty: Warranty) -> History:
    """The unit's history around one warranty (a fixed number of queries)."""
    return History(
        claims=list(Claim.objects.filter(warranty=warranty).order_by("-submitted_at", "-id")),
        extensions=list(WarrantyExtension.objects.filter(warranty=warranty).order_by("created_at", "id")),
        plans=list(ExtendedCoverage.objects.filter(warranty=warranty).select_related("plan").order_by("starts_on")),
        replaces=list(Warranty.objects.filter(replaced_by=warranty).select_related("unit")),
        others=list(
            Warranty.objects.filter(unit_id=warranty.unit_id).exclude(pk=warranty.pk).select_related("customer")
        ),
    )


def claim_list(*, status: str = "", q: str = "") -> QuerySet[Claim]:
    """Claims newest first, by state and text (claim code, warranty code, serial)."""
    rows = Claim.objects.select_related("warranty__unit__product", "customer")
    if status:
        rows = rows.filter(status=status)
    text = q.strip()
    if text:
        rows = rows.filter(Q(code=text.upper()) | Q(warranty__code=text.upper()) | Q(warranty__unit__serial=text))
    return rows.order_by("-submitted_at", "-id")


def claim_by_code(code: str) -> Claim:
    """One claim by its WC- code, or NotFound."""
    found = (
        Claim.objects.select_related("warranty__unit__product", "customer", "replacement_warranty__unit")
        .filter(code=code.strip().upper())
        .first()
    )
    if found is None:
        raise NotFound(_("No claim %(code)s") % {"code": code})
    return found


def customer_claims(customer: Customer, *, limit: int = 50) -> list[Claim]:
    """A customer's claims, newest first."""
    return list(
        Claim.objects.filter(customer=customer)
        .select_related("warranty__unit__product")
        .order_by("-submitted_at")[:limit]
    )


def active_plans() -> QuerySet[Any]:
    """Extended plans on sale."""
    from haumai.warranty.models import ExtendedPlan

    return ExtendedPlan.objects.filter(is_active=True).order_by("name")


def claims_between(start: dt.datetime, end: dt.datetime) -> QuerySet[Claim]:
    """Claims submitted in [start, end), newest first (KPI drill-down)."""
    return (
        Claim.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
        .select_related("warranty__unit__product", "customer")
        .order_by("-submitted_at", "-id")
    )


def units_under_warranty_on(day: dt.date) -> int:
    """Warranties covering a local day: started on or before it, ending on or after it, not voided by then
    (pending activations and replaced units are left out)."""
    return (
        Warranty.objects.filter(starts_on__lte=day, ends_on__gte=day)
        .exclude(status__in=(WarrantyStatus.PENDING, WarrantyStatus.REPLACED))
        .exclude(status=WarrantyStatus.VOID, voided_at__date__lte=day)
        .count()
    )


def daily_facts(start: dt.datetime, end: dt.datetime) -> dict[str, dict[str, int]]:
    """The warranty KPIs' inputs of one period: `claims` (submitted: n, hits = covered) and `under_warranty`
    (a level: units covered on the period's last local day)."""
    claims = claims_between(start, end)
    last_day = (end - dt.timedelta(microseconds=1)).astimezone(clock.LOCAL_TZ).date()
    return {
        "claims": {"n": claims.count(), "hits": claims.filter(covered=True).count()},
        "under_warranty": {"n": units_under_warranty_on(last_day)},
    }
