"""Records opened from a ticket (a return, a warranty claim, a repair) and the ticket they came from.

The return, warranty and repair services call `ticket_to_link` before they write (a bad ticket code
changes nothing) and `link_ticket` inside their transaction, right after the record exists.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from haumai.events.services import record_event
from haumai.support.models import Ticket, TicketStatus
from haumai.support.services.common import lock_ticket, refuse, touch

LINK_KINDS = ("return", "claim", "repair")


def ticket_to_link(*, code: str, customer: Any, actor: Any) -> Ticket | None:
    """The ticket a new record for `customer` may be linked to, or None without a code; refuses a bad one."""
    wanted = (code or "").strip().upper()[:20]
    if not wanted:
        return None
    if not getattr(actor, "has_perm", None) or not actor.has_perm("support.view_ticket"):
        raise refuse("ticket", _("You may not link records to tickets"), "forbidden")
    ticket = Ticket.objects.filter(code=wanted).first()
    if ticket is None:
        raise refuse("ticket", _("No ticket %(code)s") % {"code": wanted}, "unknown_ticket")
    if customer is None or ticket.customer_id != customer.pk:
        raise refuse(
            "ticket", _("Ticket %(code)s belongs to another customer") % {"code": wanted}, "not_customer_ticket"
        )
    if ticket.status == TicketStatus.MERGED:
        raise refuse("ticket", _("Ticket %(code)s was merged into another ticket") % {"code": wanted}, "merged")
    return ticket


def link_ticket(
    *,
    actor: Any,
    ticket: Ticket,
    kind: str,
    subject: models.Model,
    record_code: str,
    return_request: Any = None,
    warranty: Any = None,
    repair_code: str = "",
) -> Ticket:
    """Point the ticket at the record opened from it and say so on the customer's timeline."""
    if kind not in LINK_KINDS:
        raise ValueError(f"unknown link kind {kind!r}")
    with transaction.atomic():
        locked = lock_ticket(ticket)
        fields = []
        if return_request is not None:
            locked.return_request = return_request
            fields.append("return_request")
        if warranty is not None:
            locked.warranty = warranty
            fields.append("warranty")
        if repair_code:
            locked.repair_code = repair_code[:24]
            fields.append("repair_code")
        order_id = getattr(return_request, "order_id", None)
        if order_id and locked.order_id is None:
            locked.order_id = order_id
            fields.append("order")
        touch(locked, fields)
        record_event(
            name="ticket.linked",
            customer=locked.customer,
            subject=subject,
            actor=actor,
            payload={"code": locked.code, "kind": kind, "record": record_code},
        )
    return locked
