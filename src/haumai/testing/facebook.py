"""A local Facebook Graph API server on 127.0.0.1 for the Messenger Send API, plus signed webhooks.

    with local_graph() as graph:
        graph.configure(settings)              # Graph URL, app secret, verify token, the page and its token
        graph.script("PSID", "window_closed")  # next answers for this recipient
        graph.requests                          # (path, headers, json body) of every call
        body, headers = graph.webhook(graph.text_event("PSID", "Xin chào", mid="m_1"))

Answers (shapes from the Send API reference): "ok" -> {"recipient_id", "message_id"};
"invalid_token" -> 400 OAuthException code 190; "window_closed" -> 400 code 10 subcode 2018278;
"5xx" -> 500 with is_transient. A request whose access_token is not the page's gets code 190.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

from haumai.testing.zalo import LocalHttpServer

APP_SECRET = "local-facebook-app-secret"  # noqa: S105 - a test server's fixed credential
VERIFY_TOKEN = "local-verify-token"  # noqa: S105
PAGE_ID = "104857261234567"


class LocalGraph(LocalHttpServer):
    """Graph API `POST /v19.0/me/messages` for one page."""

    def __init__(self) -> None:
        super().__init__()
        self.page_id = PAGE_ID
        self.page_token = "EAAG-" + secrets.token_hex(12)

    def configure(self, settings: Any) -> None:
        """Point the Messenger adapter at this server and connect its page."""
        settings.HAUMAI_FACEBOOK_GRAPH_URL = self.base_url
        settings.HAUMAI_FACEBOOK_APP_SECRET = APP_SECRET
        settings.HAUMAI_FACEBOOK_VERIFY_TOKEN = VERIFY_TOKEN
        settings.HAUMAI_FACEBOOK_PAGES = json.dumps({self.page_id: self.page_token})
        settings.HAUMAI_MESSAGING_HTTP_TIMEOUT = 2.0

    def handle(self, path: str, headers: dict[str, str], body: Any) -> tuple[int, dict[str, Any]]:
        parts = urlsplit(path)
        if not parts.path.endswith("/me/messages"):
            return 404, {"error": {"message": "Unknown path", "type": "OAuthException", "code": 803}}
        token = (parse_qs(parts.query).get("access_token") or [""])[0]
        recipient = str((body.get("recipient") or {}).get("id", ""))
        answer = self.next_answer(recipient)
        if answer == "5xx":
            return 500, {"error": {"message": "An unexpected error has occurred.", "type": "OAuthException",
                                   "code": 2, "is_transient": True}}
        if answer == "invalid_token" or token != self.page_token:
            return 400, {"error": {"message": "Invalid OAuth access token.", "type": "OAuthException",
                                   "code": 190, "fbtrace_id": secrets.token_hex(6)}}
        if answer == "window_closed":
            return 400, {"error": {"message": "(#10) This message is sent outside of allowed window.",
                                   "type": "OAuthException", "code": 10, "error_subcode": 2018278}}
        return 200, {"recipient_id": recipient, "message_id": "m_" + secrets.token_urlsafe(24)}

    def text_event(self, psid: str, text: str, *, mid: str = "", page_id: str = "") -> dict[str, Any]:
        """A page webhook body with one text message, as Meta sends it."""
        page = page_id or self.page_id
        now = int(time.time() * 1000)
        return {"object": "page", "entry": [{"id": page, "time": now, "messaging": [{
            "sender": {"id": psid}, "recipient": {"id": page}, "timestamp": now,
            "message": {"mid": mid or "m_" + secrets.token_urlsafe(16), "text": text}}]}]}

    @staticmethod
    def webhook(payload: dict[str, Any], *, secret: str = APP_SECRET) -> tuple[bytes, dict[str, str]]:
        """Body and headers of a signed webhook POST (X-Hub-Signature-256)."""
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        return body, {"HTTP_X_HUB_SIGNATURE_256": f"sha256={digest}"}


@contextmanager
def local_graph() -> Iterator[LocalGraph]:
    """Run the local Graph server for the duration of the block."""
    server = LocalGraph()
    server.start()
    try:
        yield server
    finally:
        server.stop()
