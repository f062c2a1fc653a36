"""How the website chat widget shows the bot's replies: labelled "bot" (the widget says "Trợ lý ảo")."""

from __future__ import annotations

from typing import Any

from haumai.bot.services import BOT_USERNAME


def author_kind(message: Any) -> str | None:
    """ "bot" for a message the bot wrote; None (no opinion) for every other message.

    Reads the author only when it was loaded with the message (the widget's polls select it), so labelling
    never costs a query per message."""
    author = message._state.fields_cache.get("author") if message.author_id else None
    return "bot" if author is not None and author.username == BOT_USERNAME else None
