"""Restriction of processing (Law 91/2025/QH15 Art. 4(1): the person may ask to restrict processing).

A restriction names purposes (`RestrictionPurpose`); `all` stands for every one of them. It is set when a
restriction request is completed, or from the customer 360 by someone who may process requests, always with
the evidence (the person's words, how they reached us) and the actor; it stays until lifted explicitly. The
places that process read it here (one query per batch, see README.md "Restriction"):
journeys do not enrol or advance a restricted customer's runs, messaging gives up a restricted customer's
marketing and journey messages before they are sent, segments and RFM scores leave the customer out, and
recommendations for the customer fall back to the non-personal popularity list. Loyalty points earned on
purchases, service messages about orders/returns/warranty and everything the law or the contract needs go on.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import JSONField, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.errors import Conflict, FieldError, Forbidden, ValidationFailed
from haumai.events.services import record_event
from haumai.privacy.models import DataRequest, ProcessingRestriction, RestrictionPurpose

PERMISSION = "privacy.process_datarequest"
SPECIFIC = (RestrictionPurpose.MARKETING, RestrictionPurpose.PROFILING, RestrictionPurpose.AUTOMATED_CARE)
__all__ = [
    "RestrictionPurpose", "current_restriction", "lift_restriction", "purposes_in_force", "restrict_processing",
    "restricted_customers", "restricts",
]  # fmt: skip


def expand(purposes: Iterable[str]) -> frozenset[str]:
    """The purposes a restriction stops (`all` stands for every purpose)."""
    chosen = set(purposes)
    if RestrictionPurpose.ALL in chosen:
        chosen |= set(SPECIFIC)
    return frozenset(chosen)


def restricts(purposes: Iterable[str], purpose: str) -> bool:
    """Whether a restriction with these purposes stops processing for `purpose`."""
    return purpose in expand(purposes)


def purposes_in_force(customer_ids: Iterable[int]) -> dict[int, frozenset[str]]:
    """{customer id: purposes stopped} for the restricted customers among these (one query)."""
    ids = {int(pk) for pk in customer_ids}
    if not ids:
        return {}
    rows = ProcessingRestriction.objects.filter(customer_id__in=ids, lifted_at__isnull=True)
    return {customer_id: expand(purposes) for customer_id, purposes in rows.values_list("customer_id", "purposes")}


def with_restricted_purposes(customers: QuerySet[Any], name: str = "restricted_purposes") -> QuerySet[Any]:
    """Customers annotated with the purposes list of their restriction in force (None without one), in the
    same query; pass the value to `expand`."""
    in_force = ProcessingRestriction.objects.filter(customer=OuterRef("pk"), lifted_at__isnull=True)
    return customers.annotate(**{name: Subquery(in_force.values("purposes")[:1], output_field=JSONField())})


def restricted_customers(purpose: str) -> QuerySet[ProcessingRestriction, Any]:
    """Customer ids whose restriction in force stops `purpose` (a subquery for `.exclude(pk__in=...)`)."""
    rows = ProcessingRestriction.objects.filter(lifted_at__isnull=True)
    if purpose != RestrictionPurpose.ALL:
        # JSON containment differs per database; the list has at most four short values, so match either.
        rows = rows.filter(purposes__icontains=f'"{purpose}"') | rows.filter(purposes__icontains='"all"')
    return rows.values("customer_id")


CACHE = "_restriction_in_force"


def current_restriction(customer: Any) -> ProcessingRestriction | None:
    """The restriction in force for this customer, if any (read once per customer object: the 360's panels share it)."""
    if CACHE not in customer.__dict__:
        customer.__dict__[CACHE] = (
            ProcessingRestriction.objects.filter(customer=customer, lifted_at__isnull=True)
            .select_related("request")
            .first()
        )
    restriction: ProcessingRestriction | None = customer.__dict__[CACHE]
    return restriction


def stops(customer: Any, purpose: str) -> bool:
    """Whether this customer's restriction in force stops processing for `purpose`."""
    restriction = current_restriction(customer)
    return restriction is not None and restricts(restriction.purposes, purpose)


def _require(actor: Any) -> None:
    if not (actor is not None and getattr(actor, "is_authenticated", False) and actor.has_perm(PERMISSION)):
        raise Forbidden()


def _check(purposes: Iterable[str], evidence: str) -> list[str]:
    chosen = sorted(set(purposes))
    errors = []
    if not chosen:
        errors.append(FieldError("purposes", _("Choose what to stop.")))
    elif any(p not in RestrictionPurpose.values for p in chosen):
        errors.append(FieldError("purposes", _("Unknown purpose.")))
    if not evidence.strip():
        errors.append(FieldError("evidence", _("Say what the person asked and how (their words, the channel).")))
    if errors:
        raise ValidationFailed(_("Some fields are invalid"), errors)
    return [RestrictionPurpose.ALL.value] if RestrictionPurpose.ALL in chosen else chosen


def _lock_customer(customer: Any) -> None:
    # Serialises restriction changes of one customer (PostgreSQL row lock; SQLite has one writer anyway).
    type(customer).objects.select_for_update().filter(pk=customer.pk).values_list("pk", flat=True).first()


def restrict_processing(
    *, actor: Any, customer: Any, purposes: Iterable[str], evidence: str, request: DataRequest | None = None,
    by_customer: bool = False,
) -> ProcessingRestriction:  # fmt: skip
    """Restrict processing of the customer's data for these purposes (replaces a restriction in force).

    Staff need the permission; `by_customer` is the person themselves, signed in to the portal."""
    if not by_customer:
        _require(actor)
    else:
        actor = None
    chosen = _check(purposes, evidence)
    now = clock.now()
    with transaction.atomic():
        _lock_customer(customer)
        replaced = ProcessingRestriction.objects.filter(customer=customer, lifted_at__isnull=True).update(
            lifted_at=now, lifted_by=actor, lift_reason="replaced by a new restriction"
        )
        restriction = ProcessingRestriction.objects.create(
            customer=customer, purposes=chosen, request=request, evidence=evidence.strip()[:300], set_by=actor,
            set_by_label=actor.get_username() if actor else "customer", set_at=now,
        )  # fmt: skip
        customer.__dict__.pop(CACHE, None)
        record_event(
            name="privacy.processing_restricted",
            customer=customer,
            subject=restriction,
            actor=actor,
            actor_label="" if actor else "customer",
            payload={"purposes": chosen, "request": request.code if request else "", "replaced": bool(replaced)},
        )
    return restriction


def lift_restriction(*, actor: Any, customer: Any, reason: str) -> ProcessingRestriction:
    """Lift the restriction in force (the person asked, or the reason for it ended), saying why."""
    _require(actor)
    if not reason.strip():
        raise ValidationFailed(_("Some fields are invalid"), [FieldError("reason", _("Say why it is lifted."))])
    with transaction.atomic():
        _lock_customer(customer)
        restriction = ProcessingRestriction.objects.filter(customer=customer, lifted_at__isnull=True).first()
        if restriction is None:
            raise Conflict(_("No restriction is in force for this customer."), code="not_restricted")
        restriction.lifted_at = clock.now()
        restriction.lifted_by = actor
        restriction.lift_reason = reason.strip()[:300]
        restriction.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
        customer.__dict__.pop(CACHE, None)
        record_event(
            name="privacy.restriction_lifted",
            customer=customer,
            subject=restriction,
            actor=actor,
            payload={"purposes": restriction.purposes},
        )
    return restriction
