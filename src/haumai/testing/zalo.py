"""A local Zalo OA / ZNS / OAuth v4 server on 127.0.0.1 replaying the documented answers.

    with local_zalo() as zalo:
        zalo.configure(settings)                  # messaging conf URLs + app secret
        zalo.script("84912345678", "5xx", "ok")   # next answers for this phone / user id
        ...
        zalo.requests                              # (path, headers, json/form body) of every call

Answers: "ok"; "invalid_token" (error -124 on HTTP 200); "blocked" (-216); "5xx" (HTTP 502);
"slow" (answers after `slow_seconds`, beyond the client timeout); "unknown" (error -999).
A request with an access token other than the current one gets -124 as Zalo does. The OAuth endpoint
checks the `secret_key` header and the refresh token, and ROTATES both tokens on every refresh.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

APP_SECRET = "local-zalo-app-secret"  # noqa: S105 - a test server's fixed credential
OA_SECRET_KEY = "local-zalo-oa-secret-key"  # noqa: S105 - signs the OA webhook events below


class LocalHttpServer:
    """A threaded HTTP server on a free port with per-recipient scripted answers."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], Any]] = []
        self.scripts: dict[str, deque[str]] = {}
        self.slow_seconds = 4.0
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.httpd.daemon_threads = True
        self.port = int(self.httpd.server_address[1])
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def script(self, recipient: str, *answers: str) -> None:
        """Queue the next answers for one recipient (afterwards: "ok")."""
        with self.lock:
            self.scripts.setdefault(recipient, deque()).extend(answers)

    def next_answer(self, recipient: str) -> str:
        with self.lock:
            queue = self.scripts.get(recipient)
            return queue.popleft() if queue else "ok"

    def calls(self, path: str) -> list[tuple[str, dict[str, str], Any]]:
        """Requests received on one path."""
        with self.lock:
            return [r for r in self.requests if r[0] == path]

    def handle(self, path: str, headers: dict[str, str], body: Any) -> tuple[int, dict[str, Any]]:
        raise NotImplementedError

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                headers = {k.lower(): v for k, v in self.headers.items()}
                if "json" in headers.get("content-type", ""):
                    body: Any = json.loads(raw or "{}")
                else:
                    body = {k: v[0] for k, v in parse_qs(raw).items()}
                with server.lock:
                    server.requests.append((self.path, headers, body))
                status, answer = server.handle(self.path, headers, body)
                if status == -1:  # slow: answer after the client gave up
                    time.sleep(server.slow_seconds)
                    status = 200
                data = json.dumps(answer).encode("utf-8")
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                return

        return Handler

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class LocalZalo(LocalHttpServer):
    """Zalo's three endpoints: OAuth v4 refresh, OA customer-service message, ZNS template message."""

    def __init__(self) -> None:
        super().__init__()
        self.app_id = "1234567890"
        self.access_token = "access-" + secrets.token_hex(8)
        self.refresh_token = "refresh-" + secrets.token_hex(8)
        self.refresh_count = 0

    def configure(self, settings: Any) -> None:
        """Point messaging's Zalo URLs and app secret at this server."""
        settings.HAUMAI_ZALO_OAUTH_URL = f"{self.base_url}/v4/oa/access_token"
        settings.HAUMAI_ZALO_CS_URL = f"{self.base_url}/v3.0/oa/message/cs"
        settings.HAUMAI_ZALO_ZNS_URL = f"{self.base_url}/message/template"
        settings.HAUMAI_ZALO_APP_SECRET = APP_SECRET
        settings.HAUMAI_ZALO_OA_SECRET_KEY = OA_SECRET_KEY
        settings.HAUMAI_MESSAGING_HTTP_TIMEOUT = 2.0

    def expire_access_token(self) -> None:
        """Zalo invalidates the access token (e.g. after 25 hours)."""
        with self.lock:
            self.access_token = "access-" + secrets.token_hex(8)

    def handle(self, path: str, headers: dict[str, str], body: Any) -> tuple[int, dict[str, Any]]:
        if path.startswith("/v4/oa/access_token"):
            return self._refresh(headers, body)
        if path.startswith("/v3.0/oa/message/cs"):
            recipient = str((body.get("recipient") or {}).get("user_id", ""))
            return self._send(headers, recipient, {"message_id": secrets.token_hex(16), "user_id": recipient})
        if path.startswith("/message/template"):
            recipient = str(body.get("phone", ""))
            data = {
                "msg_id": secrets.token_hex(16),
                "sent_time": str(int(time.time() * 1000)),
                "sending_mode": "1",
                "quota": {"dailyQuota": "500", "remainingQuota": "499"},
            }
            return self._send(headers, recipient, data)
        return 404, {"error": -1, "message": "not found"}

    def _refresh(self, headers: dict[str, str], body: dict[str, str]) -> tuple[int, dict[str, Any]]:
        with self.lock:
            if headers.get("secret_key") != APP_SECRET:
                return 200, {"error": -14002, "error_name": "Invalid secret key", "error_description": "secret_key"}
            if body.get("grant_type") != "refresh_token" or body.get("refresh_token") != self.refresh_token:
                return 200, {"error": -14014, "error_name": "Invalid refresh token",
                             "error_description": "Refresh token is invalid or expired"}
            self.access_token = "access-" + secrets.token_hex(8)
            self.refresh_token = "refresh-" + secrets.token_hex(8)
            self.refresh_count += 1
            return 200, {"access_token": self.access_token, "refresh_token": self.refresh_token, "expires_in": "90000"}

    def _send(self, headers: dict[str, str], recipient: str, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        answer = self.next_answer(recipient)
        if answer == "5xx":
            return 502, {"error": -32, "message": "Bad gateway"}
        if answer == "slow":
            return -1, {"error": 0, "message": "Success", "data": data}
        with self.lock:
            valid = headers.get("access_token") == self.access_token
        if answer == "invalid_token" or not valid:
            return 200, {"error": -124, "message": "Access token is invalid"}
        if answer == "blocked":
            return 200, {"error": -216, "message": "User has blocked the OA or is not following it"}
        if answer == "unknown":
            return 200, {"error": -999, "message": "Unexpected error"}
        return 200, {"error": 0, "message": "Success", "data": data}


def oa_event(event_name: str, *, oa_id: str, user_id: str, app_id: str = "1234567890", msg_id: str = "",
             text: str = "", timestamp: int | None = None) -> dict[str, Any]:
    """An OA webhook event in the shapes of Zalo's webhook documentation (text, image, file, sticker,
    follow, unfollow)."""
    stamp = str(timestamp if timestamp is not None else int(time.time() * 1000))
    if event_name in ("follow", "unfollow"):
        return {"oa_id": oa_id, "follower": {"id": user_id}, "user_id_by_app": "55" + user_id[-8:],
                "event_name": event_name, "source": "oa_profile", "app_id": app_id, "timestamp": stamp}
    message: dict[str, Any] = {"msg_id": msg_id or secrets.token_hex(16)}
    if event_name == "user_send_text":
        message["text"] = text
    elif event_name == "user_send_image":
        message["text"] = text
        message["attachments"] = [{"payload": {"thumbnail": "https://photo-stal.zdn.vn/t.jpg",
                                               "url": "https://photo-stal.zdn.vn/hoa-don.jpg"}, "type": "image"}]
    elif event_name == "user_send_file":
        message["attachments"] = [{"payload": {"size": "48213", "name": "bien-nhan.pdf", "checksum": "a1b2",
                                               "type": "pdf", "url": "https://f.zdn.vn/bien-nhan.pdf"},
                                   "type": "file"}]
    elif event_name == "user_send_sticker":
        message["attachments"] = [{"payload": {"id": "bfe0f2a5a4e04dbe14f1", "url": "https://zalo-api.zadn.vn/s.png"},
                                   "type": "sticker"}]
    return {"app_id": app_id, "user_id_by_app": "55" + user_id[-8:], "event_name": event_name,
            "timestamp": stamp, "sender": {"id": user_id}, "recipient": {"id": oa_id}, "message": message}


def signed_oa_event(event: dict[str, Any], *, secret: str = OA_SECRET_KEY) -> tuple[bytes, dict[str, str]]:
    """Body and Django test-client headers of a webhook POST signed as Zalo signs it:
    X-ZEvent-Signature: mac=sha256(app_id + body + timestamp + OA secret key)."""
    import hashlib

    body = json.dumps(event, ensure_ascii=False).encode("utf-8")
    mac = hashlib.sha256(str(event.get("app_id", "")).encode() + body + str(event.get("timestamp", "")).encode()
                         + secret.encode()).hexdigest()
    return body, {"HTTP_X_ZEVENT_SIGNATURE": f"mac={mac}"}


@contextmanager
def local_zalo() -> Iterator[LocalZalo]:
    """Run the local Zalo server for the duration of the block."""
    server = LocalZalo()
    server.start()
    try:
        yield server
    finally:
        server.stop()
