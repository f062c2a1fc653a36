"""Facebook Messenger: verification handshake, X-Hub-Signature-256, page events, Send API (local Graph).

The end-to-end path (a verified message reaching `ingest_inbound`) needs the tickets side's ingestion
service; here: the adapter, the handshake, every refusal, and the Send API client.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from haumai.support.channels.facebook import FacebookWebhookRefused, parse_webhook, send_text
from haumai.testing.facebook import APP_SECRET, PAGE_ID, VERIFY_TOKEN, LocalGraph, local_graph

URL = "/hooks/support/facebook/"
PSID = "6543210987654321"


@pytest.fixture
def graph(settings: Any) -> Iterator[LocalGraph]:
    with local_graph() as server:
        server.configure(settings)
        yield server


def lower(headers: dict[str, str]) -> dict[str, str]:
    return {"x-hub-signature-256": headers["HTTP_X_HUB_SIGNATURE_256"]}


def test_handshake_echoes_the_challenge_only_for_our_token(graph: LocalGraph) -> None:
    client = Client()
    ok = client.get(URL, {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"})
    assert ok.status_code == 200 and ok.content == b"1158201444"
    wrong = client.get(URL, {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"})
    assert wrong.status_code == 403
    assert client.get(URL, {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN,
                            "hub.challenge": "1"}).status_code == 403


def test_text_and_attachment_messages_parse(graph: LocalGraph) -> None:
    payload = graph.text_event(PSID, "Đơn hàng của tôi giao chưa?", mid="m_AbC123")
    payload["entry"][0]["messaging"].append({
        "sender": {"id": PSID}, "recipient": {"id": PAGE_ID}, "timestamp": 1764680400000,
        "message": {"mid": "m_img1", "attachments": [{"type": "image", "payload": {"url": "https://scontent.xx/p.jpg"}}]}})
    payload["entry"][0]["messaging"].append({  # our own reply echoed back: skipped
        "sender": {"id": PAGE_ID}, "recipient": {"id": PSID}, "timestamp": 1764680400001,
        "message": {"mid": "m_echo", "is_echo": True, "text": "Dạ"}})
    payload["entry"][0]["messaging"].append({  # a delivery receipt: skipped
        "sender": {"id": PSID}, "recipient": {"id": PAGE_ID}, "timestamp": 1764680400002,
        "delivery": {"mids": ["m_x"], "watermark": 1764680400000}})
    body, headers = LocalGraph.webhook(payload)
    messages = parse_webhook(body, lower(headers))
    assert [m.external_id for m in messages] == ["m_AbC123", "m_img1"]
    first = messages[0]
    assert (first.channel, first.sender_kind, first.sender_value, first.account_id) == (
        "facebook", "facebook_psid", PSID, PAGE_ID)
    assert first.text == "Đơn hàng của tôi giao chưa?"
    assert messages[1].text == "[image] https://scontent.xx/p.jpg"


def test_forged_signature_unknown_page_and_bad_bodies_are_refused(graph: LocalGraph) -> None:
    body, headers = LocalGraph.webhook(graph.text_event(PSID, "hi"), secret="forged")
    with pytest.raises(FacebookWebhookRefused) as error:
        parse_webhook(body, lower(headers))
    assert error.value.status == 401
    good, good_headers = LocalGraph.webhook(graph.text_event(PSID, "hi"))
    with pytest.raises(FacebookWebhookRefused):
        parse_webhook(good + b" ", lower(good_headers))
    other, other_headers = LocalGraph.webhook(graph.text_event(PSID, "hi", page_id="999"))
    with pytest.raises(FacebookWebhookRefused) as error:
        parse_webhook(other, lower(other_headers))
    assert (error.value.code, error.value.status) == ("unknown_page", 404)
    weird, weird_headers = LocalGraph.webhook({"object": "instagram", "entry": []})
    with pytest.raises(FacebookWebhookRefused):
        parse_webhook(weird, lower(weird_headers))


def test_http_refusals(graph: LocalGraph) -> None:
    client = Client()
    body, headers = LocalGraph.webhook(graph.text_event(PSID, "hi"), secret="forged")
    assert client.post(URL, body, content_type="application/json", **headers).status_code == 401  # type: ignore[arg-type]
    assert client.post(URL, body, content_type="application/json").status_code == 401
    body, headers = LocalGraph.webhook(graph.text_event(PSID, "hi", page_id="42"))
    assert client.post(URL, body, content_type="application/json", **headers).status_code == 404  # type: ignore[arg-type]
    receipts = {"object": "page", "entry": [{"id": PAGE_ID, "messaging": [
        {"sender": {"id": PSID}, "recipient": {"id": PAGE_ID}, "timestamp": 1, "read": {"watermark": 1}}]}]}
    body, headers = LocalGraph.webhook(receipts)
    answer = client.post(URL, body, content_type="application/json", **headers)  # type: ignore[arg-type]
    assert answer.status_code == 200 and answer.json()["messages"] == 0


def test_missing_configuration_refuses(settings: Any) -> None:
    settings.HAUMAI_FACEBOOK_APP_SECRET = ""
    settings.HAUMAI_FACEBOOK_VERIFY_TOKEN = ""
    client = Client()
    body = json.dumps({"object": "page", "entry": []}).encode()
    assert client.post(URL, body, content_type="application/json").status_code == 503
    assert client.get(URL, {"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"}).status_code == 503


def test_send_api(graph: LocalGraph) -> None:
    result = send_text(page_id=PAGE_ID, psid=PSID, text="Dạ, đơn hàng đang được giao ạ.")
    assert result.ok and result.message_id.startswith("m_")
    path, _headers, body = graph.requests[0]
    assert path.startswith("/v19.0/me/messages?access_token=")
    assert body == {"recipient": {"id": PSID}, "messaging_type": "RESPONSE",
                    "message": {"text": "Dạ, đơn hàng đang được giao ạ."}}
    graph.script(PSID, "window_closed", "5xx", "invalid_token")
    closed = send_text(page_id=PAGE_ID, psid=PSID, text="x")
    assert closed.error_code == "facebook_10" and not closed.retryable
    down = send_text(page_id=PAGE_ID, psid=PSID, text="x")
    assert down.retryable
    expired = send_text(page_id=PAGE_ID, psid=PSID, text="x")
    assert expired.error_code == "facebook_190" and not expired.retryable
    unknown = send_text(page_id="nope", psid=PSID, text="x")
    assert unknown.error_code == "unknown_page" and len(graph.requests) == 4
    assert APP_SECRET not in path
