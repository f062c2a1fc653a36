"""HTML from customers (e-mail bodies) is sanitized with nh3 (ammonia) before it is stored or shown."""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = {
    "a",
    "b",
    "blockquote",
    "br",
    "code",
    "div",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
_TAGS = re.compile(r"<[^>]+>")
_BLOCK_ENDS = re.compile(r"</(p|div|tr|li|h[1-4]|blockquote)>|<br\s*/?>", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_html(raw: str) -> str:
    """Keep text formatting and links (http/https/mailto only); scripts, styles, handlers and images go."""
    if not raw:
        return ""
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        clean_content_tags={"script", "style"},
    )


def html_to_text(raw: str) -> str:
    """A plain-text reading of (sanitized) HTML, for search and for channels without HTML."""
    text = _BLOCK_ENDS.sub("\n", clean_html(raw))
    text = html.unescape(_TAGS.sub("", text))
    return _BLANK_LINES.sub("\n\n", text).strip()
