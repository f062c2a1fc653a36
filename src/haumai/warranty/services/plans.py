"""Extended plans (like AppleCare) sold per unit, extensions of a warranty's end date (days in service),
and cancelling a plan with a pro-rata refund."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.codes import next_code
from haumai.core.errors import Conflict
from haumai.events.services import record_event
from haumai.warranty import policy
from haumai.warranty.models import (
    ExtendedCoverage,
    ExtendedPlan,
    PlanStatus,
    Warranty,
    WarrantyExtension,
    WarrantyStatus,
)
from haumai.warranty.services.common import PLAN_PREFIX, payload_for, refuse
from haumai.warranty.services.expiry import refresh_cover


def pro_rata_refund(*, price: int, starts_on: dt.date, ends_on: dt.date, cancelled_on: dt.date) -> int:
    """What cancelling gives back: everything before the start, else the unused whole days' share (floored)."""
    if cancelled_on < starts_on:
        return price
    total = (ends_on - starts_on).days + 1
    unused = max(0, (ends_on - cancelled_on).days)
    return price * unused // total


def _save_cover(warranty: Warranty) -> None:
    """Save a locked warranty's covered end after its plans changed (re-arming the expiry reminder)."""
    fields = refresh_cover(warranty)
    if fields:
        warranty.save(update_fields=[*fields, "updated_at"])


def sell_plan(
    *, actor: Any, warranty: Warranty, plan: ExtendedPlan, price: int | None = None, external_id: str | None = None
) -> tuple[ExtendedCoverage, bool]:
    """Sell an extended plan for a warranty's unit (idempotent by external_id); returns (coverage, created)."""
    if external_id:
        existing = ExtendedCoverage.objects.filter(external_id=external_id).first()
        if existing is not None:
            if existing.warranty_id != warranty.pk or existing.plan_id != plan.pk:
                raise Conflict(_("This external id was used for another plan sale"), code="idempotency_conflict")
            return existing, False
    if not plan.is_active:
        raise refuse("plan", _("This plan is no longer sold"), "inactive")
    paid = plan.price if price is None else price
    if paid < 0:
        raise refuse("price", _("The price cannot be negative"), "min_value")
    with transaction.atomic():
        locked = Warranty.objects.select_for_update(of=("self",)).select_related("unit", "customer").get(pk=warranty.pk)
        if locked.status != WarrantyStatus.ACTIVE or locked.ends_on is None:
            raise refuse("warranty", _("A plan can be added only to an active warranty"), "not_active")
        today = clock.today()
        if plan.starts_after_warranty:
            latest = (
                ExtendedCoverage.objects.filter(warranty=locked, status=PlanStatus.ACTIVE).order_by("-ends_on").first()
            )
            starts_on = (latest.ends_on if latest else locked.ends_on) + dt.timedelta(days=1)
        else:
            starts_on = today
        coverage = ExtendedCoverage(
            code=next_code(PLAN_PREFIX),
            plan=plan,
            warranty=locked,
            customer=locked.customer,
            price_paid=paid,
            sold_on=today,
            starts_on=starts_on,
            ends_on=policy.covered_until(starts_on, plan.duration, plan.duration_unit),
            external_id=external_id or None,
        )
        try:
            with transaction.atomic():
                coverage.save()
        except IntegrityError as exc:
            raise Conflict(_("This external id was used meanwhile"), code="idempotency_conflict") from exc
        _save_cover(locked)
        record_event(
            name="warranty.plan_sold",
            customer=locked.customer,
            subject=locked,
            actor=actor,
            payload=payload_for(
                locked, plan=plan.code, plan_code=coverage.code, plan_ends_on=coverage.ends_on.isoformat()
            ),
        )
    return coverage, True


def cancel_plan(*, actor: Any, coverage: ExtendedCoverage) -> ExtendedCoverage:
    """Cancel a sold plan today; the refund amount is the unused share of the price."""
    with transaction.atomic():
        locked = (
            ExtendedCoverage.objects.select_for_update(of=("self",))
            .select_related("warranty__unit")
            .get(pk=coverage.pk)
        )
        if locked.status == PlanStatus.CANCELLED:
            raise Conflict(_("Plan %(code)s is already cancelled") % {"code": locked.code}, code="already_cancelled")
        today = clock.today()
        locked.refund_amount = pro_rata_refund(
            price=locked.price_paid, starts_on=locked.starts_on, ends_on=locked.ends_on, cancelled_on=today
        )
        locked.status = PlanStatus.CANCELLED
        locked.cancelled_on = today
        locked.save(update_fields=["status", "cancelled_on", "refund_amount"])
        _save_cover(Warranty.objects.select_for_update(of=("self",)).get(pk=locked.warranty_id))
        record_event(
            name="warranty.plan_cancelled",
            customer=locked.customer,
            subject=locked.warranty,
            actor=actor,
            payload=payload_for(locked.warranty, plan_code=locked.code, refund_amount=locked.refund_amount),
        )
    return locked


def extend_warranty(
    *,
    actor: Any,
    warranty: Warranty,
    kind: str,
    days: int,
    reference: str = "",
    service_from: dt.date | None = None,
    service_until: dt.date | None = None,
    note: str = "",
) -> Warranty:
    """Move a warranty's end date by `days` (e.g. days in service); one extension per kind and reference."""
    if days < 1:
        raise refuse("days", _("Add at least one day"), "min_value")
    with transaction.atomic():
        locked = Warranty.objects.select_for_update(of=("self",)).select_related("unit", "customer").get(pk=warranty.pk)
        if locked.ends_on is None:
            raise refuse("warranty", _("The warranty has not started yet"), "not_started")
        if reference and WarrantyExtension.objects.filter(warranty=locked, kind=kind, reference=reference).exists():
            return locked
        WarrantyExtension.objects.create(
            warranty=locked,
            kind=kind,
            days=days,
            reference=reference[:40],
            service_from=service_from,
            service_until=service_until,
            note=note[:300],
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )
        locked.ends_on = locked.ends_on + dt.timedelta(days=days)
        locked.save(update_fields=["ends_on", *refresh_cover(locked), "updated_at"])
        record_event(
            name="warranty.extended",
            customer=locked.customer,
            subject=locked,
            actor=actor,
            payload=payload_for(locked, days=days, kind=kind, reference=reference),
        )
    return locked
