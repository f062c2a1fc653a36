"""Returns, exchanges and refunds: policies, RMA lifecycle, receiving and restock.

Shipments and refunds live in their own apps and are linked by the RMA code (`reference`), never by
foreign key; they report back through domain events.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WindowStart(models.TextChoices):
    PURCHASE = "purchase", _("Purchase date")
    DELIVERY = "delivery", _("Delivery date")
    ACTIVATION = "activation", _("Activation date")


class Reason(models.TextChoices):
    CHANGED_MIND = "changed_mind", _("Changed my mind")
    DEFECTIVE = "defective", _("Defective / does not work")
    WRONG_ITEM = "wrong_item", _("Wrong item delivered")
    DAMAGED_IN_TRANSIT = "damaged_in_transit", _("Damaged in delivery")
    NOT_AS_DESCRIBED = "not_as_described", _("Not as described")
    MISSING_PARTS = "missing_parts", _("Missing parts or accessories")


class Condition(models.TextChoices):
    SEALED = "sealed", _("Sealed, unopened")
    OPENED_UNUSED = "opened_unused", _("Opened, not used")
    USED = "used", _("Used")
    MISSING_ACCESSORIES = "missing_accessories", _("Missing accessories")
    DAMAGED = "damaged", _("Damaged")


class Resolution(models.TextChoices):
    REFUND_ORIGINAL = "refund_original", _("Refund to original payment")
    BANK_TRANSFER = "bank_transfer", _("Refund by bank transfer")
    CASH = "cash", _("Refund in cash at a store")
    STORE_CREDIT = "store_credit", _("Store credit")
    EXCHANGE_SAME = "exchange_same", _("Exchange for the same item")
    EXCHANGE_OTHER = "exchange_other", _("Exchange for another item")
    REPAIR = "repair", _("Repair")


class Logistics(models.TextChoices):
    CARRIER_PICKUP = "carrier_pickup", _("Carrier pickup")
    STAFF_PICKUP = "staff_pickup", _("Pickup by our staff")
    STORE_DROPOFF = "store_dropoff", _("Drop-off at a store")


class Status(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    AWAITING_PICKUP = "awaiting_pickup", _("Awaiting pickup")
    AWAITING_DROPOFF = "awaiting_dropoff", _("Awaiting drop-off")
    IN_TRANSIT = "in_transit", _("In transit")
    RECEIVED = "received", _("Received")
    INSPECTED = "inspected", _("Inspected")
    REFUNDED = "refunded", _("Refunded")
    EXCHANGED = "exchanged", _("Exchanged")
    REPAIRED = "repaired", _("Repaired")
    STORE_CREDITED = "store_credited", _("Store credit issued")
    RETURNED_TO_CUSTOMER = "returned_to_customer", _("Returned to customer")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class Origin(models.TextChoices):
    PORTAL = "portal", _("Customer portal")
    CONSOLE = "console", _("Console (agent)")
    API = "api", _("API")


class Disposition(models.TextChoices):
    RESTOCK = "restock", _("Restock")
    REFURBISH = "refurbish", _("Send to refurbishment")
    VENDOR_RETURN = "vendor_return", _("Return to vendor")
    SCRAP = "scrap", _("Scrap")
    RETURN_TO_CUSTOMER = "return_to_customer", _("Send back to customer")


class OtherItemExchange(models.TextChoices):
    """Whether a customer may choose another product for an exchange in the portal, and which."""

    OFF = "off", _("Not offered")
    SAME_CATEGORY = "same_category", _("Another product of the same category, at most the original price")
    ANY_CATEGORY = "any_category", _("Any product, at most the original price")


def _empty_list() -> list[str]:
    return []


class ReturnPolicy(models.Model):
    """Return terms; the most specific active policy wins: product > category > channel > default."""

    name = models.CharField(_("name"), max_length=120)
    product = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    category = models.ForeignKey(
        "catalog.Category", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    channel = models.ForeignKey("sales.Channel", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    window_days = models.PositiveIntegerField(_("window (days)"), default=7)
    window_start = models.CharField(max_length=20, choices=WindowStart.choices, default=WindowStart.DELIVERY)
    allowed_reasons = models.JSONField(default=_empty_list, blank=True, help_text="empty = every reason")
    allowed_conditions = models.JSONField(default=_empty_list, blank=True, help_text="empty = every condition")
    allowed_resolutions = models.JSONField(default=_empty_list, blank=True, help_text="empty = every resolution")
    defect_reasons_ignore_window_days = models.PositiveIntegerField(
        default=0, help_text="Defective items may be returned this many days even after the window (0 = no)"
    )
    restocking_fee_percent = models.PositiveSmallIntegerField(default=0)
    is_returnable = models.BooleanField(default=True)
    auto_approve = models.BooleanField(default=False)
    refund_on_first_scan = models.BooleanField(
        default=False, help_text="Refund trusted customers when the carrier first scans the parcel"
    )
    missing_item_grace_days = models.PositiveSmallIntegerField(default=7)
    exchange_for_other = models.CharField(
        _("exchange for another product"), max_length=20, choices=OtherItemExchange.choices,
        default=OtherItemExchange.OFF,
        help_text=_(
            "What the customer may choose instead in the portal (in stock, not dearer than the returned item). "
            "A higher price is never charged in this version; a cheaper item's difference goes to store credit."
        ),
    )  # fmt: skip
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "return policies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(restocking_fee_percent__lte=100), name="returnpolicy_fee_percent_max"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scope(self) -> str:
        if self.product_id:
            return "product"
        if self.category_id:
            return "category"
        if self.channel_id:
            return "channel"
        return "default"


class ReturnRequest(models.Model):
    """An RMA: one customer's request to return lines of one order (or items an agent vouched for)."""

    code = models.CharField(max_length=24, unique=True)
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="return_requests")
    order = models.ForeignKey(
        "sales.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="return_requests"
    )
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.REQUESTED)
    origin = models.CharField(max_length=12, choices=Origin.choices)
    reason = models.CharField(max_length=24, choices=Reason.choices)
    resolution = models.CharField(max_length=24, choices=Resolution.choices)
    logistics = models.CharField(max_length=20, choices=Logistics.choices)
    carrier_code = models.CharField(max_length=20, blank=True)
    customer_note = models.TextField(blank=True)
    pickup_name = models.CharField(max_length=160, blank=True)
    pickup_phone = models.CharField(max_length=20, blank=True)
    pickup_street = models.CharField(max_length=255, blank=True)
    pickup_ward_code = models.CharField(max_length=10, blank=True)
    pickup_province_code = models.CharField(max_length=10, blank=True)
    pickup_from = models.DateTimeField(null=True, blank=True)
    pickup_to = models.DateTimeField(null=True, blank=True)
    dropoff_code = models.CharField(max_length=12, null=True, blank=True, unique=True)
    exchange_sku = models.CharField(max_length=64, blank=True)
    bank_account = models.JSONField(default=dict, blank=True)
    warehouse = models.ForeignKey(
        "inventory.Warehouse", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    policy = models.ForeignKey(ReturnPolicy, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    idempotency_key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    override_note = models.TextField(blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.TextField(blank=True)
    refund_amount = models.BigIntegerField(default=0)
    restocking_fee = models.BigIntegerField(default=0)
    pickup_fee = models.BigIntegerField(default=0, help_text="carrier pickup fee the customer pays (off the refund)")
    pickup_fee_waived_by = models.CharField(max_length=40, blank=True, help_text="benefit that waived the fee")
    refund_code = models.CharField(max_length=40, blank=True)
    refund_status = models.CharField(max_length=24, blank=True)
    refund_sent_at = models.DateTimeField(null=True, blank=True)
    exchange_order_code = models.CharField(max_length=24, blank=True)
    shipment_code = models.CharField(max_length=40, blank=True)
    shipment_status = models.CharField(max_length=24, blank=True)
    tracking_code = models.CharField(max_length=64, blank=True)
    problem = models.CharField(max_length=300, blank=True, help_text="What needs staff attention, if anything")
    problem_at = models.DateTimeField(null=True, blank=True)
    requested_at = models.DateTimeField()
    approved_at = models.DateTimeField(null=True, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True, help_text="Carrier delivered it to the warehouse")
    received_at = models.DateTimeField(null=True, blank=True)
    inspected_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Staff stopped the return while the carrier had the parcel: it goes back to the customer.
    stopped_in_transit_at = models.DateTimeField(null=True, blank=True)
    # Missing items after receipt: wait until due_at for them, then resolve with what arrived.
    due_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        permissions = [
            ("approve_returnrequest", "Can approve or reject return requests"),
            ("receive_returnrequest", "Can receive, inspect and restock returns"),
            ("override_eligibility", "Can accept returns outside the policy (goodwill)"),
            ("override_disposition", "Can choose another disposition than the rule proposes"),
        ]
        indexes = [
            models.Index(fields=["status", "-requested_at"], name="return_status_requested"),
            models.Index(fields=["-requested_at", "-id"], name="return_requested"),
            models.Index(fields=["customer", "-requested_at"], name="return_customer"),
            models.Index(fields=["tracking_code"], name="return_tracking"),
            models.Index(fields=["due_at"], name="return_due", condition=models.Q(due_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.code


class ReturnLine(models.Model):
    """One returned order line (quantity may be part of it); serialised items have one unit per line."""

    request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(
        "sales.OrderLine", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("catalog.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(default=1)
    unit_price = models.BigIntegerField(default=0)
    condition = models.CharField(max_length=24, choices=Condition.choices, default=Condition.OPENED_UNUSED)
    eligible = models.BooleanField(default=True)
    overridden = models.BooleanField(default=False)
    notes = models.JSONField(default=list, blank=True, help_text="Eligibility notes: [{code, params}]")
    received_quantity = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="returnline_quantity_positive")
        ]

    def __str__(self) -> str:
        return f"{self.request_id} x{self.quantity} {self.product_id}"

    @property
    def value(self) -> int:
        return self.quantity * self.unit_price

    @property
    def missing_quantity(self) -> int:
        return max(self.quantity - self.received_quantity, 0)


class Inspection(models.Model):
    """The grade and disposition of received units of one line, with the stock move it caused."""

    line = models.ForeignKey(ReturnLine, on_delete=models.CASCADE, related_name="inspections")
    quantity = models.PositiveIntegerField(default=1)
    grade = models.CharField(max_length=4)
    disposition = models.CharField(max_length=24, choices=Disposition.choices)
    warehouse = models.ForeignKey(
        "inventory.Warehouse", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(blank=True)
    # What the disposition rules proposed, and why staff chose otherwise (empty when they followed it).
    proposed_disposition = models.CharField(max_length=24, blank=True)
    override_reason = models.CharField(max_length=500, blank=True)
    stock_move_id = models.BigIntegerField(null=True, blank=True)
    inspected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    inspected_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.line_id} {self.grade} {self.disposition}"


class ReturnPhoto(models.Model):
    """A photo from the customer (request) or the warehouse (inspection), stored under MEDIA_ROOT."""

    request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="photos")
    inspection = models.ForeignKey(
        Inspection, null=True, blank=True, on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(upload_to="returns/%Y/%m/")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.file.name


class DispositionRule(models.Model):
    """What happens to a returned item of a grade (and reason, category); the most specific active rule wins."""

    grade = models.CharField(_("grade"), max_length=4, blank=True, help_text="empty = every grade")
    reason = models.CharField(
        _("reason"), max_length=24, choices=Reason.choices, blank=True, help_text="empty = every reason"
    )
    category = models.ForeignKey(
        "catalog.Category", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        help_text="empty = every category",
    )  # fmt: skip
    disposition = models.CharField(_("disposition"), max_length=24, choices=Disposition.choices)
    warehouse = models.ForeignKey(
        "inventory.Warehouse", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="where a restock goes; empty = the warehouse that received the return",
    )  # fmt: skip
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["grade", "reason", "pk"]

    def __str__(self) -> str:
        return f"{self.grade or '*'}/{self.reason or '*'}/{self.category_id or '*'} -> {self.disposition}"
