"""Personal data held by support (haumai.privacy): message bodies and attachments, sender names, call
numbers, notes and recordings, goodwill reasons, ticket subjects. Tickets and calls stay after a deletion
(they carry the service history and FRT/FCR figures) with these cleared; attachment files are removed."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from haumai.privacy.registry import ExportPart, Person, PersonalDataSource, PersonalModel, register, rows
from haumai.privacy.scrub import REDACTED
from haumai.support.models import Attachment, CallLog, GoodwillRequest, Message, ThreadKey, Ticket


def export(person: Person) -> ExportPart:
    """The person's tickets, messages (with attachment files), calls and goodwill."""
    customer = person.customer
    attachments = Attachment.objects.filter(message__ticket__customer=customer).exclude(file="").order_by("id")
    return ExportPart(
        tables={
            "support.ticket": rows(
                Ticket.objects.filter(customer=customer).order_by("id"),
                ("code", "subject", "status", "channel", "created_at", "solved_at"),
            ),
            "support.message": rows(
                Message.objects.filter(ticket__customer=customer).order_by("id"),
                (
                    "ticket__code",
                    "direction",
                    "visibility",
                    "channel",
                    "sender_label",
                    "subject",
                    "body_text",
                    "sent_at",
                ),
            ),
            "support.attachment": rows(attachments, ("message__ticket__code", "filename", "content_type", "size")),
            "support.calllog": rows(
                CallLog.objects.filter(customer=customer).order_by("id"),
                ("direction", "phone", "started_at", "duration_seconds", "outcome", "recording_url", "note"),
            ),
            "support.goodwillrequest": rows(
                GoodwillRequest.objects.filter(ticket__customer=customer).order_by("id"),
                ("ticket__code", "kind", "amount_vnd", "status", "reason", "decision_note"),
            ),
        },
        files=[(f"support/{a.pk}-{a.filename}", a.file.path) for a in attachments],
    )


def anonymize(person: Person, actor: Any) -> dict[str, int]:
    """Clear message texts, sender labels, subjects, call numbers and notes; remove attachment files."""
    customer = person.customer
    files = list(Attachment.objects.filter(message__ticket__customer=customer).exclude(file=""))
    storage = files[0].file.storage if files else None
    names = [a.file.name for a in files]
    attachments = Attachment.objects.filter(message__ticket__customer=customer).update(file="", filename=REDACTED)
    messages = Message.objects.filter(ticket__customer=customer).update(
        body_text=REDACTED, body_html=REDACTED, sender_label=REDACTED, subject=REDACTED
    )
    tickets = Ticket.objects.filter(customer=customer).update(subject=REDACTED, search_key="")
    keys = ThreadKey.objects.filter(ticket__customer=customer).delete()[0]
    calls = CallLog.objects.filter(customer=customer).update(phone=REDACTED, recording_url=REDACTED, note=REDACTED)
    goodwill = GoodwillRequest.objects.filter(ticket__customer=customer).update(reason=REDACTED)

    def remove_files() -> None:
        for name in names:
            if storage is not None and storage.exists(name):
                storage.delete(name)

    transaction.on_commit(remove_files)
    return {
        "support.message": messages, "support.attachment": attachments, "support.ticket": tickets,
        "support.threadkey": keys, "support.calllog": calls, "support.goodwillrequest": goodwill,
    }  # fmt: skip


register(
    PersonalDataSource(
        app="support",
        models=(
            PersonalModel(
                "support.Ticket",
                ("subject", "search_key"),
                legal_hold="the service history and its FRT/FCR figures: kept with the subject cleared",
                handling="exported; subject cleared",
            ),
            PersonalModel(
                "support.Message",
                ("body_text", "body_html", "sender_label", "subject", "external_id"),
                legal_hold="kept as an empty row so ticket counts hold",
                handling="exported; texts cleared",
            ),
            PersonalModel("support.Attachment", ("file", "filename"), handling="exported with files; files removed"),
            PersonalModel("support.ThreadKey", ("key",), handling="deleted (e-mail ids carry addresses)"),
            PersonalModel(
                "support.CallLog",
                ("phone", "recording_url", "note", "external_id"),
                legal_hold="call counts per day: kept with number, recording link and note cleared",
                handling="exported; number, recording and note cleared",
            ),
            PersonalModel(
                "support.GoodwillRequest",
                ("reason", "decision_note"),
                legal_hold="a concession is an accounting fact",
                handling="exported; reason cleared",
            ),
            PersonalModel(
                "support.Presence", ("user",), subject="staff", handling="a few seconds' heartbeat; overwritten"
            ),
        ),
        not_personal={
            "support.Macro": ("name_vi", "name_en", "body_vi", "body_en", "add_tags"),
            "support.Tag": ("name",),
            "support.MailboxCursor": ("mailbox", "last_error"),
            "support.Attachment": ("refused_reason",),
            "support.Ticket": ("last_message_at", "last_customer_message_at", "sla_states"),
        },
        export=export,
        anonymize=anonymize,
    )
)
