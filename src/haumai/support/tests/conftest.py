"""Fixtures: a frozen clock, media under tmp, inbound message builders, and staff."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from haumai.core import clock
from haumai.support.channels.inbound import InboundMessage

NOW = dt.datetime(2026, 6, 10, 3, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _support_settings(settings: Any, tmp_path: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.HAUMAI_SUPPORT_EMAIL = "cskh@shop.vn"
    settings.HAUMAI_SUPPORT_INBOUND_SECRET = "inbound-secret"
    with clock.frozen(NOW):
        yield


def inbound(**overrides: Any) -> InboundMessage:
    """A plausible inbound Zalo message; override any field."""
    fields: dict[str, Any] = {
        "channel": "zalo",
        "external_id": "msg-1",
        "sender_kind": "zalo_user_id",
        "sender_value": "8412345678901",
        "sender_name": "Nguyễn Văn An",
        "sent_at": NOW,
        "text": "Máy giặt nhà tôi không vắt được",
    }
    fields.update(overrides)
    return InboundMessage(**fields)


def email(**overrides: Any) -> InboundMessage:
    """A plausible inbound e-mail."""
    fields: dict[str, Any] = {
        "channel": "email",
        "external_id": "abc123@mail.example.vn",
        "sender_kind": "email",
        "sender_value": "an.nguyen@example.vn",
        "sender_name": "Nguyễn Văn An",
        "sent_at": NOW,
        "subject": "Bảo hành tủ lạnh",
        "text": "Tủ lạnh không lạnh nữa.",
        "account_id": "cskh@shop.vn",
    }
    fields.update(overrides)
    return InboundMessage(**fields)
