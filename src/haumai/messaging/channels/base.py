"""What a channel client returns for one delivery, and the sender interface."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from haumai.messaging.models import Delivery


@dataclass(frozen=True)
class Outcome:
    """The result of one provider call: sent, failed (retry) or failed for good (give up)."""

    sent: bool
    error_code: str = ""
    error_message: str = ""
    http_status: int | None = None
    provider_message_id: str = ""
    give_up: bool = False

    @classmethod
    def ok(cls, provider_message_id: str = "", http_status: int | None = None) -> Outcome:
        return cls(sent=True, provider_message_id=provider_message_id, http_status=http_status)

    @classmethod
    def retry(cls, code: str, message: str, http_status: int | None = None) -> Outcome:
        return cls(sent=False, error_code=code, error_message=message[:2000], http_status=http_status)

    @classmethod
    def permanent(cls, code: str, message: str, http_status: int | None = None) -> Outcome:
        return cls(sent=False, error_code=code, error_message=message[:2000], http_status=http_status, give_up=True)


class Sender(Protocol):
    """Sends a batch of deliveries of one channel, reusing one connection."""

    def send_batch(self, deliveries: Iterable[Delivery]) -> Iterator[tuple[Delivery, Outcome]]:
        """Yield one Outcome per delivery as soon as it is known; never raise for a provider problem.

        `deliveries` is iterated once, lazily: the worker commits each delivery's "sending started"
        mark when the sender takes it, so take the next one only when about to call the provider.
        """
