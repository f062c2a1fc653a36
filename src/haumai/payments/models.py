"""Payments on orders and refunds through VNPay, MoMo, bank transfer, cash and store credit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentMethod(models.TextChoices):
    VNPAY = "vnpay", "VNPay"
    MOMO = "momo", "MoMo"
    COD = "cod", _("Cash on delivery")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    CASH = "cash", _("Cash")
    CARD = "card", _("Card")


PROVIDER_METHODS = (PaymentMethod.VNPAY, PaymentMethod.MOMO)


class Payment(models.Model):
    """Money a customer paid for an order. `refunded_vnd` is the sum of its sent refunds (any refund method)."""

    order = models.ForeignKey("sales.Order", on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices)
    amount_vnd = models.BigIntegerField(_("amount (VND)"))
    refunded_vnd = models.BigIntegerField(_("refunded (VND)"), default=0)
    provider_transaction_ref = models.CharField(
        max_length=64, blank=True, help_text="vnp_TxnRef at VNPay, orderId at MoMo, the bank transfer reference"
    )
    provider_transaction_no = models.CharField(
        max_length=64, blank=True, help_text="vnp_TransactionNo at VNPay, transId at MoMo"
    )
    transaction_date = models.DateTimeField(null=True, blank=True, help_text="vnp_PayDate / vnp_CreateDate")
    paid_at = models.DateTimeField()
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_vnd__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(refunded_vnd__gte=0, refunded_vnd__lte=models.F("amount_vnd")),
                name="payment_refunded_within_amount",
            ),
            models.UniqueConstraint(
                fields=["method", "provider_transaction_ref"],
                condition=~models.Q(provider_transaction_ref=""),
                name="payment_method_provider_ref_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.amount_vnd} ({self.order_id})"


class RefundMethod(models.TextChoices):
    ORIGINAL = "original", _("Original payment method")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    CASH = "cash", _("Cash")
    STORE_CREDIT = "store_credit", _("Store credit")


class RefundStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Refunded")
    FAILED = "failed", _("Failed")
    NEEDS_ATTENTION = "needs_attention", _("Needs attention")
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Awaiting confirmation")


# Refunds whose money is moved or may still move: they count against what is left to refund.
HOLDING_STATUSES = (
    RefundStatus.REQUESTED,
    RefundStatus.SENDING,
    RefundStatus.SENT,
    RefundStatus.NEEDS_ATTENTION,
    RefundStatus.AWAITING_CONFIRMATION,
)


class Refund(models.Model):
    """Money going back to a customer, with a status machine and one row per provider call."""

    code = models.CharField(max_length=24, unique=True)
    order = models.ForeignKey("sales.Order", on_delete=models.PROTECT, related_name="refunds")
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="refunds")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="refunds")
    method = models.CharField(_("method"), max_length=20, choices=RefundMethod.choices)
    amount_vnd = models.BigIntegerField(_("amount (VND)"))
    status = models.CharField(max_length=30, choices=RefundStatus.choices, default=RefundStatus.REQUESTED)
    reference = models.CharField(_("reference"), max_length=40, blank=True, db_index=True)
    reason = models.TextField(_("reason"), blank=True)
    idempotency_key = models.CharField(max_length=100, unique=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=120, blank=True)
    bank_account = models.JSONField(default=dict, blank=True, help_text="bank, account_number, account_name")
    transfer_reference = models.CharField(max_length=80, blank=True)
    provider_refund_ref = models.CharField(max_length=64, blank=True, help_text="the provider's refund transaction")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    send_count = models.PositiveIntegerField(default=0)
    query_count = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    requested_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_vnd__gt=0), name="refund_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["status", "-requested_at"], name="refund_status_time"),
            models.Index(fields=["-requested_at", "-id"], name="refund_time"),
            models.Index(fields=["due_at"], name="refund_due", condition=models.Q(due_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def amount(self) -> int:
        """The amount in VND (the name templates use)."""
        return self.amount_vnd


class AttemptKind(models.TextChoices):
    REFUND = "refund", _("Refund request")
    QUERY = "query", _("Status query")


class AttemptOutcome(models.TextChoices):
    PENDING = "pending", _("In progress")
    SUCCEEDED = "succeeded", _("Succeeded")
    PROCESSING = "processing", _("Accepted, processing")
    FAILED = "failed", _("Refused (no money moved)")
    NOT_FOUND = "not_found", _("No refund found")
    UNKNOWN = "unknown", _("Unknown outcome")


class RefundAttempt(models.Model):
    """One call to a provider for a refund: what we sent and what came back, verbatim."""

    refund = models.ForeignKey(Refund, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=AttemptKind.choices)
    request_id = models.CharField(max_length=40, unique=True, help_text="vnp_RequestId / MoMo requestId")
    provider_order_id = models.CharField(max_length=64, blank=True, help_text="MoMo orderId of the refund")
    outcome = models.CharField(max_length=12, choices=AttemptOutcome.choices, default=AttemptOutcome.PENDING)
    result_code = models.CharField(max_length=20, blank=True)
    message = models.TextField(blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    signature_valid = models.BooleanField(null=True, blank=True)
    request_body = models.JSONField(default=dict, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["refund", "number"]
        constraints = [models.UniqueConstraint(fields=["refund", "number"], name="refundattempt_number_unique")]

    def __str__(self) -> str:
        return f"{self.refund_id} #{self.number} {self.kind} {self.outcome}"


class StoreCreditKind(models.TextChoices):
    REFUND = "refund", _("Refund")
    GOODWILL = "goodwill", _("Goodwill")
    SPEND = "spend", _("Spent")
    CASHBACK = "cashback", _("Cashback")
    CLAWBACK = "clawback", _("Cashback taken back")


class StoreCreditEntry(models.Model):
    """One line of a customer's store credit ledger; the balance is the sum, never a stored counter."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="store_credit_entries")
    amount_vnd = models.BigIntegerField(help_text="positive credit, negative spend")
    kind = models.CharField(max_length=12, choices=StoreCreditKind.choices)
    refund = models.OneToOneField(
        Refund, null=True, blank=True, on_delete=models.PROTECT, related_name="store_credit_entry"
    )
    reference = models.CharField(max_length=40, blank=True)
    reason = models.TextField(blank=True)
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "store credit entries"
        constraints = [models.CheckConstraint(condition=~models.Q(amount_vnd=0), name="storecredit_amount_not_zero")]
        indexes = [models.Index(fields=["customer", "-created_at"], name="storecredit_customer_time")]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.amount_vnd:+d}"
