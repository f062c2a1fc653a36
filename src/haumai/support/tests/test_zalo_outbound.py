"""Zalo OA replies through the customer-service message API, against the local Zalo server."""

from __future__ import annotations

from typing import Any

import pytest

from haumai.messaging.models import ZaloCredential
from haumai.support.channels.zalo import send_text
from haumai.testing.zalo import local_zalo

pytestmark = pytest.mark.django_db
OA = "2973651283739238174"


def test_reply_is_sent_with_the_stored_token(settings: Any) -> None:
    with local_zalo() as server:
        server.configure(settings)
        ZaloCredential.objects.create(oa_id=OA, app_id=server.app_id, access_token=server.access_token,
                                      refresh_token=server.refresh_token)
        result = send_text(oa_id=OA, user_id="84123", text="Dạ, Haumai đã nhận yêu cầu của anh/chị.")
        assert result.ok and result.message_id
        _path, headers, body = server.calls("/v3.0/oa/message/cs")[0]
        assert headers["access_token"] == server.access_token
        assert body == {"recipient": {"user_id": "84123"},
                        "message": {"text": "Dạ, Haumai đã nhận yêu cầu của anh/chị."}}


def test_expired_token_is_refreshed_once_and_the_pair_stored(settings: Any) -> None:
    with local_zalo() as server:
        server.configure(settings)
        ZaloCredential.objects.create(oa_id=OA, app_id=server.app_id, access_token=server.access_token,
                                      refresh_token=server.refresh_token)
        server.expire_access_token()
        old_refresh = server.refresh_token
        result = send_text(oa_id=OA, user_id="84123", text="Xin chào")
        assert result.ok and server.refresh_count == 1
        stored = ZaloCredential.objects.get()
        assert stored.access_token == server.access_token and stored.refresh_token != old_refresh


def test_blocked_user_is_permanent_and_5xx_retryable(settings: Any) -> None:
    with local_zalo() as server:
        server.configure(settings)
        ZaloCredential.objects.create(oa_id=OA, app_id=server.app_id, access_token=server.access_token,
                                      refresh_token=server.refresh_token)
        server.script("84999", "blocked", "5xx")
        blocked = send_text(oa_id=OA, user_id="84999", text="x")
        assert not blocked.ok and blocked.error_code == "zalo_-216" and not blocked.retryable
        down = send_text(oa_id=OA, user_id="84999", text="x")
        assert not down.ok and down.retryable


def test_unknown_oa_sends_nothing(settings: Any) -> None:
    with local_zalo() as server:
        server.configure(settings)
        result = send_text(oa_id="nope", user_id="84123", text="x")
        assert result.error_code == "unknown_oa" and server.requests == []
