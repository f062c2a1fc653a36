"""Walking a troubleshooting article's tree in the chat, one step per message.

When the best help article for a question is a troubleshooting one (knowledge kind "diagnose"), the bot
asks its first step and offers the step's answers as numbered quick replies ("1. Đèn không sáng"). The
customer answers with the number, a click, or the answer's words; the bot goes down the tree: a further
question, a fix to try (then "did it work?", counted on the step like the help center's readers' answers),
a repair to book (the bot's booking flow), or "talk to us" (a hand-over). A "no" after a fix, a step or
article that no longer exists, or two answers it cannot match end the walk with a hand-over: the note
lists every question and answer on the way, so the agent does not ask again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from haumai.bot.answers import Reply
from haumai.bot.text import Reading
from haumai.core.errors import NotFound
from haumai.core.text import search_key
from haumai.knowledge import selectors as knowledge
from haumai.knowledge.models import Article, ArticleKind, StepOutcome, TroubleshootingStep
from haumai.knowledge.services import troubleshooting as knowledge_steps

KIND = ArticleKind.TROUBLESHOOTING
ASK_STEP = "troubleshoot"
ASK_FIXED = "troubleshoot_fix"
PENDING = (ASK_STEP, ASK_FIXED)
HANDOVER = "troubleshooting"
MAX_MISSES = 2  # answers not matched in a row before a person takes over
MATCH_SHARE = 0.6  # share of an answer's words the message must contain
_OPTION = re.compile(r"^\s*([1-9])\s*(?:[.):]|$|\s)")
_OPTION_LINE = re.compile(r"^([1-9])\. (\S.*)$", re.M)
_NOT_FIXED = ("chua", "khong", "ko", "van", "not", "still", "nope")  # "no" folds from "nó" too: English only
_FIXED = ("roi", "duoc", "ok", "oke", "xong", "yes", "works", "fixed", "co", "da")


def option_number(text: str) -> int | None:
    """The option a reply starts with ("2", "2.", "2) ..." or a clicked "2. Đèn không sáng"), if any."""
    found = _OPTION.match(text or "")
    return int(found.group(1)) if found else None


def options_in(text: str) -> list[str]:
    """The numbered options of a bot message ("1. ..." lines), as the widget's quick-reply labels."""
    return [f"{number}. {label.strip()}" for number, label in _OPTION_LINE.findall(text or "")]


def _numbered(labels: list[str]) -> str:
    return "\n".join(f"{number}. {label}" for number, label in enumerate(labels, 1))


def _data(article: Article, step: TroubleshootingStep, misses: int = 0) -> dict[str, Any]:
    return {"article": article.pk, "slug": article.slug, "title": article.title, "step": step.pk, "misses": misses}


def _fix_labels() -> list[str]:
    return [_("Yes, it works"), _("No, still not working")]


def start(article_id: int, *, book_repair: Callable[[], Reply]) -> Reply | None:
    """The tree's first step as a reply, or None when the article has no usable tree (answer with its link)."""
    article = knowledge.published_troubleshooting(article_id)
    if article is None:
        return None
    try:
        walk = knowledge.walk_step(article, None)
    except NotFound:
        return None
    if walk.step.outcome == StepOutcome.QUESTION and len(walk.answers) < 2:
        return None
    intro = _("Let us find the cause together: %(title)s") % {"title": article.title}
    reply = _present(article, walk.step, walk.answers, book_repair=book_repair)
    reply.text = intro + "\n" + reply.text
    reply.tried = f"started the troubleshooting guide “{article.title}”"
    return reply


def _present(
    article: Article,
    step: TroubleshootingStep,
    answers: list[TroubleshootingStep],
    *,
    book_repair: Callable[[], Reply],
) -> Reply:
    """What the bot says on reaching a step."""
    slug = article.slug
    if step.outcome == StepOutcome.QUESTION:
        if not answers:  # a dead end in the tree
            return Reply(
                step.text,
                outcome="handed_over",
                handover=HANDOVER,
                article_slug=slug,
                tried=f"troubleshooting reached a question without answers: {step.text[:120]}",
            )
        text = (
            step.text
            + "\n"
            + _numbered([a.answer for a in answers])
            + "\n"
            + _("Reply with the number of your answer.")
        )
        return Reply(text, outcome="asked", pending=ASK_STEP, pending_data=_data(article, step), article_slug=slug)
    if step.outcome == StepOutcome.TRY_FIX:
        text = step.text + "\n" + _("Did this fix it?") + "\n" + _numbered(_fix_labels())
        return Reply(
            text,
            outcome="asked",
            pending=ASK_FIXED,
            pending_data=_data(article, step),
            article_slug=slug,
            tried=f"troubleshooting suggested: {step.text[:160]}",
        )
    if step.outcome == StepOutcome.REPAIR:
        booking = book_repair()
        booking.text = step.text + "\n" + booking.text if booking.text else step.text
        booking.article_slug = slug
        booking.tried = "; ".join(
            t for t in (f"troubleshooting ended: a technician is needed ({step.text[:120]})", booking.tried) if t
        )
        return booking
    return Reply(
        step.text,
        outcome="handed_over",
        handover=HANDOVER,
        article_slug=slug,
        tried=f"troubleshooting ended: talk to us ({step.text[:120]})",
    )


def _words(text: str) -> set[str]:
    return set(search_key(text).split())


def match_answer(reading: Reading, answers: list[TroubleshootingStep]) -> TroubleshootingStep | None:
    """The answer the customer chose: by its number, its exact words, or most of its words (one best)."""
    number = option_number(reading.original)
    if number is not None:
        return answers[number - 1] if number <= len(answers) else None
    said = _words(reading.original) | set(reading.folded.split())
    folded = search_key(reading.original)
    shares: list[tuple[float, TroubleshootingStep]] = []
    for answer in answers:
        words = _words(answer.answer)
        if not words:
            continue
        if search_key(answer.answer) == folded:
            return answer
        shares.append((len(words & said) / len(words), answer))
    shares.sort(key=lambda item: -item[0])
    if not shares or shares[0][0] < MATCH_SHARE:
        return None
    if len(shares) > 1 and shares[1][0] == shares[0][0]:
        return None  # as close to two answers: ask again
    return shares[0][1]


def fixed_answer(reading: Reading) -> bool | None:
    """True for "it works", False for "still not", None when the reply says neither."""
    number = option_number(reading.original)
    if number in (1, 2):
        return number == 1
    words = set(search_key(reading.original).split()) | set(reading.folded.split())
    if words & set(_NOT_FIXED) or (reading.language == "en" and "no" in words):
        return False
    if words & set(_FIXED):
        return True
    return None


def _lost(data: dict[str, Any]) -> Reply:
    return Reply(
        _("This troubleshooting guide has just changed."),
        outcome="handed_over",
        handover=HANDOVER,
        article_slug=str(data.get("slug", "")),
        tried=f"the troubleshooting guide “{data.get('title', '')}” changed during the chat",
    )


def _missed(data: dict[str, Any], prompt: str, labels: list[str]) -> Reply:
    misses = int(data.get("misses", 0)) + 1
    if misses >= MAX_MISSES:
        return Reply(
            "",
            outcome="handed_over",
            handover="not_understood",
            article_slug=str(data.get("slug", "")),
            tried="could not match the customer's answer in the troubleshooting guide",
        )
    text = _("Sorry, I did not get that. Please reply with the number of one of these answers:") + "\n"
    text += _numbered(labels)
    return Reply(
        prompt + "\n" + text if prompt else text,
        outcome="asked",
        pending_data={**data, "misses": misses},
        article_slug=str(data.get("slug", "")),
    )


def answer(
    pending: str, data: dict[str, Any], reading: Reading, *, other_intent: bool, book_repair: Callable[[], Reply]
) -> Reply | None:
    """The next step for the customer's answer; None when the message is about something else (leave the tree)."""
    article = knowledge.published_troubleshooting(int(data.get("article") or 0))
    if article is None:
        return _lost(data)
    try:
        walk = knowledge.walk_step(article, int(data.get("step") or 0))
    except NotFound:
        return _lost(data)
    step = walk.step
    if pending == ASK_FIXED:
        fixed = fixed_answer(reading)
        if fixed is None:
            if other_intent:
                return None
            missed = _missed(data, "", _fix_labels())
            missed.pending = ASK_FIXED if missed.outcome == "asked" else ""
            return missed
        knowledge_steps.record_fix_answer(step=step, fixed=fixed)
        if fixed:
            return Reply(
                _("Great, glad it works now! Write to me any time if it happens again."),
                outcome="done",
                article_slug=article.slug,
                tried=f"troubleshooting fixed it: {step.text[:120]}",
            )
        return Reply(
            _("Sorry that did not help."),
            outcome="handed_over",
            handover=HANDOVER,
            article_slug=article.slug,
            tried=f"troubleshooting fix did not help: {step.text[:120]}",
        )
    chosen = match_answer(reading, walk.answers)
    if chosen is None:
        if other_intent:
            return None
        missed = _missed(data, step.text, [a.answer for a in walk.answers])
        missed.pending = ASK_STEP if missed.outcome == "asked" else ""
        return missed
    try:
        below = knowledge.walk_step(article, chosen.pk)
    except NotFound:
        return _lost(data)
    reply = _present(article, below.step, below.answers, book_repair=book_repair)
    walked = f"troubleshooting: “{step.text[:100]}” → “{chosen.answer}”"
    reply.tried = "; ".join(t for t in (walked, reply.tried) if t)
    return reply
