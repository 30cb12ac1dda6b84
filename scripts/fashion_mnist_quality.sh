#!/usr/bin/env bash
# Training quality in fp32 against bf16 (README, "bfloat16 convolutions"): the same 500-iteration Fashion-MNIST
# sneaker <-> ankle-boot run (batch 4, ngf 32, resnet_6blocks, n_layers_D 2, seed 0) in each precision, then every test
# image translated and judged by a small classifier trained on Fashion-MNIST's own training set
# (scripts/fashion_mnist_judge.py): the share of translations that it assigns to the target class, per direction.
#
#   scripts/fashion_mnist_quality.sh [WORK_DIR]      (default /tmp/fashion-mnist-quality; needs /usr/bin/python3 with
#                                                     torch, and dataset-fashion-mnist or FASHION_MNIST=DIR)
#   SEEDS="0 1 2 3 4 5" scripts/fashion_mnist_quality.sh    one run per seed and precision (default: seed 0 only); a GAN
#                                                     after 500 iterations differs from seed to seed by more than
#                                                     the precision's effect, so compare the spread too
# A run already in WORK_DIR is reused (data and judge too): after changing the code, give a fresh WORK_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/fashion-mnist-quality}
source_dir=${FASHION_MNIST:-/usr/share/datasets/fashion-mnist}
mkdir -p "$work"
dotnet build CycleGan.App -c Release -v quiet -nologo >/dev/null
app=(dotnet CycleGan.App/bin/Release/net10.0/cyclegan.dll)

[ -d "$work/data/trainA" ] || "${app[@]}" dataset fashion-mnist --output "$work/data" --a sneaker --b "ankle boot" --source "$source_dir"
[ -f "$work/judge.pt" ] || /usr/bin/python3 scripts/fashion_mnist_judge.py train "$work/judge.pt" --source "$source_dir"

seeds=${SEEDS:-0}
for seed in $seeds; do
for precision in fp32 bf16; do
    name="sneaker2boot_${precision}_seed$seed"
    # 2000 images per domain at batch 4: one epoch of 500 iterations
    [ -f "$work/runs/$name/checkpoints/latest.ckpt" ] || "${app[@]}" train --config quickstart --name "$name" --force \
        --set data.dataroot="$work/data" --set data.input_nc=1 --set data.output_nc=1 --set data.load_size=28 \
        --set data.crop_size=28 --set data.batch_size=4 --set data.max_dataset_size=2000 --set model.ngf=32 \
        --set model.ndf=64 --set model.netG=resnet_6blocks --set model.n_layers_D=2 --set train.n_epochs=1 \
        --set train.n_epochs_decay=0 --set train.precision="$precision" --set output.runs_dir="$work/runs" \
        --set output.tensorboard=false --seed "$seed"
    for direction in AtoB BtoA; do
        input=testA; [ "$direction" = BtoA ] && input=testB
        "${app[@]}" translate "$work/data/$input" --run "$work/runs/$name" --direction "$direction" \
            --precision "$precision" --output "$work/translated/$name/$direction" --overwrite >/dev/null
    done
done
done

echo "share of the 1,000 test images per direction that the classifier assigns to the target class:"
for seed in $seeds; do
    for precision in fp32 bf16; do
        name="sneaker2boot_${precision}_seed$seed"
        /usr/bin/python3 scripts/fashion_mnist_judge.py judge "$work/judge.pt" \
            "$work/translated/$name/AtoB" ankle-boot "$work/translated/$name/BtoA" sneaker
    done
done
echo "untranslated (the classifier on the inputs themselves, as the target class):"
/usr/bin/python3 scripts/fashion_mnist_judge.py judge "$work/judge.pt" "$work/data/testA" ankle-boot "$work/data/testB" sneaker
