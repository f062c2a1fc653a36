"""The access log: every look at unmasked personal data by staff, every export and bulk download.

Other apps call `record_access(...)` (a service: it writes in the caller's transaction or its own) where
they show or hand out personal data; the admin reviews the log in the console and exports it as CSV,
which is itself recorded. Entries hold codes, counts and filters, never the personal values shown.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.errors import FieldError, Forbidden, NotFound, ValidationFailed
from haumai.privacy.models import AccessAction, AccessLog

__all__ = ["AccessAction", "add_reason", "contact_shown", "csv_rows", "log_list", "record_access"]
PERMISSION_REVIEW = "privacy.view_accesslog"
PERMISSION_EXPORT = "privacy.export_accesslog"
CSV_COLUMNS = ("occurred_at", "actor", "action", "customer", "target", "reason", "ip_address", "detail")


def _client(http: Any) -> tuple[str | None, str]:
    if http is None:
        return None, ""
    address = str(http.META.get("REMOTE_ADDR") or "").strip() or None
    return address, str(http.META.get("HTTP_USER_AGENT") or "")[:200]


def record_access(
    *,
    actor: Any,
    action: str,
    customer: Any = None,
    target: str = "",
    reason: str = "",
    detail: dict[str, Any] | None = None,
    http: Any = None,
) -> AccessLog:
    """Record one access to personal data (`http`: the HTTP request, for the address and the browser)."""
    if action not in AccessAction.values:
        raise ValidationFailed(_("Some fields are invalid"), [FieldError("action", _("Unknown access type."))])
    authenticated = bool(getattr(actor, "is_authenticated", False))
    address, agent = _client(http)
    # One INSERT: atomic on its own, in the caller's transaction when there is one (no savepoint round trips).
    return AccessLog.objects.create(
        occurred_at=clock.now(),
        actor=actor if authenticated else None,
        actor_label=actor.get_username() if authenticated else "customer",
        action=action,
        customer=customer,
        target=str(target)[:60],
        reason=reason.strip()[:300],
        ip_address=address,
        user_agent=agent,
        detail=detail or {},
    )


def contact_shown(
    request: Any, *, customer: Any = None, target: str = "", page: str = "", rows: int | None = None
) -> AccessLog | None:
    """Record that a console page showed a customer's (or, with `rows`, a list's) contact details unmasked.

    Nothing is recorded when the page masked them (the viewer lacks customers.view_customer_pii) or
    showed no row. `page` names the kind of page (warranty, shipment, ticket, ...) in the entry's detail.
    """
    from haumai.accounts.selectors import can_see_pii

    if not can_see_pii(request.user) or rows == 0 or (rows is None and customer is None):
        return None
    action = AccessAction.VIEW_LIST if rows is not None else AccessAction.VIEW_RECORD
    detail: dict[str, Any] = {"page": page}
    if rows is not None:
        detail["rows"] = rows
    return record_access(actor=request.user, action=action, customer=customer, target=target, detail=detail,
                         http=request)  # fmt: skip


def add_reason(*, actor: Any, entry_id: int, reason: str) -> AccessLog:
    """The person who opened the record says why (optional, once, their own entry only)."""
    if not reason.strip():
        raise ValidationFailed(_("Some fields are invalid"), [FieldError("reason", _("Give the reason."))])
    with transaction.atomic():
        entry = AccessLog.objects.select_for_update().filter(pk=entry_id).first()
        if entry is None:
            raise NotFound(_("Access record not found"))
        if entry.actor_id is None or entry.actor_id != getattr(actor, "pk", None):
            raise Forbidden()
        if entry.reason:
            return entry
        entry.reason = reason.strip()[:300]
        entry.save(update_fields=["reason"])
    return entry


def log_list(
    *, actor_name: str = "", action: str = "", customer_code: str = "", since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AccessLog]:  # fmt: skip
    """Access-log entries, newest first, filtered."""
    rows = AccessLog.objects.select_related("customer")
    if actor_name:
        rows = rows.filter(actor_label=actor_name)
    if action:
        rows = rows.filter(action=action)
    if customer_code:
        rows = rows.filter(customer__code=customer_code.upper())
    if since:
        rows = rows.filter(occurred_at__date__gte=since)
    if until:
        rows = rows.filter(occurred_at__date__lte=until)
    return rows.order_by("-occurred_at", "-id")


def csv_rows(queryset: QuerySet[AccessLog]) -> Iterator[str]:
    """The log as CSV text chunks (header first), read in batches."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return text

    writer.writerow(CSV_COLUMNS)
    yield flush()
    for entry in queryset.iterator(chunk_size=1000):
        writer.writerow(
            (
                entry.occurred_at.isoformat(),
                entry.actor_label,
                entry.action,
                entry.customer.code if entry.customer else "",
                entry.target,
                entry.reason,
                entry.ip_address or "",
                entry.detail,
            )
        )
        yield flush()
