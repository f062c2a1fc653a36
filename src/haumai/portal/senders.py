"""Sending portal login codes: e-mail through Django's mail API, SMS/Zalo through HAUMAI_SMS_BACKEND.

E-mail uses EMAIL_BACKEND and EMAIL_HOST/EMAIL_PORT/... from the environment (see settings.py). The
default is Django's file backend writing one file per message into var/outbox/, so `make run` works
offline: open the newest file there to read the code.

SMS and Zalo: `OutboxSmsBackend` (the default) is a development backend that appends the message to
var/outbox/sms.log and sends nothing to any phone. In production set
HAUMAI_SMS_BACKEND=haumai.portal.senders.MessagingSmsBackend: codes go out by SMS through the messaging
app's provider (eSMS.vn, HAUMAI_ESMS_* settings), sent at once and not stored. Codes for customers who
prefer Zalo also go by SMS: a Zalo ZNS OTP needs a template registered with Zalo, which is not set up.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from haumai.core import clock

_outbox_lock = threading.Lock()


class SmsBackend(Protocol):
    """Something that delivers a short text to a phone number on one channel (sms or zalo)."""

    def send(self, *, channel: str, destination: str, text: str) -> None:
        """Deliver or raise; never swallow a provider error."""


class OutboxSmsBackend:
    """Development only: append each message to <HAUMAI_OUTBOX_DIR>/sms.log instead of sending it."""

    def send(self, *, channel: str, destination: str, text: str) -> None:
        """Append one line: time, channel, destination, text."""
        folder = Path(settings.HAUMAI_OUTBOX_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        line = f"{clock.now().isoformat()}\t{channel}\t{destination}\t{text}\n"
        with _outbox_lock, (folder / "sms.log").open("a", encoding="utf-8") as handle:
            handle.write(line)


class MessagingSmsBackend:
    """Production: send by SMS through messaging's provider (eSMS.vn); Zalo codes go by SMS too."""

    def send(self, *, channel: str, destination: str, text: str) -> None:
        """Send now; raises messaging's SendFailed with the provider's error code."""
        from haumai.messaging.services import send_text_now

        send_text_now(destination=destination, text=text)


def sms_backend() -> SmsBackend:
    """The configured SMS/Zalo backend (HAUMAI_SMS_BACKEND, a dotted class path)."""
    backend: SmsBackend = import_string(settings.HAUMAI_SMS_BACKEND)()
    return backend


def send_code(channel: str, destination: str, code: str, *, link: str | None = None) -> None:
    """Send a login code (and, by e-mail, a login link) to a phone or e-mail address."""
    minutes = settings.HAUMAI_PORTAL_CODE_MINUTES
    if channel == "email":
        lines = [
            _("Your Haumai login code is %(code)s. It expires in %(minutes)s minutes.")
            % {"code": code, "minutes": minutes},
        ]
        if link:
            lines.append(
                _("Or open this link to log in (valid for %(minutes)s minutes, once): %(link)s")
                % {"minutes": settings.HAUMAI_PORTAL_LINK_MINUTES, "link": link}
            )
        lines.append(_("If you did not ask for this, ignore this message."))
        send_mail(
            subject=_("Your login code: %(code)s") % {"code": code},
            message="\n\n".join(lines),
            from_email=None,
            recipient_list=[destination],
            fail_silently=False,
        )
        return
    text = _("Haumai: your login code is %(code)s (valid %(minutes)s minutes). Do not share it.") % {
        "code": code,
        "minutes": minutes,
    }
    sms_backend().send(channel=channel, destination=destination, text=text)
