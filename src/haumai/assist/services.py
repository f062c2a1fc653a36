"""AI assistance: drafted replies, summaries and translations for agents; generative answers for the bot.

Each function checks that AI is on and the actor may use it, masks personal data (unless the administrator
allows sending it), reserves budget, calls the provider, settles and logs the call, and unmasks the answer.
Nothing here sends anything to a customer: the agent's page puts a draft in the reply box, and the bot
decides itself what to post. Calls run outside any long transaction (see `usage`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from haumai.assist import conf, context, prompts, usage
from haumai.assist.masking import Masker
from haumai.assist.models import Outcome, Purpose
from haumai.assist.provider import Completion, Provider, ProviderError, configured, estimate_tokens
from haumai.core.errors import DomainError, Forbidden
from haumai.messaging import conf as messaging_conf

MAX_TOKENS: dict[str, int] = {
    Purpose.DRAFT_REPLY: 400,
    Purpose.SUMMARY: 300,
    Purpose.TRANSLATION: 600,
    Purpose.BOT_ANSWER: 250,
}
BOT_ACTOR = "bot"


class AssistUnavailable(DomainError):
    """AI is off, over budget, or the provider failed; `outcome` says which."""

    def __init__(self, message: str, *, outcome: str) -> None:
        super().__init__(message=message, code=outcome, status=503)
        self.outcome = outcome


@dataclass(frozen=True)
class Result:
    """An answer for the agent or the bot, with the articles it cites."""

    text: str
    language: str
    citations: list[context.Source] = field(default_factory=list)


def _provider() -> Provider:
    return configured()


def _call(
    *,
    purpose: str,
    language: str,
    blocks: list[str],
    masker: Masker,
    actor: Any = None,
    actor_label: str = "",
    subject: str = "",
) -> Completion:
    if not conf.enabled():
        raise AssistUnavailable(_("AI assistance is not configured."), outcome="off")
    sent = prompts.messages(purpose, language, [masker.mask(block) for block in blocks])
    max_tokens = MAX_TOKENS[purpose]
    prompt_estimate = sum(estimate_tokens(m["content"]) for m in sent)
    reserved = prompt_estimate + max_tokens
    log = {
        "purpose": purpose,
        "model": conf.model(),
        "actor": actor,
        "actor_label": actor_label,
        "subject": subject,
        "masked": masker.enabled,
    }
    if not usage.reserve(reserved):
        usage.log_call(outcome=Outcome.BUDGET_EXHAUSTED, **log)
        raise AssistUnavailable(_("This month's AI budget is used up."), outcome=Outcome.BUDGET_EXHAUSTED)
    started = time.perf_counter()
    try:
        completion = _provider().chat(sent, max_tokens=max_tokens)
    except ProviderError as exc:
        billed = prompt_estimate if exc.outcome in usage.BILLED_ON_FAILURE else 0
        usage.finish(
            reserved=reserved,
            used=billed,
            outcome=exc.outcome,
            detail=exc.detail,
            latency_ms=_elapsed(started),
            prompt_tokens=billed,
            **log,
        )
        raise AssistUnavailable(
            _("The AI provider did not answer (%(reason)s).") % {"reason": Outcome(exc.outcome).label},
            outcome=exc.outcome,
        ) from exc
    log["model"] = completion.model
    usage.finish(
        reserved=reserved,
        used=completion.prompt_tokens + completion.completion_tokens,
        outcome=Outcome.OK,
        latency_ms=_elapsed(started),
        prompt_tokens=completion.prompt_tokens,
        completion_tokens=completion.completion_tokens,
        **log,
    )
    return completion


def _elapsed(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)


def _check(actor: Any, permission: str) -> None:
    if actor is None or not actor.has_perm(permission):
        raise Forbidden(_("You may not use AI assistance on tickets."))


def _masker(customer: Any) -> Masker:
    return Masker.for_customer(
        enabled=not conf.send_personal_data(),
        full_name=customer.full_name,
        addresses=context.customer_addresses(customer),
    )


def _article_blocks(sources: list[context.Source]) -> list[str]:
    return [prompts.data_block("article", f"[{s.number}] {s.title}\n{s.text}", number=str(s.number)) for s in sources]


def _absolute(path: str) -> str:
    return f"{messaging_conf.public_base_url()}{path}"


def draft_reply(*, actor: Any, ticket: Any) -> Result:
    """A reply for the agent to review, in the customer's language, from the help articles and their records."""
    _check(actor, "support.reply_ticket")
    messages = context.public_messages(ticket)
    inbound = context.last_inbound(messages)
    if inbound is None:
        raise DomainError(message=_("The customer has not written anything to answer yet."), code="nothing_to_answer")
    question = inbound.body_text or ticket.subject or ""
    language = context.language_of(question, default=(ticket.customer.preferred_language or "vi")[:2])
    sources = context.articles_for(f"{ticket.subject} {question}".strip(), language=language)
    blocks = [
        prompts.data_block("conversation", context.transcript(messages)),
        prompts.data_block("customer_records", context.customer_records(ticket.customer)),
        *_article_blocks(sources),
    ]
    masker = _masker(ticket.customer)
    completion = _call(
        purpose=Purpose.DRAFT_REPLY, language=language, blocks=blocks, masker=masker, actor=actor, subject=ticket.code
    )
    answer = masker.unmask(completion.text)
    cited = [sources[n - 1] for n in prompts.cited_numbers(answer, len(sources))]
    text = prompts.without_citations(answer)
    if cited:
        text += "\n\n" + "\n".join(f"{s.title}: {_absolute(s.url)}" for s in cited)
    return Result(text=text[:20_000], language=language, citations=cited)


def summarize(*, actor: Any, ticket: Any, language: str = "vi") -> Result:
    """A few bullet points on a long conversation, for the agent who takes it over."""
    _check(actor, "support.view_ticket")
    messages = context.public_messages(ticket)
    if not messages:
        raise DomainError(message=_("There is no conversation to summarize yet."), code="nothing_to_summarize")
    masker = _masker(ticket.customer)
    block = prompts.data_block("conversation", context.transcript(messages, limit=40))
    completion = _call(
        purpose=Purpose.SUMMARY, language=language, blocks=[block], masker=masker, actor=actor, subject=ticket.code
    )
    return Result(text=masker.unmask(completion.text)[:5000], language=language)


def translate(*, actor: Any, ticket: Any, message_id: int, language: str = "vi") -> Result:
    """An inbound message of the ticket translated into the agent's language."""
    _check(actor, "support.view_ticket")
    message = next((m for m in context.public_messages(ticket) if m.pk == message_id and m.direction == "in"), None)
    if message is None:
        raise DomainError(message=_("Choose a message of the customer on this ticket."), code="invalid_choice")
    masker = _masker(ticket.customer)
    block = prompts.data_block("customer_message", (message.body_text or "")[:6000])
    completion = _call(
        purpose=Purpose.TRANSLATION, language=language, blocks=[block], masker=masker, actor=actor, subject=ticket.code
    )
    return Result(text=masker.unmask(completion.text)[:8000], language=language)


def bot_answer(
    *, question: str, article_ids: list[int], language: str, subject: str = "", customer: Any = None
) -> Result | None:
    """An answer written only from these articles, with its sources; None when they do not answer it.

    Raises AssistUnavailable when AI is off, over budget or the provider failed (the bot then answers from
    the article itself and says so)."""
    sources = context.sources_of(article_ids)
    if not sources:
        return None
    masker = _masker(customer) if customer is not None else Masker(enabled=not conf.send_personal_data())
    blocks = [prompts.data_block("customer_message", question[:2000]), *_article_blocks(sources)]
    completion = _call(
        purpose=Purpose.BOT_ANSWER,
        language=language,
        blocks=blocks,
        masker=masker,
        actor_label=BOT_ACTOR,
        subject=subject,
    )
    answer = masker.unmask(completion.text)
    if prompts.NO_ANSWER in answer:
        return None
    cited = [sources[n - 1] for n in prompts.cited_numbers(answer, len(sources))] or sources[:1]
    return Result(text=prompts.without_citations(answer)[:1500], language=language, citations=cited)
