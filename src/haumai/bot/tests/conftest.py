"""Fixtures: a frozen clock on a weekday morning in Vietnam, the demo help articles, inbound chat messages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from haumai.bot.tests.helpers import publish_demo_articles
from haumai.core import clock
from haumai.support.channels.inbound import InboundMessage

# Wednesday 10 June 2026, 10:00 in Ho Chi Minh City: the default support calendar is on shift.
NOW = dt.datetime(2026, 6, 10, 3, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _bot_settings(settings: Any, tmp_path: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "vi"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.HAUMAI_PUBLIC_URL = "https://shop.example.vn"
    with clock.frozen(NOW):
        yield


@pytest.fixture
def help_articles(make_staff: Any) -> int:
    return publish_demo_articles(make_staff("manager"))


def chat(text: str, *, number: int = 1, channel: str = "web_chat", visitor: str = "visitor-1",
         at: dt.datetime | None = None) -> InboundMessage:
    """An inbound chat message from a website visitor (or a Zalo user with channel='zalo')."""
    kind = {"web_chat": "web_visitor", "zalo": "zalo_user_id", "facebook": "facebook_psid"}[channel]
    return InboundMessage(channel=channel, external_id=f"{channel}-{visitor}-{number}",  # type: ignore[arg-type]
                          sender_kind=kind, sender_value=visitor, sent_at=at or clock.now(), text=text)  # type: ignore[arg-type]
