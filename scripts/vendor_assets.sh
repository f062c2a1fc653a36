#!/usr/bin/env bash
# Refresh the vendored front-end assets (no CDN at run time). Versions are pinned here; run this
# script after changing one, review the diff, commit. Needs npm (the npm registry), not at run time.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=src/haumai/console/static/vendor
declare -A PACKAGES=(
  [htmx.org@2.0.11]="dist/htmx.min.js:htmx.min.js"
  [bootstrap@5.3.9]="dist/css/bootstrap.min.css:bootstrap.min.css dist/js/bootstrap.bundle.min.js:bootstrap.bundle.min.js"
)
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
sort -o "$dest/VERSIONS.txt" "$dest/VERSIONS.txt"
echo "vendored into $dest:"; cat "$dest/VERSIONS.txt"
