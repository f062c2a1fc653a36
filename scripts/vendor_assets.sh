#!/usr/bin/env bash
# Refresh the vendored front-end assets (no CDN at run time). Versions are pinned here; run this
# script after changing one, review the diff, commit. Needs npm (the npm registry), not at run time.
#
# Icons: lucide-static (ISC). Only the icons named in console/static/vendor/lucide/icons.txt go into
# console/static/vendor/lucide/sprite.svg (used by the {% icon "name" %} template tag). To add an icon:
# add its Lucide name to icons.txt, run this script, commit icons.txt and sprite.svg.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=src/haumai/console/static/vendor
LUCIDE=lucide-static@1.62.0
declare -A PACKAGES=(
  [htmx.org@2.0.11]="dist/htmx.min.js:htmx.min.js"
  [chart.js@4.5.1]="dist/chart.umd.min.js:chart.umd.min.js LICENSE.md:chart.js.LICENSE.md"
  [bootstrap@5.3.9]="dist/css/bootstrap.min.css:bootstrap.min.css dist/js/bootstrap.bundle.min.js:bootstrap.bundle.min.js"
)
python=${PYTHON:-.venv/bin/python}
[ -x "$python" ] || python=python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$dest"
: > "$dest/VERSIONS.txt"
for spec in "${!PACKAGES[@]}"; do
  (cd "$work" && npm pack --silent "$spec" >/dev/null)
  tarball=$(ls "$work"/*.tgz | head -1)
  mkdir -p "$work/unpacked" && tar -xzf "$tarball" -C "$work/unpacked"
  for pair in ${PACKAGES[$spec]}; do
    cp "$work/unpacked/package/${pair%%:*}" "$dest/${pair##*:}"
  done
  echo "$spec" >> "$dest/VERSIONS.txt"
  rm -rf "$work/unpacked" "$tarball"
done

# Lucide: build the sprite from the listed icons, keep the licence beside it.
(cd "$work" && npm pack --silent "$LUCIDE" >/dev/null)
mkdir -p "$work/unpacked" && tar -xzf "$work"/lucide-static-*.tgz -C "$work/unpacked"
"$python" scripts/build_icon_sprite.py "$work/unpacked/package" "$dest/lucide/icons.txt" "$dest/lucide/sprite.svg"
cp "$work/unpacked/package/LICENSE" "$dest/lucide/LICENSE"
echo "$LUCIDE" >> "$dest/VERSIONS.txt"
rm -rf "$work/unpacked"

sort -o "$dest/VERSIONS.txt" "$dest/VERSIONS.txt"
echo "vendored into $dest:"; cat "$dest/VERSIONS.txt"
