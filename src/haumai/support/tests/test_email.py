"""E-mail: parsing hostile mail, IMAP polling against a real Dovecot (outage, resume, UIDVALIDITY), the
inbound-parse webhook (HMAC), and replies through the messaging SMTP channel with threading headers."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from email.message import EmailMessage
from typing import Any

import pytest
from django.test import Client

from haumai.messaging.dispatch import run_once
from haumai.support.channels.email import parse_email
from haumai.support.channels.imap import MailboxConfig, poll_mailbox
from haumai.support.models import MailboxCursor, Message, Ticket
from haumai.support.services.ingest import ingest_inbound
from haumai.support.services.tickets import reply
from haumai.support.tests import dovecot
from haumai.testing.smtp import local_smtp

pytestmark = pytest.mark.django_db


def mail(
    *,
    message_id: str | None = "<m1@client.example>",
    subject: str = "Đổi trả tai nghe",
    body: str = "Xin chào",
    in_reply_to: str = "",
    sender: str = "Lê Văn Cường <cuong@example.vn>",
    html: str = "",
    attachment: bytes | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "cskh@shop.vn"
    message["Subject"] = subject
    message["Date"] = "Wed, 10 Jun 2026 09:00:00 +0700"
    if message_id:
        message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    message.set_content(body)
    if html:
        message.add_alternative(html, subtype="html")
    if attachment is not None:
        message.add_attachment(attachment, maintype="application", subtype="octet-stream", filename="big.bin")
    return bytes(message)


class TestParse:
    def test_the_fields_threading_keys_and_sender(self) -> None:
        parsed = parse_email(mail(in_reply_to="<our-1@shop.vn>"))
        assert parsed.external_id == "m1@client.example"
        assert parsed.sender_value == "cuong@example.vn" and parsed.sender_name == "Lê Văn Cường"
        assert parsed.subject == "Đổi trả tai nghe"
        assert parsed.thread_keys == ("our-1@shop.vn",)
        assert parsed.sent_at.hour == 2  # 09:00 +07:00 in UTC

    def test_no_message_id_gets_a_stable_key(self) -> None:
        raw = mail(message_id=None)
        assert parse_email(raw).external_id == parse_email(raw).external_id
        assert parse_email(raw).external_id.startswith("sha256:")
        first = ingest_inbound(parse_email(raw))
        again = ingest_inbound(parse_email(raw))
        assert first == again and Message.objects.count() == 1

    def test_broken_encoding_is_read_with_replacement(self) -> None:
        raw = (
            b"From: x@example.vn\r\nSubject: =?utf-8?b?invalid!!?=\r\nMessage-ID: <b1@x>\r\n"
            b"Content-Type: text/plain; charset=nonexistent-charset\r\n\r\nM\xe1y h\xfang \xff\xfe\r\n"
        )
        parsed = parse_email(raw)
        assert parsed.text.startswith("M")
        stored = ingest_inbound(parsed)
        assert stored is not None and stored.ticket.code

    def test_scripts_in_html_are_removed(self) -> None:
        raw = mail(html='<div>Chào<script>steal()</script><img src=x onerror="steal()"></div>')
        stored = ingest_inbound(parse_email(raw))
        assert stored is not None
        assert "script" not in stored.body_html and "onerror" not in stored.body_html and "<img" not in stored.body_html

    def test_a_30_mb_attachment_is_not_kept_but_the_message_is(self) -> None:
        stored = ingest_inbound(parse_email(mail(attachment=b"\0" * (30 * 1024 * 1024))))
        assert stored is not None
        (attachment,) = stored.attachments.all()
        assert attachment.refused_reason == "too_large" and attachment.size == 30 * 1024 * 1024
        assert not attachment.file


@pytest.mark.skipif(not dovecot.available(), reason="needs Debian's dovecot-imapd (installed by .ci/run)")
class TestImapPolling:
    def config(self, server: dovecot.LocalDovecot) -> MailboxConfig:
        return MailboxConfig(host=server.host, port=server.port, user=server.user, password=server.password, timeout=5)

    def test_polling_stores_new_mail_once_and_resumes_after_an_outage(self) -> None:
        with dovecot.local_dovecot() as server:
            config = self.config(server)
            server.append(mail(message_id="<a1@x>"))
            server.append(mail(message_id="<a2@x>", in_reply_to="<a1@x>"))
            first = poll_mailbox(config)
            assert (first.stored, first.error) == (2, "")
            assert Ticket.objects.count() == 1 and Message.objects.count() == 2
            again = poll_mailbox(config)
            assert (again.stored, again.seen) == (0, 0)
            server.stop()
            down = poll_mailbox(config)
            assert down.error and down.stored == 0
            assert MailboxCursor.objects.get().last_error
            server.start()
            server.append(mail(message_id="<a3@x>", subject="Khác"))
            back = poll_mailbox(config)
            assert (back.stored, back.error) == (1, "")
            assert MailboxCursor.objects.get().last_error == ""
            assert Message.objects.count() == 3 and Ticket.objects.count() == 2

    def test_a_new_uidvalidity_rereads_without_duplicates(self) -> None:
        with dovecot.local_dovecot() as server:
            config = self.config(server)
            server.append(mail(message_id="<v1@x>"))
            assert poll_mailbox(config).stored == 1
            MailboxCursor.objects.update(uid_validity=1)  # as if the server rebuilt the folder
            result = poll_mailbox(config)
            assert result.seen == 1 and result.stored == 0
            assert Message.objects.count() == 1

    def test_the_worker_polls_the_configured_mailbox_on_its_own(self, settings: Any) -> None:
        """Issue 12: polling needed cron; now the scheduler tick polls every HAUMAI_SUPPORT_IMAP_EVERY_SECONDS."""
        from haumai.core import clock, scheduler

        assert scheduler.tick()["support.imap"] == 0  # nothing configured: no poll, no row
        assert not MailboxCursor.objects.exists()
        with dovecot.local_dovecot() as server:
            settings.HAUMAI_SUPPORT_IMAP_HOST, settings.HAUMAI_SUPPORT_IMAP_PORT = server.host, str(server.port)
            settings.HAUMAI_SUPPORT_IMAP_USER, settings.HAUMAI_SUPPORT_IMAP_PASSWORD = server.user, server.password
            server.append(mail(message_id="<t0@x>"))
            assert poll_mailbox(self.config(server)).stored == 1  # a manual poll first: its cursor has no due_at
            server.append(mail(message_id="<t1@x>"))
            assert scheduler.tick()["support.imap"] == 1
            assert Message.objects.count() == 2
            server.append(mail(message_id="<t2@x>", subject="Khác"))
            assert scheduler.tick()["support.imap"] == 0  # not due again yet
            assert Message.objects.count() == 2
            clock.freeze(clock.now() + dt.timedelta(seconds=61))
            assert scheduler.tick()["support.imap"] == 1
            assert Message.objects.count() == 3
            server.stop()
            clock.freeze(clock.now() + dt.timedelta(seconds=61))
            assert scheduler.tick()["support.imap"] == 1  # the failed poll is handled: next one is scheduled
            cursor = MailboxCursor.objects.get()
            assert cursor.last_error and cursor.due_at is not None and cursor.due_at > clock.now()

    def test_wrong_password_is_an_error_not_a_crash(self) -> None:
        with dovecot.local_dovecot() as server:
            config = MailboxConfig(host=server.host, port=server.port, user=server.user, password="nope", timeout=5)
            assert poll_mailbox(config).error


def _signed(client: Client, body: bytes, content_type: str, secret: str = "inbound-secret") -> Any:  # noqa: S107
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return client.post("/hooks/support/email/", body, content_type=content_type, HTTP_X_HAUMAI_SIGNATURE=signature)


class TestInboundWebhook:
    def test_raw_mime_with_a_good_signature_lands_and_replays_to_the_same_ticket(self) -> None:
        client = Client()
        raw = mail()
        response = _signed(client, raw, "message/rfc822")
        assert response.status_code == 200, response.content
        code = response.json()["ticket"]
        assert _signed(client, raw, "message/rfc822").json()["ticket"] == code
        assert Message.objects.count() == 1

    def test_parsed_fields_shape(self) -> None:
        client = Client()
        from urllib.parse import urlencode

        body = urlencode(
            {
                "from": "Phạm Thu <thu@example.vn>",
                "to": "cskh@shop.vn",
                "subject": "Hỏi về bảo hành",
                "text": "Máy còn bảo hành không?",
                "headers": "Message-ID: <p1@example.vn>\r\nFrom: Phạm Thu <thu@example.vn>\r\n",
            }
        ).encode()
        response = _signed(client, body, "application/x-www-form-urlencoded")
        assert response.status_code == 200, response.content
        message = Message.objects.get()
        assert message.external_id == "p1@example.vn" and message.body_text == "Máy còn bảo hành không?"

    def test_forged_or_missing_signature_is_refused_and_changes_nothing(self, settings: Any) -> None:
        client = Client()
        assert _signed(client, mail(), "message/rfc822", secret="wrong").status_code == 401
        assert client.post("/hooks/support/email/", mail(), content_type="message/rfc822").status_code == 401
        settings.HAUMAI_SUPPORT_INBOUND_SECRET = ""
        assert _signed(client, mail(), "message/rfc822", secret="").status_code == 401
        assert Ticket.objects.count() == 0

    def test_a_post_without_sender_says_which_field(self) -> None:
        response = _signed(Client(), b"subject=x", "application/x-www-form-urlencoded")
        assert response.status_code == 422
        assert response.json()["error"]["fields"][0]["field"] == "from"


def test_a_reply_goes_out_by_smtp_with_threading_headers(
    settings: Any, make_staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    agent = make_staff("agent")
    first = ingest_inbound(parse_email(mail(message_id="<c1@client.example>")))
    assert first is not None
    with local_smtp() as smtp:
        smtp.configure(settings)
        sent = reply(actor=agent, ticket=first.ticket, body="Dạ em chào anh Cường, em đã nhận yêu cầu.")
        with django_capture_on_commit_callbacks(execute=True):
            run_once()
        (received,) = smtp.to("cuong@example.vn")
    assert received["Message-ID"] == f"<{sent.external_id}>"
    assert received["In-Reply-To"] == "<c1@client.example>"
    assert received["References"] == "<c1@client.example>"
    assert first.ticket.code in received["Subject"]
    sent.refresh_from_db()
    assert sent.delivery_state == "queued" and sent.delivery_id
    # The customer's answer to it threads back onto the ticket.
    answer = ingest_inbound(parse_email(mail(message_id="<c2@client.example>", in_reply_to=received["Message-ID"])))
    assert answer is not None and answer.ticket_id == first.ticket_id
