#!/usr/bin/env bash
# Benchmark: can the data loader keep training fed?
# Makes synthetic 400x400 JPEGs, measures decode+transform to 256x256 crops on one thread and through the
# prefetching loader, times the trainer's unit of work (the ResNet-9 generator's forward+backward at 256x256), and
# prints the ratio. Not a test. Extra arguments go to `cyclegan-bench bench-data`, e.g.
#   scripts/bench_data.sh --workers 2 --images 64 --iterations 3 --device cpu --sheet /tmp/crops.png
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build CycleGan.Bench -c Release -v quiet -nologo 1>&2
exec dotnet run --project CycleGan.Bench -c Release --no-build -- bench-data "$@"
