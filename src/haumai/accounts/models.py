"""Staff users, roles (Django groups), teams and hashed API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.utils.translation import gettext_lazy as _

from haumai.accounts import access


class Role(models.TextChoices):
    """The staff roles; each is a Django group carrying its permissions."""

    AGENT = "agent", _("Agent (CSKH)")
    TECHNICIAN = "technician", _("Technician")
    WAREHOUSE = "warehouse", _("Warehouse")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Administrator")


class Team(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A staff member. Customers are not users; they sign in to the portal by one-time code."""

    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # Bumped with every change to the user's roles or permissions; keys the per-process cache (accounts.access).
    permissions_version = models.BigIntegerField(default=access.new_version, editable=False)

    def has_role(self, *roles: str) -> bool:
        """Whether the user belongs to one of the given role groups (superusers have every role)."""
        if self.is_superuser:
            return True
        if not self.pk:
            return False
        return not access.access_for(self).roles.isdisjoint(roles)


class ApprovalLimit(models.Model):
    """How much goodwill (VND) a role may grant without a manager."""

    role = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="approval_limit")
    max_goodwill_vnd = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.role.name}: {self.max_goodwill_vnd}"


class ApiToken(models.Model):
    """A bearer token for the REST API. Only a SHA-256 hash of the secret is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=120)
    prefix = models.CharField(max_length=12, help_text="First characters, to recognise the token")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class LoginFailure(models.Model):
    """A failed console login, counted to lock out brute force by username and by address."""

    username = models.CharField(max_length=150)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    failed_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["username", "failed_at"], name="loginfailure_user_time"),
            models.Index(fields=["ip_address", "failed_at"], name="loginfailure_ip_time"),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.failed_at:%Y-%m-%d %H:%M}"
