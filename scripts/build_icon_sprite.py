"""Build the console's SVG sprite from an unpacked lucide-static package: only the icons listed.

Usage: python scripts/build_icon_sprite.py <lucide-static package dir> <icons.txt> <sprite.svg>
Called by scripts/vendor_assets.sh; the sprite is committed, so running the product needs no npm.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

_TAG = re.compile(r"<svg[^>]*>(?P<body>.*)</svg>", re.DOTALL)


def main(package: Path, names_file: Path, sprite: Path) -> None:
    names = sorted({line.strip() for line in names_file.read_text().splitlines() if line.strip() and line[0] != "#"})
    version = json.loads((package / "package.json").read_text())["version"]
    symbols = []
    for name in names:
        source = (package / "icons" / f"{name}.svg").read_text()
        match = _TAG.search(source)
        if match is None:
            raise SystemExit(f"no <svg> in {name}.svg")
        body = " ".join(match["body"].split())
        symbols.append(f'<symbol id="{name}" viewBox="0 0 24 24">{body}</symbol>')
    sprite.write_text(
        f"<!-- lucide-static {version} (ISC): the icons in {names_file.name}, built by scripts/vendor_assets.sh -->\n"
        '<svg xmlns="http://www.w3.org/2000/svg" fill="none" stroke="currentColor" stroke-width="2" '
        'stroke-linecap="round" stroke-linejoin="round">\n' + "\n".join(symbols) + "\n</svg>\n"
    )
    print(f"{sprite}: {len(symbols)} icons from lucide-static {version}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
