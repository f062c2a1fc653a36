"""The one shape every inbound channel adapter produces (e-mail, Zalo OA, Facebook, web chat, phone).

Adapters parse and authenticate a provider's payload into an `InboundMessage`; the support services
(`haumai.support.services.ingest.ingest_inbound`) resolve the sender to a customer, thread it onto a
ticket and store it once: `(channel, external_id)` is the idempotency key, so a replayed webhook or a
re-polled mailbox stores nothing new."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

ChannelKind = Literal["email", "zalo", "facebook", "web_chat", "phone"]
SenderKind = Literal["email", "phone", "zalo_user_id", "facebook_psid", "web_visitor"]


@dataclass(frozen=True)
class InboundAttachment:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class InboundMessage:
    channel: ChannelKind
    # The provider's id of this message (Message-ID, Zalo msg_id, Facebook mid ...): the dedup key.
    external_id: str
    # How the sender is identified on this channel, e.g. ("zalo_user_id", "84xxxxxxxx").
    sender_kind: SenderKind
    sender_value: str
    sent_at: dt.datetime
    text: str = ""
    sender_name: str = ""
    subject: str = ""
    html: str = ""  # sanitized before storage
    # Threading keys: e-mail In-Reply-To/References ids, or the provider's conversation id.
    thread_keys: tuple[str, ...] = ()
    # The receiving account (OA id, page id, mailbox address), to refuse unknown ones.
    account_id: str = ""
    attachments: tuple[InboundAttachment, ...] = field(default_factory=tuple)
    # Non-message events (follow/unfollow, typing, read) carry a kind; plain messages leave it "message".
    event: str = "message"
