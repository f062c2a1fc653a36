"""Personal data replaced by placeholders before a text leaves Haumai, and put back in what comes back.

Masked: e-mail addresses, Vietnamese phone numbers, serial/IMEI-like codes, and the customer's own name
(full, given name, with and without diacritics) and address lines when the caller knows the customer.
`[PHONE_1]` stays the same placeholder for the same value in one call, so the model can still refer to it,
and `unmask` restores the originals in the answer shown to the agent or the customer. With
HAUMAI_AI_SEND_PERSONAL_DATA=1 nothing is masked. Order, return and ticket codes are not personal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from unidecode import unidecode

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w+])(?:\+?84|0)(?:[\s.\-]?\d){8,10}(?!\d)")
IMEI = re.compile(r"(?<!\d)\d{15}(?!\d)")
SERIAL = re.compile(r"\b(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{8,24}\b")
PUBLIC_CODE = re.compile(r"^(?:ORD|RMA|TK|RO|CL|WR|AP|SH)\d*$")
PLACEHOLDER = re.compile(r"\[(?:PHONE|EMAIL|NAME|ADDRESS|SERIAL)_\d+\]")


@dataclass
class Masker:
    """Masks one call's texts consistently; `unmask` undoes it on the answer."""

    enabled: bool = True
    names: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    originals: dict[str, str] = field(default_factory=dict)
    _by_value: dict[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def for_customer(cls, *, enabled: bool, full_name: str = "", addresses: list[str] | None = None) -> Masker:
        """A masker that also knows the customer's name and address lines."""
        names: list[str] = []
        full = " ".join(full_name.split())
        if full:
            parts = full.split()
            candidates = [full, unidecode(full)]
            if len(parts) > 1 and len(parts[-1]) >= 2:
                candidates += [parts[-1], unidecode(parts[-1])]
            names = list(dict.fromkeys(c for c in candidates if len(c) >= 2))
        lines = [" ".join(a.split()) for a in addresses or [] if len(a.strip()) >= 6]
        return cls(enabled=enabled, names=names, addresses=list(dict.fromkeys(lines)))

    def _placeholder(self, kind: str, value: str) -> str:
        key = (kind, value.casefold())
        if key not in self._by_value:
            number = sum(1 for k in self._by_value if k[0] == kind) + 1
            placeholder = f"[{kind}_{number}]"
            self._by_value[key] = placeholder
            self.originals[placeholder] = value
        return self._by_value[key]

    def mask(self, text: str) -> str:
        """The text with personal data replaced by placeholders (unchanged when masking is off)."""
        if not self.enabled or not text:
            return text
        for line in sorted(self.addresses, key=len, reverse=True):
            text = re.sub(re.escape(line), lambda m: self._placeholder("ADDRESS", m.group(0)), text, flags=re.I)
        text = EMAIL.sub(lambda m: self._placeholder("EMAIL", m.group(0)), text)
        text = PHONE.sub(lambda m: self._placeholder("PHONE", m.group(0)), text)
        text = IMEI.sub(lambda m: self._placeholder("SERIAL", m.group(0)), text)
        text = SERIAL.sub(self._serial, text)
        for name in sorted(self.names, key=len, reverse=True):
            pattern = r"(?<!\w)" + re.escape(name) + r"(?!\w)"
            # A given name alone is often a common word ("An", "Bình", "Lan"): only capitalized, as a name.
            flags = re.I if " " in name else 0
            text = re.sub(pattern, lambda m: self._placeholder("NAME", m.group(0)), text, flags=flags)
        return text

    def _serial(self, match: re.Match[str]) -> str:
        value = match.group(0)
        if PUBLIC_CODE.match(value):
            return value
        return self._placeholder("SERIAL", value)

    def unmask(self, text: str) -> str:
        """Put the originals back where the answer kept a placeholder."""
        if not self.originals:
            return text
        return PLACEHOLDER.sub(lambda m: self.originals.get(m.group(0), m.group(0)), text)
