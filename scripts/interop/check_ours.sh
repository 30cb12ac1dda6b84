#!/usr/bin/env bash
# Trains two tiny runs (ResNet-9 + instance norm + basic PatchGAN; U-Net-128 + batch norm + pixel discriminator,
# 3 -> 1 channels), exports each with `cyclegan export --format pth` and `--format onnx`, and has
# make_fixtures.py --check-ours load the .pth files into the PyTorch reference architectures (strict) and run
# onnx.checker on the .onnx files. The results are committed as CycleGan.Tests/Export/Fixtures/ours_check_*.json.
# Needs the built app (dotnet build) and /usr/bin/python3 with Debian's python3-torch and python3-onnx.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
app="$root/CycleGan.App/bin/Debug/net10.0/cyclegan"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
out="$root/CycleGan.Tests/Export/Fixtures"

"$app" dataset synth --output "$work/synth32" --size 32 --count 4 --seed 1 >/dev/null
"$app" dataset synth --output "$work/synth128" --size 128 --count 3 --seed 1 >/dev/null
common=(--config quickstart --device cpu --set "output.runs_dir=$work/runs" --set train.n_epochs=1 --set train.n_epochs_decay=0)
"$app" train "${common[@]}" --name resnet9_instance --set "data.dataroot=$work/synth32" \
  --set model.netG=resnet_9blocks --set model.netD=basic --set model.ngf=4 --set model.ndf=4 >/dev/null
"$app" train "${common[@]}" --name unet128_batch --set "data.dataroot=$work/synth128" --set data.load_size=128 --set data.crop_size=128 \
  --set model.netG=unet_128 --set model.norm=batch --set model.netD=pixel --set model.ngf=2 --set model.ndf=4 \
  --set data.output_nc=1 --set train.lambda_identity=0 >/dev/null
status=0
for run in resnet9_instance unet128_batch; do
  "$app" export --run "$work/runs/$run" --format pth --output "$work/export/$run/pth" >/dev/null
  "$app" export --run "$work/runs/$run" --format onnx --output "$work/export/$run/onnx" >/dev/null
  /usr/bin/python3 "$root/scripts/interop/make_fixtures.py" --check-ours "$work/export/$run/pth" \
    --config "$work/runs/$run/config.json" --onnx-dir "$work/export/$run/onnx" --result "$out/ours_check_$run.json" || status=1
done
exit $status
