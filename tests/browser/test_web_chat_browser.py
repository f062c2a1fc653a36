"""The website chat widget in a real browser: a shop's page on another origin carries the one script tag;
the visitor writes, the agent sees it live on the ticket page, types (the visitor sees "đang nhập…"),
replies from the console, and the visitor sees the reply without reloading. The round trips are
measured (both under 2 seconds) and printed, once over server-sent events (the widget's and the ticket
page's EventSource; Django's live server is WSGI, so streaming is switched on) and once with the
streams refused (204), which is the polling fallback."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from haumai.accounts.services import create_staff_user
from haumai.support.models import Message, Ticket

pytestmark = pytest.mark.django_db(transaction=True)

SHOP_PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Cửa hàng điện máy</title></head>
<body><h1>Điện máy Sài Gòn</h1><p>Trang của cửa hàng.</p>
<script src="{haumai}/widget/haumai-chat.js" data-lang="vi" data-color="#d63384" defer></script>
</body></html>"""


@pytest.fixture
def shop_site(live_server: Any) -> Iterator[str]:
    """A shop's website on another origin (another port) that embeds the widget with one tag."""
    html = SHOP_PAGE.format(haumai=live_server.url).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("transport", ["stream", "poll"])
def test_a_visitor_and_an_agent_chat_live(
    live_server: Any, page: Any, browser: Any, shop_site: str, settings: Any, transport: str
) -> None:
    settings.HAUMAI_WEB_CHAT_HOURS = "always"
    settings.HAUMAI_LIVE_STREAM = "on" if transport == "stream" else "off"
    create_staff_user(username="mai.cskh", password="s3cret-pass-123", role="agent", full_name="Lê Mai")

    page.goto(shop_site)
    page.get_by_role("button", name="Mở khung chat").click()
    page.get_by_placeholder("Nhập tin nhắn…").fill("Chào shop, máy giặt nhà tôi không vắt được")
    page.keyboard.press("Enter")
    # Wait in the page (the stored message loses its "pending" look), not by polling the database from the
    # test thread: SQLite's shared in-memory test database locks tables between threads.
    page.locator("li.msg.in:not(.pending)[data-id]:not([data-id=''])").wait_for()
    ticket = Ticket.objects.get(channel="web_chat")

    agent_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    agent = agent_context.new_page()
    agent.set_default_timeout(15_000)
    try:
        agent.goto(live_server.url + "/console/login/")
        agent.fill("#id_username", "mai.cskh")
        agent.fill("#id_password", "s3cret-pass-123")
        agent.click("button[type=submit]")
        agent.wait_for_url("**/console/inbox/")
        agent.goto(live_server.url + f"/console/inbox/{ticket.code}/")
        agent.locator("#conversation").get_by_text("máy giặt nhà tôi không vắt được").wait_for()
        if transport == "stream":  # both pages hold an open EventSource
            agent.locator(f"[data-ticket][data-transport='{transport}']").wait_for(state="attached")
            page.locator(f"[data-haumai-chat][data-transport='{transport}']").wait_for(state="attached")

        # Visitor -> agent, live on the open ticket page; the visitor's typing shows first.
        # Typed key by key as a person types (the widget repeats "typing" every 2 s while keys come).
        page.get_by_placeholder("Nhập tin nhắn…").press_sequentially("Máy mua ở cửa hàng Quận 7", delay=120)
        agent.locator("#visitor-typing", has_text="Khách hàng đang nhập").wait_for()
        started = time.monotonic()
        page.keyboard.press("Enter")
        agent.locator("#conversation").get_by_text("Máy mua ở cửa hàng Quận 7").wait_for()
        visitor_to_agent = time.monotonic() - started

        # The agent types: the visitor sees it; the agent sends: the visitor sees the reply.
        agent.locator("#reply-body").click()
        agent.keyboard.type("Dạ em chào anh, em gửi kỹ thuật qua trong hôm nay ạ.")
        page.get_by_text("đang nhập…").wait_for()
        started = time.monotonic()
        agent.get_by_role("button", name="Gửi").click()
        page.get_by_text("em gửi kỹ thuật qua trong hôm nay").wait_for()
        agent_to_visitor = time.monotonic() - started
        assert page.get_by_text("Lê Mai").count() >= 1  # the reply is signed with the agent's name
    finally:
        agent_context.close()

    print(
        f"\nweb chat round trip ({transport}): visitor->agent {visitor_to_agent:.2f}s, "
        f"agent->visitor {agent_to_visitor:.2f}s"
    )
    assert visitor_to_agent < 2.0 and agent_to_visitor < 2.0
    sent = Message.objects.get(ticket=ticket, direction="out")
    assert sent.delivery_state == "sent" and Message.objects.filter(ticket=ticket).count() == 3


def test_the_offline_form_on_a_phone(live_server: Any, browser: Any, shop_site: str, settings: Any) -> None:
    settings.HAUMAI_WEB_CHAT_HOURS = "never"
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="vi-VN", is_mobile=True)
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    try:
        phone.goto(shop_site)
        phone.get_by_role("button", name="Mở khung chat").click()
        phone.get_by_text("Hiện chúng tôi đang ngoài giờ làm việc").wait_for()
        box = phone.get_by_role("dialog").bounding_box()
        assert box is not None and box["width"] >= 370  # full screen on a phone
        phone.get_by_label("Họ tên").fill("Trần Bích")
        phone.get_by_role("button", name="Gửi lời nhắn").click()
        phone.get_by_text("Nhập số điện thoại hoặc e-mail").wait_for()
        assert not Message.objects.exists()
        phone.get_by_label("Điện thoại", exact=True).fill("0903 111 222")
        phone.get_by_label("Tin nhắn", exact=True).fill("Gọi lại giúp tôi sau 17h")
        phone.get_by_role("button", name="Gửi lời nhắn").click()
        phone.get_by_text("Cảm ơn bạn!").wait_for()
    finally:
        context.close()
    stored = Message.objects.get()
    assert "+84903111222" in stored.body_text and stored.ticket.channel == "web_chat"


def test_the_widget_runs_under_the_portal_content_security_policy(live_server: Any, page: Any, settings: Any) -> None:
    settings.HAUMAI_WEB_CHAT_HOURS = "always"
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.goto(live_server.url + "/widget/demo/")
    page.get_by_role("button", name="Mở khung chat").click()
    page.get_by_placeholder("Nhập tin nhắn…").fill("Xin chào")
    page.keyboard.press("Enter")
    page.locator("li.msg.in:not(.pending)[data-id]:not([data-id=''])").wait_for()
    assert problems == []
