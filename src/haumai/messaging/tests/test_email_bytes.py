"""The fast e-mail builder reads back like Django's own, and unusual messages go through Django's."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from typing import Any

from haumai.messaging.channels.mime import message_bytes
from haumai.messaging.models import Delivery, DeliveryStatus

HEADERS = {"X-Haumai-Delivery": "abc123", "List-Unsubscribe": "<http://localhost:8000/m/unsubscribe/tok/>",
           "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}  # fmt: skip


def parse(raw: bytes) -> Any:
    return BytesParser(policy=policy.default).parsebytes(raw)


def test_vietnamese_multipart_message_reads_back() -> None:
    subject = "Chúc mừng sinh nhật, Nguyễn Thị Lan! Ưu đãi dành riêng cho anh/chị trong tháng này"
    text = "Xin chào Lan,\n\nChúc mừng sinh nhật!\n.\nMột dòng bắt đầu bằng dấu chấm."
    html = "<p>Xin chào <b>Lan</b></p>"
    raw = message_bytes(from_email="Haumai <no-reply@haumai.vn>", to="lan@example.vn", subject=subject,
                        text=text, html=html, headers=HEADERS)  # fmt: skip
    assert raw is not None and b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    message = parse(raw)
    assert message["Subject"] == subject
    assert message["To"] == "lan@example.vn" and message["From"] == "Haumai <no-reply@haumai.vn>"
    assert message["List-Unsubscribe"] == HEADERS["List-Unsubscribe"] and message["Message-ID"] and message["Date"]
    assert message.get_content_type() == "multipart/alternative"
    assert message.get_body(("plain",)).get_content().replace("\r\n", "\n").rstrip("\n") == text
    assert message.get_body(("html",)).get_content().strip() == html


def test_long_lines_are_quoted_printable_and_plain_text_is_one_part() -> None:
    text = "Dài " + "x" * 2000
    raw = message_bytes(from_email="no-reply@haumai.vn", to="an@example.vn", subject="Hello", text=text, html="",
                        headers={})  # fmt: skip
    assert raw is not None and max(len(line) for line in raw.split(b"\r\n")) <= 998
    message = parse(raw)
    assert message.get_content_type() == "text/plain"
    assert message["Content-Transfer-Encoding"] == "quoted-printable"
    assert message.get_content().rstrip("\r\n") == text


def test_unusual_messages_are_left_to_django() -> None:
    common: dict[str, Any] = {"from_email": "no-reply@haumai.vn", "subject": "S", "text": "t", "html": ""}
    assert message_bytes(to="lan@ví-dụ.vn", headers={}, **common) is None
    assert message_bytes(to="Lan <lan@example.vn>\r\nBcc: x@y.z", headers={}, **common) is None
    assert message_bytes(to="lan@example.vn", headers={"X-A": "b\r\nBcc: x@y.z"}, **common) is None


def test_non_ascii_address_is_still_sent_through_django(customer: Any, smtp: Any, run_worker: Any) -> None:
    from haumai.messaging.services import queue_message

    customer.email = "lan@ví-dụ.vn"
    delivery = queue_message(customer=customer, template_key="birthday.greeting", channel="email", context={},
                             idempotency_key="idn")  # fmt: skip
    run_worker()
    delivery = Delivery.objects.get(pk=delivery.pk)
    assert delivery.status == DeliveryStatus.SENT
    assert len(smtp.messages) == 1 and smtp.envelopes[0][1] == ["lan@" + "ví-dụ.vn".encode("idna").decode()]
