"""Agents' work on a ticket: replies and notes, status, assignment, priority, tags, links, new tickets."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.codes import next_code
from haumai.core.errors import Conflict, Forbidden
from haumai.core.text import search_key
from haumai.events.services import record_event
from haumai.support import live_bus
from haumai.support.channels import outbound
from haumai.support.models import (
    DeliveryState,
    Direction,
    Message,
    Priority,
    Tag,
    ThreadKey,
    Ticket,
    TicketChannel,
    TicketStatus,
    Visibility,
)
from haumai.support.services.assignment import auto_assign, route_new_ticket
from haumai.support.services.common import (
    TICKET_PREFIX,
    lock_ticket,
    refuse,
    starting_priority,
    ticket_search_key,
    touch,
    write_status,
)
from haumai.support.services.sla_refresh import refresh_sla

# Explicit, guarded transitions (DESIGN.md §3). Reopening a closed ticket is not one: a follow-up ticket is.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    TicketStatus.NEW: (TicketStatus.OPEN, TicketStatus.PENDING, TicketStatus.SOLVED),
    TicketStatus.OPEN: (TicketStatus.PENDING, TicketStatus.SOLVED),
    TicketStatus.PENDING: (TicketStatus.OPEN, TicketStatus.SOLVED),
    TicketStatus.SOLVED: (TicketStatus.OPEN, TicketStatus.CLOSED),
    TicketStatus.CLOSED: (),
    TicketStatus.MERGED: (),
}
MAX_BODY = 20_000
MAX_TAGS = 20


def _require(actor: Any, permission: str) -> None:
    if not (actor is not None and actor.is_authenticated and actor.has_perm(permission)):
        raise Forbidden()


def _status_change(ticket: Ticket, status: str, actor: Any) -> list[str]:
    """Apply a guarded transition on a locked ticket; returns the fields to save."""
    if status == ticket.status:
        return []
    if status not in TRANSITIONS.get(ticket.status, ()):
        raise refuse(
            "status",
            _("A ticket cannot go from %(old)s to %(new)s")
            % {
                "old": TicketStatus(ticket.status).label,
                "new": TicketStatus(status).label if status in TicketStatus.values else status,
            },
            "transition",
        )
    old = ticket.status
    write_status(ticket, status, actor)
    fields = ["status", "solved_at", "closed_at"]
    if status == TicketStatus.SOLVED:
        ticket.first_contact_resolution = ticket.public_reply_count == 1 and ticket.reopen_count == 0
        fields.append("first_contact_resolution")
    if old == TicketStatus.SOLVED and status == TicketStatus.OPEN:
        ticket.reopen_count += 1
        ticket.first_contact_resolution = False
        fields += ["reopen_count", "first_contact_resolution"]
    record_event(
        name=_EVENT_FOR_STATUS[status],
        customer=ticket.customer,
        subject=ticket,
        actor=actor,
        payload={"code": ticket.code, "from": old, "to": status},
    )
    return fields


_EVENT_FOR_STATUS: dict[str, str] = {
    TicketStatus.OPEN: "ticket.opened",
    TicketStatus.PENDING: "ticket.pending",
    TicketStatus.SOLVED: "ticket.solved",
    TicketStatus.CLOSED: "ticket.closed",
}


def change_status(*, actor: Any, ticket: Ticket, status: str) -> Ticket:
    """Move the ticket along its state machine (new → open → pending → solved → closed; solved → open)."""
    _require(actor, "support.reply_ticket")
    if status not in _EVENT_FOR_STATUS:
        raise refuse("status", _("Choose a valid state"), "invalid_choice")
    with transaction.atomic():
        locked = lock_ticket(ticket)
        fields = _status_change(locked, status, actor)
        if fields:
            touch(locked, fields)
            refresh_sla(locked)
    return locked


def _earlier_email_ids(ticket: Ticket) -> list[str]:
    rows = (
        Message.objects.filter(ticket=ticket, channel="email", visibility=Visibility.PUBLIC, external_id__isnull=False)
        .order_by("sent_at", "id")
        .values_list("external_id", flat=True)
    )
    return [row for row in rows if row]


def reply(
    *, actor: Any, ticket: Ticket, body: str, visibility: str = Visibility.PUBLIC, then_status: str = ""
) -> Message:
    """Add a public reply (sent on the ticket's channel) or an internal note; two agents at once both land.

    A closed ticket takes no reply: the agent opens a follow-up ticket instead (`open_follow_up`)."""
    _require(actor, "support.reply_ticket")
    text = (body or "").strip()
    if not text:
        raise refuse("body", _("Write a message"), "required")
    if len(text) > MAX_BODY:
        raise refuse("body", _("At most %(count)s characters") % {"count": MAX_BODY}, "max_length")
    if visibility not in Visibility.values:
        raise refuse("visibility", _("Choose a reply or a note"), "invalid_choice")
    with transaction.atomic():
        locked = lock_ticket(ticket)
        if locked.status in (TicketStatus.CLOSED, TicketStatus.MERGED):
            raise Conflict(
                _("Ticket %(code)s is closed: open a follow-up ticket to write to the customer again")
                % {"code": locked.code},
                code="ticket_closed",
            )
        now = clock.now()
        public = visibility == Visibility.PUBLIC
        if public:
            outbound.check_can_send(locked)  # e.g. Messenger's 24-hour window: refused, nothing stored
        message = Message.objects.create(
            ticket=locked,
            direction=Direction.OUTBOUND,
            visibility=visibility,
            channel=locked.channel,
            external_id=outbound.new_message_id() if public and locked.channel == "email" else None,
            author=actor,
            sender_label=(actor.get_full_name() or actor.get_username())[:160],
            body_text=text,
            delivery_state=DeliveryState.NOT_SENT if public else DeliveryState.RECEIVED,
            sent_at=now,
            created_at=now,
        )
        fields: list[str] = []
        if public:
            earlier = [i for i in _earlier_email_ids(locked) if i != message.external_id]
            state, delivery_id = outbound.send_reply(ticket=locked, message=message, actor=actor, earlier_ids=earlier)
            message.delivery_state, message.delivery_id = state, delivery_id
            message.save(update_fields=["delivery_state", "delivery_id"])
            if message.external_id:
                ThreadKey.objects.get_or_create(
                    channel=locked.channel, key=message.external_id, defaults={"ticket": locked}
                )
            locked.public_reply_count += 1
            locked.last_message_at = now
            fields += ["public_reply_count", "last_message_at"]
            if locked.first_response_at is None:
                locked.first_response_at = now
                locked.first_response_seconds = int((now - locked.created_at).total_seconds())
                fields += ["first_response_at", "first_response_seconds"]
            if locked.status == TicketStatus.NEW and then_status in ("", TicketStatus.NEW):
                fields += _status_change(locked, TicketStatus.OPEN, actor)
        if then_status and then_status != locked.status:
            if then_status not in _EVENT_FOR_STATUS:
                raise refuse("then_status", _("Choose a valid state"), "invalid_choice")
            fields += _status_change(locked, then_status, actor)
        record_event(
            name="ticket.replied" if public else "ticket.note_added",
            customer=locked.customer,
            subject=locked,
            actor=actor,
            payload={"code": locked.code, "channel": locked.channel, "delivery": message.delivery_state},
        )
        touch(locked, fields)
        refresh_sla(locked)
        if not public and locked.channel == "web_chat":
            live_bus.publish([f"ticket:{locked.pk}"])  # other agents' open pages show the note at once
    return message


def assign(*, actor: Any, ticket: Ticket, assignee: Any = None, team: Any = None) -> Ticket:
    """Give the ticket to an agent and/or a team; unassigned, the team's assignment rule (if on) places it."""
    _require(actor, "support.assign_ticket")
    if assignee is not None and not (assignee.is_active and assignee.has_perm("support.reply_ticket")):
        raise refuse("assignee", _("This person cannot work on tickets"), "invalid_choice")
    with transaction.atomic():
        locked = lock_ticket(ticket)
        if locked.assignee_id == (assignee.pk if assignee else None) and (team is None or locked.team_id == team.pk):
            return locked
        previous = locked.assignee_id
        locked.assignee = assignee
        if team is not None:
            locked.team = team
        elif assignee is not None and assignee.team_id and locked.team_id is None:
            locked.team_id = assignee.team_id
        touch(locked, ["assignee", "team"])
        record_event(
            name="ticket.assigned",
            customer=locked.customer,
            subject=locked,
            actor=actor,
            payload={
                "code": locked.code,
                "assignee": assignee.get_username() if assignee else "",
                "team": locked.team.name if locked.team is not None else "",
            },
        )
        if assignee is None:
            auto_assign(locked, skip_user_id=previous)  # given back: the team's next agent on shift takes it
    return locked


def set_priority(*, actor: Any, ticket: Ticket, priority: str) -> Ticket:
    """Change the priority."""
    _require(actor, "support.reply_ticket")
    if priority not in Priority.values:
        raise refuse("priority", _("Choose a valid priority"), "invalid_choice")
    with transaction.atomic():
        locked = lock_ticket(ticket)
        if locked.priority == priority:
            return locked
        old, locked.priority = locked.priority, priority
        touch(locked, ["priority"])
        refresh_sla(locked)
        record_event(
            name="ticket.priority_changed",
            customer=locked.customer,
            subject=locked,
            actor=actor,
            payload={"code": locked.code, "from": old, "to": priority},
        )
    return locked


def tags_for(names: Sequence[str]) -> list[Tag]:
    """Tags by name, created when new (folded key: 'Đổi trả' and 'doi tra' are one tag)."""
    cleaned: dict[str, str] = {}
    for name in names:
        label = " ".join(name.split())[:40]
        key = search_key(label)[:40]
        if key:
            cleaned.setdefault(key, label)
    if len(cleaned) > MAX_TAGS:
        raise refuse("tags", _("At most %(count)s tags") % {"count": MAX_TAGS}, "too_many")
    existing = {t.key: t for t in Tag.objects.filter(key__in=list(cleaned))}
    missing = [Tag(key=k, name=v) for k, v in cleaned.items() if k not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {t.key: t for t in Tag.objects.filter(key__in=list(cleaned))}
    return list(existing.values())


def set_tags(*, actor: Any, ticket: Ticket, names: Sequence[str]) -> Ticket:
    """Replace the ticket's tags."""
    _require(actor, "support.reply_ticket")
    with transaction.atomic():
        locked = lock_ticket(ticket)
        tags = tags_for(names)
        locked.tags.set(tags)
        touch(locked, [])
        record_event(
            name="ticket.tagged",
            customer=locked.customer,
            subject=locked,
            actor=actor,
            payload={"code": locked.code, "tags": sorted(t.name for t in tags)},
        )
    return locked


def open_ticket(
    *,
    actor: Any,
    customer: Any,
    subject: str,
    body: str = "",
    channel: str = TicketChannel.CONSOLE,
    follows: Ticket | None = None,
) -> Ticket:
    """A ticket opened by staff (from a call, a walk-in, or as the follow-up of a closed ticket).

    It is routed like an inbound one: the team whose assignment rule receives its channel ("opened by
    staff", "phone"...) takes it, and the rule picks the agent; a follow-up stays with the closed ticket's
    team. Nobody qualifying leaves it unassigned in the team's queue."""
    _require(actor, "support.reply_ticket")
    title = " ".join((subject or "").split())[:255]
    if not title:
        raise refuse("subject", _("A subject is required"), "required")
    if channel not in TicketChannel.values:
        raise refuse("channel", _("Choose a valid channel"), "invalid_choice")
    with transaction.atomic():
        now = clock.now()
        ticket = Ticket(
            code=next_code(TICKET_PREFIX), subject=title, channel=channel, customer=customer,
            created_at=now, updated_at=now, last_message_at=now,
            priority=starting_priority(customer, Priority.NORMAL),
        )  # fmt: skip
        if follows is not None:
            ticket.order_id, ticket.return_request_id, ticket.warranty_id = (
                follows.order_id, follows.return_request_id, follows.warranty_id,
            )  # fmt: skip
            ticket.repair_code = follows.repair_code
            ticket.team_id = follows.team_id
        ticket.search_key = ticket_search_key(ticket)
        ticket.save()
        write_status(ticket, TicketStatus.NEW, actor, at=now)
        if follows is not None:
            ThreadKey.objects.filter(ticket=follows).update(ticket=ticket)
        record_event(
            name="ticket.created",
            customer=customer,
            subject=ticket,
            actor=actor,
            payload={"code": ticket.code, "channel": channel, "follows": follows.code if follows else ""},
        )
        if body.strip():
            Message.objects.create(
                ticket=ticket, direction=Direction.OUTBOUND, visibility=Visibility.NOTE, channel=channel,
                author=actor, sender_label=actor.get_username(), body_text=body.strip()[:MAX_BODY],
                sent_at=now, created_at=now,
            )  # fmt: skip
        route_new_ticket(ticket)  # same transaction: the rule row is locked while the agent is chosen
        refresh_sla(ticket)
    return ticket


def open_follow_up(*, actor: Any, ticket: Ticket) -> Ticket:
    """A new ticket on the same customer and channel for a closed one (its thread keys move over)."""
    if ticket.status != TicketStatus.CLOSED:
        raise Conflict(_("Only a closed ticket gets a follow-up; reply on this one"), code="not_closed")
    return open_ticket(
        actor=actor,
        customer=ticket.customer,
        subject=ticket.subject or ticket.code,
        channel=ticket.channel,
        follows=ticket,
    )
