"""Voucher campaigns, issuing codes (batch, goodwill by staff, bought with points, by journeys) and redeeming.

Redemption locks the customer row and then the voucher row, so a code redeemed by many clients at once is
redeemed as many times as it allows, and a customer's limit per campaign holds under parallel requests.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.errors import FieldError, Forbidden, ValidationFailed
from haumai.events.services import record_event
from haumai.loyalty.models import (
    CampaignPurpose,
    CodeKind,
    DiscountKind,
    Voucher,
    VoucherCampaign,
    VoucherRedemption,
    VoucherSource,
)
from haumai.loyalty.services.common import (
    MAX_VND,
    VoucherRefused,
    invalid,
    key_of,
    lock_customer,
    replay_conflict,
    require,
    user_or_none,
    whole,
)
from haumai.loyalty.services.ledger import write_spend
from haumai.payments.services import can_approve_amount

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,39}$")
MAX_BATCH = 10_000


@dataclass(frozen=True)
class CampaignInput:
    code: str
    name: str
    code_kind: str
    discount_kind: str
    amount_vnd: int
    percent: int
    max_discount_vnd: int
    min_order_vnd: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    per_customer_limit: int = 1
    points_price: int = 0
    shared_code: str = ""
    batch_size: int = 0
    purpose: str = ""


def new_code(prefix: str) -> str:
    """A random, readable code: the campaign prefix and 8 characters without 0/O/1/I."""
    return f"{prefix[:20]}-{''.join(secrets.choice(CODE_ALPHABET) for _ in range(8))}"


def terms_problems(data: Any) -> list[FieldError]:
    """Problems of a campaign's terms (value, caps, window, limits, points price): new or edited alike."""
    errors: list[FieldError] = []
    if data.discount_kind == DiscountKind.AMOUNT:
        if not 0 < data.amount_vnd <= MAX_VND:
            errors.append(FieldError("amount_vnd", _("Give an amount in VND greater than 0"), "invalid_amount"))
    elif data.discount_kind == DiscountKind.PERCENT:
        if not 0 < data.percent <= 100:
            errors.append(FieldError("percent", _("Give a percentage from 1 to 100"), "invalid_percent"))
    else:
        errors.append(FieldError("discount_kind", _("Choose an amount or a percentage"), "invalid_choice"))
    if not 0 <= data.max_discount_vnd <= MAX_VND:
        errors.append(FieldError("max_discount_vnd", _("Give 0 (no cap) or an amount in VND"), "invalid_amount"))
    if not 0 <= data.min_order_vnd <= MAX_VND:
        errors.append(FieldError("min_order_vnd", _("Give 0 or an amount in VND"), "invalid_amount"))
    if data.ends_at <= data.starts_at:
        errors.append(FieldError("ends_at", _("The end must be after the start"), "invalid_window"))
    if not 1 <= data.per_customer_limit <= 1000:
        errors.append(FieldError("per_customer_limit", _("Give a limit from 1 to 1000"), "invalid"))
    if not 0 <= data.points_price <= 10_000_000:
        errors.append(FieldError("points_price", _("Give 0 (not for sale) or a number of points"), "invalid"))
    return errors


def _check_campaign(data: CampaignInput) -> list[FieldError]:
    errors: list[FieldError] = []
    if not CODE_PATTERN.match(data.code or ""):
        errors.append(FieldError("code", _("Use 3-40 capital letters, digits or dashes"), "invalid_code"))
    elif VoucherCampaign.objects.filter(code=data.code).exists():
        errors.append(FieldError("code", _("A campaign with this code already exists"), "duplicate"))
    if not (data.name or "").strip():
        errors.append(FieldError("name", _("Give the campaign a name"), "required"))
    if data.code_kind not in CodeKind.values:
        errors.append(FieldError("code_kind", _("Choose unique codes or one shared code"), "invalid_choice"))
    errors.extend(terms_problems(data))
    if data.code_kind == CodeKind.SHARED:
        if not CODE_PATTERN.match(data.shared_code or ""):
            errors.append(FieldError("shared_code", _("Use 3-40 capital letters, digits or dashes"), "invalid_code"))
        elif Voucher.objects.filter(code=data.shared_code).exists():
            errors.append(FieldError("shared_code", _("This code is already in use"), "duplicate"))
    if data.purpose not in CampaignPurpose.values:
        errors.append(FieldError("purpose", _("Choose a purpose"), "invalid_choice"))
    elif data.purpose == CampaignPurpose.BIRTHDAY and data.code_kind != CodeKind.UNIQUE:
        errors.append(FieldError("purpose", _("A birthday gift needs unique codes, one per customer"), "invalid"))
    if not 0 <= data.batch_size <= MAX_BATCH:
        errors.append(FieldError("batch_size", _("Give 0 to %(n)s codes") % {"n": MAX_BATCH}, "invalid"))
    return errors


def create_campaign(*, actor: Any, data: CampaignInput) -> VoucherCampaign:
    """A new campaign; a shared code is created with it, unique codes in a batch of `batch_size` (or issued later)."""
    require(actor, "loyalty.add_vouchercampaign")
    errors = _check_campaign(data)
    if errors:
        raise ValidationFailed(_("Some fields are invalid"), errors)
    now = clock.now()
    with transaction.atomic():
        campaign = VoucherCampaign.objects.create(
            code=data.code,
            name=data.name.strip()[:160],
            code_kind=data.code_kind,
            discount_kind=data.discount_kind,
            amount_vnd=data.amount_vnd if data.discount_kind == DiscountKind.AMOUNT else 0,
            percent=data.percent if data.discount_kind == DiscountKind.PERCENT else 0,
            max_discount_vnd=data.max_discount_vnd,
            min_order_vnd=data.min_order_vnd,
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            per_customer_limit=data.per_customer_limit,
            points_price=data.points_price,
            purpose=data.purpose,
            created_by=user_or_none(actor),
            created_at=now,
        )
        if data.code_kind == CodeKind.SHARED:
            Voucher.objects.create(
                campaign=campaign,
                code=data.shared_code,
                max_uses=None,
                source=VoucherSource.SHARED,
                issued_by=user_or_none(actor),
                issued_at=now,
            )
        elif data.batch_size:
            codes = {new_code(campaign.code) for _ in range(data.batch_size)}
            Voucher.objects.bulk_create(
                [
                    Voucher(campaign=campaign, code=code, max_uses=1, issued_by=user_or_none(actor), issued_at=now)
                    for code in sorted(codes)
                ]
            )
        record_event(
            name="loyalty.campaign_created",
            subject=campaign,
            actor=actor,
            payload={"code": campaign.code, "name": campaign.name},
        )
    return campaign


def face_value(campaign: VoucherCampaign) -> int:
    """The most a code of this campaign can take off an order (used against approval limits)."""
    if campaign.discount_kind == DiscountKind.AMOUNT:
        return campaign.amount_vnd
    return campaign.max_discount_vnd or MAX_VND


def issuable(campaign: VoucherCampaign) -> None:
    """Refuse issuing from a shared-code, closed or ended campaign."""
    if campaign.code_kind != CodeKind.UNIQUE:
        raise invalid("campaign", _("A shared-code campaign has one code for everyone; it issues no codes"))
    # Read again: the campaign may have been closed since the caller loaded it.
    if VoucherCampaign.objects.filter(pk=campaign.pk, closed_at__isnull=False).exists():
        raise VoucherRefused(_("This campaign is closed: it gives no more codes"), "campaign_closed", field="campaign")
    if campaign.ends_at <= clock.now():
        raise VoucherRefused(_("This campaign has ended"), "campaign_ended", field="campaign")


def _issue(
    campaign: VoucherCampaign, customer: Any, source: str, reason: str, key: str, actor: Any, points_entry: Any = None
) -> Voucher:
    issuable(campaign)
    voucher = Voucher.objects.create(
        campaign=campaign,
        code=new_code(campaign.code),
        owner=customer,
        max_uses=1,
        source=source,
        reason=reason.strip()[:2000],
        points_entry=points_entry,
        idempotency_key=key or None,
        issued_by=user_or_none(actor),
        issued_at=clock.now(),
    )
    record_event(
        name="loyalty.voucher_issued",
        customer=customer,
        subject=voucher,
        actor=actor,
        payload={"code": voucher.code, "campaign": campaign.name, "source": source},
    )
    return voucher


def _replayed(key: str, customer: Any, campaign: VoucherCampaign) -> Voucher | None:
    found = Voucher.objects.filter(idempotency_key=key).first() if key else None
    if found is not None and (found.owner_id, found.campaign_id) != (customer.pk, campaign.pk):
        raise replay_conflict()
    return found


def issue_goodwill_voucher(
    *, actor: Any, campaign: VoucherCampaign, customer: Any, reason: str, idempotency_key: str = ""
) -> Voucher:
    """Staff goodwill: a code for this customer, within the actor's role approval limit, with a reason."""
    require(actor, "loyalty.add_voucher")
    if not (reason or "").strip():
        raise invalid("reason", _("Give a reason"), "required")
    if not can_approve_amount(actor, face_value(campaign)):
        raise Forbidden(_("This voucher is worth more than your approval limit; ask a manager"))
    key = key_of(idempotency_key, required=False)
    with transaction.atomic():
        return _replayed(key, customer, campaign) or _issue(campaign, customer, VoucherSource.STAFF, reason, key, actor)


def issue_for_journey(*, campaign_code: str, customer: Any, reference: str) -> Voucher:
    """A code for a journey step (birthday, win-back, apology); one per campaign, customer and reference."""
    campaign = VoucherCampaign.objects.filter(code=campaign_code).first()
    if campaign is None:
        raise invalid("campaign", _("Unknown campaign '%(code)s'") % {"code": campaign_code}, "unknown_campaign")
    key = f"journey:{campaign.pk}:{customer.pk}:{reference}"[:120]
    with transaction.atomic():
        lock_customer(customer.pk)
        return _replayed(key, customer, campaign) or _issue(campaign, customer, VoucherSource.JOURNEY, "", key, None)


def birthday_campaign() -> VoucherCampaign | None:
    """The running birthday-gift campaign (the newest started one that is open and not ended), if any."""
    now = clock.now()
    return (
        VoucherCampaign.objects.filter(
            purpose=CampaignPurpose.BIRTHDAY, code_kind=CodeKind.UNIQUE, closed_at__isnull=True,
            starts_at__lte=now, ends_at__gt=now,
        )
        .order_by("-starts_at", "-id")
        .first()
    )  # fmt: skip


def issue_birthday_voucher(*, customer: Any, year: int, campaign_code: str = "") -> Voucher | None:
    """The customer's birthday gift of `year`: one code per customer and year, whichever journey or step asks.

    From `campaign_code` when given (a journey's voucher step), else the running birthday campaign; None when
    there is none. The customer row is locked and the key is unique, so parallel runs give one code."""
    key = f"birthday:{customer.pk}:{year}"
    with transaction.atomic():
        lock_customer(customer.pk)
        found = Voucher.objects.select_related("campaign").filter(idempotency_key=key).first()
        if found is not None:
            return found
        if campaign_code:
            campaign = VoucherCampaign.objects.filter(code=campaign_code).first()
            if campaign is None:
                raise invalid(
                    "campaign", _("Unknown campaign '%(code)s'") % {"code": campaign_code}, "unknown_campaign"
                )
        else:
            campaign = birthday_campaign()
            if campaign is None:
                return None
        reason = _("Birthday %(year)s") % {"year": year}
        return _issue(campaign, customer, VoucherSource.JOURNEY, reason, key, None)


def buy_with_points(*, actor: Any, campaign: VoucherCampaign, customer: Any, idempotency_key: str) -> Voucher:
    """The customer trades points for a code of a campaign on sale; the spend and the code commit together."""
    if not campaign.points_price:
        raise invalid("campaign", _("This campaign is not for sale with points"), "not_for_points")
    key = key_of(idempotency_key)
    with transaction.atomic():
        lock_customer(customer.pk)
        found = _replayed(key, customer, campaign)
        if found is not None:
            return found
        entry = write_spend(
            customer=customer,
            points=campaign.points_price,
            actor=actor,
            key=f"buy:{key}"[:120],
            order_reference=campaign.code,
            reason="",
            event="loyalty.points_spent",
        )
        return _issue(campaign, customer, VoucherSource.POINTS, "", key, actor, points_entry=entry)


def discount_for(campaign: VoucherCampaign, order_total_vnd: int) -> int:
    """What the voucher takes off this order total."""
    if campaign.discount_kind == DiscountKind.AMOUNT:
        return min(campaign.amount_vnd, order_total_vnd)
    off = order_total_vnd * campaign.percent // 100
    return min(off, campaign.max_discount_vnd) if campaign.max_discount_vnd else off


def _same_redemption(found: VoucherRedemption, code: str, customer: Any, order_reference: str, total: int) -> None:
    if (found.voucher.code, found.customer_id, found.order_reference, found.order_total_vnd) != (
        code,
        customer.pk,
        order_reference,
        total,
    ):
        raise replay_conflict()


def redeem(
    *, actor: Any, code: str, customer: Any, order_reference: str, order_total_vnd: int, idempotency_key: str
) -> tuple[VoucherRedemption, bool]:
    """Use a voucher on an order: (redemption, created). A replay of the key returns the first answer."""
    require(actor, "loyalty.add_voucherredemption")
    code = (code or "").strip().upper()
    order_reference = (order_reference or "").strip()
    whole(order_total_vnd, "order_total_vnd", maximum=MAX_VND, minimum=0)
    if not order_reference:
        raise invalid("order_reference", _("Give the order reference"), "required")
    key = key_of(idempotency_key)
    found = VoucherRedemption.objects.select_related("voucher").filter(idempotency_key=key).first()
    if found is not None:
        _same_redemption(found, code, customer, order_reference, order_total_vnd)
        return found, False
    try:
        with transaction.atomic():
            lock_customer(customer.pk)
            found = VoucherRedemption.objects.select_related("voucher").filter(idempotency_key=key).first()
            if found is not None:
                _same_redemption(found, code, customer, order_reference, order_total_vnd)
                return found, False
            return _redeem_locked(actor, code, customer, order_reference, order_total_vnd, key), True
    except IntegrityError:
        found = VoucherRedemption.objects.select_related("voucher").filter(idempotency_key=key).first()
        if found is None:
            raise
        _same_redemption(found, code, customer, order_reference, order_total_vnd)
        return found, False


def _redeem_locked(
    actor: Any, code: str, customer: Any, order_reference: str, total: int, key: str
) -> VoucherRedemption:
    query = Voucher.objects.select_related("campaign").filter(code=code)
    if connection.features.has_select_for_update:
        query = query.select_for_update(of=("self",))
    voucher = query.first()
    if voucher is None:
        raise VoucherRefused(_("Unknown voucher code"), "unknown_code")
    campaign = voucher.campaign
    now = clock.now()
    if campaign.codes_voided:
        raise VoucherRefused(_("This voucher was cancelled with its campaign"), "voucher_void", status=409)
    if now < campaign.starts_at:
        raise VoucherRefused(_("This voucher is not valid yet"), "voucher_not_started", status=409)
    if now >= campaign.ends_at:
        raise VoucherRefused(_("This voucher has expired"), "voucher_expired", status=409)
    if voucher.owner_id is not None and voucher.owner_id != customer.pk:
        raise VoucherRefused(_("This voucher belongs to another customer"), "voucher_not_yours", status=403)
    if total < campaign.min_order_vnd:
        message = _("The order is below this voucher's minimum of %(amount)s ₫") % {
            "amount": f"{campaign.min_order_vnd:,}".replace(",", ".")
        }
        raise VoucherRefused(message, "below_minimum_order", field="order_total_vnd")
    if voucher.max_uses is not None and voucher.redemptions.count() >= voucher.max_uses:
        raise VoucherRefused(_("This voucher has already been used"), "voucher_used_up", status=409)
    used = VoucherRedemption.objects.filter(campaign=campaign, customer=customer).count()
    if used >= campaign.per_customer_limit:
        raise VoucherRefused(
            _("This customer has used this offer as often as it allows"), "customer_limit_reached", status=409
        )
    redemption = VoucherRedemption.objects.create(
        voucher=voucher,
        campaign=campaign,
        customer=customer,
        order_reference=order_reference[:60],
        order_total_vnd=total,
        discount_vnd=discount_for(campaign, total),
        idempotency_key=key,
        actor=user_or_none(actor),
        created_at=now,
    )
    record_event(
        name="loyalty.voucher_redeemed",
        customer=customer,
        subject=redemption,
        actor=actor,
        payload={"code": voucher.code, "discount": redemption.discount_vnd, "order": order_reference[:60]},
    )
    return redemption
