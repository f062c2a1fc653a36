"""The edge: refuse text that the database cannot store before any view, session or webhook sees it.

PostgreSQL `text` cannot hold a NUL character (0x00), and UTF-8 cannot encode an unpaired surrogate
(JSON `"\\ud800"`); either one reaching a query is a 500, and a carrier that is answered 500 retries the
same webhook for ever. So every string a request carries (path, query, headers and cookies, form fields,
multipart field and file names, JSON keys and values) is checked once here, and the request is answered
400: the API's one error shape under /api/ and /hooks/, a plain translated page elsewhere.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

logger = logging.getLogger("haumai.edge")

JSON_PREFIXES = ("/api/", "/hooks/")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_BODY_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def is_unstorable(text: str) -> bool:
    """True when `text` holds a NUL character or an unpaired surrogate (neither can be stored).

    A value that is itself a JSON document (J&T posts its report as JSON inside a form field) counts
    its escapes too: the view parses it and would store the NUL that `\\u0000` stands for.
    """
    if _UNSTORABLE.search(text) is not None:
        return True
    if "\\u" in text and text.lstrip()[:1] in ("{", "["):
        try:
            document = json.loads(text)
        except ValueError:
            return False
        return any(_UNSTORABLE.search(value) for _path, value in _strings(document, ""))
    return False


class RejectUnstorableTextMiddleware:
    """Answer 400 to a request carrying a NUL byte or an unpaired surrogate anywhere, and store nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            where = first_unstorable(request)
        except MultiPartParserError:
            return _refuse(request, "body", malformed=True)
        if where is not None:
            logger.warning("refused %s %s: unstorable character in %s", request.method, _safe(request.path), where)
            return _refuse(request, where)
        return self.get_response(request)


def first_unstorable(request: HttpRequest) -> str | None:
    """Where the first unstorable character of the request is ('path', 'query.q', 'body.lines.0.sku' ...)."""
    if is_unstorable(request.path_info) or is_unstorable(request.path):
        return "path"
    for key, values in request.GET.lists():
        if is_unstorable(key) or any(is_unstorable(v) for v in values):
            return f"query.{_safe(key)}"
    for key, value in request.META.items():
        if key.startswith("HTTP_") and isinstance(value, str) and is_unstorable(value):
            return "header." + key[5:].replace("_", "-").title()
    for key, value in request.COOKIES.items():  # parsed: a quoted cookie's "\\000" becomes a NUL here
        if is_unstorable(key) or is_unstorable(value):
            return f"cookie.{_safe(key)}"
    if request.method in _BODY_METHODS:
        return _first_unstorable_in_body(request)
    return None


def _first_unstorable_in_body(request: HttpRequest) -> str | None:
    content_type = request.content_type or ""
    if content_type == "multipart/form-data":
        # Parsed (and cached for the view) through Django's streaming parser: uploads are not read into memory.
        for key, values in request.POST.lists():
            if is_unstorable(key) or any(is_unstorable(v) for v in values):
                return f"body.{_safe(key)}"
        for key, files in request.FILES.lists():
            if is_unstorable(key) or any(is_unstorable(f.name or "") for f in files):
                return f"body.{_safe(key)}"
        return None
    if content_type == "application/x-www-form-urlencoded":
        for key, values in request.POST.lists():
            if is_unstorable(key) or any(is_unstorable(v) for v in values):
                return f"body.{_safe(key)}"
        return None
    body = request.body
    if b"\x00" in body:
        return "body"
    # JSON escapes (\u0000, \ud800) only mean something once parsed; a body without "\u" has none.
    if b"\\u" not in body:
        return None
    try:
        document = json.loads(body)
    except ValueError:
        return None  # not JSON: the view answers it as it does any malformed body
    for path, text in _strings(document, "body"):
        if _UNSTORABLE.search(text) is not None:
            return path
    return None


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every key and string value of a parsed JSON document, with where it is."""
    stack: list[tuple[Any, str]] = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            yield where, item
        elif isinstance(item, dict):
            for key, child in item.items():
                yield where, key
                stack.append((child, f"{where}.{_safe(key)}"))
        elif isinstance(item, list):
            stack.extend((child, f"{where}.{index}") for index, child in enumerate(item))


def _safe(text: str) -> str:
    """Text for a message or a log line, with the unstorable characters shown as escapes."""
    return _UNSTORABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)[:100]


def _refuse(request: HttpRequest, where: str, *, malformed: bool = False) -> HttpResponse:
    with translation.override(translation.get_language_from_request(request)):
        if malformed:
            title = gettext("The request could not be read")
            message = gettext("The form data is malformed. Nothing was saved.")
        else:
            title = gettext("The request contains characters that cannot be stored")
            message = gettext("A NUL character or an unpaired surrogate was found in %(where)s. Nothing was saved.") % {
                "where": where
            }
        if request.path.startswith(JSON_PREFIXES):
            code = "malformed" if malformed else "invalid_characters"
            field_code = "malformed" if malformed else "unstorable_character"
            fields = [{"field": where, "message": message, "code": field_code}]
            return JsonResponse({"error": {"code": code, "message": title, "fields": fields}}, status=400)
        language = translation.get_language()
    page = (
        f'<!doctype html><html lang="{escape(language)}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head><body><h1>{escape(title)}</h1><p>{escape(message)}</p></body></html>"
    )
    return HttpResponse(page, status=400, content_type="text/html; charset=utf-8")
