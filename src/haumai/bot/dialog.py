"""One turn of the conversation: the answer to a pending question first, then the intent's task.

Tasks on personal data (orders, returns, booking) need a known customer: the ticket's customer when the
channel already tied them to their orders, else the one proven by a phone number and an order code of
theirs (a wrong pair says nothing about which half was wrong). Without a confident intent the bot looks
for a help article; without a good one it says it did not understand (the second time it hands over).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from haumai.bot import answers, conf, intents, retrieval, troubleshooting
from haumai.bot.answers import Reply
from haumai.bot.models import BotConversation
from haumai.bot.text import Reading
from haumai.core.errors import DomainError
from haumai.customers import selectors as customers
from haumai.sales import selectors as sales

NEEDS_CUSTOMER = (intents.ORDER_STATUS, intents.RETURN_STATUS, intents.START_RETURN, intents.BOOK_REPAIR)
HUMAN_SCORE = 3.0


@dataclass
class Turn:
    conversation: BotConversation
    ticket: Any
    reading: Reading
    guess: intents.Guess
    customer: Any  # the identified customer or None
    message_key: str
    generated: Any = None  # bot.generative.Generated prepared before the turn (optional AI answer)


def menu() -> str:
    return _("I can help with: order and delivery status, returns, warranty by serial/IMEI, booking a repair, "
             "service centre hours and addresses, and usage guides. Type “talk to a person” any time.")


def _score(turn: Turn, intent: str) -> float:
    return dict(turn.guess.scores).get(intent, 0.0)


def decide(turn: Turn) -> Reply:
    """The reply to one message."""
    if _score(turn, intents.HUMAN) >= HUMAN_SCORE and turn.guess.intent == intents.HUMAN:
        return Reply("", outcome="handed_over", handover="requested")
    pending = _answer_pending(turn)
    if pending is not None:
        return pending
    return _intent(turn, turn.guess.intent if turn.guess.confident else intents.UNKNOWN)


def _book_repair(turn: Turn) -> Any:
    def book() -> Reply:
        if turn.customer is None:
            return _ask_identity(intents.BOOK_REPAIR, turn.reading)
        return answers.offer_slots(turn.customer, turn.reading.original, turn.reading.language)

    return book


def _other_intent(turn: Turn) -> bool:
    """The message is confidently about something else than the question the bot asked."""
    return turn.guess.confident and turn.guess.intent not in (intents.HOW_TO, intents.UNKNOWN)


def _answer_pending(turn: Turn) -> Reply | None:
    conversation, reading = turn.conversation, turn.reading
    if conversation.pending in troubleshooting.PENDING:
        return troubleshooting.answer(conversation.pending, dict(conversation.pending_data), reading,
                                      other_intent=_other_intent(turn), book_repair=_book_repair(turn))
    if conversation.pending == "identify" and (reading.phones or reading.order_codes):
        return verify(turn)
    if conversation.pending == "choose_slot" and turn.customer is not None:
        slots = list(conversation.pending_data.get("slots", []))
        clicked = troubleshooting.option_number(reading.original)  # a quick reply "2. T5 11/06 09:00"
        numbers = (clicked,) if clicked is not None else reading.numbers
        choice = next((n for n in numbers if 1 <= n <= len(slots)), None)
        if choice is not None and (not turn.guess.confident or turn.guess.intent == intents.BOOK_REPAIR
                                   or len(reading.words) <= 4):
            return answers.book_slot(turn.customer, str(conversation.pending_data.get("centre", "")), slots[choice - 1],
                                     key=f"bot:{turn.message_key}", language=reading.language)
    if conversation.pending == "ask_serial" and reading.serials:
        return answers.warranty_by_serial(reading.serials[0])
    return None


def verify(turn: Turn) -> Reply:
    """Check a phone number + order code pair; on success go on with what the customer asked."""
    conversation, reading = turn.conversation, turn.reading
    data = dict(conversation.pending_data)
    if reading.phones:
        data["phone"] = reading.phones[0]
    if reading.order_codes:
        data["order"] = reading.order_codes[0]
    if not data.get("phone") or not data.get("order"):
        missing = _("your phone number") if not data.get("phone") else _("the order code (ORD-…)")
        return Reply(_("Thank you. Please also send %(missing)s.") % {"missing": missing}, outcome="asked",
                     pending="identify", pending_data=data)
    order = _matching_order(str(data["phone"]), str(data["order"]))
    if order is None:
        conversation.failed_verifications += 1
        kept = {"resume": data.get("resume", "")}
        if conversation.failed_verifications >= conf.max_verification_attempts():
            return Reply("", outcome="handed_over", handover="verification", tried="identity not verified")
        return Reply(_("The phone number and the order code do not match our records. Please check both and send "
                       "them again."), outcome="asked", pending="identify", pending_data=kept,
                     tried="phone and order code did not match")
    conversation.verified_customer = order.customer
    conversation.verified_order = order
    resume = str(data.get("resume") or intents.ORDER_STATUS)
    turn.customer = order.customer
    reply = _task(turn, resume, code=order.code if resume != intents.RETURN_STATUS else "")
    reply.text = _("Thank you, %(name)s.") % {"name": order.customer.full_name.split()[-1]} + "\n" + reply.text
    reply.tried = "; ".join(t for t in (f"verified the customer by phone and order {order.code}", reply.tried) if t)
    return reply


def _matching_order(phone: str, code: str) -> Any | None:
    try:
        order = sales.order_by_code(code)
        owner = customers.customer_by_phone(phone)
    except DomainError:
        return None
    return order if order.customer_id == owner.pk else None


def _ask_identity(intent: str, reading: Reading) -> Reply:
    data: dict[str, Any] = {"resume": intent}
    if reading.phones:
        data["phone"] = reading.phones[0]
    if reading.order_codes:
        data["order"] = reading.order_codes[0]
    return Reply(_("To protect your data, please send the phone number you ordered with and one of your order "
                   "codes (ORD-…)."), outcome="asked", pending="identify", pending_data=data,
                 tried="asked for phone and order code")


def _task(turn: Turn, intent: str, code: str = "") -> Reply:
    customer, reading = turn.customer, turn.reading
    if intent == intents.ORDER_STATUS:
        return answers.order_status(customer, code or (reading.order_codes[0] if reading.order_codes else ""))
    if intent == intents.RETURN_STATUS:
        return answers.return_status(customer, reading.return_codes[0] if reading.return_codes else "")
    if intent == intents.START_RETURN:
        return answers.start_return(customer, code or (reading.order_codes[0] if reading.order_codes else ""))
    return answers.offer_slots(customer, reading.original, reading.language)


def _intent(turn: Turn, intent: str) -> Reply:
    reading = turn.reading
    if intent == intents.GREETING:
        return Reply(_("Hello! I am the shop's virtual assistant.") + " " + menu(), outcome="answered")
    if intent == intents.THANKS:
        return Reply(_("You are welcome! Write to me any time."), outcome="done")
    if intent == intents.HUMAN:
        return Reply("", outcome="handed_over", handover="requested")
    if intent in NEEDS_CUSTOMER:
        if turn.customer is None:
            return _ask_identity(intent, reading)
        return _task(turn, intent)
    if intent == intents.WARRANTY:
        if reading.serials:
            return answers.warranty_by_serial(reading.serials[0])
        if turn.customer is not None:
            return answers.warranties_of(turn.customer)
        return Reply(_("Please send me the serial or IMEI number of the device (on the box, or in the phone's "
                       "settings)."), outcome="asked", pending="ask_serial", tried="asked for the serial")
    if intent == intents.CENTRE_HOURS:
        return answers.centre_hours(reading.original, reading.language)
    return how_to(reading, turn.generated, book_repair=_book_repair(turn))


def how_to(reading: Reading, generated: Any = None, *, book_repair: Any = None) -> Reply:
    """The best help article with its link (a troubleshooting one walked step by step; otherwise the AI's answer
    from it, with sources, when one was prepared), or 'not understood'."""
    hits = retrieval.find_articles(reading.folded, language=reading.language, limit=3)
    if not retrieval.confident(hits):
        return Reply(_("Sorry, I did not understand. Could you say it another way?") + " " + menu(),
                     outcome="not_understood")
    best = hits[0]
    if best.kind == troubleshooting.KIND and book_repair is not None:
        walk = troubleshooting.start(best.article_id, book_repair=book_repair)
        if walk is not None:
            return walk
    written = getattr(generated, "result", None)
    if written is not None and written.citations:
        sources = "; ".join(f"{c.title} {answers.public_link(c.url)}" for c in written.citations)
        text = written.text + "\n" + _("Sources: %(sources)s") % {"sources": sources}
        first = written.citations[0]
        return Reply(text, outcome="answered", article_slug=first.slug, tried=f"answered from “{first.title}” (AI)")
    link = answers.public_link(reverse("help:article", args=[best.slug]))
    text = f"{best.title}\n{best.summary}\n" if best.summary else f"{best.title}\n"
    text += _("Read more: %(link)s") % {"link": link}
    related = [h for h in hits[1:] if h.score >= retrieval.MIN_SCORE and h.score >= best.score * 0.6]
    if related:
        text += "\n" + _("See also: %(titles)s") % {"titles": "; ".join(h.title for h in related)}
    if getattr(generated, "failed", False):
        text += "\n" + _("(Answered from the help article; the AI did not respond.)")
    return Reply(text, outcome="answered", article_slug=best.slug, tried=f"suggested the article “{best.title}”")
