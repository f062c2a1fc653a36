"""Merging: two tickets about one issue, and two customer records of one person (with their tickets and calls)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from haumai.core.errors import Conflict, Forbidden
from haumai.customers import services as customer_services
from haumai.customers.models import Customer
from haumai.events.services import record_event
from haumai.support.models import CallLog, Message, ThreadKey, Ticket, TicketStatus
from haumai.support.services.common import refuse, touch, write_status


def move_customer_rows(*, source: Any, target: Any) -> int:
    """Customer-merge step: the tickets and calls of `source` go to `target` (registered with customers)."""
    CallLog.objects.filter(customer=source).update(customer=target)
    return Ticket.objects.filter(customer=source).update(customer=target)


def merge_customers(*, actor: Any, source: Customer, target: Customer) -> dict[str, int]:
    """Merge two customer records (agents with support.merge_ticket); see customers.services.merge_customers."""
    if not (actor.is_authenticated and actor.has_perm("support.merge_ticket")):
        raise Forbidden()
    return customer_services.merge_customers(actor=actor, source=source, target=target)


def merge_tickets(*, actor: Any, source: Ticket, target: Ticket) -> Ticket:
    """Fold `source` into `target`: its messages and thread keys move, `source` becomes 'merged' and points there."""
    if not (actor.is_authenticated and actor.has_perm("support.merge_ticket")):
        raise Forbidden()
    if source.pk == target.pk:
        raise refuse("target", _("A ticket cannot be merged into itself"), "same_ticket")
    with transaction.atomic():
        first, second = sorted([source.pk, target.pk])
        locked = {t.pk: t for t in Ticket.objects.select_for_update().filter(pk__in=[first, second]).order_by("pk")}
        source, target = locked[source.pk], locked[target.pk]
        if TicketStatus.MERGED in (source.status, target.status):
            raise Conflict(_("One of these tickets was already merged"), code="already_merged")
        if source.customer_id != target.customer_id:
            raise refuse(
                "target", _("Both tickets must be of the same customer (merge the customers first)"), "other_customer"
            )
        moved = Message.objects.filter(ticket=source).update(ticket=target)
        ThreadKey.objects.filter(ticket=source).update(ticket=target)
        write_status(source, TicketStatus.MERGED, actor)
        source.merged_into = target
        touch(source, ["status", "merged_into"])
        target.public_reply_count += source.public_reply_count
        target.last_message_at = max(target.last_message_at, source.last_message_at)
        touch(target, ["public_reply_count", "last_message_at"])
        record_event(
            name="ticket.merged",
            customer=target.customer,
            subject=target,
            actor=actor,
            payload={"code": target.code, "merged_code": source.code, "messages": moved},
        )
    return target


customer_services.register_merge_step("support", move_customer_rows)
