"""Data-subject requests (access/export, correction, consent withdrawal, restriction, objection,
deletion) with their legal clock, and the schedule of the retention job."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    EXPORT = "export", _("Access and copy of my data")
    CORRECTION = "correction", _("Correct my data")
    WITHDRAW_CONSENT = "withdraw_consent", _("Withdraw consent")
    RESTRICTION = "restriction", _("Restrict processing")
    OBJECTION = "objection", _("Object to processing")
    DELETION = "deletion", _("Delete my data")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received, identity not verified")
    VERIFIED = "verified", _("Identity verified")
    PROCESSING = "processing", _("Processing")
    COMPLETED = "completed", _("Completed")
    REJECTED = "rejected", _("Rejected")


OPEN_STATUSES = (RequestStatus.RECEIVED, RequestStatus.VERIFIED, RequestStatus.PROCESSING)


class RequestOrigin(models.TextChoices):
    PORTAL = "portal", _("Customer portal")
    CONSOLE = "console", _("Console (on the customer's behalf)")


class VerificationMethod(models.TextChoices):
    PORTAL_LOGIN = "portal_login", _("Signed in to the portal with a one-time code")
    ID_DOCUMENT = "id_document", _("Identity document checked in person")
    PHONE_CALLBACK = "phone_callback", _("Called back on the phone number on file")
    EMAIL_REPLY = "email_reply", _("Confirmed from the e-mail address on file")
    IN_STORE = "in_store", _("Confirmed at a store with the order")


class DataRequest(models.Model):
    """One request by a person about their personal data; its deadlines run from `received_at`."""

    code = models.CharField(max_length=24, unique=True)
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="data_requests")
    kind = models.CharField(max_length=20, choices=RequestKind.choices)
    status = models.CharField(max_length=20, choices=RequestStatus.choices, default=RequestStatus.RECEIVED)
    origin = models.CharField(max_length=10, choices=RequestOrigin.choices)
    details = models.TextField(blank=True, help_text="what to correct, which consent, why")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField()
    acknowledge_by = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(help_text="completion deadline (extended at most once)")
    extended_at = models.DateTimeField(null=True, blank=True)
    extension_reason = models.CharField(max_length=300, blank=True)
    verification_method = models.CharField(max_length=20, choices=VerificationMethod.choices, blank=True)
    verification_note = models.CharField(max_length=300, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    result_note = models.TextField(blank=True)
    # The export ZIP lives on disk (conf.export_dir()), never in this row.
    export_file = models.CharField(max_length=120, blank=True, help_text="file name inside the export folder")
    export_bytes = models.BigIntegerField(null=True, blank=True)
    export_sha256 = models.CharField(max_length=64, blank=True)
    export_built_at = models.DateTimeField(null=True, blank=True)
    export_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        permissions = [
            ("process_datarequest", "Can verify and complete data-subject requests"),
            ("erase_customer", "Can anonymize a customer (deletion requests)"),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="datarequest_status_due"),
            models.Index(fields=["customer", "-received_at"], name="datarequest_customer"),
            models.Index(fields=["-received_at", "-id"], name="datarequest_received"),
            models.Index(
                fields=["export_expires_at"],
                name="datarequest_export_expiry",
                condition=~models.Q(export_file=""),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class RetentionSchedule(models.Model):
    """When the retention job runs next (one row, claimed by the scheduler tick like any due row)."""

    key = models.CharField(max_length=40, unique=True, default="daily")
    next_run_at = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_counts = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"{self.key} next {self.next_run_at}"


class AccessAction(models.TextChoices):
    VIEW_CUSTOMER = "view_customer", _("Opened a customer record with contact details shown")
    VIEW_LIST = "view_list", _("Listed customers with contact details shown")
    VIEW_RECORD = "view_record", _("Opened a page showing a customer's contact details")
    EXPORT_DOWNLOAD = "export_download", _("Downloaded a personal-data export")
    CSV_EXPORT = "csv_export", _("Exported a CSV file")
    BULK_DOWNLOAD = "bulk_download", _("Bulk download")


class AccessLog(models.Model):
    """One look at, or export of, personal data by staff (or a download by the person): who, what, when, why.
    Append-only: written by `privacy.audit.record_access`, never edited except to add the reason."""

    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(
        max_length=150, blank=True, help_text="user name at the time (kept if the user goes)"
    )
    action = models.CharField(max_length=20, choices=AccessAction.choices)
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target = models.CharField(max_length=60, blank=True, help_text="code of what was opened or exported")
    reason = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True, help_text="counts and filters, never personal values")

    class Meta:
        permissions = [("export_accesslog", "Can export the access log")]
        indexes = [
            models.Index(fields=["-occurred_at", "-id"], name="accesslog_recent"),
            models.Index(fields=["actor", "-occurred_at"], name="accesslog_actor"),
            models.Index(fields=["customer", "-occurred_at"], name="accesslog_customer"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.target}"


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("Open, being assessed")
    CONTAINED = "contained", _("Contained")
    NOTIFIED = "notified", _("Authority notified")
    CLOSED = "closed", _("Closed")


class Incident(models.Model):
    """A personal-data breach (or suspected one) with the legal clock to notify the authority."""

    code = models.CharField(max_length=24, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="what happened; name no one")
    data_categories = models.CharField(max_length=300, blank=True, help_text="kinds of data concerned")
    measures = models.TextField(blank=True, help_text="what was done to contain it and to limit the harm")
    status = models.CharField(max_length=12, choices=IncidentStatus.choices, default=IncidentStatus.OPEN)
    occurred_at = models.DateTimeField(null=True, blank=True)
    discovered_at = models.DateTimeField()
    notify_by = models.DateTimeField(help_text="deadline to notify the authority (discovered_at + setting)")
    authority_notified_at = models.DateTimeField(null=True, blank=True)
    authority_reference = models.CharField(max_length=100, blank=True)
    customers_notified_at = models.DateTimeField(null=True, blank=True)
    affected_estimate = models.PositiveIntegerField(default=0, help_text="people affected, when not all are known")
    affected_customers = models.ManyToManyField("customers.Customer", blank=True, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "notify_by"], name="incident_status_due")]

    def __str__(self) -> str:
        return self.code


class RestrictionPurpose(models.TextChoices):
    """What a restriction of processing stops (Law 91/2025/QH15 Art. 4(1): the right to restrict processing)."""

    MARKETING = "marketing", _("Marketing messages and offers")
    PROFILING = "profiling", _("Profiling: segments, RFM scores, recommendations")
    AUTOMATED_CARE = "automated_care", _("Automated care journeys")
    ALL = "all", _("All processing except legal obligations and the contract")


class ProcessingRestriction(models.Model):
    """A customer's restriction of processing for some purposes, from when it was set until it is lifted.

    At most one is in force per customer (a new one replaces it). Legal obligations and the contract
    (orders, warranty, returns, refunds, loyalty points earned on purchases, service messages about them)
    go on; see README.md for what each purpose stops."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="processing_restrictions"
    )
    purposes = models.JSONField(default=list, help_text="RestrictionPurpose values")
    request = models.ForeignKey(
        DataRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="restrictions"
    )
    evidence = models.CharField(max_length=300, help_text="the person's words, or how the request reached us")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_by_label = models.CharField(max_length=150, blank=True)
    set_at = models.DateTimeField()
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lift_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer"], condition=models.Q(lifted_at__isnull=True), name="one_restriction_in_force"
            )
        ]
        indexes = [models.Index(fields=["customer", "-set_at"], name="restriction_customer")]

    def __str__(self) -> str:
        return f"{self.customer_id} {','.join(self.purposes)}"
