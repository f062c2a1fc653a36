"""The one interface to an OpenAI-compatible provider (chat completions and embeddings), through `openai`.

Any hosted model or a local server speaking the same protocol (vLLM, llama.cpp, Ollama's /v1) works: the
base URL, key, models and timeout come from `conf`. No retries: a slow or failing provider must give way to
the plain answer at once, not after three attempts. Every failure becomes a `ProviderError` with the outcome
code that the call log stores; an answer that does not have the documented shape is `bad_response`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import openai

from haumai.assist import conf
from haumai.assist.models import Outcome


class ProviderError(Exception):
    """The provider did not answer usefully; `outcome` is one of `Outcome`, `detail` technical, no content."""

    def __init__(self, outcome: str, detail: str = "") -> None:
        super().__init__(f"{outcome}: {detail}")
        self.outcome = outcome
        self.detail = detail[:200]


@dataclass(frozen=True)
class Completion:
    text: str
    prompt_tokens: int
    completion_tokens: int
    model: str


@dataclass(frozen=True)
class Embeddings:
    vectors: list[list[float]]
    prompt_tokens: int
    model: str


class Provider(Protocol):
    def chat(self, messages: list[dict[str, str]], *, max_tokens: int, temperature: float = 0.2) -> Completion: ...

    def embed(self, texts: list[str]) -> Embeddings: ...


def _estimate(text: str) -> int:
    # Vietnamese costs about one token per 2-3 characters in common tokenizers; this errs high.
    return len(text) // 2 + 1


def _failure(exc: Exception) -> ProviderError:
    if isinstance(exc, openai.APITimeoutError):
        return ProviderError(Outcome.TIMEOUT, "no answer within the timeout")
    if isinstance(exc, openai.RateLimitError):
        return ProviderError(Outcome.RATE_LIMITED, "HTTP 429")
    if isinstance(exc, openai.InternalServerError):
        return ProviderError(Outcome.SERVER_ERROR, f"HTTP {exc.status_code}")
    if isinstance(exc, openai.APIStatusError):
        return ProviderError(Outcome.REFUSED, f"HTTP {exc.status_code}")
    if isinstance(exc, openai.APIConnectionError):
        return ProviderError(Outcome.CONNECTION_ERROR, type(exc).__name__)
    return ProviderError(Outcome.BAD_RESPONSE, type(exc).__name__)


class OpenAICompatible:
    """Chat completions and embeddings over the OpenAI HTTP protocol."""

    def __init__(self, *, base_url: str, api_key: str, model: str, embedding_model: str, timeout: float) -> None:
        self.model = model
        self.embedding_model = embedding_model
        self.client = openai.OpenAI(base_url=base_url, api_key=api_key, timeout=timeout, max_retries=0)

    def chat(self, messages: list[dict[str, str]], *, max_tokens: int, temperature: float = 0.2) -> Completion:
        """One chat completion; the text and the tokens the provider counted (estimated when it sent none)."""
        try:
            response: Any = self.client.chat.completions.create(
                model=self.model, messages=messages,  # type: ignore[arg-type]
                max_tokens=max_tokens, temperature=temperature,
            )  # fmt: skip
            text = response.choices[0].message.content
            if not isinstance(text, str) or not text.strip():
                raise ValueError("no text in the first choice")
            usage = response.usage
            prompt = int(usage.prompt_tokens) if usage is not None else sum(_estimate(m["content"]) for m in messages)
            completion = int(usage.completion_tokens) if usage is not None else _estimate(text)
        except Exception as exc:  # every failure of the provider or its answer becomes one outcome
            raise _failure(exc) from exc
        return Completion(
            text=text.strip(),
            prompt_tokens=max(0, prompt),
            completion_tokens=max(0, completion),
            model=str(getattr(response, "model", "") or self.model)[:100],
        )

    def embed(self, texts: list[str]) -> Embeddings:
        """Embedding vectors for the texts, in order."""
        try:
            response: Any = self.client.embeddings.create(model=self.embedding_model, input=texts)
            rows = sorted(response.data, key=lambda row: int(row.index))
            vectors = [[float(x) for x in row.embedding] for row in rows]
            if len(vectors) != len(texts) or any(not v for v in vectors):
                raise ValueError("wrong number of vectors")
            usage = response.usage
            tokens = int(usage.prompt_tokens) if usage is not None else sum(_estimate(t) for t in texts)
        except Exception as exc:  # see chat()
            raise _failure(exc) from exc
        return Embeddings(vectors=vectors, prompt_tokens=max(0, tokens), model=self.embedding_model)


def configured() -> OpenAICompatible:
    """The provider from the environment (the caller checks `conf.enabled()` first)."""
    return OpenAICompatible(
        base_url=conf.base_url(),
        api_key=conf.api_key(),
        model=conf.model(),
        embedding_model=conf.embedding_model(),
        timeout=conf.timeout_seconds(),
    )


def estimate_tokens(text: str) -> int:
    """A generous estimate of a text's tokens (used to reserve budget before a call)."""
    return _estimate(text)
