"""Loyalty: a points ledger (balance = sum of entries), FIFO allocations, tiers, vouchers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    EARN = "earn", _("Earned")
    ADJUSTMENT = "adjustment", _("Adjustment")
    RESTORE = "restore", _("Given back")
    SPEND = "spend", _("Spent")
    EXPIRY = "expiry", _("Expired")
    CLAWBACK = "clawback", _("Taken back")
    DEBT = "debt", _("Debt")


class PointsEntry(models.Model):
    """One line of a customer's points ledger; positive entries are lots that expire, negative ones consume lots."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="points_entries")
    kind = models.CharField(max_length=12, choices=EntryKind.choices)
    points = models.BigIntegerField(help_text="positive earn, negative spend")
    spend_vnd = models.BigIntegerField(default=0, help_text="qualifying spend for tiers (+ on earn, - on clawback)")
    order = models.ForeignKey("sales.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=40, blank=True)
    reason = models.TextField(blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    expiry_handled = models.BooleanField(default=False)
    expiry_reminded = models.BooleanField(default=False, help_text="the member was told before this lot expires")
    shortfall_points = models.BigIntegerField(default=0, help_text="clawback the balance could not cover")
    idempotency_key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "points entries"
        permissions = [("adjust_points", "Can adjust a customer's points")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(points=0) | models.Q(kind="clawback"), name="points_not_zero"),
            models.UniqueConstraint(
                fields=["order"], condition=models.Q(kind="earn"), name="points_one_earn_per_order"
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "-created_at", "-id"], name="points_customer_time"),
            models.Index(fields=["expiry_handled", "expires_at"], name="points_expiry_due"),
            models.Index(fields=["expiry_reminded", "expires_at"], name="points_reminder_due"),
            models.Index(fields=["order", "kind"], name="points_order_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.kind} {self.points:+d}"


class PointsAllocation(models.Model):
    """How many points of one lot (a positive entry) a negative entry consumed: the FIFO trail."""

    consumer = models.ForeignKey(PointsEntry, on_delete=models.PROTECT, related_name="allocations")
    lot = models.ForeignKey(PointsEntry, on_delete=models.PROTECT, related_name="consumed_by")
    points = models.BigIntegerField()

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(points__gt=0), name="allocation_points_positive")]

    def __str__(self) -> str:
        return f"{self.consumer_id} <- {self.lot_id}: {self.points}"


class Membership(models.Model):
    """The customer's tier: upgraded at once, reviewed (possibly downgraded) at `review_at`."""

    customer = models.OneToOneField("customers.Customer", on_delete=models.PROTECT, related_name="membership")
    tier = models.CharField(max_length=12)
    tier_since = models.DateTimeField()
    review_at = models.DateTimeField()
    notice_for_review_at = models.DateTimeField(
        null=True, blank=True, help_text="the review date the member was last told about (downgrade notice)"
    )

    class Meta:
        indexes = [models.Index(fields=["review_at"], name="membership_review")]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.tier}"


class RuleScope(models.TextChoices):
    ALL = "all", _("Every product")
    CATEGORY = "category", _("A category")
    PRODUCT = "product", _("A product")


class EarnRule(models.Model):
    """Points per VND spent: the most specific active rule (product, then category, then all) applies."""

    name = models.CharField(max_length=120)
    scope = models.CharField(max_length=10, choices=RuleScope.choices, default=RuleScope.ALL)
    category = models.ForeignKey("catalog.Category", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("catalog.Product", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    vnd_per_point = models.PositiveIntegerField(default=10_000)
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.name


class CodeKind(models.TextChoices):
    UNIQUE = "unique", _("Unique single-use codes")
    SHARED = "shared", _("One shared code")


class DiscountKind(models.TextChoices):
    AMOUNT = "amount", _("Amount off")
    PERCENT = "percent", _("Percentage off")


class CampaignPurpose(models.TextChoices):
    GENERAL = "", _("General")
    BIRTHDAY = "birthday", _("Birthday gift")


class VoucherCampaign(models.Model):
    """A voucher offer: what it is worth, to whom, when and how often."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=160)
    code_kind = models.CharField(max_length=8, choices=CodeKind.choices, default=CodeKind.UNIQUE)
    discount_kind = models.CharField(max_length=8, choices=DiscountKind.choices, default=DiscountKind.AMOUNT)
    amount_vnd = models.BigIntegerField(default=0)
    percent = models.PositiveSmallIntegerField(default=0)
    max_discount_vnd = models.BigIntegerField(default=0, help_text="cap of a percentage voucher (0 = no cap)")
    min_order_vnd = models.BigIntegerField(default=0)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    per_customer_limit = models.PositiveIntegerField(default=1)
    points_price = models.PositiveIntegerField(default=0, help_text="points to buy one code (0 = not for sale)")
    purpose = models.CharField(
        max_length=12,
        choices=CampaignPurpose.choices,
        default=CampaignPurpose.GENERAL,
        blank=True,
        help_text="birthday: the campaign birthday greetings give a code of",
    )
    closed_at = models.DateTimeField(null=True, blank=True, help_text="no new codes from then on")
    codes_voided = models.BooleanField(default=False, help_text="closed with its issued codes voided")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["-created_at", "-id"], name="campaign_created")]

    def __str__(self) -> str:
        return self.code


class VoucherSource(models.TextChoices):
    BATCH = "batch", _("Campaign batch")
    SHARED = "shared", _("Shared code")
    STAFF = "staff", _("Goodwill by staff")
    POINTS = "points", _("Bought with points")
    JOURNEY = "journey", _("Care journey")


class Voucher(models.Model):
    """One code of a campaign; a shared code has no use limit of its own beyond `max_uses`."""

    campaign = models.ForeignKey(VoucherCampaign, on_delete=models.PROTECT, related_name="vouchers")
    code = models.CharField(max_length=40, unique=True)
    owner = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.PROTECT, related_name="vouchers"
    )
    max_uses = models.PositiveIntegerField(null=True, blank=True, help_text="empty = unlimited (shared code)")
    source = models.CharField(max_length=10, choices=VoucherSource.choices, default=VoucherSource.BATCH)
    reason = models.TextField(blank=True)
    points_entry = models.OneToOneField(
        PointsEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="voucher"
    )
    idempotency_key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["owner", "-issued_at"], name="voucher_owner_issued")]

    def __str__(self) -> str:
        return self.code


class VoucherRedemption(models.Model):
    """One use of a voucher on an order at the POS or the website."""

    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="redemptions")
    campaign = models.ForeignKey(VoucherCampaign, on_delete=models.PROTECT, related_name="redemptions")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    order_reference = models.CharField(max_length=60)
    order_total_vnd = models.BigIntegerField()
    discount_vnd = models.BigIntegerField()
    idempotency_key = models.CharField(max_length=120, unique=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["campaign", "customer"], name="redemption_campaign_customer"),
            models.Index(fields=["customer", "-created_at"], name="redemption_customer_time"),
        ]

    def __str__(self) -> str:
        return f"{self.voucher_id} {self.order_reference}"


class SegmentIssuance(models.Model):
    """Codes of a campaign for every member of a saved segment, issued by the worker in chunks (resumable)."""

    campaign = models.ForeignKey(VoucherCampaign, on_delete=models.PROTECT, related_name="segment_issuances")
    segment_key = models.CharField(max_length=60)
    segment_name = models.CharField(max_length=160, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True, help_text="the worker takes it then; empty once done")
    last_customer_id = models.BigIntegerField(default=0, help_text="members up to this id are done")
    issued_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0, help_text="members who already had a code of it")
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "segment_key"], name="segment_issuance_once"),
        ]
        indexes = [models.Index(fields=["due_at"], name="segment_issuance_due")]

    def __str__(self) -> str:
        return f"{self.campaign_id} -> {self.segment_key}"


class CashbackRule(models.Model):
    """Cashback as store credit: a percent of the order's paid amount, held until the return window closes."""

    name = models.CharField(max_length=120)
    percent = models.PositiveSmallIntegerField(help_text="1-100 percent of the qualifying paid amount")
    scope = models.CharField(max_length=10, choices=RuleScope.choices, default=RuleScope.ALL)
    category = models.ForeignKey("catalog.Category", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey("catalog.Product", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    min_order_vnd = models.BigIntegerField(default=0)
    cap_vnd = models.BigIntegerField(help_text="the most one order earns under this rule")
    tier = models.CharField(max_length=12, blank=True, help_text="only members of this tier (empty = everyone)")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(percent__gte=1, percent__lte=100), name="cashback_percent_range"),
            models.CheckConstraint(condition=models.Q(cap_vnd__gt=0), name="cashback_cap_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class CashbackStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RELEASED = "released", _("Released")
    CANCELLED = "cancelled", _("Cancelled")


class Cashback(models.Model):
    """The cashback one order earns under one rule: pending until `release_at`, then store credit."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="cashbacks")
    order = models.ForeignKey("sales.Order", on_delete=models.PROTECT, related_name="+")
    rule = models.ForeignKey(CashbackRule, on_delete=models.PROTECT, related_name="cashbacks")
    base_vnd = models.BigIntegerField(help_text="the paid amount of the order's qualifying lines")
    earned_vnd = models.BigIntegerField(help_text="computed at delivery")
    amount_vnd = models.BigIntegerField(help_text="what is (or was) released: earned less returns before release")
    status = models.CharField(max_length=10, choices=CashbackStatus.choices, default=CashbackStatus.PENDING)
    release_at = models.DateTimeField(help_text="when the order's return window has closed")
    released_at = models.DateTimeField(null=True, blank=True)
    store_credit_entry = models.OneToOneField(
        "payments.StoreCreditEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="cashback"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["order", "rule"], name="cashback_one_per_order_rule"),
            models.CheckConstraint(condition=models.Q(amount_vnd__gte=0), name="cashback_amount_not_negative"),
        ]
        indexes = [
            models.Index(fields=["status", "release_at"], name="cashback_release_due"),
            models.Index(fields=["customer", "-created_at"], name="cashback_customer_time"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.rule_id} {self.amount_vnd}"


class CashbackChangeKind(models.TextChoices):
    REDUCED = "reduced", _("Reduced by a return before release")
    CLAWED_BACK = "clawed_back", _("Taken back from store credit")


class CashbackChange(models.Model):
    """What one return did to one cashback (once per return): reduced it, or took store credit back."""

    cashback = models.ForeignKey(Cashback, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(max_length=12, choices=CashbackChangeKind.choices)
    return_code = models.CharField(max_length=40)
    amount_vnd = models.BigIntegerField(help_text="reduced, or taken back from the balance")
    not_recovered_vnd = models.BigIntegerField(default=0, help_text="clawback the balance could not cover")
    store_credit_entry = models.OneToOneField(
        "payments.StoreCreditEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="cashback_change"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cashback", "return_code"], name="cashback_change_once_per_return"),
        ]

    def __str__(self) -> str:
        return f"{self.cashback_id} {self.kind} {self.amount_vnd}"
