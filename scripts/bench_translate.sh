#!/usr/bin/env bash
# Benchmark: translate over a folder of 256x256 images beside a bare forward loop of the same generator (one process,
# so the ratio holds on a noisy machine), then the wall time of a single `cyclegan translate image.png` from the
# command line (median of 3, start-up included). Not a test. Extra arguments go to `cyclegan bench-translate`, e.g.
#   scripts/bench_translate.sh --images 8 --batch 4 --size 256 --config horse2zebra --device cpu
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build CycleGan.Bench -c Release -v quiet -nologo 1>&2
bench=(dotnet CycleGan.Bench/bin/Release/net10.0/cyclegan-bench.dll)
exe=(dotnet CycleGan.App/bin/Release/net10.0/cyclegan.dll)
keep=$(mktemp -d)
trap 'rm -rf "$keep"' EXIT
"${bench[@]}" bench-translate --keep "$keep" "$@"
config=horse2zebra
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  if [[ ${args[$i]} == --config ]]; then config=${args[$((i + 1))]}; fi
done
times=()
for run in 1 2 3; do
  start=$(date +%s.%N)
  "${exe[@]}" translate "$keep/image.png" --weights "$keep/G.pth" --config "$config" --output "$keep/out" --overwrite >/dev/null 2>&1
  end=$(date +%s.%N)
  times+=("$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
echo "single image from the command line (translate image.png, start-up included): median ${median} s of ${times[*]}"
