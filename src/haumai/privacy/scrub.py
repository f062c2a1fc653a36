"""Remove a person's identifiers from free-form JSON and text (event payloads, carrier payloads ...).

Used by the apps' own privacy hooks. Two rules, applied recursively:
- a value under a key that looks personal (`phone`, `recipient_name`, `address`, `note` ...) is blanked;
- any string that contains one of the person's identifiers (phone in any format, e-mail, Zalo id) or
  their full name (compared without diacritics) is blanked.
Numbers, booleans and codes under other keys stay, so counts and amounts still add up.
"""

from __future__ import annotations

from typing import Any

from haumai.core.text import search_key
from haumai.privacy.registry import PERSONAL_TOKENS, Person, field_tokens

REDACTED = ""
# Keys whose values are codes or labels of things, never of the person, even if a token matches.
SAFE_KEYS = frozenset({"template_key", "event_name", "name_of_event", "channel", "status", "kind"})


def phone_variants(phone: str) -> set[str]:
    """+84901234567 -> {+84901234567, 84901234567, 0901234567, 901234567}."""
    variants = {phone}
    if phone.startswith("+84"):
        national = phone[3:]
        variants |= {phone[1:], "0" + national, national}
    elif phone.startswith("+"):
        variants.add(phone[1:])
    return {v for v in variants if len(v) >= 8}


def _needles(person: Person) -> tuple[set[str], set[str]]:
    raw = set()
    for phone in person.phones:
        raw |= phone_variants(phone)
    raw |= {e.lower() for e in person.emails} | {i for i in person.other_identifiers if len(i) >= 6}
    # A name is only a needle when it has two words or more; "An" alone would blank half the shop.
    names = {search_key(n) for n in person.names if len(search_key(n).split()) >= 2}
    return raw, names


def mentions(text: str, person: Person) -> bool:
    """Whether a string contains one of the person's identifiers or their full name."""
    raw, names = _needles(person)
    return _mentions(text, raw, names)


def _mentions(text: str, raw: set[str], names: set[str]) -> bool:
    lowered = text.lower()
    digits = "".join(ch for ch in text if ch.isdigit() or ch == "+")
    if any(needle in lowered or (needle.lstrip("+").isdigit() and needle in digits) for needle in raw):
        return True
    if names:
        key = search_key(text)
        return any(name in key for name in names)
    return False


def key_is_personal(key: str) -> bool:
    """Whether a JSON key names personal data."""
    return key not in SAFE_KEYS and bool(field_tokens(key) & PERSONAL_TOKENS)


def scrub(value: Any, person: Person) -> Any:
    """A copy of `value` without the person's data (see the module docstring)."""
    raw, names = _needles(person)
    return _scrub(value, raw, names)


def _scrub(value: Any, raw: set[str], names: set[str]) -> Any:
    if isinstance(value, dict):
        return {
            key: (_blank(item) if key_is_personal(str(key)) else _scrub(item, raw, names))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_scrub(item, raw, names) for item in value]
    if isinstance(value, str) and _mentions(value, raw, names):
        return REDACTED
    return value


def _blank(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _blank(item) for key, item in value.items()}
    if isinstance(value, list):
        return []
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        # A quantity under a personal key (a house number) may stay; a long number may be a phone.
        return value if abs(value) < 10**6 else None
    return REDACTED


def scrub_text(text: str, person: Person) -> str:
    """The text, or blank when it mentions the person."""
    return REDACTED if text and mentions(text, person) else text
