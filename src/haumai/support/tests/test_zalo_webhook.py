"""Zalo OA webhook: signature as Zalo documents it, events to InboundMessage, refusals.

The end-to-end path (a verified event reaching `ingest_inbound` and landing on a ticket) needs the
ingestion service of the tickets side; these tests cover the adapter and every refusal that answers
before ingestion.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from haumai.messaging.models import ZaloCredential
from haumai.support.channels import zalo
from haumai.support.channels.zalo import ZaloWebhookRefused, parse_event, signature
from haumai.testing.zalo import OA_SECRET_KEY, oa_event, signed_oa_event

OA = "2973651283739238174"
USER = "8412374561234567890"
URL = "/hooks/support/zalo/"


@pytest.fixture
def secret(settings: Any) -> str:
    settings.HAUMAI_ZALO_OA_SECRET_KEY = OA_SECRET_KEY
    return OA_SECRET_KEY


def headers_of(django_headers: dict[str, str]) -> dict[str, str]:
    return {"x-zevent-signature": django_headers["HTTP_X_ZEVENT_SIGNATURE"]}


def parse(event: dict[str, Any]) -> Any:
    body, headers = signed_oa_event(event)
    return parse_event(body, headers_of(headers), known_oa_ids={OA})


def test_signature_is_sha256_of_app_id_body_timestamp_and_oa_secret() -> None:
    import hashlib

    body = b'{"app_id":"123","timestamp":"1700000000000"}'
    expected = hashlib.sha256(b"123" + body + b"1700000000000" + b"s3cret").hexdigest()
    assert signature(app_id="123", body=body, timestamp="1700000000000", secret="s3cret") == f"mac={expected}"


def test_text_message(secret: str) -> None:
    event = oa_event("user_send_text", oa_id=OA, user_id=USER, msg_id="a1b2c3", text="Máy giặt báo lỗi E21",
                     timestamp=1764680400000)
    message = parse(event)
    assert (message.channel, message.external_id, message.sender_kind, message.sender_value) == (
        "zalo", "a1b2c3", "zalo_user_id", USER)
    assert message.text == "Máy giặt báo lỗi E21" and message.account_id == OA
    assert message.sent_at == dt.datetime(2025, 12, 2, 13, 0, tzinfo=dt.UTC)
    assert message.thread_keys == (f"zalo:{OA}:{USER}",) and message.event == "message"


@pytest.mark.parametrize(("name", "fragment"), [
    ("user_send_image", "[image] https://photo-stal.zdn.vn/hoa-don.jpg"),
    ("user_send_file", "[file] bien-nhan.pdf https://f.zdn.vn/bien-nhan.pdf"),
    ("user_send_sticker", "[sticker] bfe0f2a5a4e04dbe14f1"),
])
def test_media_events_keep_the_links(secret: str, name: str, fragment: str) -> None:
    message = parse(oa_event(name, oa_id=OA, user_id=USER, msg_id="m-" + name))
    assert fragment in message.text and message.external_id == "m-" + name


@pytest.mark.parametrize("name", ["follow", "unfollow"])
def test_follow_and_unfollow_are_events(secret: str, name: str) -> None:
    message = parse(oa_event(name, oa_id=OA, user_id=USER, timestamp=1764680400000))
    assert message.event == name and message.sender_value == USER and message.account_id == OA
    assert message.external_id == f"{name}:{USER}:1764680400000"  # a retried delivery has the same id


def test_forged_or_missing_signatures_are_refused(secret: str) -> None:
    body, headers = signed_oa_event(oa_event("user_send_text", oa_id=OA, user_id=USER, text="hi"),
                                    secret="not-the-secret")
    with pytest.raises(ZaloWebhookRefused) as error:
        parse_event(body, headers_of(headers), known_oa_ids={OA})
    assert (error.value.code, error.value.status) == ("bad_signature", 401)
    with pytest.raises(ZaloWebhookRefused):
        parse_event(body, {}, known_oa_ids={OA})
    good_body, good_headers = signed_oa_event(oa_event("user_send_text", oa_id=OA, user_id=USER, text="hi"))
    tampered = good_body.replace(b'"hi"', b'"chuyen khoan vao tai khoan nay"')
    with pytest.raises(ZaloWebhookRefused):
        parse_event(tampered, headers_of(good_headers), known_oa_ids={OA})


def test_unknown_oa_refused_and_unhandled_events_acknowledged(secret: str) -> None:
    body, headers = signed_oa_event(oa_event("user_send_text", oa_id="999", user_id=USER, text="hi"))
    with pytest.raises(ZaloWebhookRefused) as error:
        parse_event(body, headers_of(headers), known_oa_ids={OA})
    assert (error.value.code, error.value.status) == ("unknown_oa", 404)
    seen = oa_event("user_send_text", oa_id=OA, user_id=USER) | {"event_name": "user_seen_message"}
    with pytest.raises(ZaloWebhookRefused) as error:
        parse(seen)
    assert error.value.status == 200


def test_without_a_configured_secret_nothing_is_accepted(settings: Any) -> None:
    settings.HAUMAI_ZALO_OA_SECRET_KEY = ""
    body, headers = signed_oa_event(oa_event("user_send_text", oa_id=OA, user_id=USER, text="hi"), secret="")
    with pytest.raises(ZaloWebhookRefused) as error:
        parse_event(body, headers_of(headers), known_oa_ids={OA})
    assert error.value.status == 503


@pytest.mark.django_db
def test_http_refusals(secret: str) -> None:
    ZaloCredential.objects.create(oa_id=OA, app_id="1234567890", refresh_token="r")
    client = Client()
    body, headers = signed_oa_event(oa_event("user_send_text", oa_id=OA, user_id=USER, text="x"), secret="forged")
    response = client.post(URL, body, content_type="application/json", **headers)  # type: ignore[arg-type]
    assert response.status_code == 401 and response.json()["error"] == "bad_signature"
    body, headers = signed_oa_event(oa_event("user_send_text", oa_id="111", user_id=USER, text="x"))
    assert client.post(URL, body, content_type="application/json", **headers).status_code == 404  # type: ignore[arg-type]
    ZaloCredential.objects.filter(oa_id=OA).update(is_active=False)  # a disconnected OA is unknown too
    body, headers = signed_oa_event(oa_event("user_send_text", oa_id=OA, user_id=USER, text="x"))
    assert client.post(URL, body, content_type="application/json", **headers).status_code == 404  # type: ignore[arg-type]
    assert client.get(URL).status_code == 405
    assert client.post(URL, b"not json", content_type="application/json").status_code == 400
    seen = oa_event("user_send_text", oa_id=OA, user_id=USER) | {"event_name": "oa_send_text"}
    body, headers = signed_oa_event(seen)
    answer = client.post(URL, body, content_type="application/json", **headers)  # type: ignore[arg-type]
    assert answer.status_code == 200 and answer.json()["ignored"] == "ignored_event"


def test_known_oa_ids_come_from_active_credentials(db: Any) -> None:
    ZaloCredential.objects.create(oa_id="a", app_id="1", refresh_token="r")
    ZaloCredential.objects.create(oa_id="b", app_id="1", refresh_token="r", is_active=False)
    assert zalo.active_oa_ids() == {"a"}


def test_json_payload_from_docs_shape(secret: str) -> None:
    # The documented text event, field for field, as Zalo posts it.
    raw = {"app_id": "360846524940903967", "sender": {"id": "246845883529197922"},
           "user_id_by_app": "552177279717587730", "recipient": {"id": OA}, "event_name": "user_send_text",
           "message": {"text": "message", "msg_id": "96d3cdf3af150460909"}, "timestamp": "154390853474"}
    body = json.dumps(raw).encode()
    headers = {"x-zevent-signature": signature(app_id=raw["app_id"], body=body,  # type: ignore[arg-type]
                                               timestamp="154390853474", secret=secret)}
    message = parse_event(body, headers, known_oa_ids={OA})
    assert message.external_id == "96d3cdf3af150460909" and message.sender_value == "246845883529197922"
