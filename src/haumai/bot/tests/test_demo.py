"""The demo generator leaves a few bot conversations: the order status after identification, a guide, a hand-over."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from haumai.bot.demo import seed_bot
from haumai.bot.models import BotConversation, BotMode, BotTurn
from haumai.core import clock
from haumai.demo.tests.test_demo_command import NOW
from haumai.support.models import Message

pytestmark = pytest.mark.django_db


def test_demo_has_bot_conversations_one_handed_over() -> None:
    with clock.frozen(NOW):
        call_command("demo", "--customers", "30", stdout=io.StringIO())
        assert not BotConversation.objects.exists()  # small worlds keep their exact customer counts
        assert seed_bot()["bot.conversation"] >= 4
    handed = BotConversation.objects.get(mode=BotMode.HANDED_OVER)
    assert handed.verified_customer is not None and handed.verified_order is not None
    assert BotTurn.objects.filter(intent="how_to", outcome="answered").exists()
    assert BotTurn.objects.filter(intent="unknown", outcome="not_understood").exists()
    note = Message.objects.get(ticket=handed.ticket, visibility="note")
    assert handed.verified_order.code in note.body_text
    assert seed_bot() == {}  # once only
