"""Care scripts (kịch bản chăm sóc): canned replies with {{variables}} that may also set fields.

Variables: {{customer.name}}, {{customer.first_name}}, {{customer.code}}, {{ticket.code}}, {{ticket.subject}},
{{agent.name}}. Replacement is plain text (no template language runs), so a script cannot reach anything else.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.errors import FieldError, Forbidden, ValidationFailed
from haumai.events.services import record_event
from haumai.support.models import Macro, Priority, Ticket
from haumai.support.services import tickets
from haumai.support.services.common import refuse

VARIABLES = ("customer.name", "customer.first_name", "customer.code", "ticket.code", "ticket.subject", "agent.name")
_VARIABLE = re.compile(r"\{\{\s*([a-z_]+\.[a-z_]+)\s*\}\}")
SETTABLE_STATUSES = ("open", "pending", "solved")


@dataclass(frozen=True)
class AppliedMacro:
    text: str
    changed: list[str]


def _values(ticket: Ticket, agent: Any) -> dict[str, str]:
    name = ticket.customer.full_name
    return {
        "customer.name": name,
        "customer.first_name": name.split()[-1] if name.split() else name,
        "customer.code": ticket.customer.code,
        "ticket.code": ticket.code,
        "ticket.subject": ticket.subject,
        "agent.name": agent.get_full_name() or agent.get_username(),
    }


def render(body: str, ticket: Ticket, agent: Any) -> str:
    """The script's text with the variables filled in."""
    values = _values(ticket, agent)
    return _VARIABLE.sub(lambda match: values.get(match.group(1), match.group(0)), body)


def check_body(body: str, field: str) -> list[FieldError]:
    """Errors for unknown variables or an empty text."""
    errors = []
    if not body.strip():
        errors.append(FieldError(field, _("The script text is required"), "required"))
    unknown = sorted({v for v in _VARIABLE.findall(body) if v not in VARIABLES})
    if unknown:
        errors.append(
            FieldError(field, _("Unknown variables: %(names)s") % {"names": ", ".join(unknown)}, "unknown_variable")
        )
    return errors


def save_macro(
    *,
    actor: Any,
    key: str,
    name_vi: str,
    name_en: str,
    body_vi: str,
    body_en: str,
    set_status: str = "",
    set_priority: str = "",
    add_tags: Sequence[str] = (),
) -> Macro:
    """Create or change a care script (managers)."""
    if not (actor.is_authenticated and actor.has_perm("support.add_macro")):
        raise Forbidden()
    errors = [*check_body(body_vi, "body_vi"), *check_body(body_en, "body_en")]
    if set_status and set_status not in SETTABLE_STATUSES:
        errors.append(FieldError("set_status", _("Choose a valid state"), "invalid_choice"))
    if set_priority and set_priority not in Priority.values:
        errors.append(FieldError("set_priority", _("Choose a valid priority"), "invalid_choice"))
    if not re.fullmatch(r"[a-z0-9-]{2,60}", key or ""):
        errors.append(FieldError("key", _("Use 2-60 lowercase letters, digits or dashes"), "invalid"))
    if not name_vi.strip() or not name_en.strip():
        errors.append(FieldError("name_vi", _("A name in both languages is required"), "required"))
    if errors:
        raise ValidationFailed(_("Some fields are invalid"), errors)
    with transaction.atomic():
        macro, created = Macro.objects.update_or_create(
            key=key,
            defaults={
                "name_vi": name_vi.strip(), "name_en": name_en.strip(), "body_vi": body_vi, "body_en": body_en,
                "set_status": set_status, "set_priority": set_priority, "add_tags": list(add_tags),
                "created_at": clock.now(),
            },
        )  # fmt: skip
        record_event(name="macro.saved", actor=actor, subject=macro, payload={"key": key, "created": created})
    return macro


def apply_macro(*, actor: Any, ticket: Ticket, macro: Macro, language: str = "") -> AppliedMacro:
    """Set the script's fields on the ticket and return its text for the reply box (the agent still sends it)."""
    if not macro.active:
        raise refuse("macro", _("This script is switched off"), "inactive")
    lang = language or ticket.customer.preferred_language or "vi"
    text = render(macro.body_en if lang == "en" else macro.body_vi, ticket, actor)
    changed: list[str] = []
    with transaction.atomic():
        if macro.set_priority and macro.set_priority != ticket.priority:
            ticket = tickets.set_priority(actor=actor, ticket=ticket, priority=macro.set_priority)
            changed.append("priority")
        if macro.add_tags:
            names = [t.name for t in ticket.tags.all()]
            wanted = [*names, *[t for t in macro.add_tags if t not in names]]
            if wanted != names:
                ticket = tickets.set_tags(actor=actor, ticket=ticket, names=wanted)
                changed.append("tags")
        if macro.set_status and macro.set_status != ticket.status:
            ticket = tickets.change_status(actor=actor, ticket=ticket, status=macro.set_status)
            changed.append("status")
        record_event(
            name="ticket.macro_applied",
            customer=ticket.customer,
            subject=ticket,
            actor=actor,
            payload={"code": ticket.code, "macro": macro.key, "changed": changed},
        )
    return AppliedMacro(text=text, changed=changed)
