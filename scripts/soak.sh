#!/usr/bin/env bash
# Soak: 1,000 iterations of the quick start (5 epochs of 200) with the resident memory logged every 50 iterations.
# Fails (exit 1) if the median of the last 5 samples exceeds the median of the first 5 after warm-up (iteration 250
# on) by more than SOAK_BOUND percent (default 10: resident size on these machines moves by several percent between
# samples as the allocator hands memory back and forth, without any trend). Not part of CI: about 2 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
bound=${SOAK_BOUND:-10}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
CI=true dotnet run --project CycleGan.App -c Release -- train --config quickstart --name soak --force \
  --set train.n_epochs=3 --set train.n_epochs_decay=2 --set output.print_freq=50 | tee "$log"
grep -oE 'iter [0-9]+/[0-9]+ .*rss [0-9]+ MB' "$log" | sed -E 's/iter ([0-9]+)\/.*rss ([0-9]+) MB/\1 \2/' |
  awk -v bound="$bound" '
    $1 >= 250 { it[n + 0] = $1; rss[n + 0] = $2; n++ }
    function median(a, b, c, d, e,   v, i, j, t) {
      v[1] = a; v[2] = b; v[3] = c; v[4] = d; v[5] = e
      for (i = 1; i <= 5; i++) for (j = i + 1; j <= 5; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      return v[3]
    }
    END {
      if (n < 10) { print "soak: too few memory samples (" n ")"; exit 1 }
      first = median(rss[0], rss[1], rss[2], rss[3], rss[4])
      last = median(rss[n-5], rss[n-4], rss[n-3], rss[n-2], rss[n-1])
      growth = (last - first) * 100 / first
      printf "soak: %d samples from iteration %d to %d; resident median %d MB first, %d MB last: growth %.1f%% (bound %s%%)\n", n, it[0], it[n-1], first, last, growth, bound
      exit (growth > bound) ? 1 : 0
    }'
