"""Content-Security-Policy: one strict policy with a per-request nonce, widened per path by settings.

Django 5.2 has no CSP of its own. Templates that need an inline script give it
`nonce="{{ request.csp_nonce }}"`; inline event handlers (`onchange="..."`) are allowed only when their
exact text is listed in HAUMAI_CSP_INLINE_HANDLERS (CSP 'unsafe-hashes'), and nonce-less inline scripts
only when listed in HAUMAI_CSP_INLINE_SCRIPTS; move them to static files instead where you can.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Callable, Iterable, Mapping

from django.conf import settings
from django.http import HttpRequest, HttpResponse

BASE_POLICY: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    # Style attributes (style="...") and htmx's indicator <style> need 'unsafe-inline'; a nonce here would
    # disable it, so styles get none. Scripts are what the policy is for.
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def source_hash(text: str) -> str:
    """The CSP source expression allowing exactly this inline script or handler text."""
    digest = hashlib.sha256(text.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def build_policy(
    *,
    nonce: str,
    inline_scripts: Iterable[str] = (),
    inline_handlers: Iterable[str] = (),
    extra: Mapping[str, Iterable[str]] | None = None,
) -> str:
    """The header value: the base policy, the nonce and allowed hashes, plus extra sources per directive."""
    policy = {name: list(sources) for name, sources in BASE_POLICY.items()}
    scripts = policy["script-src"]
    scripts.append(f"'nonce-{nonce}'")
    scripts.extend(source_hash(text) for text in inline_scripts)
    handlers = [source_hash(text) for text in inline_handlers]
    if handlers:
        scripts.extend(["'unsafe-hashes'", *handlers])
    for name, sources in (extra or {}).items():
        policy.setdefault(name, []).extend(source for source in sources if source not in policy.get(name, []))
    if "'unsafe-inline'" in scripts:
        # Browsers ignore 'unsafe-inline' next to a nonce or a hash; a path that needs it gets neither.
        policy["script-src"] = [source for source in scripts if not source.startswith(("'nonce-", "'sha256-"))]
        policy["script-src"] = [source for source in policy["script-src"] if source != "'unsafe-hashes'"]
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in policy.items())


def _extra_for(path: str) -> dict[str, list[str]]:
    extra: dict[str, list[str]] = {}
    for prefix, directives in getattr(settings, "HAUMAI_CSP_PATH_SOURCES", {}).items():
        if path.startswith(prefix):
            for name, sources in directives.items():
                extra.setdefault(name, []).extend(sources)
    return extra


class ContentSecurityPolicyMiddleware:
    """Give each request a nonce (`request.csp_nonce`) and each response the Content-Security-Policy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        header = (
            "Content-Security-Policy-Report-Only"
            if getattr(settings, "HAUMAI_CSP_REPORT_ONLY", False)
            else "Content-Security-Policy"
        )
        if header not in response:
            response[header] = build_policy(
                nonce=nonce,
                inline_scripts=getattr(settings, "HAUMAI_CSP_INLINE_SCRIPTS", ()),
                inline_handlers=getattr(settings, "HAUMAI_CSP_INLINE_HANDLERS", ()),
                extra=_extra_for(request.path),
            )
        return response
