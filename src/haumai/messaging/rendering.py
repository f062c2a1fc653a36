"""Safe personalisation: templates run in a sandboxed Jinja environment with strict undefined variables."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from haumai.core.clock import LOCAL_TZ
from haumai.core.money import format_vnd


class RenderError(Exception):
    """A template could not be rendered; `message` says where and why in words for staff."""

    def __init__(self, message: str, *, part: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.part = part


def _vnd(amount: Any) -> str:
    if amount is None or amount == "":
        return ""
    if isinstance(amount, str) and amount.lstrip("-").isdigit():
        amount = int(amount)
    return format_vnd(int(amount))


def _date(value: Any, pattern: str = "%d/%m/%Y") -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value) if "T" in value or " " in value else dt.date.fromisoformat(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(LOCAL_TZ)
        return value.strftime(pattern)
    if isinstance(value, dt.date):
        return value.strftime(pattern)
    return str(value)


def _environment(autoescape: bool) -> SandboxedEnvironment:
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=autoescape, keep_trailing_newline=False)
    env.filters["vnd"] = _vnd
    env.filters["date"] = _date
    return env


_TEXT = _environment(autoescape=False)
_HTML = _environment(autoescape=True)


@lru_cache(maxsize=512)
def _compiled(source: str, html: bool) -> Template:
    # Template versions are immutable, so a compiled template can be reused for every message.
    return (_HTML if html else _TEXT).from_string(source)


def render_string(source: str, context: dict[str, Any], *, html: bool = False, part: str = "") -> str:
    """Render one template string; raise RenderError with a readable message on any problem."""
    if not source:
        return ""
    try:
        return _compiled(source, html).render(context)
    except TemplateSyntaxError as exc:
        raise RenderError(f"{part}: syntax error on line {exc.lineno}: {exc.message}", part=part) from exc
    except UndefinedError as exc:
        raise RenderError(f"{part}: unknown variable ({exc.message})", part=part) from exc
    except SecurityError as exc:
        raise RenderError(f"{part}: not allowed in templates ({exc})", part=part) from exc
    except (TemplateError, TypeError, ValueError, ArithmeticError) as exc:
        raise RenderError(f"{part}: {exc}", part=part) from exc


@dataclass(frozen=True)
class Rendered:
    """A rendered message: subject, text and HTML parts, and provider parameters (ZNS template_data)."""

    subject: str
    body_text: str
    body_html: str
    params: dict[str, str]


def render_message(
    *, channel: str, subject: str, body_text: str, body_html: str, context: dict[str, Any]
) -> Rendered:
    """Render every part of a template version for one channel."""
    if channel == "zns":
        return Rendered(subject="", body_text="", body_html="", params=render_zns_params(body_text, context))
    return Rendered(
        # One line: a value with a line break must not split (or inject) an e-mail header.
        subject=" ".join(render_string(subject, context, part="subject").split()),
        body_text=render_string(body_text, context, part="text"),
        body_html=render_string(body_html, context, html=True, part="html"),
        params={},
    )


def render_zns_params(source: str, context: dict[str, Any]) -> dict[str, str]:
    """ZNS templates are a JSON object {param: "jinja expression text"}; render each value."""
    try:
        mapping = json.loads(source or "{}")
    except json.JSONDecodeError as exc:
        raise RenderError(f"text: ZNS parameters must be a JSON object ({exc.msg}, line {exc.lineno})") from exc
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        raise RenderError('text: ZNS parameters must be a JSON object of strings, e.g. {"name": "{{ customer.name }}"}')
    return {str(key): render_string(value, context, part=f"text[{key}]") for key, value in mapping.items()}
