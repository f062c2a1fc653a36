"""Booking at service centres: opening hours, closed days, appointment slots and appointments,
on-site visits by technicians, and maintenance plans and schedules per unit.

Capacity is held by `AppointmentSlot`: one row per centre and slot start whose `booked` counter is
raised by a conditional UPDATE (`booked < capacity`), so parallel bookings of the last place cannot
both succeed on PostgreSQL or SQLite. Technicians' windows are checked under a row lock on their
`TechnicianLock` row."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class OpeningHours(models.Model):
    """One opening range of a weekday (a lunch break is two ranges on the same day)."""

    center = models.ForeignKey("repairs.ServiceCenter", on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=WEEKDAYS)
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))

    class Meta:
        ordering = ["center", "weekday", "opens_at"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="repairs_hours_close_after_open"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="repairs_hours_weekday"),
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens_at:%H:%M}-{self.closes_at:%H:%M}"


class ClosedDay(models.Model):
    """A day a centre is closed besides the public holidays (inventory, repairs to the building...)."""

    center = models.ForeignKey("repairs.ServiceCenter", on_delete=models.CASCADE, related_name="closed_days")
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=160, blank=True)

    class Meta:
        ordering = ["center", "date"]
        constraints = [models.UniqueConstraint(fields=["center", "date"], name="repairs_closed_day_unique")]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y}"


class AppointmentSlot(models.Model):
    """The capacity counter of one slot at one centre (created on first booking)."""

    center = models.ForeignKey("repairs.ServiceCenter", on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    booked = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["center", "starts_at"], name="repairs_slot_unique"),
            models.CheckConstraint(condition=Q(booked__gte=0), name="repairs_slot_booked_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} ({self.booked})"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CHECKED_IN = "checked_in", _("Checked in")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("Did not come")


class BookingOrigin(models.TextChoices):
    PORTAL = "portal", _("Customer portal")
    CONSOLE = "console", _("Console")
    API = "api", _("API")


class Appointment(models.Model):
    """A customer's booked slot at a service centre (AP-YYYY-NNNNNN)."""

    code = models.CharField(max_length=24, unique=True)
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="appointments")
    unit = models.ForeignKey("catalog.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    center = models.ForeignKey("repairs.ServiceCenter", on_delete=models.PROTECT, related_name="appointments")
    slot = models.ForeignKey(AppointmentSlot, on_delete=models.PROTECT, related_name="appointments")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED)
    origin = models.CharField(max_length=10, choices=BookingOrigin.choices, default=BookingOrigin.CONSOLE)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True)
    cancel_reason = models.CharField(max_length=300, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    reschedule_count = models.PositiveSmallIntegerField(default=0)
    # The repair intake created at check-in (haumai.repairs.services.intake.receive_unit).
    repair_order = models.OneToOneField(
        "repairs.RepairOrder", null=True, blank=True, on_delete=models.SET_NULL, related_name="appointment"
    )
    # When the reminder with the signed link is sent (a day before; the scheduler tick).
    remind_at = models.DateTimeField(null=True, blank=True)
    # When a booked appointment is marked as a no-show if nobody checked it in (the scheduler tick).
    due_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["center", "starts_at"], name="repairs_appt_center_start"),
            models.Index(fields=["customer", "starts_at"], name="repairs_appt_customer_start"),
            models.Index(fields=["due_at"], name="repairs_appt_due", condition=Q(due_at__isnull=False)),
            models.Index(fields=["remind_at"], name="repairs_appt_remind", condition=Q(remind_at__isnull=False)),
        ]
        permissions = [("check_in_appointment", "Can check in an appointment at the counter")]

    def __str__(self) -> str:
        return self.code


class VisitStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class VisitOutcome(models.TextChoices):
    FIXED = "fixed", _("Fixed on site")
    NEEDS_WORKSHOP = "needs_workshop", _("Needs the workshop")
    PARTS_ORDERED = "parts_ordered", _("Parts ordered")
    MAINTAINED = "maintained", _("Maintenance done")


class OnSiteVisit(models.Model):
    """A technician's visit at the customer's address in a time window (VS-YYYY-NNNNNN)."""

    code = models.CharField(max_length=24, unique=True)
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="onsite_visits")
    unit = models.ForeignKey("catalog.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    address = models.ForeignKey("customers.Address", on_delete=models.PROTECT, related_name="+")
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="onsite_visits"
    )
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=VisitStatus.choices, default=VisitStatus.SCHEDULED)
    outcome = models.CharField(max_length=20, choices=VisitOutcome.choices, blank=True)
    outcome_notes = models.TextField(blank=True)
    maintenance = models.ForeignKey(
        "repairs.MaintenanceSchedule", null=True, blank=True, on_delete=models.SET_NULL, related_name="visits"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["window_start", "id"]
        indexes = [
            models.Index(fields=["technician", "window_start"], name="repairs_visit_tech_start"),
            models.Index(fields=["customer", "window_start"], name="repairs_visit_customer_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(window_end__gt=F("window_start")), name="repairs_visit_window"),
        ]
        permissions = [("record_visit_outcome", "Can record the outcome of an on-site visit")]

    def __str__(self) -> str:
        return self.code


class TechnicianLock(models.Model):
    """One row per technician, locked while a visit is assigned, so overlapping windows cannot both pass."""

    technician = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return str(self.technician_id)


class MaintenancePlan(models.Model):
    """Periodic maintenance for a product or a whole category (e.g. air-conditioner cleaning every 6 months)."""

    name = models.CharField(_("name"), max_length=160)
    product = models.ForeignKey("catalog.Product", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(
        "catalog.Category", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    interval_months = models.PositiveSmallIntegerField(_("every (months)"))
    onsite = models.BooleanField(_("done at the customer's home"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(product__isnull=False) & Q(category__isnull=True))
                | (Q(product__isnull=True) & Q(category__isnull=False)),
                name="repairs_plan_product_xor_category",
            ),
            models.CheckConstraint(condition=Q(interval_months__gte=1), name="repairs_plan_interval"),
        ]

    def __str__(self) -> str:
        return self.name


class MaintenanceSchedule(models.Model):
    """A unit's place in its maintenance plan: when the next maintenance is due (claimed by the tick)."""

    unit = models.ForeignKey("catalog.Unit", on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(MaintenancePlan, on_delete=models.CASCADE, related_name="schedules")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="maintenance")
    next_due_on = models.DateField()
    last_done_at = models.DateTimeField(null=True, blank=True)
    reminded_for = models.DateField(null=True, blank=True, help_text="the due date already reminded")
    is_active = models.BooleanField(default=True)
    # When the scheduler emits `maintenance.due` (null once reminded, until maintenance is recorded).
    due_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["next_due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "plan"], name="repairs_schedule_unit_plan")]
        indexes = [
            models.Index(fields=["due_at"], name="repairs_schedule_due", condition=Q(due_at__isnull=False)),
            models.Index(fields=["customer", "next_due_on"], name="repairs_schedule_customer"),
        ]
        permissions = [("record_maintenance", "Can record a maintenance as done")]

    def __str__(self) -> str:
        return f"{self.plan_id}:{self.unit_id}"


class MaintenanceRecord(models.Model):
    """A maintenance done: who, when, on which visit or appointment."""

    schedule = models.ForeignKey(MaintenanceSchedule, on_delete=models.CASCADE, related_name="records")
    done_at = models.DateTimeField()
    note = models.CharField(max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    visit = models.ForeignKey(OnSiteVisit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-done_at", "-id"]

    def __str__(self) -> str:
        return f"{self.schedule_id} {self.done_at:%d/%m/%Y}"
