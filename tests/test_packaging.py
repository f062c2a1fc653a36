"""An installed (non-editable) Haumai carries every template, static file, font and translation:
the wheel's package-data patterns must match each such file in the source tree."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "haumai"
DATA_FOLDERS = ("templates", "static", "locale", "fonts")


def test_every_data_file_is_packaged() -> None:
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["*"]
    data_files = [
        path
        for path in SOURCE.rglob("*")
        if path.is_file() and set(path.relative_to(SOURCE).parts) & set(DATA_FOLDERS) and path.suffix != ".py"
    ]

    missing = [str(p.relative_to(SOURCE)) for p in data_files if not any(fnmatch.fnmatch(p.name, x) for x in patterns)]

    assert data_files
    assert missing == [], f"add patterns to [tool.setuptools.package-data] for {missing}"
