"""Personal data held by loyalty (haumai.privacy): the customer's points ledger, tier, vouchers and
redemptions, cashback, and staff reasons typed on adjustments and goodwill codes. The ledger and redemptions stay
after a deletion (they are the accounting of a liability and of discounts given) with the reasons cleared."""

from __future__ import annotations

from typing import Any

from haumai.loyalty.models import Cashback, Membership, PointsEntry, Voucher, VoucherRedemption
from haumai.privacy.registry import ExportPart, Person, PersonalDataSource, PersonalModel, register, rows
from haumai.privacy.scrub import REDACTED

LEDGER = "the points ledger is the accounting of a liability: kept with the reason cleared"


def export(person: Person) -> ExportPart:
    """The person's points ledger, tier, vouchers, redemptions and cashback."""
    customer = person.customer
    return ExportPart(
        tables={
            "loyalty.pointsentry": rows(
                PointsEntry.objects.filter(customer=customer).order_by("id"),
                ("kind", "points", "order__code", "reference", "reason", "expires_at", "created_at"),
            ),
            "loyalty.membership": rows(
                Membership.objects.filter(customer=customer), ("tier", "tier_since", "review_at")
            ),
            "loyalty.voucher": rows(
                Voucher.objects.filter(owner=customer).order_by("id"),
                ("code", "campaign__name", "source", "reason", "issued_at"),
            ),
            "loyalty.voucherredemption": rows(
                VoucherRedemption.objects.filter(customer=customer).order_by("id"),
                ("voucher__code", "order_reference", "order_total_vnd", "discount_vnd", "created_at"),
            ),
            "loyalty.cashback": rows(
                Cashback.objects.filter(customer=customer).order_by("id"),
                ("order__code", "rule__name", "earned_vnd", "amount_vnd", "status", "release_at", "released_at"),
            ),
        }
    )


def anonymize(person: Person, actor: Any) -> dict[str, int]:
    """Clear staff reasons on the ledger and on the person's vouchers; the rows stay."""
    customer = person.customer
    entries = PointsEntry.objects.filter(customer=customer).exclude(reason="").update(reason=REDACTED)
    vouchers = Voucher.objects.filter(owner=customer).exclude(reason="").update(reason=REDACTED)
    return {"loyalty.pointsentry": entries, "loyalty.voucher": vouchers}


register(
    PersonalDataSource(
        app="loyalty",
        models=(
            PersonalModel("loyalty.PointsEntry", ("reason",), legal_hold=LEDGER, handling="exported; reason cleared"),
            PersonalModel(
                "loyalty.Voucher",
                ("reason",),
                legal_hold="a code is a discount promised: kept, reason cleared",
                handling="exported; reason cleared",
            ),
            PersonalModel(
                "loyalty.VoucherRedemption",
                ("order_reference",),
                legal_hold="a discount given on a sale is an accounting record",
                handling="exported; kept (the order reference is not personal once the customer is anonymized)",
            ),
        ),
        not_personal={
            # Campaign names are the retailer's offers; earn rules are the retailer's terms.
            "loyalty.VoucherCampaign": ("name",),
            "loyalty.EarnRule": ("name",),
            "loyalty.CashbackRule": ("name",),
            # The name of the segment a batch of vouchers went to: the retailer's label, not a person's.
            "loyalty.SegmentIssuance": ("segment_name",),
        },
        export=export,
        anonymize=anonymize,
    )
)
