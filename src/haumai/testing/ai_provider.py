"""A local OpenAI-compatible server on 127.0.0.1 (chat completions and embeddings) for tests and the sandbox.

    with local_ai_provider() as ai:
        ai.configure(settings)              # HAUMAI_AI_BASE_URL, key, models, a short timeout
        ai.script("429", "ok")              # the next answers, then "ok"
        ai.reply = "Dạ, ... [1]"            # what "ok" completions say
        ai.requests                         # (path, headers, json body) of every call

Answers follow the documented shapes (`chat.completion` with `choices` and `usage`; `list` of `embedding`
with `usage`; errors as `{"error": {...}}`): "ok"; "slow" (answers after `slow_seconds`, beyond the client's
timeout); "429" (rate limited, with retry-after); "500"; "garbage" (HTTP 200, application/json, not JSON);
"no_choices" (valid JSON without choices); "no_usage" (an answer without `usage`). A wrong bearer key gets
401. `max_in_flight` is the most requests it was serving at once.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

API_KEY = "local-ai-test-key"
MODEL = "local-chat-1"
EMBEDDING_MODEL = "local-embed-1"
DIMENSIONS = 64


def tokens_of(text: str) -> int:
    """The server's token count: one per 4 characters (deterministic, documented for the tests)."""
    return max(1, len(text) // 4)


def embedding_of(text: str) -> list[float]:
    """A deterministic bag-of-words vector (hashed words), unit length."""
    vector = [0.0] * DIMENSIONS
    for word in re.findall(r"\w+", text.lower()):
        digest = hashlib.blake2b(word.encode("utf-8"), digest_size=4).digest()
        vector[int.from_bytes(digest, "big") % DIMENSIONS] += 1.0
    norm = math.sqrt(sum(x * x for x in vector)) or 1.0
    return [x / norm for x in vector]


class LocalAIProvider:
    """A threaded HTTP server speaking the OpenAI chat-completions and embeddings protocol."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], Any]] = []
        self.answers: deque[str] = deque()
        self.reply = "Dạ, anh/chị có thể làm theo hướng dẫn trong bài viết [1]."
        self.slow_seconds = 3.0
        self.delay_seconds = 0.0
        self.in_flight = 0
        self.max_in_flight = 0
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.httpd.daemon_threads = True
        self.port = int(self.httpd.server_address[1])
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def configure(self, settings: Any, *, timeout: float = 1.0) -> None:
        """Point HAUMAI_AI_* at this server."""
        settings.HAUMAI_AI_BASE_URL = self.base_url
        settings.HAUMAI_AI_API_KEY = API_KEY
        settings.HAUMAI_AI_MODEL = MODEL
        settings.HAUMAI_AI_EMBEDDING_MODEL = EMBEDDING_MODEL
        settings.HAUMAI_AI_TIMEOUT_SECONDS = str(timeout)

    def script(self, *answers: str) -> None:
        """Queue the next answers (afterwards: "ok")."""
        with self.lock:
            self.answers.extend(answers)

    def _next(self) -> str:
        with self.lock:
            return self.answers.popleft() if self.answers else "ok"

    def calls(self, path: str) -> list[Any]:
        """The JSON bodies received on one path ("/v1/chat/completions", "/v1/embeddings")."""
        with self.lock:
            return [body for p, _headers, body in self.requests if p == path]

    def respond(self, path: str, headers: dict[str, str], body: Any) -> tuple[int, bytes, dict[str, str]]:
        if headers.get("authorization") != f"Bearer {API_KEY}":
            return _json(
                401,
                {
                    "error": {
                        "message": "Incorrect API key provided",
                        "type": "invalid_request_error",
                        "param": None,
                        "code": "invalid_api_key",
                    }
                },
            )
        answer = self._next()
        if answer == "slow":
            time.sleep(self.slow_seconds)
        if answer == "429":
            status, data, extra = _json(
                429,
                {
                    "error": {
                        "message": "Rate limit reached for requests",
                        "type": "requests",
                        "param": None,
                        "code": "rate_limit_exceeded",
                    }
                },
            )
            return status, data, {**extra, "retry-after": "20"}
        if answer == "500":
            return _json(
                500,
                {
                    "error": {
                        "message": "The server had an error while processing your request.",
                        "type": "server_error",
                        "param": None,
                        "code": None,
                    }
                },
            )
        if answer == "garbage":
            return 200, b'{"id": "chatcmpl-1", "choices": [{"mess', {"Content-Type": "application/json"}
        if path.endswith("/embeddings"):
            return self._embeddings(body, answer)
        return self._chat(body, answer)

    def _chat(self, body: Any, answer: str) -> tuple[int, bytes, dict[str, str]]:
        prompt = sum(tokens_of(str(m.get("content", ""))) for m in body.get("messages", []))
        text = self.reply
        document: dict[str, Any] = {
            "id": "chatcmpl-local", "object": "chat.completion", "created": int(time.time()),
            "model": body.get("model", MODEL),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text, "refusal": None},
                         "logprobs": None, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": prompt, "completion_tokens": tokens_of(text),
                      "total_tokens": prompt + tokens_of(text)},
        }  # fmt: skip
        if answer == "no_choices":
            document["choices"] = []
        if answer == "no_usage":
            document.pop("usage")
        return _json(200, document)

    def _embeddings(self, body: Any, answer: str) -> tuple[int, bytes, dict[str, str]]:
        raw = body.get("input", [])
        texts = [raw] if isinstance(raw, str) else list(raw)
        tokens = sum(tokens_of(str(t)) for t in texts)
        rows = [{"object": "embedding", "index": i, "embedding": embedding_of(str(t))} for i, t in enumerate(texts)]
        document = {
            "object": "list", "model": body.get("model", EMBEDDING_MODEL), "data": rows,
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
        }  # fmt: skip
        return _json(200, document)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                headers = {k.lower(): v for k, v in self.headers.items()}
                body = json.loads(raw or "{}")
                with server.lock:
                    server.requests.append((self.path, headers, body))
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    if server.delay_seconds:
                        time.sleep(server.delay_seconds)
                    status, data, extra = server.respond(self.path, headers, body)
                finally:
                    with server.lock:
                        server.in_flight -= 1
                try:
                    self.send_response(status)
                    for name, value in {"Content-Type": "application/json", **extra}.items():
                        self.send_header(name, value)
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


def _json(status: int, document: Any) -> tuple[int, bytes, dict[str, str]]:
    return status, json.dumps(document, ensure_ascii=False).encode("utf-8"), {"Content-Type": "application/json"}


@contextmanager
def local_ai_provider() -> Iterator[LocalAIProvider]:
    """Run the server for the duration of the block."""
    server = LocalAIProvider()
    server.start()
    try:
        yield server
    finally:
        server.stop()
