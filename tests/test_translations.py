"""The Vietnamese catalogue ships complete: no fuzzy guess, no untranslated msgid, none left unextracted."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

SOURCE = Path(__file__).resolve().parents[1] / "src" / "haumai"
PO = SOURCE / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def _catalog(path: Path):
    with path.open("rb") as handle:
        return read_po(handle, locale="vi")


def _msgid(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def test_no_fuzzy_or_untranslated_entry_in_the_committed_catalogue() -> None:
    catalog = _catalog(PO)
    fuzzy = [_msgid(m) for m in catalog if m.id and m.fuzzy]
    untranslated = [
        _msgid(m) for m in catalog if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)
    ]
    assert not catalog.fuzzy, "the .po header is marked fuzzy"
    assert fuzzy == [], f"fuzzy entries (add them to translations.tsv, run scripts/i18n.py): {fuzzy}"
    assert untranslated == [], f"untranslated entries (add them to translations.tsv): {untranslated}"


@pytest.mark.slow
def test_every_msgid_in_the_code_is_in_the_catalogue(tmp_path: Path) -> None:
    """Extract the strings from a copy of the code: a new gettext call without a translation fails here."""
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext (xgettext) is not installed")
    copy = tmp_path / "haumai"
    shutil.copytree(SOURCE, copy, ignore=shutil.ignore_patterns("__pycache__", "tests", "demo", "static"))
    haumai = str(Path(sys.executable).with_name("haumai"))
    subprocess.run([haumai, "makemessages", "-l", "vi", "--no-obsolete"], cwd=copy, check=True, capture_output=True)
    extracted = {_msgid(m) for m in _catalog(copy / "locale" / "vi" / "LC_MESSAGES" / "django.po") if m.id}
    committed = {_msgid(m) for m in _catalog(PO) if m.id and m.string and not m.fuzzy}
    assert sorted(extracted - committed) == [], "msgids without Vietnamese: add them to translations.tsv"
