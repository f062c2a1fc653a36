"""Signed inbound webhooks: `X-Haumai-Signature: sha256=<hex>`, the HMAC-SHA256 of the raw body."""

from __future__ import annotations

import hashlib
import hmac


def body_signature(secret: str, body: bytes) -> str:
    """The header value a sender puts on `body` (`sha256=<hex>`)."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_valid(secret: str, body: bytes, header: str) -> bool:
    """Constant-time check of `sha256=<hex>` against the body's HMAC; no secret configured refuses all."""
    if not secret or not header.startswith("sha256="):
        return False
    return hmac.compare_digest(body_signature(secret, body), "sha256=" + header.removeprefix("sha256=").strip())
