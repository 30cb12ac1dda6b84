#!/usr/bin/env bash
# Benchmark: `cyclegan translate photo.png` on one square photo of each size (default 512 1024 2048), ResNet-9 ngf 64
# with random weights, wall time and peak resident memory of the whole process (GNU time), beside PyTorch 1.13 doing
# what the reference's test.py does to the same image with the same weights. Not a test; needs /usr/bin/time
# (Debian's `time`) and /usr/bin/python3 with python3-torch. Sizes in the arguments replace the default ones, e.g.
#   scripts/bench_translate_sizes.sh 512 1024
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(512 1024 2048)
dotnet build CycleGan.App -c Release -v quiet -nologo 1>&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 scripts/bench_translate_sizes.py make "$work" "${sizes[@]}"
measure() { # label, command...: one line with wall seconds and peak resident MB
  local label=$1 log="$work/time.log"
  shift
  if /usr/bin/time -f '%e %M' -o "$log" "$@" >"$work/out.log" 2>&1; then status=ok; else status="exit $?"; fi
  read -r wall kb <"$log"
  printf '%-9s %6s px  %8.1f s  %8.0f MB  %s\n' "$label" "$size" "$wall" "$((kb / 1024))" "$status"
  grep -iE 'warn|shrunk|scaled|refus|memory' "$work/out.log" | head -3 | sed 's/^/            /' || true
}
echo "translate of one photo, ResNet-9 ngf 64, $(nproc) cores; whole process: start-up, load, forward, save"
for size in "${sizes[@]}"; do
  measure cyclegan dotnet CycleGan.App/bin/Release/net10.0/cyclegan.dll translate "$work/photo_$size.png" \
    --weights "$work/G.pth" --config horse2zebra --output "$work/out" --overwrite
  # OpenBLAS's core type is pinned on some of these machines (env README); the peer runs as a user's would
  measure pytorch env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 scripts/bench_translate_sizes.py translate "$work" "$size"
done
