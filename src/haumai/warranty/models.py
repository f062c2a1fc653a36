"""Warranty policies (with per-component terms), one warranty per sold unit, its extensions, paid
extended plans and claims.

Repairs (a later app) attach to a Claim whose resolution is "repair" and record the days a unit spent
in service as a `WarrantyExtension` (kind "service_days"), which moves the warranty's end date.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DurationUnit(models.TextChoices):
    MONTHS = "months", _("months")
    DAYS = "days", _("days")


class StartRule(models.TextChoices):
    PURCHASE = "purchase", _("Purchase date")
    DELIVERY = "delivery", _("Delivery date")
    ACTIVATION = "activation", _("Activation date")


class Responsibility(models.TextChoices):
    RETAILER = "retailer", _("Retailer")
    BRAND = "brand", _("Brand (authorised service centre)")


class WarrantyPolicy(models.Model):
    """Warranty terms for one product, a category, or (neither) generic terms matched by duration."""

    code = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=160)
    product = models.ForeignKey("catalog.Product", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey("catalog.Category", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    duration = models.PositiveIntegerField(_("duration"), default=12)
    duration_unit = models.CharField(max_length=10, choices=DurationUnit.choices, default=DurationUnit.MONTHS)
    start_rule = models.CharField(max_length=20, choices=StartRule.choices, default=StartRule.PURCHASE)
    coverage_vi = models.TextField(_("coverage (Vietnamese)"), blank=True)
    coverage_en = models.TextField(_("coverage (English)"), blank=True)
    exclusions_vi = models.TextField(_("exclusions (Vietnamese)"), blank=True)
    exclusions_en = models.TextField(_("exclusions (English)"), blank=True)
    responsibility = models.CharField(max_length=20, choices=Responsibility.choices, default=Responsibility.RETAILER)
    service_name = models.CharField(_("service network"), max_length=160, blank=True)
    service_address = models.CharField(_("service address"), max_length=255, blank=True)
    service_phone = models.CharField(_("service phone"), max_length=20, blank=True)
    repair_attempts_before_replacement = models.PositiveSmallIntegerField(default=3)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "warranty policies"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~(Q(product__isnull=False) & Q(category__isnull=False)), name="warranty_policy_one_scope"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class WarrantyPolicyComponent(models.Model):
    """A part with its own term, e.g. compressor 10 years while the body has 2."""

    policy = models.ForeignKey(WarrantyPolicy, on_delete=models.CASCADE, related_name="components")
    name_vi = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120, blank=True)
    duration = models.PositiveIntegerField()
    duration_unit = models.CharField(max_length=10, choices=DurationUnit.choices, default=DurationUnit.MONTHS)

    class Meta:
        ordering = ["policy", "id"]

    def __str__(self) -> str:
        return f"{self.name_vi} {self.duration} {self.duration_unit}"


class WarrantyStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for activation")
    ACTIVE = "active", _("Under warranty")
    EXPIRED = "expired", _("Warranty expired")
    VOID = "void", _("Void")
    REPLACED = "replaced", _("Replaced")


class WarrantySource(models.TextChoices):
    DELIVERY = "delivery", _("Order delivered")
    IMPORT = "import", _("Imported")
    REPLACEMENT = "replacement", _("Replacement unit")
    API = "api", _("API")


class VoidReason(models.TextChoices):
    RETURNED_REFUNDED = "returned_refunded", _("Returned and refunded")
    CLAIM_REFUNDED = "claim_refunded", _("Refunded under a warranty claim")
    RESOLD = "resold", _("Unit sold again")
    STAFF = "staff", _("Voided by staff")


LIVE_STATUSES = (WarrantyStatus.PENDING, WarrantyStatus.ACTIVE)


class Warranty(models.Model):
    """The warranty of one sold unit: its terms as sold (snapshot), dates and state."""

    code = models.CharField(max_length=24, unique=True)
    unit = models.ForeignKey("catalog.Unit", on_delete=models.PROTECT, related_name="warranties")
    order_line = models.ForeignKey(
        "sales.OrderLine", null=True, blank=True, on_delete=models.PROTECT, related_name="warranties"
    )
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="warranties")
    policy = models.ForeignKey(WarrantyPolicy, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    terms = models.JSONField(default=dict, help_text="The policy as it was when the warranty was created")
    source = models.CharField(max_length=20, choices=WarrantySource.choices)
    status = models.CharField(max_length=20, choices=WarrantyStatus.choices, default=WarrantyStatus.ACTIVE)
    purchased_on = models.DateField(null=True, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    base_ends_on = models.DateField(null=True, blank=True, help_text="starts_on + duration, before extensions")
    ends_on = models.DateField(null=True, blank=True, help_text="base end + days in service and other extensions")
    # The last covered day with the active extended plans (>= ends_on); what the expiry reminder counts from.
    covered_until = models.DateField(null=True, blank=True, help_text="ends_on, or the end of an active plan beyond")
    # The expiry reminder (`warranty.expiring`) went out for the end `expiry_reminded_for`; a moved end re-arms it.
    expiry_reminded_at = models.DateTimeField(null=True, blank=True)
    expiry_reminded_for = models.DateField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    activation_phone = models.CharField(max_length=20, blank=True)
    proof_photo = models.FileField(upload_to="warranty/proof/%Y/%m/", blank=True)
    proof_content_type = models.CharField(max_length=40, blank=True)
    void_reason = models.CharField(max_length=30, choices=VoidReason.choices, blank=True)
    void_note = models.CharField(max_length=300, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    replaced_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaces")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "warranties"
        permissions = [
            ("activate_warranty", "Can activate warranties on behalf of customers"),
            ("import_warranty", "Can import warranties of units sold before Haumai"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["unit", "order_line"], name="warranty_unit_order_line_unique"),
            models.UniqueConstraint(
                fields=["unit"], condition=Q(status__in=["pending", "active"]), name="warranty_one_live_per_unit"
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "-created_at"], name="warranty_customer_created"),
            models.Index(fields=["status", "ends_on"], name="warranty_status_ends"),
            # The scheduler's expiry source reads only active warranties not reminded yet, by covered end.
            models.Index(
                fields=["covered_until"],
                name="warranty_cover_expiry_due",
                condition=Q(status="active", expiry_reminded_at__isnull=True),
            ),
            models.Index(fields=["-created_at", "-id"], name="warranty_created"),
        ]

    def __str__(self) -> str:
        return self.code

    def state_on(self, day: dt.date) -> str:
        """The status as of `day`: an active warranty whose end date passed reads as expired."""
        if self.status == WarrantyStatus.ACTIVE and self.ends_on is not None and self.ends_on < day:
            return WarrantyStatus.EXPIRED
        return self.status


class ExtensionKind(models.TextChoices):
    SERVICE_DAYS = "service_days", _("Days in warranty service")
    GOODWILL = "goodwill", _("Goodwill extension")


class WarrantyExtension(models.Model):
    """Days added to a warranty's end date, e.g. a service period (the unit was in repair)."""

    warranty = models.ForeignKey(Warranty, on_delete=models.CASCADE, related_name="extensions")
    kind = models.CharField(max_length=20, choices=ExtensionKind.choices)
    days = models.PositiveIntegerField()
    service_from = models.DateField(null=True, blank=True)
    service_until = models.DateField(null=True, blank=True)
    reference = models.CharField(max_length=40, blank=True, help_text="The claim or repair order behind it")
    note = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["warranty", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=1), name="warranty_extension_days_positive"),
            models.UniqueConstraint(
                fields=["warranty", "kind", "reference"],
                condition=~Q(reference=""),
                name="warranty_extension_once_per_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.warranty_id} +{self.days}d"


class ExtendedPlan(models.Model):
    """A paid extended-warranty plan (like AppleCare) that can be sold for units of some products."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=160)
    price = models.BigIntegerField(_("price (VND)"))
    duration = models.PositiveIntegerField(default=12)
    duration_unit = models.CharField(max_length=10, choices=DurationUnit.choices, default=DurationUnit.MONTHS)
    starts_after_warranty = models.BooleanField(
        default=True, help_text="Starts when the manufacturer warranty ends (else on the day it is sold)"
    )
    coverage_vi = models.TextField(blank=True)
    coverage_en = models.TextField(blank=True)
    category = models.ForeignKey("catalog.Category", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=Q(price__gte=0), name="extended_plan_price_not_negative")]

    def __str__(self) -> str:
        return self.name


class PlanStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CANCELLED = "cancelled", _("Cancelled")


class ExtendedCoverage(models.Model):
    """One extended plan sold for one unit's warranty; cancelling refunds the unused days pro rata."""

    code = models.CharField(max_length=24, unique=True)
    plan = models.ForeignKey(ExtendedPlan, on_delete=models.PROTECT, related_name="sales")
    warranty = models.ForeignKey(Warranty, on_delete=models.PROTECT, related_name="plans")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    price_paid = models.BigIntegerField()
    sold_on = models.DateField()
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    cancelled_on = models.DateField(null=True, blank=True)
    refund_amount = models.BigIntegerField(null=True, blank=True)
    external_id = models.CharField(max_length=80, null=True, blank=True, unique=True, help_text="POS idempotency")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(price_paid__gte=0), name="extended_coverage_price_not_negative"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="extended_coverage_dates"),
        ]

    def __str__(self) -> str:
        return self.code


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    IN_SERVICE = "in_service", _("In service")
    RESOLVED = "resolved", _("Resolved")
    CANCELLED = "cancelled", _("Cancelled")


class ClaimResolution(models.TextChoices):
    REPAIR = "repair", _("Repair")
    REPLACEMENT = "replacement", _("Replacement")
    REFUND = "refund", _("Refund")


class ClaimOrigin(models.TextChoices):
    PORTAL = "portal", _("Portal")
    CONSOLE = "console", _("Console")
    API = "api", _("API")


OPEN_CLAIM_STATUSES = (ClaimStatus.SUBMITTED, ClaimStatus.ACCEPTED, ClaimStatus.IN_SERVICE)


class Claim(models.Model):
    """A warranty claim: the customer's description, the coverage decision with reasons, the resolution."""

    code = models.CharField(max_length=24, unique=True)
    warranty = models.ForeignKey(Warranty, on_delete=models.PROTECT, related_name="claims")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    origin = models.CharField(max_length=20, choices=ClaimOrigin.choices)
    description = models.TextField()
    status = models.CharField(max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED)
    covered = models.BooleanField(default=False)
    notes = models.JSONField(default=list, blank=True, help_text="Coverage reasons: [{code, params}]")
    resolution = models.CharField(max_length=20, choices=ClaimResolution.choices, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)
    replacement_warranty = models.ForeignKey(
        Warranty, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_code = models.CharField(max_length=24, blank=True, help_text="The RMA of a refund, when there is one")
    # The service centre (repairs app, by code) chosen to handle a repair: one of ours, or the brand's
    # authorised centre when the brand's network is responsible. Empty: the default own centre.
    service_center_code = models.CharField(max_length=40, blank=True)
    submitted_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        permissions = [("decide_claim", "Can decide and resolve warranty claims")]
        indexes = [
            models.Index(fields=["status", "-submitted_at"], name="claim_status_submitted"),
            models.Index(fields=["-submitted_at", "-id"], name="claim_submitted"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["warranty"],
                condition=Q(status__in=["submitted", "accepted", "in_service"]),
                name="claim_one_open_per_warranty",
            ),
        ]

    def __str__(self) -> str:
        return self.code
