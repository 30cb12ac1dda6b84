#!/usr/bin/env bash
# How far `translate --precision bf16` is from fp32, in 8-bit levels (max and mean |bf16 - fp32| over every pixel and
# channel), on (1) a trained run's test images (default runs/quickstart, its testA) and (2) a ResNet-9 ngf 64 with
# random weights (normal(0, 0.02), as the reference initialises) on a 512x512 photo.
#   scripts/bf16_translate_difference.sh [RUN_FOLDER] [IMAGES]
set -euo pipefail
cd "$(dirname "$0")/.."
run=${1:-runs/quickstart}
images=${2:-datasets/synth_32/testA}
dotnet build CycleGan.App -c Release -v quiet -nologo 1>&2
app="dotnet CycleGan.App/bin/Release/net10.0/cyclegan.dll"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for p in fp32 bf16; do
  $app translate "$images" --run "$run" --precision $p --output "$work/run_$p" >/dev/null
done
echo "$run on $images: $(/usr/bin/python3 scripts/compare_images.py "$work/run_fp32" "$work/run_bf16")"
/usr/bin/python3 scripts/bench_translate_sizes.py make "$work" 512
for p in fp32 bf16; do
  $app translate "$work/photo_512.png" --weights "$work/G.pth" --config horse2zebra --precision $p --output "$work/r9_$p" >/dev/null
done
echo "ResNet-9 ngf 64, random weights, 512x512: $(/usr/bin/python3 scripts/compare_images.py "$work/r9_fp32" "$work/r9_bf16")"
