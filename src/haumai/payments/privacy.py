"""Personal data held by payments: bank account details of transfer refunds, free-text reasons, and the
provider calls' bodies (haumai.privacy). Payments, refunds and store credit are accounting records: they
stay after a deletion with the account holder's details removed (the bank and the transfer reference stay)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from haumai.payments.models import Payment, Refund, RefundAttempt, StoreCreditEntry
from haumai.privacy.registry import ExportPart, Person, PersonalDataSource, PersonalModel, register, rows
from haumai.privacy.scrub import REDACTED, scrub, scrub_text

ACCOUNTING = "accounting record: kept with the account holder's details removed"


def export(person: Person) -> ExportPart:
    """Payments on the person's orders, refunds to them and their store credit."""
    customer = person.customer
    return ExportPart(
        tables={
            "payments.payment": rows(
                Payment.objects.filter(order__customer=customer).order_by("paid_at", "id"),
                ("order__code", "method", "amount_vnd", "refunded_vnd", "provider_transaction_ref", "paid_at"),
            ),
            "payments.refund": rows(
                Refund.objects.filter(customer=customer).order_by("requested_at", "id"),
                (
                    "code",
                    "order__code",
                    "method",
                    "amount_vnd",
                    "status",
                    "reference",
                    "reason",
                    "bank_account",
                    "transfer_reference",
                    "requested_at",
                    "sent_at",
                ),
            ),
            "payments.storecreditentry": rows(
                StoreCreditEntry.objects.filter(customer=customer).order_by("created_at", "id"),
                ("amount_vnd", "kind", "reference", "reason", "created_at"),
            ),
        }
    )


def anonymize(person: Person, actor: Any) -> dict[str, int]:
    """Remove account holder details and free text; amounts, methods and references stay."""
    customer = person.customer
    refunds = 0
    attempts = 0
    with transaction.atomic():
        for refund in Refund.objects.select_for_update().filter(customer=customer):
            bank = (refund.bank_account or {}).get("bank", "")
            refund.bank_account = {"bank": bank} if bank else {}
            refund.reason = REDACTED
            refund.last_error = scrub_text(refund.last_error, person)
            refund.save(update_fields=["bank_account", "reason", "last_error", "updated_at"])
            refunds += 1
        for attempt in RefundAttempt.objects.filter(refund__customer=customer):
            attempt.request_body = scrub(attempt.request_body, person)
            attempt.response_body = scrub(attempt.response_body, person)
            attempt.message = scrub_text(attempt.message, person)
            attempt.save(update_fields=["request_body", "response_body", "message"])
            attempts += 1
        credits = StoreCreditEntry.objects.filter(customer=customer).exclude(reason="").update(reason=REDACTED)
    return {"payments.refund": refunds, "payments.refundattempt": attempts, "payments.storecreditentry": credits}


register(
    PersonalDataSource(
        app="payments",
        models=(
            PersonalModel("payments.Payment", (), legal_hold=ACCOUNTING, handling="exported; kept"),
            PersonalModel(
                "payments.Refund",
                ("bank_account", "reason", "last_error"),
                legal_hold=ACCOUNTING,
                handling="exported; account number and holder name removed, reason cleared",
            ),
            PersonalModel(
                "payments.RefundAttempt",
                ("request_body", "response_body", "message"),
                legal_hold=ACCOUNTING,
                handling="values naming the person blanked",
            ),
            PersonalModel(
                "payments.StoreCreditEntry", ("reason",), legal_hold=ACCOUNTING, handling="exported; reason cleared"
            ),
        ),
        export=export,
        anonymize=anonymize,
    )
)
