"""How the website chat widget shows the bot's replies: labelled "bot" (the widget says "Trợ lý ảo"), with its
numbered options as quick-reply buttons."""

from __future__ import annotations

from typing import Any

from haumai.bot.services import BOT_USERNAME
from haumai.bot.troubleshooting import options_in


def author_kind(message: Any) -> str | None:
    """ "bot" for a message the bot wrote; None (no opinion) for every other message.

    Reads the author only when it was loaded with the message (the widget's polls select it), so labelling
    never costs a query per message."""
    author = message._state.fields_cache.get("author") if message.author_id else None
    return "bot" if author is not None and author.username == BOT_USERNAME else None


def quick_replies(message: Any) -> list[str]:
    """The numbered options of the bot's reply (a troubleshooting step's answers, the slots offered) as buttons.

    Read from the reply's own text, so the options shown are the ones the customer can also type (and no query)."""
    if author_kind(message) != "bot":
        return []
    return options_in(message.body_text or "")
