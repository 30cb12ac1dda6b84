#!/usr/bin/env bash
# All benchmarks, on whatever machine runs it; each measures its ratio inside one process so that it holds on a noisy
# machine. Writes bench-results/<date>/ (JSON and the raw output) and prints the figures. Not a test; takes about
# 20-30 minutes on 2 CPU cores. Options: --quick (small sizes, few iterations: a smoke run of the scripts).
#   scripts/bench.sh            # the figures in BENCHMARKS.md
set -euo pipefail
cd "$(dirname "$0")/.."
quick=false
[[ ${1:-} == --quick ]] && quick=true
out="bench-results/$(date -u +%Y-%m-%d)"
mkdir -p "$out"
dotnet build CycleGan.Bench -c Release -v quiet -nologo 1>&2
bench=(dotnet CycleGan.Bench/bin/Release/net10.0/cyclegan-bench.dll)
if $quick; then
  train=(--sizes 32:8:5 --rounds 1 --memory-iterations 100)
  data=(--images 8 --iterations 1)
  translate=(--images 4 --size 64 --rounds 1)
else
  train=(--sizes 64:16:20,128:64:3 --rounds 3 --memory-iterations 1000)
  data=(--workers 2 --iterations 2)
  translate=(--images 8 --rounds 3)
fi
echo "## training, compute, memory"
"${bench[@]}" bench-train "${train[@]}" --json "$out/train.json" | tee "$out/train.txt"
echo "## data"
"${bench[@]}" bench-data "${data[@]}" | tee "$out/data.txt"
echo "## inference"
scripts/bench_translate.sh "${translate[@]}" | tee "$out/translate.txt"
echo "results in $out"
