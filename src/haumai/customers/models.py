"""Customers, their channel identities, addresses (2025 two-level units) and consent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import ExtractDay, ExtractMonth
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    """A province-level unit (34 since 1 July 2025)."""

    code = models.PositiveIntegerField(primary_key=True)
    name = models.CharField(max_length=80)
    codename = models.CharField(max_length=80, unique=True)
    search_key = models.CharField(max_length=80, db_index=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Ward(models.Model):
    """A ward/commune, directly under a province in the 2025 two-level system."""

    code = models.PositiveIntegerField(primary_key=True)
    name = models.CharField(max_length=80)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="wards")
    search_key = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["province", "search_key"], name="ward_province_key")]

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "", _("Unknown")


class Customer(models.Model):
    """A person who bought something. Phone is E.164 and unique when present."""

    code = models.CharField(max_length=20, unique=True)
    full_name = models.CharField(_("full name"), max_length=160)
    search_key = models.CharField(max_length=160, help_text="full name without diacritics, lowercase")
    phone = models.CharField(_("phone"), max_length=20, null=True, blank=True, unique=True)
    email = models.EmailField(_("email"), max_length=254, null=True, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    gender = models.CharField(max_length=10, choices=Gender.choices, blank=True, default="")
    preferred_language = models.CharField(max_length=5, default="vi")
    preferred_channel = models.CharField(max_length=20, blank=True, default="")
    external_id = models.CharField(max_length=80, null=True, blank=True, unique=True)
    # Set when this record was merged into another customer (its orders, identities... moved there).
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["search_key"], name="customer_search_key"),
            models.Index(fields=["email"], name="customer_email"),
            models.Index(fields=["-created_at", "-id"], name="customer_created"),
            # Birthday journeys enroll "born on this month/day" every morning.
            models.Index(ExtractMonth("birth_date"), ExtractDay("birth_date"), name="customer_birth_month_day"),
        ]
        permissions = [("view_customer_pii", "Can see customers' full phone, email and address")]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.code})"


class IdentityKind(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    ZALO = "zalo", _("Zalo")
    FACEBOOK = "facebook", _("Facebook")
    WEB = "web", _("Website visitor")
    EXTERNAL = "external", _("External system")


class Identity(models.Model):
    """One way to reach or recognise a customer on one channel."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="identities")
    kind = models.CharField(max_length=20, choices=IdentityKind.choices)
    value = models.CharField(max_length=254)
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="identity_kind_value_unique")]
        verbose_name_plural = "identities"

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class Address(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="addresses")
    label = models.CharField(max_length=40, blank=True)
    recipient_name = models.CharField(max_length=160, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    street = models.CharField(_("street address"), max_length=255)
    ward = models.ForeignKey(Ward, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    is_default = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        parts = [self.street, self.ward.name if self.ward else "", self.province.name]
        return ", ".join(p for p in parts if p)


class ConsentPurpose(models.TextChoices):
    SERVICE = "service", _("Service messages")
    MARKETING = "marketing", _("Marketing")


class ConsentChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    ZALO = "zalo", _("Zalo")
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone call")


class ConsentText(models.Model):
    """The wording a person agrees to for one purpose, versioned (one version number for vi and en).
    A version that `requires_reconsent` makes grants of older versions stop counting for that purpose."""

    purpose = models.CharField(max_length=20, choices=ConsentPurpose.choices)
    version = models.PositiveIntegerField()
    language = models.CharField(max_length=5, choices=[("vi", "Tiếng Việt"), ("en", "English")])
    body = models.TextField()
    requires_reconsent = models.BooleanField(default=True)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["purpose", "version", "language"], name="consenttext_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.purpose} v{self.version} ({self.language})"


class EvidenceChannel(models.TextChoices):
    PORTAL = "portal", _("Customer portal")
    CONSOLE = "console", _("Recorded by staff")
    API = "api", _("Connected system (API)")
    IMPORT = "import", _("Imported file")
    MESSAGE_LINK = "message_link", _("Link in a message")
    IN_STORE = "in_store", _("Signed at a store")


class Consent(models.Model):
    """The current consent state for one purpose on one channel, with the wording version agreed to and
    the evidence of how it was given (channel, time, address or agent); history lives in events."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=20, choices=ConsentPurpose.choices)
    channel = models.CharField(max_length=20, choices=ConsentChannel.choices)
    granted = models.BooleanField()
    source = models.CharField(max_length=40, blank=True)
    recorded_at = models.DateTimeField()
    text_version = models.PositiveIntegerField(null=True, blank=True, help_text="ConsentText version agreed to")
    # db_default: bulk writers (the demo's COPY) that do not name these columns still get "".
    evidence_channel = models.CharField(max_length=20, choices=EvidenceChannel.choices, blank=True, db_default="")
    evidence_ip = models.GenericIPAddressField(null=True, blank=True)
    evidence_agent = models.CharField(max_length=200, blank=True, db_default="", help_text="browser, or staff member")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["customer", "purpose", "channel"], name="consent_unique")]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.purpose}/{self.channel}={self.granted}"
