"""Refresh the Vietnamese catalogue: extract strings, fill translations from the TSV, compile .mo.

Usage: .venv/bin/python scripts/i18n.py
Exits with status 1 when a msgid has no translation (or a TSV line is malformed or repeated with another
translation), so a module cannot ship English or fuzzy guesses in the Vietnamese UI.
Translations live in src/haumai/locale/vi/translations.tsv (msgid<TAB>Vietnamese), one per line, so
they are easy to review and merge, plus one `translations.vi.tsv` per app for the app's own strings
(src/haumai/<app>/translations.vi.tsv, or in a subpackage of the app); the .po and .mo files are
generated from them and committed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "src" / "haumai" / "locale"
PO = LOCALE / "vi" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
TSV = LOCALE / "vi" / "translations.tsv"


def main() -> int:
    haumai = str(Path(sys.executable).with_name("haumai"))
    subprocess.run(
        [haumai, "makemessages", "-l", "vi", "--no-obsolete", "--ignore", "*/tests/*", "--ignore", "demo/*"],
        cwd=ROOT / "src" / "haumai", check=True, env={**os.environ},
    )
    table: dict[str, str] = {}
    conflicts: list[str] = []
    for source in [TSV, *sorted(LOCALE.parent.glob("**/translations.vi.tsv"))]:
        for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            if "\t" not in line:
                raise SystemExit(f"{source}:{number}: expected msgid<TAB>translation")
            msgid, text = line.split("\t", 1)
            if not text.strip():
                raise SystemExit(f"{source}:{number}: empty translation for {msgid!r}")
            if msgid in table and table[msgid] != text:
                conflicts.append(f"{source.name}:{number}: {msgid!r} is already translated as {table[msgid]!r}")
            table[msgid] = text
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="vi")
    missing = []
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        if key in table:
            message.string = (table[key],) * len(message.id) if message.pluralizable else table[key]
            message.flags.discard("fuzzy")
        else:
            # No guess ships: makemessages' fuzzy match is usually another sentence.
            message.string = ("",) * len(message.id) if message.pluralizable else ""
            message.flags.discard("fuzzy")
            missing.append(key)
    catalog.fuzzy = False  # the header is filled in, not a guess
    with PO.open("wb") as handle:
        write_po(handle, catalog, width=0)
    with MO.open("wb") as handle:
        write_mo(handle, catalog)
    print(f"{len(catalog) - len(missing)} translated, {len(missing)} missing")
    for key in missing:
        print("  missing:", key)
    for conflict in conflicts:
        print("  repeated:", conflict)
    if missing or conflicts:
        print(f"Add the Vietnamese of each missing msgid as msgid<TAB>Vietnamese to {TSV.relative_to(ROOT)}"
              " (or the app's translations.vi.tsv) and run this again.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
