"""Security headers: a Content-Security-Policy everywhere, HSTS on HTTPS, the proxy's HTTPS header from the env."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from haumai.core.security import source_hash

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[2]
PASSWORD = "s3cret-pass-123"


def directives(response: Any) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split("; ")}


def test_console_pages_get_a_strict_policy_with_a_fresh_nonce() -> None:
    first, second = Client().get("/console/login/"), Client().get("/console/login/")
    policy = directives(first)
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["base-uri"] == ["'self'"]
    scripts = policy["script-src"]
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    nonces = [source for source in scripts if source.startswith("'nonce-")]
    assert len(nonces) == 1 and nonces != [s for s in directives(second)["script-src"] if s.startswith("'nonce-")]
    assert source_hash("this.form.submit()") in scripts  # the language switcher's handler, by its exact text


@pytest.mark.parametrize("url", ["/portal/", "/healthz", "/api/v1/customers"])
def test_every_kind_of_response_has_a_policy(url: str) -> None:
    response = Client().get(url)
    assert "'unsafe-inline'" not in directives(response)["script-src"]


def test_admin_allows_alpine_but_not_inline_scripts(make_staff: Any) -> None:
    client = Client()
    assert client.login(username=make_staff("manager").username, password=PASSWORD)
    response = client.get("/admin/")
    assert response.status_code == 200
    scripts = directives(response)["script-src"]
    assert "'unsafe-eval'" in scripts and "'unsafe-inline'" not in scripts


def test_api_docs_may_load_swagger_from_its_cdn() -> None:
    scripts = directives(Client().get("/api/v1/docs"))["script-src"]
    assert "https://cdn.jsdelivr.net" in scripts and "'unsafe-inline'" in scripts
    assert not any(source.startswith(("'nonce-", "'sha256-")) for source in scripts)  # they would void unsafe-inline


def test_report_only_mode(settings: Any) -> None:
    settings.HAUMAI_CSP_REPORT_ONLY = True
    response = Client().get("/console/login/")
    assert "Content-Security-Policy" not in response
    assert "default-src 'self'" in response["Content-Security-Policy-Report-Only"]


def test_every_inline_script_and_handler_in_the_templates_is_allowed() -> None:
    """A template's inline script needs the request's nonce, or its exact text in HAUMAI_CSP_INLINE_SCRIPTS."""
    allowed_scripts = set(settings.HAUMAI_CSP_INLINE_SCRIPTS)
    allowed_handlers = set(settings.HAUMAI_CSP_INLINE_HANDLERS)
    problems = []
    for template in sorted(TEMPLATES.glob("*/templates/**/*.html")):
        text = template.read_text(encoding="utf-8")
        for attributes, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", text, flags=re.S):
            if "src=" in attributes or "application/json" in attributes or "csp_nonce" in attributes:
                continue
            if body not in allowed_scripts:
                problems.append(f"{template}: inline <script> without nonce: {body.strip()[:60]}")
        for handler in re.findall(r"\son[a-z]+=\"([^\"]*)\"", text):
            if handler not in allowed_handlers:
                problems.append(f"{template}: inline handler not in HAUMAI_CSP_INLINE_HANDLERS: {handler}")
    assert problems == []


def test_hsts_only_over_https_through_the_proxy_header(settings: Any) -> None:
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    secure = Client().get("/console/login/", HTTP_X_FORWARDED_PROTO="https")
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in Client().get("/console/login/")


def read_settings_with(environment: dict[str, str]) -> dict[str, Any]:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, "
        "s.SECURE_PROXY_SSL_HEADER, s.SECURE_SSL_REDIRECT, s.HAUMAI_CSP_REPORT_ONLY]))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "haumai.settings", **environment}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    names = ["hsts", "subdomains", "preload", "proxy", "redirect", "report_only"]
    return dict(zip(names, json.loads(done.stdout.strip().splitlines()[-1]), strict=True))


def test_settings_come_from_the_environment() -> None:
    assert read_settings_with({}) == {
        "hsts": 0, "subdomains": False, "preload": False, "proxy": None, "redirect": False, "report_only": False,
    }  # fmt: skip
    configured = read_settings_with({
        "HAUMAI_HSTS_SECONDS": "63072000", "HAUMAI_HSTS_INCLUDE_SUBDOMAINS": "1", "HAUMAI_HSTS_PRELOAD": "1",
        "HAUMAI_PROXY_SSL_HEADER": "X-Forwarded-Proto", "HAUMAI_SSL_REDIRECT": "1", "HAUMAI_CSP_REPORT_ONLY": "1",
    })  # fmt: skip
    assert configured == {
        "hsts": 63072000, "subdomains": True, "preload": True, "proxy": ["HTTP_X_FORWARDED_PROTO", "https"],
        "redirect": True, "report_only": True,
    }  # fmt: skip
    other_header = read_settings_with({"HAUMAI_PROXY_SSL_HEADER": "X-Forwarded-Ssl: on"})
    assert other_header["proxy"] == ["HTTP_X_FORWARDED_SSL", "on"]
