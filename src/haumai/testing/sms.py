"""A local eSMS.vn server on 127.0.0.1 replaying the documented SendMultipleMessage_V4_post_json answers.

    with local_esms() as sms:
        sms.configure(settings)
        sms.script("0912345678", "5xx", "ok")
        sms.calls("/MainService.svc/json/SendMultipleMessage_V4_post_json/")

Answers: "ok" (CodeResult 100 + SMSID), "5xx" (HTTP 503), "slow" (beyond the client timeout),
or an eSMS code: "99" (blocked number), "101" (bad ApiKey/SecretKey), "103" (no balance),
"108" (bad number), "146" (wrong care template). A RequestId seen before answers 124 (duplicate).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from haumai.testing.zalo import LocalHttpServer

PATH = "/MainService.svc/json/SendMultipleMessage_V4_post_json/"
API_KEY = "local-esms-key"
SECRET_KEY = "local-esms-secret"  # noqa: S105 - a test server's fixed credential
_MESSAGES = {
    "99": "The phone number is blocked in the system",
    "101": "Authorize Failed",
    "103": "Not enough balance to send message",
    "108": "Phone number is not in correct format",
    "146": "Sai template Brandname CSKH",
}


class LocalEsms(LocalHttpServer):
    """eSMS send endpoint with RequestId de-duplication."""

    def __init__(self) -> None:
        super().__init__()
        self.request_ids: set[str] = set()
        self.delivered: list[dict[str, Any]] = []

    def configure(self, settings: Any) -> None:
        """Point messaging's eSMS settings at this server."""
        settings.HAUMAI_ESMS_URL = f"{self.base_url}{PATH}"
        settings.HAUMAI_ESMS_API_KEY = API_KEY
        settings.HAUMAI_ESMS_SECRET_KEY = SECRET_KEY
        settings.HAUMAI_ESMS_BRANDNAME = "HAUMAI"
        settings.HAUMAI_MESSAGING_HTTP_TIMEOUT = 2.0

    def handle(self, path: str, headers: dict[str, str], body: Any) -> tuple[int, dict[str, Any]]:
        if path != PATH:
            return 404, {"error": "Invalid request"}
        if body.get("ApiKey") != API_KEY or body.get("SecretKey") != SECRET_KEY:
            return 200, {"CodeResult": "101", "CountRegenerate": 0, "ErrorMessage": _MESSAGES["101"]}
        answer = self.next_answer(str(body.get("Phone", "")))
        if answer == "5xx":
            return 503, {"error": "Service unavailable"}
        request_id = str(body.get("RequestId", ""))
        with self.lock:
            if request_id and request_id in self.request_ids:
                return 200, {"CodeResult": "124", "CountRegenerate": 0, "ErrorMessage": "Request exist 1",
                             "SendStatus": "5"}
        if answer in _MESSAGES:
            return 200, {"CodeResult": answer, "CountRegenerate": 0, "ErrorMessage": _MESSAGES[answer]}
        with self.lock:
            self.request_ids.add(request_id)
            self.delivered.append(body)
        ok = {"CodeResult": "100", "CountRegenerate": 0, "SMSID": secrets.token_hex(16)}
        return (-1 if answer == "slow" else 200), ok


@contextmanager
def local_esms() -> Iterator[LocalEsms]:
    """Run the local eSMS server for the duration of the block."""
    server = LocalEsms()
    server.start()
    try:
        yield server
    finally:
        server.stop()
