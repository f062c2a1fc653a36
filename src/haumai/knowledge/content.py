"""Article content rules: Vietnamese-safe slugs, sanitized rich text, YouTube/Vimeo embeds, search texts."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import nh3
from django.utils.text import slugify

from haumai.core.text import search_key
from haumai.support.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, html_to_text

# Articles may hold images and a few more structural tags than a customer's e-mail.
ARTICLE_TAGS = ALLOWED_TAGS | {"img", "figure", "figcaption", "h5", "h6", "dl", "dt", "dd", "kbd", "mark"}
ARTICLE_ATTRIBUTES = {**ALLOWED_ATTRIBUTES, "img": {"src", "alt", "title", "width", "height"}}
MAX_BODY = 200_000
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^\d{6,12}$")


def slug_for(title: str) -> str:
    """An SEO-friendly slug without diacritics: 'Hướng dẫn sử dụng điều hòa' -> 'huong-dan-su-dung-dieu-hoa'."""
    return slugify(search_key(title))[:200].strip("-") or "bai-viet"


def clean_body(raw: str) -> str:
    """Sanitized article HTML: formatting, links and images (http/https or site paths); no scripts."""
    if not raw:
        return ""
    return nh3.clean(
        raw,
        tags=ARTICLE_TAGS,
        attributes=ARTICLE_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        clean_content_tags={"script", "style"},
    )


def body_text(html: str) -> str:
    """Plain text of sanitized HTML (for snippets and channels without HTML)."""
    return html_to_text(html)


def embed_url(video_url: str) -> str | None:
    """The privacy-friendly embed URL of a YouTube or Vimeo link; None for anything else."""
    if not video_url:
        return None
    try:
        parsed = urlparse(video_url.strip())
    except ValueError:
        return None
    if parsed.scheme not in ("http", "https"):
        return None
    host = (parsed.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    parts = [part for part in parsed.path.split("/") if part]
    video_id = ""
    if host == "youtu.be" and parts:
        video_id = parts[0]
    elif host in ("youtube.com", "youtube-nocookie.com"):
        if parts[:1] == ["watch"]:
            video_id = (parse_qs(parsed.query).get("v") or [""])[0]
        elif len(parts) >= 2 and parts[0] in ("embed", "shorts", "live"):
            video_id = parts[1]
    elif host in ("vimeo.com", "player.vimeo.com"):
        number = parts[-1] if parts else ""
        if _VIMEO_ID.match(number):
            return f"https://player.vimeo.com/video/{number}"
        return None
    if _YOUTUBE_ID.match(video_id):
        return f"https://www.youtube-nocookie.com/embed/{video_id}"
    return None


def search_text(*, title: str, summary: str, text: str) -> str:
    """The folded text that search indexes: title, summary and body without diacritics."""
    return search_key(f"{title}\n{summary}\n{text}")
