"""Building the bytes of an ordinary customer e-mail quickly.

Django's EmailMultiAlternatives goes through the `email` package's generator, which folds and
re-encodes every header of every part: ~1 ms per message, more than the SMTP exchange itself. Our
e-mails are all alike (ASCII addresses, a one-line subject, a text part and maybe an HTML part), so
they are written here directly in the same shape Django produces: multipart/alternative, UTF-8 parts
in 8bit (quoted-printable when a line is longer than RFC 5322 allows), an RFC 2047 subject.
Anything unusual (a non-ASCII address, a line break in a header) returns None and the caller uses
Django's builder, which also refuses header injection.
"""

from __future__ import annotations

import binascii
import re
import uuid
from email.header import Header
from email.utils import formatdate, make_msgid

from django.conf import settings
from django.core.mail.utils import DNS_NAME

LINE_LIMIT = 998
_PLAIN_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+$")
_NAMED_ADDRESS = re.compile(r"^[A-Za-z0-9 .'_-]*<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+>$")


def simple_address(value: str) -> bool:
    """An ASCII `local@domain` or `Name <local@domain>` that needs no encoding."""
    return bool(_PLAIN_ADDRESS.match(value) or _NAMED_ADDRESS.match(value))


def _header_value(name: str, value: str) -> str | None:
    if "\n" in value or "\r" in value or len(name) + len(value) + 2 > LINE_LIMIT:
        return None
    if name.lower() == "subject":
        try:
            value.encode("ascii")
        except UnicodeEncodeError:
            return Header(value, "utf-8").encode(linesep="\n")
        return Header(value).encode(linesep="\n")
    try:
        value.encode("ascii")
    except UnicodeEncodeError:
        return None
    return value


def _part(content_type: str, body: str) -> list[str]:
    """Headers and body lines of one text part ('\n' line ends)."""
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    raw = text.encode("utf-8")
    if max((len(line) for line in raw.split(b"\n")), default=0) > LINE_LIMIT:
        encoding, payload = "quoted-printable", binascii.b2a_qp(raw).decode("ascii")
    else:
        encoding, payload = ("7bit" if raw.isascii() else "8bit"), text
    return [
        f'Content-Type: {content_type}; charset="utf-8"',
        "MIME-Version: 1.0",
        f"Content-Transfer-Encoding: {encoding}",
        "",
        payload,
    ]


def message_bytes(
    *, from_email: str, to: str, subject: str, text: str, html: str, headers: dict[str, str], linesep: str = "\r\n"
) -> bytes | None:
    """The whole message, or None when it needs Django's general builder."""
    if not (simple_address(from_email) and simple_address(to)):
        return None
    top = {"Subject": subject, "From": from_email, "To": to}
    top["Date"] = formatdate(localtime=settings.EMAIL_USE_LOCALTIME)
    top["Message-ID"] = make_msgid(domain=DNS_NAME)
    top.update(headers)
    lines: list[str] = []
    for name, value in top.items():
        encoded = _header_value(name, value)
        if encoded is None:
            return None
        lines.append(f"{name}: {encoded}")
    if html:
        boundary = f"===============haumai{uuid.uuid4().hex}=="
        head = [f'Content-Type: multipart/alternative; boundary="{boundary}"', "MIME-Version: 1.0", *lines, ""]
        body = [
            f"--{boundary}",
            *_part("text/plain", text),
            f"--{boundary}",
            *_part("text/html", html),
            f"--{boundary}--",
            "",
        ]
        document = "\n".join(head + body)
    else:
        plain = _part("text/plain", text)
        document = "\n".join(plain[:3] + lines + plain[3:])
    return document.replace("\n", linesep).encode("utf-8")
