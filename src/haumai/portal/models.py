"""Portal login challenges (one-time codes and login links) and lookup attempts for rate limits."""

from __future__ import annotations

from django.db import models


class LoginChannel(models.TextChoices):
    EMAIL = "email", "E-mail"
    SMS = "sms", "SMS"
    ZALO = "zalo", "Zalo"


class LoginCode(models.Model):
    """One login challenge for one phone/e-mail: a 6-digit code (hashed) and, by e-mail, a login link.

    A row is written for every request, also when no customer has that phone/e-mail (customer is then
    empty and nothing is sent), so rate limits and answers are the same either way.
    """

    destination = models.CharField(max_length=254, help_text="E.164 phone or lower-case e-mail")
    channel = models.CharField(max_length=10, choices=LoginChannel.choices)
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    code_hash = models.CharField(max_length=64)
    link_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["destination", "-created_at"], name="logincode_destination_time"),
            models.Index(fields=["ip_address", "-created_at"], name="logincode_ip_time"),
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.destination} {self.created_at:%Y-%m-%d %H:%M}"


class LookupAttempt(models.Model):
    """One public warranty/order lookup, counted per address to stop enumeration."""

    ip_address = models.GenericIPAddressField(null=True, blank=True)
    attempted_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["ip_address", "-attempted_at"], name="lookupattempt_ip_time")]

    def __str__(self) -> str:
        return f"{self.ip_address} {self.attempted_at:%Y-%m-%d %H:%M}"
