#!/usr/bin/env bash
# Renders a run's index.html (the loss and FID/KID plots, the sample sheets) in headless Chromium and saves a PNG, to
# check the page in a real browser. Not part of the tests (they never need a browser).
#   scripts/screenshot_run_page.sh runs/NAME [OUT.png]
# Installs Debian's chromium package when no Chromium is found (needs root and the Debian archive).
set -euo pipefail
run=${1:?usage: $0 runs/NAME [OUT.png]}
out=${2:-$run/index.png}
page=$(realpath "$run/index.html")
[ -f "$page" ] || { echo "error: $page does not exist" >&2; exit 2; }
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "installing chromium (apt-get)..." >&2
  apt-get install -y chromium >/dev/null || { apt-get update >/dev/null && apt-get install -y chromium >/dev/null; }
  browser=$(command -v chromium)
fi
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,1600 \
  --screenshot="$(realpath -m "$out")" "file://$page" 2>/dev/null
echo "$out"
