"""Portal writes: login codes and links (issue, verify, use) and the lookup rate limit.

Every request for a code writes a LoginCode row, whether or not a customer owns the phone/e-mail;
a code is only sent when one does. Answers, rate limits and lockouts are therefore identical for
known and unknown destinations, and nothing reveals who is a customer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.errors import DomainError
from haumai.customers.models import Customer
from haumai.portal import selectors, senders
from haumai.portal.models import LoginChannel, LoginCode, LookupAttempt

logger = logging.getLogger(__name__)

LINK_SALT = "haumai.portal.login-link"
CODE_PURPOSE = "haumai.portal.login-code"


class RateLimited(DomainError):
    """Too many requests from this address or for this phone/e-mail; try later."""

    def __init__(self, message: str) -> None:
        super().__init__(message=message, code="rate_limited", status=429)


class LoginRefused(DomainError):
    """A code or link did not log anyone in (wrong, expired, used or locked)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message=message, code=code, status=400)


@dataclass(frozen=True)
class LoginDestination:
    """A normalised phone (E.164) or lower-case e-mail the customer typed."""

    kind: str  # "phone" or "email"
    value: str


def hash_code(destination: str, code: str) -> str:
    """HMAC-SHA256 of a code, keyed with SECRET_KEY and bound to its destination."""
    message = f"{CODE_PURPOSE}:{destination}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _hash_nonce(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def _check_code_rate(destination: str, ip_address: str | None, moment: dt.datetime) -> None:
    since = moment - dt.timedelta(hours=1)
    limit = settings.HAUMAI_PORTAL_CODES_PER_HOUR
    recent = LoginCode.objects.filter(destination=destination, created_at__gte=since)[:limit].count()
    if recent >= limit:
        raise RateLimited(_("Too many codes were requested for this phone or e-mail. Try again in an hour."))
    if ip_address is not None:
        ip_limit = settings.HAUMAI_PORTAL_CODES_PER_IP_PER_HOUR
        from_ip = LoginCode.objects.filter(ip_address=ip_address, created_at__gte=since)[:ip_limit].count()
        if from_ip >= ip_limit:
            raise RateLimited(_("Too many codes were requested from your network. Try again in an hour."))


def request_login_code(
    *, destination: LoginDestination, ip_address: str | None, link_for: Callable[[str], str]
) -> LoginCode:
    """Issue a 6-digit code (and an e-mail login link) for a phone/e-mail; send it only to a customer.

    `link_for(token)` turns a signed token into the absolute URL put in the e-mail.
    Raises RateLimited when the hourly limits are reached (the same for unknown destinations).
    """
    moment = clock.now()
    customer = (
        selectors.customer_for_phone(destination.value)
        if destination.kind == "phone"
        else selectors.customer_for_email(destination.value)
    )
    if destination.kind == "email":
        channel = LoginChannel.EMAIL
    elif customer is not None and customer.preferred_channel == LoginChannel.ZALO:
        channel = LoginChannel.ZALO
    else:
        channel = LoginChannel.SMS
    code = f"{secrets.randbelow(1_000_000):06d}"
    nonce = secrets.token_urlsafe(24) if channel == LoginChannel.EMAIL and customer is not None else None
    with transaction.atomic():
        _check_code_rate(destination.value, ip_address, moment)
        login_code = LoginCode.objects.create(
            destination=destination.value,
            channel=channel,
            customer=customer,
            code_hash=hash_code(destination.value, code),
            link_hash=_hash_nonce(nonce) if nonce else None,
            ip_address=ip_address,
            created_at=moment,
            expires_at=moment + dt.timedelta(minutes=settings.HAUMAI_PORTAL_CODE_MINUTES),
        )
    if customer is not None:
        link = link_for(signing.TimestampSigner(salt=LINK_SALT).sign(nonce)) if nonce else None
        try:
            senders.send_code(channel, destination.value, code, link=link)
        except Exception:
            # Failing loudly here would tell the visitor that the destination belongs to a customer.
            logger.exception("portal: sending a login code by %s failed (login code %s)", channel, login_code.pk)
    return login_code


def verify_login_code(*, destination: str, code: str) -> Customer:
    """Log in with the newest code issued for a destination; count and lock wrong tries.

    Raises LoginRefused (code: expired, locked or wrong_code). A used, superseded or expired code is
    refused; after HAUMAI_PORTAL_CODE_MAX_TRIES wrong tries the code is locked for good.
    """
    max_tries = settings.HAUMAI_PORTAL_CODE_MAX_TRIES
    with transaction.atomic():
        row = (
            LoginCode.objects.select_for_update(of=("self",))
            .select_related("customer")
            .filter(destination=destination)
            .order_by("-created_at", "-id")
            .first()
        )
        moment = clock.now()
        if row is None or row.used_at is not None or row.expires_at <= moment:
            refusal = LoginRefused(_("This code has expired or was already used. Request a new code."), "expired")
        elif row.failed_attempts >= max_tries:
            refusal = LoginRefused(_("Too many wrong tries for this code. Request a new code."), "locked")
        elif row.customer is None or not hmac.compare_digest(row.code_hash, hash_code(destination, code)):
            row.failed_attempts += 1
            row.save(update_fields=["failed_attempts"])
            left = max_tries - row.failed_attempts
            if left <= 0:
                refusal = LoginRefused(_("Too many wrong tries for this code. Request a new code."), "locked")
            else:
                refusal = LoginRefused(_("Wrong code. %(left)s tries left.") % {"left": left}, "wrong_code")
        else:
            row.used_at = moment
            row.save(update_fields=["used_at"])
            return row.customer
    # Raised after the block so the counted wrong try is committed, not rolled back.
    raise refusal


def _link_row(token: str, *, lock: bool) -> LoginCode:
    invalid = LoginRefused(_("This login link is invalid, expired or was already used."), "invalid_link")
    if not token or len(token) > 200:
        raise invalid
    lifetime = dt.timedelta(minutes=settings.HAUMAI_PORTAL_LINK_MINUTES)
    try:
        nonce = signing.TimestampSigner(salt=LINK_SALT).unsign(token, max_age=lifetime)
    except signing.BadSignature as exc:
        raise invalid from exc
    rows = LoginCode.objects.select_related("customer").filter(link_hash=_hash_nonce(nonce))
    row = (rows.select_for_update(of=("self",)) if lock else rows).first()
    # The clock check (besides the signature's own age) keeps expiry testable with haumai.core.clock.
    if row is None or row.customer is None or row.used_at is not None or row.created_at + lifetime <= clock.now():
        raise invalid
    return row


def check_login_link(*, token: str) -> None:
    """Raise LoginRefused when a login link cannot be used; changes nothing."""
    _link_row(token, lock=False)


def use_login_link(*, token: str) -> Customer:
    """Log in with an e-mailed link, once, within HAUMAI_PORTAL_LINK_MINUTES; raises LoginRefused."""
    with transaction.atomic():
        row = _link_row(token, lock=True)
        row.used_at = clock.now()
        row.save(update_fields=["used_at"])
    assert row.customer is not None
    return row.customer


def register_lookup(*, ip_address: str | None) -> None:
    """Count one public lookup from an address; raise RateLimited when the window is full."""
    moment = clock.now()
    limit = settings.HAUMAI_PORTAL_LOOKUPS_PER_WINDOW
    window = dt.timedelta(minutes=settings.HAUMAI_PORTAL_LOOKUP_WINDOW_MINUTES)
    with transaction.atomic():
        recent = LookupAttempt.objects.filter(ip_address=ip_address, attempted_at__gte=moment - window)
        if recent[:limit].count() >= limit:
            raise RateLimited(
                _("Too many lookups from your network. Please wait %(minutes)s minutes and try again.")
                % {"minutes": settings.HAUMAI_PORTAL_LOOKUP_WINDOW_MINUTES}
            )
        LookupAttempt.objects.create(ip_address=ip_address, attempted_at=moment)
