"""Repair orders (RO-2026-000123): intake, diagnosis, quote lines, parts used from stock, QC, pickup.

The state history (`RepairStateChange`) is the turnaround clock: the technician's clock leaves out the
time spent waiting for parts; the days the unit was with us (intake to hand-back) extend its warranty.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RepairStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    DIAGNOSING = "diagnosing", _("Diagnosing")
    QUOTED = "quoted", _("Quote sent")
    APPROVED = "approved", _("Quote approved")
    DECLINED = "declined", _("Quote declined")
    WAITING_PARTS = "waiting_parts", _("Waiting for parts")
    REPAIRING = "repairing", _("Repairing")
    QC = "qc", _("Quality check")
    READY = "ready", _("Ready for pickup")
    RETURNED = "returned_to_customer", _("Returned to customer")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = tuple(s for s in RepairStatus.values if s != RepairStatus.CLOSED)
# States in which the unit is on our bench (the technician's clock runs unless waiting for parts).
PAUSABLE_STATUSES = (RepairStatus.DIAGNOSING, RepairStatus.APPROVED, RepairStatus.REPAIRING)


class RepairOutcome(models.TextChoices):
    REPAIRED = "repaired", _("Repaired")
    NOT_REPAIRED = "not_repaired", _("Returned without repair")
    REPLACEMENT = "replacement", _("Replaced instead (repeated defect)")
    REFUND = "refund", _("Refunded instead (repeated defect)")


class GoodwillStatus(models.TextChoices):
    NONE = "", _("No goodwill")
    GRANTED = "granted", _("Granted within the limit")
    PENDING = "pending", _("Waiting for a manager")
    APPROVED = "approved", _("Approved by a manager")
    REFUSED = "refused", _("Refused by a manager")


class RepairOrigin(models.TextChoices):
    COUNTER = "counter", _("Counter intake")
    CLAIM = "claim", _("Warranty claim")
    RETURN = "return", _("Defective return")
    APPOINTMENT = "appointment", _("Appointment check-in")
    API = "api", _("API")


class RepairOrder(models.Model):
    """One unit in our service: who, what, where, the state, the quote and the outcome."""

    code = models.CharField(max_length=24, unique=True)
    unit = models.ForeignKey("catalog.Unit", on_delete=models.PROTECT, related_name="repair_orders")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="repair_orders")
    claim = models.ForeignKey("warranty.Claim", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source_return = models.ForeignKey(
        "returns.ReturnRequest", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    service_center = models.ForeignKey("repairs.ServiceCenter", on_delete=models.PROTECT, related_name="orders")
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="repair_orders"
    )
    origin = models.CharField(max_length=20, choices=RepairOrigin.choices, default=RepairOrigin.COUNTER)
    status = models.CharField(max_length=24, choices=RepairStatus.choices, default=RepairStatus.RECEIVED)
    paused_from = models.CharField(max_length=24, choices=RepairStatus.choices, blank=True)
    under_warranty = models.BooleanField(default=False, help_text="Covered by the warranty: the customer pays 0")
    # Intake (giấy tiếp nhận bảo hành). An order opened from a claim waits for the unit: intake_done False.
    intake_done = models.BooleanField(default=True)
    description = models.TextField(_("customer's description"))
    condition = models.CharField(_("condition at intake"), max_length=500, blank=True)
    accessories = models.JSONField(default=list, blank=True, help_text="Accessories received with the unit")
    received_at = models.DateTimeField()
    promised_at = models.DateTimeField(help_text="Promised completion, from the centre's turnaround target")
    # The 3-failed-repairs rule: the previous order for the same defect, and which attempt this is.
    repeat_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    attempt = models.PositiveSmallIntegerField(default=1)
    replacement_due = models.BooleanField(default=False)
    replacement_note = models.CharField(max_length=500, blank=True)
    replacement_return_code = models.CharField(max_length=24, blank=True)
    # Diagnosis and quote.
    diagnosis = models.TextField(blank=True)
    quote_version = models.PositiveSmallIntegerField(default=0)
    quote_sent_at = models.DateTimeField(null=True, blank=True)
    quote_expires_at = models.DateTimeField(null=True, blank=True)
    quote_decided_at = models.DateTimeField(null=True, blank=True)
    quote_decided_by = models.CharField(max_length=80, blank=True, help_text="customer (portal/link) or staff user")
    # Goodwill: a discount (up to a free repair) off a paid quote. Above the giver's approval limit
    # (accounts.ApprovalLimit) the quote waits for a manager before the customer sees it.
    goodwill_vnd = models.BigIntegerField(default=0, help_text="Discount off the current quote (VND)")
    goodwill_reason = models.CharField(max_length=500, blank=True)
    goodwill_status = models.CharField(max_length=10, choices=GoodwillStatus.choices, blank=True, default="")
    goodwill_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    goodwill_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    goodwill_decided_at = models.DateTimeField(null=True, blank=True)
    goodwill_note = models.CharField(max_length=500, blank=True)
    # QC and the end.
    qc_failures = models.PositiveSmallIntegerField(default=0)
    qc_note = models.CharField(max_length=500, blank=True)
    outcome = models.CharField(max_length=20, choices=RepairOutcome.choices, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    service_days = models.PositiveIntegerField(default=0, help_text="Days added to the warranty at hand-back")
    # Outsourced to the brand's service centre.
    outsourced_to = models.ForeignKey(
        "repairs.ServiceCenter", null=True, blank=True, on_delete=models.PROTECT, related_name="outsourced_orders"
    )
    outsource_carrier = models.CharField(max_length=40, blank=True)
    outsource_tracking = models.CharField(max_length=64, blank=True)
    outsource_shipment = models.CharField(max_length=24, blank=True, help_text="Shipment code when booked")
    outsource_status = models.CharField(max_length=20, blank=True, help_text="Last status of that shipment")
    outsource_return_shipment = models.CharField(max_length=24, blank=True, help_text="Shipment back to us")
    outsource_return_status = models.CharField(max_length=20, blank=True)
    outsourced_at = models.DateTimeField(null=True, blank=True)
    outsource_back_at = models.DateTimeField(null=True, blank=True)
    technician_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        permissions = [
            ("work_repairorder", "Can diagnose, repair and check repair orders"),
            ("assign_repairorder", "Can assign repair orders to any technician"),
            ("approve_goodwill", "Can approve repair goodwill above the giver's limit"),
        ]
        indexes = [
            models.Index(fields=["status", "-received_at"], name="repair_status_received"),
            models.Index(fields=["technician", "status"], name="repair_technician_status"),
            models.Index(fields=["customer", "-received_at"], name="repair_customer_received"),
            models.Index(fields=["-received_at", "-id"], name="repair_received"),
            models.Index(fields=["ready_at"], name="repair_ready"),  # turnaround KPI per day
            models.Index(
                fields=["-updated_at"], name="repair_goodwill_pending", condition=Q(goodwill_status="pending")
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(claim__isnull=False) & ~Q(status="closed"),
                name="repair_one_open_per_claim",
            ),
            models.UniqueConstraint(fields=["unit"], condition=~Q(status="closed"), name="repair_one_open_per_unit"),
        ]

    def __str__(self) -> str:
        return self.code


class RepairStateChange(models.Model):
    """One state change: the turnaround clock and the order's history."""

    order = models.ForeignKey(RepairOrder, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=24, choices=RepairStatus.choices, blank=True)
    to_status = models.CharField(max_length=24, choices=RepairStatus.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=80, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["order", "at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status} -> {self.to_status}"


class RepairPhoto(models.Model):
    """A photo taken at intake (or later), stored under MEDIA_ROOT/repairs/."""

    order = models.ForeignKey(RepairOrder, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="repairs/%Y/%m/")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.file.name


class LineKind(models.TextChoices):
    PART = "part", _("Part")
    LABOUR = "labour", _("Labour")


class QuoteLine(models.Model):
    """A line of the quote: a part (a catalogue product) or labour; cost always, price unless covered."""

    order = models.ForeignKey(RepairOrder, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=10, choices=LineKind.choices)
    part = models.ForeignKey("catalog.Product", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField(default=1)
    unit_cost = models.BigIntegerField(default=0, help_text="What it costs us (VND)")
    unit_price = models.BigIntegerField(default=0, help_text="List price (VND)")
    customer_price = models.BigIntegerField(default=0, help_text="What the customer pays for the line (0 if covered)")
    version = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="quote_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(unit_cost__gte=0) & Q(unit_price__gte=0) & Q(customer_price__gte=0),
                name="quote_line_money_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.kind} {self.description}"


class PartUsage(models.Model):
    """A part taken from the centre's warehouse (one stock move) and fitted; a fresh warranty for it."""

    order = models.ForeignKey(RepairOrder, on_delete=models.CASCADE, related_name="parts")
    part = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey("inventory.Warehouse", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    unit_cost = models.BigIntegerField()
    stock_move_id = models.BigIntegerField(help_text="The inventory move that took it from stock")
    warranty_starts_on = models.DateField()
    warranty_ends_on = models.DateField(help_text="The replaced component's own fresh warranty")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    used_at = models.DateTimeField()

    class Meta:
        ordering = ["order", "used_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="part_usage_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.order_id} {self.part_id} x{self.quantity}"


class LoanDevice(models.Model):
    """A similar product lent while the unit is in service (sản phẩm tương tự dùng tạm)."""

    order = models.ForeignKey(RepairOrder, on_delete=models.PROTECT, related_name="loans")
    unit = models.ForeignKey("catalog.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(max_length=200)
    lent_at = models.DateTimeField()
    due_back_on = models.DateField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    condition_back = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["order", "lent_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=Q(returned_at__isnull=True, unit__isnull=False), name="loan_unit_lent_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.description}"
