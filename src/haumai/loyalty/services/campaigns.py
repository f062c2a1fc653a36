"""Changing and closing a voucher campaign, and giving its codes to every member of a saved segment.

Closing stops issuance at once (journeys, goodwill, points, segments); the codes already issued stay
redeemable until the campaign's end unless the manager voids them. Segment issuance is a row the worker's
scheduler (`loyalty.segment_issuance`) takes in chunks: each member gets one code, keyed by campaign and
customer, so a repeated chunk, a second request or a crash half-way never gives anyone two."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from haumai.customers.models import Customer
from haumai.events.services import record_event
from haumai.loyalty.models import (
    CampaignPurpose,
    CodeKind,
    DiscountKind,
    SegmentIssuance,
    Voucher,
    VoucherCampaign,
    VoucherRedemption,
    VoucherSource,
)
from haumai.loyalty.services.common import VoucherRefused, require, user_or_none
from haumai.loyalty.services.vouchers import issuable, new_code, terms_problems

CHUNK = 2000


@dataclass(frozen=True)
class CampaignChanges:
    name: str
    discount_kind: str
    amount_vnd: int
    percent: int
    max_discount_vnd: int
    min_order_vnd: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    per_customer_limit: int
    points_price: int
    purpose: str = ""


def _lock(campaign: VoucherCampaign) -> VoucherCampaign:
    query = VoucherCampaign.objects.filter(pk=campaign.pk)
    if connection.features.has_select_for_update:
        query = query.select_for_update()
    return query.get()


def _check(campaign: VoucherCampaign, data: CampaignChanges, redeemed: bool) -> list[FieldError]:
    errors: list[FieldError] = []
    if not (data.name or "").strip():
        errors.append(FieldError("name", _("Give the campaign a name"), "required"))
    value_changed = (data.discount_kind, data.amount_vnd, data.percent, data.max_discount_vnd) != (
        campaign.discount_kind, campaign.amount_vnd, campaign.percent, campaign.max_discount_vnd,
    )  # fmt: skip
    if value_changed and redeemed:
        errors.append(FieldError("amount_vnd", _("Codes were already used: the value can no longer change"),
                                 "already_redeemed"))  # fmt: skip
    errors.extend(terms_problems(data))
    if data.purpose not in CampaignPurpose.values:
        errors.append(FieldError("purpose", _("Choose a purpose"), "invalid_choice"))
    elif data.purpose == CampaignPurpose.BIRTHDAY and campaign.code_kind != CodeKind.UNIQUE:
        errors.append(FieldError("purpose", _("A birthday gift needs unique codes, one per customer"), "invalid"))
    return errors


def update_campaign(*, actor: Any, campaign: VoucherCampaign, data: CampaignChanges) -> VoucherCampaign:
    """Change a campaign that is not closed; its value only while none of its codes was used."""
    require(actor, "loyalty.change_vouchercampaign")
    with transaction.atomic():
        locked = _lock(campaign)
        if locked.closed_at is not None:
            raise Conflict(_("This campaign is closed: it can no longer be changed"), code="campaign_closed")
        redeemed = VoucherRedemption.objects.filter(campaign=locked).exists()
        errors = _check(locked, data, redeemed)
        if errors:
            raise ValidationFailed(_("Some fields are invalid"), errors)
        before = {"ends_at": locked.ends_at.isoformat(), "min_order_vnd": locked.min_order_vnd}
        locked.name = data.name.strip()[:160]
        locked.discount_kind = data.discount_kind
        locked.amount_vnd = data.amount_vnd if data.discount_kind == DiscountKind.AMOUNT else 0
        locked.percent = data.percent if data.discount_kind == DiscountKind.PERCENT else 0
        locked.max_discount_vnd = data.max_discount_vnd
        locked.min_order_vnd = data.min_order_vnd
        locked.starts_at, locked.ends_at = data.starts_at, data.ends_at
        locked.per_customer_limit = data.per_customer_limit
        locked.points_price = data.points_price
        locked.purpose = data.purpose
        locked.save()
        record_event(
            name="loyalty.campaign_changed", subject=locked, actor=actor,
            payload={"code": locked.code, "before": before,
                     "after": {"ends_at": locked.ends_at.isoformat(), "min_order_vnd": locked.min_order_vnd}},
        )  # fmt: skip
    return locked


def close_campaign(*, actor: Any, campaign: VoucherCampaign, void_codes: bool, reason: str) -> VoucherCampaign:
    """Stop issuing codes of the campaign; with `void_codes` its issued codes can no longer be redeemed."""
    require(actor, "loyalty.change_vouchercampaign")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Some fields are invalid"), [FieldError("reason", _("Give a reason"), "required")])
    with transaction.atomic():
        locked = _lock(campaign)
        if locked.closed_at is not None:
            if locked.codes_voided == void_codes:
                return locked  # closing twice changes nothing
            raise Conflict(_("This campaign is already closed"), code="campaign_closed")
        locked.closed_at, locked.codes_voided = clock.now(), void_codes
        locked.save(update_fields=["closed_at", "codes_voided"])
        SegmentIssuance.objects.filter(campaign=locked, finished_at__isnull=True).update(
            due_at=None, finished_at=locked.closed_at, error=_("The campaign was closed")
        )
        record_event(
            name="loyalty.campaign_closed", subject=locked, actor=actor,
            payload={"code": locked.code, "voided": void_codes, "reason": reason[:500]},
        )  # fmt: skip
    return locked


def issue_to_segment(*, actor: Any, campaign: VoucherCampaign, segment_key: str) -> SegmentIssuance:
    """Queue one code of the campaign for every member of the segment (the worker issues them in chunks).

    Asking again for the same segment walks it again: members who joined since get a code, nobody a second."""
    from haumai.segments import selectors as segment_selectors

    require(actor, "loyalty.change_vouchercampaign")
    try:
        segment = segment_selectors.segment_by_key(segment_key or "")
    except NotFound as exc:
        raise ValidationFailed(
            _("Some fields are invalid"), [FieldError("segment", _("Choose a saved segment"), "unknown_segment")]
        ) from exc
    issuable(campaign)
    if campaign.per_customer_limit < 1:
        raise VoucherRefused(_("This campaign allows no use per customer"), "campaign_limit", field="campaign")
    now = clock.now()
    with transaction.atomic():
        _lock(campaign)
        issuance, created = SegmentIssuance.objects.get_or_create(
            campaign=campaign, segment_key=segment.key,
            defaults={"segment_name": segment.name, "requested_by": user_or_none(actor), "requested_at": now,
                      "due_at": now},
        )  # fmt: skip
        if not created and issuance.due_at is None:
            issuance.due_at, issuance.last_customer_id, issuance.finished_at = now, 0, None
            issuance.requested_by, issuance.requested_at, issuance.error = user_or_none(actor), now, ""
            issuance.save()
        record_event(
            name="loyalty.segment_vouchers_requested", subject=campaign, actor=actor,
            payload={"code": campaign.code, "segment": segment.name, "segment_key": segment.key},
        )  # fmt: skip
    return issuance


def pending_segment_issuances() -> Any:
    """Issuances with work left; the scheduler takes those past `due_at`."""
    return SegmentIssuance.objects.filter(due_at__isnull=False)


def run_segment_issuances(issuances: Sequence[SegmentIssuance]) -> None:
    """Scheduler: the next chunk of members of each claimed issuance gets a code each (bulk, keyed)."""
    from haumai.segments import selectors as segment_selectors

    now = clock.now()
    for issuance in issuances:
        campaign = _lock(issuance.campaign)
        try:
            issuable(campaign)
        except (VoucherRefused, ValidationFailed) as exc:
            issuance.due_at, issuance.finished_at, issuance.error = None, now, str(exc.message)[:300]
            issuance.save(update_fields=["due_at", "finished_at", "error"])
            continue
        ids = segment_selectors.member_ids_after(
            segment_key=issuance.segment_key, after_id=issuance.last_customer_id, limit=CHUNK
        )
        keys = {customer_id: f"segment:{campaign.pk}:{customer_id}" for customer_id in ids}
        have = set(Voucher.objects.filter(idempotency_key__in=keys.values()).values_list("idempotency_key", flat=True))
        fresh = [customer_id for customer_id in ids if keys[customer_id] not in have]
        vouchers = [
            Voucher(campaign=campaign, code=new_code(campaign.code), owner_id=customer_id, max_uses=1,
                    source=VoucherSource.BATCH, reason=issuance.segment_name[:2000], idempotency_key=keys[customer_id],
                    issued_by=issuance.requested_by, issued_at=now)
            for customer_id in fresh
        ]  # fmt: skip
        Voucher.objects.bulk_create(vouchers)
        issuance.issued_count += len(vouchers)
        issuance.skipped_count += len(ids) - len(fresh)
        if ids:
            issuance.last_customer_id = ids[-1]
        if len(ids) < CHUNK:
            issuance.due_at, issuance.finished_at = None, now
            record_event(
                name="loyalty.segment_vouchers_issued", subject=campaign,
                payload={"code": campaign.code, "segment": issuance.segment_name, "issued": issuance.issued_count},
            )  # fmt: skip
        issuance.save()
        _timeline(vouchers, campaign)


def _timeline(vouchers: list[Voucher], campaign: VoucherCampaign) -> None:
    """Each member's timeline shows the code they were given (one event per member, written in bulk)."""
    from haumai.events.services import record_events

    if not vouchers:
        return
    customers = Customer.objects.in_bulk([voucher.owner_id for voucher in vouchers])
    saved = {
        v.idempotency_key: v for v in Voucher.objects.filter(idempotency_key__in=[v.idempotency_key for v in vouchers])
    }
    record_events(
        [
            {"name": "loyalty.voucher_issued", "customer": customers[v.owner_id], "subject": saved[v.idempotency_key],
             "payload": {"code": v.code, "campaign": campaign.name, "source": "segment"}}
            for v in vouchers
            if v.owner_id in customers
        ]
    )  # fmt: skip
