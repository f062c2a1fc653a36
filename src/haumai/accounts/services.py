"""Staff accounts, roles and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django.db.models import Q

from haumai.accounts.models import ApiToken, ApprovalLimit, LoginFailure, Role, User
from haumai.accounts.roles import APPROVAL_LIMITS_VND, ROLE_PERMISSIONS
from haumai.core import clock
from haumai.core.errors import DomainError, Forbidden, NotFound, ValidationFailed

TOKEN_PREFIX = "hm_"  # noqa: S105 - a public prefix, not a secret


class TokenInvalid(NotFound):
    """The bearer token is unknown, revoked or expired."""


def hash_token(raw: str) -> str:
    """SHA-256 hex digest of a raw token (tokens are random, so no salt is needed)."""
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def sync_roles() -> list[Group]:
    """Create the role groups and give them exactly their permissions (idempotent)."""
    groups = []
    for role in Role.values:
        group, _ = Group.objects.get_or_create(name=role)
        if role == Role.ADMIN:
            permissions = list(Permission.objects.all())
        else:
            wanted = ROLE_PERMISSIONS[role]
            query = Q(pk__in=[])
            for label in wanted:
                app_label, codename = label.split(".", 1)
                query |= Q(content_type__app_label=app_label, codename=codename)
            permissions = list(Permission.objects.filter(query))
        group.permissions.set(permissions)
        ApprovalLimit.objects.update_or_create(role=group, defaults={"max_goodwill_vnd": APPROVAL_LIMITS_VND[role]})
        groups.append(group)
    return groups


@transaction.atomic
def create_staff_user(
    *, username: str, password: str, role: str, full_name: str = "", email: str = "", superuser: bool = False
) -> User:
    """Create (or reset) a staff user in one role."""
    if role not in Role.values:
        raise ValidationFailed(f"Unknown role '{role}'. Roles: {', '.join(Role.values)}")
    if not username.strip():
        raise ValidationFailed("Username is required")
    group = Group.objects.filter(name=role).first()
    if group is None:
        sync_roles()
        group = Group.objects.get(name=role)
    user, _ = User.objects.get_or_create(username=username)
    first, _, last = full_name.rpartition(" ")
    user.first_name, user.last_name = (first, last) if first else (full_name, "")
    user.email = email
    user.is_staff = role in (Role.MANAGER, Role.ADMIN) or superuser
    user.is_superuser = superuser
    user.set_password(password)
    user.save()
    user.groups.set([group])
    return user


def create_api_token(*, actor: User, user: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """Issue a token for `user`; the raw secret is returned once and never stored."""
    if actor.pk != user.pk and not actor.has_role(Role.ADMIN):
        raise Forbidden("Only an administrator may issue tokens for someone else")
    if not name.strip():
        raise ValidationFailed("A token needs a name")
    lifetime = settings.HAUMAI_API_TOKEN_DAYS if days is None else days
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=raw[:10],
        token_hash=hash_token(raw),
        expires_at=clock.now() + dt.timedelta(days=lifetime) if lifetime > 0 else None,
    )
    return token, raw


def authenticate_token(raw: str) -> ApiToken:
    """Return the live token for a raw secret, or raise TokenInvalid saying why."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        raise TokenInvalid("Invalid API token")
    token = ApiToken.objects.select_related("user").filter(token_hash=hash_token(raw)).first()
    if token is None or token.revoked_at is not None or not token.user.is_active:
        raise TokenInvalid("Invalid API token")
    moment = clock.now()
    if token.expires_at is not None and token.expires_at <= moment:
        raise TokenInvalid("API token expired on " + token.expires_at.date().isoformat())
    # Touch last_used_at at most once a minute to keep reads cheap.
    if token.last_used_at is None or moment - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=moment)
    return token


def revoke_api_token(*, actor: User, token: ApiToken) -> None:
    """Revoke a token immediately."""
    if actor.pk != token.user_id and not actor.has_role(Role.ADMIN):
        raise Forbidden()
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=clock.now())


# The one login policy (console, admin, and any other password entry point through Django's authenticate()).
LOCKOUT_FAILURES = 5
LOCKOUT_FAILURES_PER_ADDRESS = 20
LOCKOUT_WINDOW = dt.timedelta(minutes=15)


class LoginLocked(DomainError):
    """Too many failed logins for this username or address; no password is checked until `until`."""

    def __init__(self, until: dt.datetime) -> None:
        super().__init__(message="Too many failed attempts", code="login_locked", status=429)
        self.until = until


def _login_name(username: str) -> str:
    return username.strip().lower()[:150]


def login_locked_until(*, username: str, ip_address: str | None) -> dt.datetime | None:
    """When repeated failures lock this username or address, the time the lock ends; else None."""
    since = clock.now() - LOCKOUT_WINDOW
    checks: list[tuple[Q, int]] = [(Q(username=_login_name(username)), LOCKOUT_FAILURES)]
    if ip_address:
        checks.append((Q(ip_address=ip_address), LOCKOUT_FAILURES_PER_ADDRESS))
    for condition, limit in checks:
        recent = list(
            LoginFailure.objects.filter(condition, failed_at__gte=since)
            .order_by("-failed_at")
            .values_list("failed_at", flat=True)[:limit]
        )
        if len(recent) >= limit:
            # The lock ends when the limit-th most recent failure leaves the window.
            return recent[limit - 1] + LOCKOUT_WINDOW
    return None


def _lock_login_keys(*keys: str) -> None:
    """Serialize attempts on these keys until the transaction ends (the count and the insert are one step)."""
    if connection.vendor != "postgresql":
        return  # SQLite: the IMMEDIATE transaction (settings) already holds the one write lock.
    with connection.cursor() as cursor:
        for key in sorted(keys):  # one order everywhere, so two attempts cannot deadlock
            number = int.from_bytes(hashlib.sha256(f"haumai.login:{key}".encode()).digest()[:8], "big", signed=True)
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [number])


def reserve_login_attempt(*, username: str, ip_address: str | None) -> LoginFailure:
    """Count an attempt as a failure before its password is checked, or raise LoginLocked.

    Checking then recording would let parallel attempts all pass the check; reserving under a lock
    means at most LOCKOUT_FAILURES passwords are ever tried per username in the window.
    """
    name = _login_name(username)
    with transaction.atomic():
        _lock_login_keys(f"user:{name}", *([f"ip:{ip_address}"] if ip_address else []))
        until = login_locked_until(username=name, ip_address=ip_address)
        if until is not None:
            raise LoginLocked(until)
        return LoginFailure.objects.create(username=name, ip_address=ip_address, failed_at=clock.now())


def authenticate_with_policy(
    *, username: str, ip_address: str | None, check_password: Callable[[], User | None]
) -> User | None:
    """Run `check_password` under the login policy: reserve the attempt, check, forget failures on success."""
    reserve_login_attempt(username=username, ip_address=ip_address)
    user = check_password()
    if user is not None:
        clear_login_failures(username=username)
    return user


def clear_login_failures(*, username: str) -> None:
    """Forget a user's failures after a successful login."""
    LoginFailure.objects.filter(username=_login_name(username)).delete()
