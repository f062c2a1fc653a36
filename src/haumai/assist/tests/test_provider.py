"""The provider client against a local server speaking the OpenAI protocol: answers and every kind of failure."""

from __future__ import annotations

import time

import pytest

from haumai.assist.provider import OpenAICompatible, ProviderError
from haumai.testing.ai_provider import API_KEY, EMBEDDING_MODEL, MODEL, LocalAIProvider, tokens_of

MESSAGES = [{"role": "system", "content": "You help."}, {"role": "user", "content": "Xin chào shop"}]


def client(server: LocalAIProvider, *, timeout: float = 1.0, key: str = API_KEY) -> OpenAICompatible:
    return OpenAICompatible(
        base_url=server.base_url, api_key=key, model=MODEL, embedding_model=EMBEDDING_MODEL, timeout=timeout
    )


def test_a_completion_returns_the_text_and_the_provider_token_counts(ai: LocalAIProvider) -> None:
    ai.reply = "Dạ, shop chào anh ạ."
    answer = client(ai).chat(MESSAGES, max_tokens=50)
    assert answer.text == "Dạ, shop chào anh ạ."
    assert answer.prompt_tokens == tokens_of("You help.") + tokens_of("Xin chào shop")
    assert answer.completion_tokens == tokens_of("Dạ, shop chào anh ạ.")
    assert answer.model == MODEL
    sent = ai.calls("/v1/chat/completions")[0]
    assert sent["messages"] == MESSAGES and sent["max_tokens"] == 50 and sent["model"] == MODEL


def test_a_timeout_is_reported_as_such_and_fast(ai: LocalAIProvider) -> None:
    ai.script("slow")
    started = time.perf_counter()
    with pytest.raises(ProviderError) as raised:
        client(ai, timeout=0.3).chat(MESSAGES, max_tokens=50)
    assert raised.value.outcome == "timeout"
    assert time.perf_counter() - started < 2.0  # no retries
    assert len(ai.calls("/v1/chat/completions")) == 1


@pytest.mark.parametrize(
    ("answer", "outcome"),
    [("429", "rate_limited"), ("500", "server_error"), ("garbage", "bad_response"), ("no_choices", "bad_response")],
)
def test_provider_failures_become_one_outcome_each_without_retries(
    ai: LocalAIProvider, answer: str, outcome: str
) -> None:
    ai.script(answer)
    with pytest.raises(ProviderError) as raised:
        client(ai).chat(MESSAGES, max_tokens=50)
    assert raised.value.outcome == outcome
    assert len(ai.calls("/v1/chat/completions")) == 1
    assert client(ai).chat(MESSAGES, max_tokens=50).text  # the next call works again


def test_a_wrong_key_is_refused(ai: LocalAIProvider) -> None:
    with pytest.raises(ProviderError) as raised:
        client(ai, key="wrong").chat(MESSAGES, max_tokens=50)
    assert (raised.value.outcome, raised.value.detail) == ("refused", "HTTP 401")


def test_an_unreachable_provider_is_a_connection_error() -> None:
    unreachable = OpenAICompatible(
        base_url="http://127.0.0.1:9/v1", api_key="x", model=MODEL, embedding_model=EMBEDDING_MODEL, timeout=0.5
    )
    with pytest.raises(ProviderError) as raised:
        unreachable.chat(MESSAGES, max_tokens=5)
    assert raised.value.outcome == "connection_error"


def test_an_answer_without_usage_is_estimated_not_free(ai: LocalAIProvider) -> None:
    ai.script("no_usage")
    answer = client(ai).chat(MESSAGES, max_tokens=50)
    assert answer.prompt_tokens > 0 and answer.completion_tokens > 0


def test_embeddings_come_back_in_input_order_with_usage(ai: LocalAIProvider) -> None:
    vectors = client(ai).embed(["bảo hành máy giặt", "đổi trả trong 7 ngày"])
    assert len(vectors.vectors) == 2 and len(vectors.vectors[0]) == 64
    assert vectors.vectors[0] != vectors.vectors[1]
    assert vectors.prompt_tokens == tokens_of("bảo hành máy giặt") + tokens_of("đổi trả trong 7 ngày")
    ai.script("500")
    with pytest.raises(ProviderError):
        client(ai).embed(["x"])
